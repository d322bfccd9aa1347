/**
 * Pods (`/api/v1`) and PodMetrics (`metrics.k8s.io/v1beta1`) exactly as the Kubernetes API returns
 * them, as far as the HPA's Resource algorithm reads them. The schemas are loose (unknown fields
 * pass: an API object carries far more than this), but every field the algorithm reads is checked,
 * so a malformed response is an error naming the field rather than a wrong replica count.
 * Quantities stay strings (`"250m"`, `"299276543n"`, `"128Mi"`) and are read exactly where they are
 * used; times are RFC 3339; a PodMetrics `window` is a Go duration (`"1m0s"`, `"30s"`). Built on first
 * use (spec/builtOnce.ts): only an evaluation with a cpu or memory trigger reads pods.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { isQuantity } from '../spec/quantity.js';

const GO_UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const GO_DURATION = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const isDigit = (code: number): boolean => code >= DIGIT_0 && code <= DIGIT_9;

/**
 * `"15.023s"`, `"30s"` (metrics-server's windows): seconds and nothing else. Checked by hand, since
 * the engine reads one per pod per evaluation and the regular expressions below cost ~0.7 µs.
 */
const isPlainSeconds = (text: string): boolean => {
  const last = text.length - 1;
  if (last < 1 || text.charCodeAt(last) !== 115 /* s */) return false;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < last; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code)) digits++;
    else if (code === DOT && dots === 0) dots++;
    else return false;
  }
  return digits > 0;
};

/**
 * Go's `time.ParseDuration` (what `metav1.Duration` unmarshals with) in milliseconds:
 * `"1m0s"` → 60000, `"30s"` → 30000, `"1.5s"` → 1500; `undefined` when it is not one.
 */
const parseGoDuration = (text: string): number | undefined => {
  if (text === '0') return 0;
  // The same arithmetic as the general case below, for its one-part seconds form.
  if (isPlainSeconds(text)) return (Number(text.slice(0, -1)) * (GO_UNIT_NS.s as number)) / 1e6;
  const match = GO_DURATION.exec(text);
  if (match === null) return undefined;
  let ns = 0;
  for (const [, amount, unit] of text.matchAll(GO_DURATION_PART)) ns += Number(amount) * (GO_UNIT_NS[unit as string] as number);
  return (match[1] === '-' ? -ns : ns) / 1e6;
};

/** Two decimal digits at `at` as a number, or NaN. */
const twoDigits = (text: string, at: number): number => {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return isDigit(high) && isDigit(low) ? (high - DIGIT_0) * 10 + (low - DIGIT_0) : Number.NaN;
};

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`); a day past
 * the month's end rolls over into the next month, as in `Date.UTC`.
 */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
};

/**
 * `Date.parse` of an API time, epoch ms (NaN when it is not a time). `metav1.Time` is written
 * `2026-12-02T10:00:00Z`, to the second: that form is read by hand, with the same ranges and the
 * same roll-over as V8's parser (day 31 of any month, 24:00:00), several times faster; every other form,
 * and years before 100 (which `Date.UTC` would read as 19xx), go to `Date.parse`.
 */
const parseTime = (text: string): number => {
  if (text.length !== 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 90) {
    return Date.parse(text);
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const inRange = year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && minute <= 59 && second <= 59 && (hour <= 23 || (hour === 24 && minute === 0 && second === 0));
  return inRange ? (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second) * 1000 : Date.parse(text);
};

const time = builtOnce(() => z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an RFC 3339 time, e.g. 2026-12-02T10:00:00Z'));
const quantity = () => z.string().refine(isQuantity, 'must be a Kubernetes quantity, e.g. "250m", "299276543n" or "128Mi"');
const resourceList = builtOnce(() => z.record(z.string(), quantity()));

const container = builtOnce(() =>
  z.looseObject({
    name: z.string().min(1),
    resources: z.looseObject({ requests: resourceList().nullish() }).nullish(),
    /** `Always` on an init container makes it a sidecar, whose requests count. */
    restartPolicy: z.string().nullish(),
  }),
);

const podSchema = builtOnce(() =>
  z.looseObject({
    metadata: z.looseObject({ name: z.string().min(1), deletionTimestamp: time().nullish() }),
    spec: z.looseObject({
      containers: z.array(container()),
      initContainers: z.array(container()).nullish(),
      /** Pod-level requests (KEP-2837, PodLevelResources). */
      resources: z.looseObject({ requests: resourceList().nullish() }).nullish(),
    }),
    status: z
      .looseObject({
        phase: z.string().nullish(),
        startTime: time().nullish(),
        conditions: z.array(z.looseObject({ type: z.string(), status: z.string(), lastTransitionTime: time().nullish() })).nullish(),
      })
      .prefault({}),
  }),
);

const podMetricsSchema = builtOnce(() =>
  z.looseObject({
    metadata: z.looseObject({ name: z.string().min(1) }),
    timestamp: time(),
    window: z.string().refine((text) => parseGoDuration(text) !== undefined, 'must be a Go duration, e.g. "1m0s" or "30s"'),
    containers: z.array(z.looseObject({ name: z.string(), usage: resourceList() })).nullish(),
  }),
);

type PodObject = z.output<ReturnType<typeof podSchema>>;
type PodMetricsObject = z.output<ReturnType<typeof podMetricsSchema>>;

/** What a cpu/memory trigger reads: the pods of the target's selector and their samples. */
interface PodSet {
  readonly pods: readonly PodObject[];
  readonly podMetrics: readonly PodMetricsObject[];
}

const podSetSchema = builtOnce(() => z.strictObject({ pods: z.array(podSchema()), podMetrics: z.array(podMetricsSchema()) }));

export { parseGoDuration, parseTime, podMetricsSchema, podSchema, podSetSchema };
export type { PodMetricsObject, PodObject, PodSet };
