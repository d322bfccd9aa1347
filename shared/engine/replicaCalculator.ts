/**
 * Per-metric replica proposals for External metrics, as k8s `replica_calculator.go` computes them,
 * and their combination (`computeReplicasForMetrics`). Pure arithmetic on milli-values so that the
 * results match the Go code bit for bit.
 */
import type { MetricType } from '../spec/types.js';
import { isWithin, type Tolerances } from './tolerances.js';

const MAX_INT32 = 2 ** 31 - 1;

/** A metric as the HPA sees it: a value (already sanitized, fallback applied) or a failure. */
type HpaMetric =
  | { readonly key: string; readonly metricType: MetricType; readonly target: number; readonly value: number }
  | { readonly key: string; readonly error: string };

interface PodCounts {
  /** scale `spec.replicas` at this sync */
  readonly current: number;
  /** scale `status.replicas` */
  readonly status: number;
  /** pods Running and Ready */
  readonly ready: number;
}

type Proposal = { readonly replicas: number } | { readonly error: string };

/**
 * KEDA hands values to the HPA as milli-quantities truncated toward zero
 * (`resource.NewMilliQuantity(int64(v*1000))`); the HPA then computes on `MilliValue()`.
 */
const toMilli = (value: number): number => Math.min(Math.trunc(value * 1000), Number.MAX_SAFE_INTEGER);

/** Go's `int32(math.Ceil(x))` after the explicit overflow cap of the calculator. */
const ceilReplicas = (x: number): number => Math.min(Math.ceil(x), MAX_INT32);

/**
 * `GetExternalPerPodMetricReplicas`: the ratio uses status.replicas; within tolerance the proposal
 * is status.replicas, otherwise ceil(total / target), independent of the current count.
 */
const averageValueReplicas = (usage: number, target: number, pods: PodCounts, tolerances: Tolerances): number => {
  const ratio = usage / (target * pods.status);
  return isWithin(tolerances, ratio) ? pods.status : ceilReplicas(usage / target);
};

/**
 * `GetExternalMetricReplicas` → `getUsageRatioReplicaCount`: ceil(ratio × ready pods). The HPA lists
 * pods to count the ready ones and fails when the selector matches none; status.replicas is the
 * number of pods that exist, so 0 means that list would be empty.
 */
const valueReplicas = (usage: number, target: number, pods: PodCounts, tolerances: Tolerances): Proposal => {
  const ratio = usage / target;
  if (pods.current === 0) return { replicas: ceilReplicas(ratio) };
  if (isWithin(tolerances, ratio)) return { replicas: pods.current };
  if (pods.status === 0) return { error: 'no pods returned by selector while calculating replica count' };
  return { replicas: ceilReplicas(ratio * pods.ready) };
};

const proposeReplicas = (metric: HpaMetric, pods: PodCounts, tolerances: Tolerances): Proposal => {
  if ('error' in metric) return { error: metric.error };
  const target = toMilli(metric.target);
  if (target <= 0) return { error: `target ${metric.target} is not a positive milli-quantity` };
  const usage = toMilli(metric.value);
  return metric.metricType === 'AverageValue'
    ? { replicas: averageValueReplicas(usage, target, pods, tolerances) }
    : valueReplicas(usage, target, pods, tolerances);
};

/** Result of combining every metric of one sync. */
type Combined =
  | { readonly ok: true; readonly desired: number; readonly failed: readonly string[] }
  | { readonly ok: false; readonly reason: 'FailedGetExternalMetric'; readonly message: string };

/**
 * `computeReplicasForMetrics`: the maximum of the successful proposals. All failed → no scaling;
 * some failed and the rest propose a scale-down → no scaling either ("a partial failure blocks
 * scale-down"); some failed and the rest propose ≥ current → go ahead with the rest.
 */
const combineProposals = (metrics: readonly HpaMetric[], pods: PodCounts, tolerances: Tolerances): Combined => {
  let desired = -1;
  const failed: string[] = [];
  let firstError = '';
  for (const metric of metrics) {
    const proposal = proposeReplicas(metric, pods, tolerances);
    if ('error' in proposal) {
      if (failed.length === 0) firstError = `${metric.key}: ${proposal.error}`;
      failed.push(metric.key);
    } else if (proposal.replicas > desired) {
      desired = proposal.replicas;
    }
  }
  if (failed.length === metrics.length) {
    return { ok: false, reason: 'FailedGetExternalMetric', message: `invalid metrics (${failed.length} invalid out of ${metrics.length}), first error is: ${firstError}` };
  }
  if (failed.length > 0 && desired < pods.current) {
    return {
      ok: false,
      reason: 'FailedGetExternalMetric',
      message: `scale-down to ${desired} blocked: ${failed.length} of ${metrics.length} metrics failed, first error is: ${firstError}`,
    };
  }
  return { ok: true, desired: Math.max(0, desired), failed };
};

export { MAX_INT32, combineProposals, proposeReplicas, toMilli };
export type { Combined, HpaMetric, PodCounts, Proposal };
