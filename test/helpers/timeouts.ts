/**
 * Timeouts only catch what hangs: no test asserts speed (DESIGN.md §5; performance is measured by
 * `npm run bench`). They are generous because a first `npm test` must pass on a busy 2-core machine,
 * where a child process or a cold import can take many times its usual time.
 */

/** A test or hook that has not finished by then is hung. */
const HANG_MS = 180_000;
/** A child process is stopped a little earlier, so its test fails with the process's own output. */
const CHILD_HANG_MS = HANG_MS - 15_000;

export { CHILD_HANG_MS, HANG_MS };
