/**
 * The workload a simulation feeds the queue with: how fast messages arrive, how fast one ready
 * replica works, and how long a new replica takes to become Ready. Pure data plus helpers; the
 * queue and the pods themselves live in model.ts.
 */
import { parseDuration } from './duration.js';

/** From `fromSecond` until the next segment starts, `ratePerSecond` messages arrive each second. */
interface RateSegment {
  readonly fromSecond: number;
  readonly ratePerSecond: number;
}

interface Workload {
  /** Sorted by `fromSecond`, the first at 0: see `normalizeSegments`. */
  readonly arrivals: readonly RateSegment[];
  /** Messages one Ready replica takes off the queue per second. */
  readonly processRatePerReplica: number;
  /**
   * Seconds one message stays in flight, from receive to delete (whole seconds, at least 1).
   * A busy replica thus holds processRatePerReplica × processingSeconds messages in flight.
   */
  readonly processingSeconds: number;
  /** Seconds from a replica being requested until it is Ready. */
  readonly startupSeconds: number;
}

interface BurstArg {
  readonly atSecond: number;
  readonly durationSeconds: number;
  readonly ratePerSecond: number;
  /** The rate before and after the burst; default 0 (idle). */
  readonly baseRatePerSecond?: number;
}

/**
 * Sorts segments and fills `[0, first)` with rate 0, so a lookup never falls off the front.
 * A later segment with the same `fromSecond` wins, as the last word of a spec should.
 */
const normalizeSegments = (segments: readonly RateSegment[]): readonly RateSegment[] => {
  const byStart = new Map<number, number>();
  for (const s of segments) byStart.set(s.fromSecond, s.ratePerSecond);
  if (!byStart.has(0)) byStart.set(0, 0);
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([fromSecond, ratePerSecond]) => ({ fromSecond, ratePerSecond }));
};

/**
 * The rate at `second`. O(log n); the simulation loop instead walks a cursor (model.ts),
 * this is for one-off lookups such as table rows and tests.
 */
const rateAt = (segments: readonly RateSegment[], second: number): number => {
  let lo = 0;
  let hi = segments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((segments[mid]?.fromSecond ?? Infinity) <= second) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return segments[found]?.ratePerSecond ?? 0;
};

/**
 * Segments for one burst over a base rate.
 *
 * @example burst({ atSecond: 300, durationSeconds: 600, ratePerSecond: 40 })
 * // [{0, 0}, {300, 40}, {900, 0}]
 */
const burst = (arg: BurstArg): readonly RateSegment[] => {
  const base = arg.baseRatePerSecond ?? 0;
  return normalizeSegments([
    { fromSecond: 0, ratePerSecond: base },
    { fromSecond: arg.atSecond, ratePerSecond: arg.ratePerSecond },
    { fromSecond: arg.atSecond + arg.durationSeconds, ratePerSecond: base },
  ]);
};

/**
 * Parses the `--arrivals` flag: comma-separated `TIME:RATE` pairs, TIME a duration
 * (`0`, `5m`, `1h30m`), RATE messages per second. Returns the issue in words when malformed.
 *
 * @example parseArrivals('0:0,5m:50,15m:0')
 * // { ok: true, segments: [{0, 0}, {300, 50}, {900, 0}] }
 */
const parseArrivals = (
  text: string,
): { readonly ok: true; readonly segments: readonly RateSegment[] } | { readonly ok: false; readonly message: string } => {
  const segments: RateSegment[] = [];
  for (const part of text.split(',')) {
    const [time, rate, extra] = part.trim().split(':');
    const fromSecond = parseDuration(time ?? '');
    const ratePerSecond = Number(rate);
    if (fromSecond === undefined || rate === undefined || rate.trim() === '' || extra !== undefined) {
      return { ok: false, message: `"${part.trim()}" is not TIME:RATE (e.g. 5m:50)` };
    }
    if (!Number.isFinite(ratePerSecond) || ratePerSecond < 0) {
      return { ok: false, message: `"${part.trim()}": the rate must be a number >= 0` };
    }
    const previous = segments.at(-1);
    if (previous !== undefined && fromSecond <= previous.fromSecond) {
      return { ok: false, message: `"${part.trim()}": times must increase` };
    }
    segments.push({ fromSecond, ratePerSecond });
  }
  return { ok: true, segments: normalizeSegments(segments) };
};

export { burst, normalizeSegments, parseArrivals, rateAt };
export type { BurstArg, RateSegment, Workload };
