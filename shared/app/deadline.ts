/**
 * The time an invocation may spend (DESIGN.md §1): an instant read against the injected clock, and an
 * AbortSignal for every remote call (the SDK's `abortSignal`, the kube client's `signal`), so one
 * blackholed endpoint cannot hold a tick past the Lambda's timeout or into the next tick. What the
 * budget did not reach is reported as not evaluated, never dropped silently.
 */
import { LpaError } from '../errors.js';

/** Kept free before the Lambda's deadline: reporting and returning take a moment. */
const RETURN_MARGIN_MS = 5_000;

/** EventBridge Scheduler fires at most once a minute: one tick. */
const TICK_MS = 60_000;
/** Kept free before the next tick: invocations never overlap. */
const END_MARGIN_MS = 5_000;

/** When the window of the tick that began at `start` closes (epoch ms): nothing of that tick runs past it. */
const tickWindowEnd = (start: number): number => start + TICK_MS - END_MARGIN_MS;

/** The budget of an invocation that has `remainingMs` left (`context.getRemainingTimeInMillis()`). */
const invocationBudget = (now: number, remainingMs: number): number => now + remainingMs - RETURN_MARGIN_MS;

/** Aborts with `reason` after `ms` (injected: tests fire it on a condition, never wait). */
type AbortAfter = (ms: number, reason: Error) => AbortSignal;

/** A real timer that does not keep the process alive. */
const abortAfterTimer: AbortAfter = (ms, reason) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms).unref();
  return controller.signal;
};

class DeadlineExceededError extends LpaError {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceededError';
  }
}

interface Deadline {
  /** Epoch ms. */
  readonly at: number;
  /** Aborts at `at`, with `reason`. */
  readonly signal: AbortSignal;
  readonly reason: DeadlineExceededError;
  /** Whether the budget is spent: `at` has come by the injected clock, or the signal fired. */
  over(): boolean;
}

const createDeadline = (at: number, now: () => number, abortAfter: AbortAfter = abortAfterTimer): Deadline => {
  const reason = new DeadlineExceededError(`the invocation's time budget ran out at ${new Date(at).toISOString()}`);
  const signal = abortAfter(Math.max(0, at - now()), reason);
  return { at, signal, reason, over: () => signal.aborted || now() >= at };
};

export { DeadlineExceededError, END_MARGIN_MS, RETURN_MARGIN_MS, TICK_MS, abortAfterTimer, createDeadline, invocationBudget, tickWindowEnd };
export type { AbortAfter, Deadline };
