/**
 * Pods (`/api/v1`) and PodMetrics (`metrics.k8s.io/v1beta1`) exactly as the Kubernetes API returns
 * them, as far as the HPA's Resource algorithm reads them. The schemas are loose (unknown fields
 * pass: an API object carries far more than this), but every field the algorithm reads is checked,
 * so a malformed response is an error naming the field rather than a wrong replica count.
 * Quantities stay strings (`"250m"`, `"299276543n"`, `"128Mi"`) and are read exactly where they are
 * used; times are RFC 3339; a PodMetrics `window` is a Go duration (`"1m0s"`, `"30s"`).
 */
import * as z from 'zod';
import { isQuantity } from '../spec/quantity.js';

const GO_UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const GO_DURATION = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Go's `time.ParseDuration` (what `metav1.Duration` unmarshals with) in milliseconds:
 * `"1m0s"` → 60000, `"30s"` → 30000, `"1.5s"` → 1500; `undefined` when it is not one.
 */
const parseGoDuration = (text: string): number | undefined => {
  if (text === '0') return 0;
  const match = GO_DURATION.exec(text);
  if (match === null) return undefined;
  let ns = 0;
  for (const [, amount, unit] of text.matchAll(GO_DURATION_PART)) ns += Number(amount) * (GO_UNIT_NS[unit as string] as number);
  return (match[1] === '-' ? -ns : ns) / 1e6;
};

const time = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an RFC 3339 time, e.g. 2026-12-02T10:00:00Z');
const quantity = z.string().refine(isQuantity, 'must be a Kubernetes quantity, e.g. "250m", "299276543n" or "128Mi"');
const resourceList = z.record(z.string(), quantity);

const container = z.looseObject({
  name: z.string().min(1),
  resources: z.looseObject({ requests: resourceList.nullish() }).nullish(),
  /** `Always` on an init container makes it a sidecar, whose requests count. */
  restartPolicy: z.string().nullish(),
});

const podSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), deletionTimestamp: time.nullish() }),
  spec: z.looseObject({
    containers: z.array(container),
    initContainers: z.array(container).nullish(),
    /** Pod-level requests (KEP-2837, PodLevelResources). */
    resources: z.looseObject({ requests: resourceList.nullish() }).nullish(),
  }),
  status: z
    .looseObject({
      phase: z.string().nullish(),
      startTime: time.nullish(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string(), lastTransitionTime: time.nullish() })).nullish(),
    })
    .prefault({}),
});

const podMetricsSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1) }),
  timestamp: time,
  window: z.string().refine((text) => parseGoDuration(text) !== undefined, 'must be a Go duration, e.g. "1m0s" or "30s"'),
  containers: z.array(z.looseObject({ name: z.string(), usage: resourceList })).nullish(),
});

type PodObject = z.output<typeof podSchema>;
type PodMetricsObject = z.output<typeof podMetricsSchema>;

/** What a cpu/memory trigger reads: the pods of the target's selector and their samples. */
interface PodSet {
  readonly pods: readonly PodObject[];
  readonly podMetrics: readonly PodMetricsObject[];
}

const podSetSchema = z.strictObject({ pods: z.array(podSchema), podMetrics: z.array(podMetricsSchema) });

export { parseGoDuration, podMetricsSchema, podSchema, podSetSchema };
export type { PodMetricsObject, PodObject, PodSet };
