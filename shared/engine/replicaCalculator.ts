/**
 * Per-metric replica proposals for External metrics, as k8s `replica_calculator.go` computes them,
 * Resource metrics through resourceReplicas.ts, and their combination (`computeReplicasForMetrics`).
 * Pure arithmetic on milli-values so that the results match the Go code bit for bit.
 */
import type { MetricType } from '../spec/types.js';
import type { PodSet } from './podObjects.js';
import type { ControllerSettings } from './resourceMetrics.js';
import { resourceReplicas, type ResourceMetricSpec } from './resourceReplicas.js';
import { MAX_INT32, ceilReplicas, isWithin, type Tolerances } from './tolerances.js';

/**
 * A metric as the HPA sees it: an External value (already sanitized, fallback applied), a
 * Resource metric with the pods it is computed from, or a failure (`resource` set when a
 * cpu/memory read failed, so the HPA's reason names it).
 */
type HpaMetric =
  | { readonly key: string; readonly metricType: MetricType; readonly target: number; readonly value: number }
  | { readonly key: string; readonly resource: ResourceMetricSpec; readonly pods: PodSet }
  | { readonly key: string; readonly error: string; readonly resource?: ResourceMetricSpec };

type ExternalHpaMetric = Extract<HpaMetric, { readonly value: number }>;

/** The HPA's reason when a metric of this kind cannot be computed. */
type MetricFailureReason = 'FailedGetExternalMetric' | 'FailedGetResourceMetric' | 'FailedGetContainerResourceMetric';

/** What a sync knows beyond the metrics: Resource metrics classify pods at the sync's time. */
interface SyncSettings {
  readonly tolerances: Tolerances;
  readonly controller: ControllerSettings;
  readonly now: number;
}

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

const failureReason = (metric: HpaMetric): MetricFailureReason => {
  if (!('resource' in metric) || metric.resource === undefined) return 'FailedGetExternalMetric';
  return metric.resource.container === undefined ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
};

const proposeReplicas = (metric: HpaMetric, pods: PodCounts, sync: SyncSettings): Proposal => {
  if ('error' in metric) return { error: metric.error };
  const { tolerances } = sync;
  if ('pods' in metric) {
    return resourceReplicas(metric.resource, metric.pods, { current: pods.current, tolerances, settings: sync.controller, now: sync.now });
  }
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
  | { readonly ok: false; readonly reason: MetricFailureReason; readonly message: string };

/**
 * `computeReplicasForMetrics`: the maximum of the successful proposals. All failed → no scaling;
 * some failed and the rest propose a scale-down → no scaling either ("a partial failure blocks
 * scale-down"); some failed and the rest propose ≥ current → go ahead with the rest.
 */
const combineProposals = (metrics: readonly HpaMetric[], pods: PodCounts, sync: SyncSettings): Combined => {
  let desired = -1;
  const failed: string[] = [];
  let firstError = '';
  let reason: MetricFailureReason = 'FailedGetExternalMetric';
  for (const metric of metrics) {
    const proposal = proposeReplicas(metric, pods, sync);
    if ('error' in proposal) {
      if (failed.length === 0) {
        firstError = `${metric.key}: ${proposal.error}`;
        reason = failureReason(metric);
      }
      failed.push(metric.key);
    } else if (proposal.replicas > desired) {
      desired = proposal.replicas;
    }
  }
  if (failed.length === metrics.length) {
    return { ok: false, reason, message: `invalid metrics (${failed.length} invalid out of ${metrics.length}), first error is: ${firstError}` };
  }
  if (failed.length > 0 && desired < pods.current) {
    return {
      ok: false,
      reason,
      message: `scale-down to ${desired} blocked: ${failed.length} of ${metrics.length} metrics failed, first error is: ${firstError}`,
    };
  }
  return { ok: true, desired: Math.max(0, desired), failed };
};

export { MAX_INT32, combineProposals, proposeReplicas, toMilli };
export type { Combined, ExternalHpaMetric, HpaMetric, MetricFailureReason, PodCounts, Proposal, SyncSettings };
