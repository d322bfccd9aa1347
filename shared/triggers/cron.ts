/**
 * `cron` (KEDA `cron_scaler.go`): active between a firing of `start` and the next firing of `end`,
 * in the trigger's IANA time zone. KEDA asks robfig/cron for the next firing of each spec strictly
 * after now; the trigger is active ⇔ nextEnd is not after nextStart (an end comes before the next
 * start, so a start has already happened). This also covers windows that cross midnight. The
 * metric is `desiredReplicas` when active, else 0. Pure: no I/O, `now` is an argument.
 *
 * Firings come from croner in 5-field mode with `domAndDow: false` (croner's default; it replaces
 * the deprecated `legacyMode: true`): day-of-month and day-of-week are OR-ed when both are
 * restricted and AND-ed when either is `*`, robfig's rule. Two differences from robfig are
 * handled or accepted:
 * - robfig counts `?` and a star with step 1 (and any list containing them) as `*` for that
 *   rule; croner does not, so such day fields are rewritten to `*` first, and `?` to `*` elsewhere.
 * - Around DST changes croner treats fixed-time specs (one minute and one hour, e.g. `30 2 * * *`)
 *   like Vixie cron: a time skipped by spring-forward fires at the first valid time after the gap,
 *   and a time repeated by fall-back fires once. robfig skips the first and fires twice on the
 *   second. Specs with ranges, lists or steps in the minute or hour behave as in robfig.
 */
import { Cron } from 'croner';
import type { MetricReading } from '../engine/types.js';
import type { CronMetadata, CronTrigger } from '../spec/types.js';
import { describeError, failedReading } from './errors.js';
import type { TriggerReader } from './types.js';

/** Where `now` falls between the two schedules (epoch milliseconds). */
interface CronWindow {
  readonly active: boolean;
  readonly nextStart: number;
  readonly nextEnd: number;
}

/** Day-of-month and day-of-week: the fields where robfig's star bit switches OR to AND. */
const DAY_FIELDS: readonly number[] = [2, 4];
const STAR_ITEMS: readonly string[] = ['*', '*/1'];

/** Rewrites robfig's star forms to the `*` croner recognises. */
const normalizeSpec = (spec: string): string =>
  spec
    .trim()
    .split(/\s+/)
    .map((field, i) => {
      const items = field.split(',').map((item) => item.replace(/^\?/, '*'));
      return DAY_FIELDS.includes(i) && items.some((item) => STAR_ITEMS.includes(item)) ? '*' : items.join(',');
    })
    .join(' ');

/** Compiling parses the spec; a tick evaluates the same few specs for many objects. */
const schedules = new Map<string, Cron>();
const schedule = (spec: string, timezone: string): Cron => {
  const key = `${timezone} ${spec}`;
  let cron = schedules.get(key);
  if (cron === undefined) {
    cron = new Cron(normalizeSpec(spec), { timezone, mode: '5-part', domAndDow: false });
    schedules.set(key, cron);
  }
  return cron;
};

/** The next firing strictly after `now`, as robfig's `Next` (which starts from the next whole second). */
const nextFiring = (spec: string, timezone: string, now: number): number => {
  const next = schedule(spec, timezone).nextRun(new Date(now));
  // Every spec the spec module accepts fires at least once a year; null means a spec like `0 0 31 2 *`.
  if (next === null) throw new RangeError(`"${spec}" never fires`);
  return next.getTime();
};

/**
 * @example
 * cronWindow({ start: '0 22 * * *', end: '0 6 * * *', timezone: 'Europe/Berlin', desiredReplicas: 3 }, Date.parse('2024-05-01T23:30:00Z'));
 * // { active: true, … } (01:30 in Berlin, inside 22:00–06:00)
 */
const cronWindow = (metadata: Pick<CronMetadata, 'start' | 'end' | 'timezone'>, now: number): CronWindow => {
  const nextStart = nextFiring(metadata.start, metadata.timezone, now);
  const nextEnd = nextFiring(metadata.end, metadata.timezone, now);
  return { active: nextEnd <= nextStart, nextStart, nextEnd };
};

/** KEDA's metric: desiredReplicas inside the window, 0 outside. */
const cronValue = (metadata: CronMetadata, now: number): number => (cronWindow(metadata, now).active ? metadata.desiredReplicas : 0);

const createCronReader = (): TriggerReader<CronTrigger> => ({
  type: 'cron',
  read: (requests, now) =>
    Promise.resolve(
      requests.map((request): MetricReading => {
        try {
          return { value: cronValue(request.trigger.metadata, now) };
        } catch (error) {
          return failedReading(request, `cron schedule: ${describeError(error)}`);
        }
      }),
    ),
});

export { createCronReader, cronValue, cronWindow, normalizeSpec };
export type { CronWindow };
