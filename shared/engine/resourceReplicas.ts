/**
 * The HPA's Resource and ContainerResource metrics (k8s `replica_calculator.go`):
 * `GetResourceReplicas` (target Utilization, a percent of the pods' requests) and
 * `GetRawResourceReplicas` → `calcPlainMetricReplicas` (target AverageValue per pod), with
 * `GetResourceUtilizationRatio` / `GetMetricUsageRatio` (`metrics/utilization.go`). Pure; `now` is
 * the sync's time. Sums are exact int64 arithmetic (BigInt); ratios are float64 of the truncated
 * integers, evaluated in Go's order, so every edge falls where the HPA's does.
 */
import type { PodSet } from './podObjects.js';
import { groupPods, podRequests, podSamples, type ControllerSettings, type PodGroups, type ResourceName } from './resourceMetrics.js';
import { ceilReplicas, isWithin, type Tolerances } from './tolerances.js';

/** A cpu/memory trigger as the HPA's MetricSpec. */
interface ResourceMetricSpec {
  readonly name: ResourceName;
  readonly metricType: 'Utilization' | 'AverageValue';
  /** Utilization: the percent; AverageValue: the quantity's milli-value. */
  readonly target: bigint;
  /** ContainerResource: only this container's usage and request. */
  readonly container?: string;
}

type ResourceProposal =
  | {
      readonly replicas: number;
      /** What the HPA reports in status: the utilization percent, or the average usage in milli-units (before rebalancing). */
      readonly current: number;
      /** Average usage per pod in milli-units (`rawUtilization`). */
      readonly rawAverage: bigint;
    }
  | { readonly error: string };

interface SyncContext {
  readonly current: number;
  readonly tolerances: Tolerances;
  readonly settings: ControllerSettings;
  readonly now: number;
}

type Ratio = { readonly ratio: number; readonly current: number; readonly rawAverage: bigint } | { readonly error: string };

/**
 * `a / b` truncated, as Go's int64 division, for non-negative integers with a + b below 2^53: the
 * double quotient, corrected to the exact one (every product compared is at most a + b, so exact).
 * Undefined otherwise, for BigInt to do it.
 */
const exactQuotient = (a: number, b: number): number | undefined => {
  if (!(a >= 0 && b > 0 && a + b <= Number.MAX_SAFE_INTEGER)) return undefined;
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
};

/**
 * `GetResourceUtilizationRatio`: samples without a request (pods not listed) are skipped. Summed
 * as doubles, which is exact while every term is non-negative and the totals stay below 2^53 (cpu
 * always; memory of a few hundred pods); otherwise summed again with BigInt.
 */
const utilizationRatio = (metrics: ReadonlyMap<string, bigint>, requests: ReadonlyMap<string, bigint>, target: bigint): Ratio => {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entities = 0;
  let negative = false;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    const usage = Number(value);
    const requested = Number(request);
    negative ||= usage < 0 || requested < 0;
    metricsTotal += usage;
    requestsTotal += requested;
    entities++;
  }
  if (negative || !(metricsTotal <= Number.MAX_SAFE_INTEGER && requestsTotal <= Number.MAX_SAFE_INTEGER)) return bigUtilizationRatio(metrics, requests, target);
  if (requestsTotal === 0) return { error: 'no metrics returned matched known pods' };
  const utilization = exactQuotient(metricsTotal * 100, requestsTotal);
  const rawAverage = exactQuotient(metricsTotal, entities);
  if (utilization === undefined || rawAverage === undefined) return bigUtilizationRatio(metrics, requests, target);
  return { ratio: utilization / Number(target), current: utilization, rawAverage: BigInt(rawAverage) };
};

const bigUtilizationRatio = (metrics: ReadonlyMap<string, bigint>, requests: ReadonlyMap<string, bigint>, target: bigint): Ratio => {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entities = 0n;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entities++;
  }
  if (requestsTotal === 0n) return { error: 'no metrics returned matched known pods' };
  const utilization = Number((metricsTotal * 100n) / requestsTotal);
  return { ratio: utilization / Number(target), current: utilization, rawAverage: metricsTotal / entities };
};

/** `GetMetricUsageRatio`: the plain average over every sample (doubles while exact, as above). */
const usageRatio = (metrics: ReadonlyMap<string, bigint>, target: bigint): Ratio => {
  let fast = 0;
  let negative = false;
  for (const value of metrics.values()) {
    const usage = Number(value);
    negative ||= usage < 0;
    fast += usage;
  }
  const quotient = negative ? undefined : exactQuotient(fast, metrics.size);
  if (quotient !== undefined) return { ratio: quotient / Number(target), current: quotient, rawAverage: BigInt(quotient) };
  let total = 0n;
  for (const value of metrics.values()) total += value;
  const usage = total / BigInt(metrics.size);
  return { ratio: Number(usage) / Number(target), current: Number(usage), rawAverage: usage };
};

/**
 * The shared skeleton: without missing pods and without unready pods on a scale-up, the proposal is
 * ceil(ratio × ready pods); otherwise missing pods are filled (`fillDown` on a scale-down, 0 on a
 * scale-up), unready pods count 0 on a scale-up, and the recomputed ratio is only trusted if it
 * neither falls within tolerance nor flips the direction.
 */
const rebalanced = (
  metrics: Map<string, bigint>,
  groups: PodGroups,
  first: Exclude<Ratio, { error: string }>,
  fillDown: (pod: string) => bigint,
  ratioOf: (metrics: ReadonlyMap<string, bigint>) => Ratio,
  sync: SyncContext,
): ResourceProposal => {
  const { ratio, current, rawAverage } = first;
  const result = (replicas: number): ResourceProposal => ({ replicas, current, rawAverage });
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    return result(isWithin(sync.tolerances, ratio) ? sync.current : ceilReplicas(ratio * groups.readyPodCount));
  }
  if (groups.missing.size > 0) {
    if (ratio < 1) for (const pod of groups.missing) metrics.set(pod, fillDown(pod));
    else if (ratio > 1) for (const pod of groups.missing) metrics.set(pod, 0n);
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, 0n);
  const second = ratioOf(metrics);
  if ('error' in second) return second;
  const newRatio = second.ratio;
  if (isWithin(sync.tolerances, newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return result(sync.current);
  const replicas = ceilReplicas(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > sync.current) || (newRatio > 1 && replicas < sync.current)) return result(sync.current);
  return result(replicas);
};

/**
 * One Resource metric's proposal at one sync.
 *
 * @example
 * resourceReplicas({ name: 'cpu', metricType: 'Utilization', target: 50n }, podSet, { current: 3, tolerances, settings, now })
 * // { replicas: 5, current: 80, rawAverage: 400n }
 */
const resourceReplicas = (spec: ResourceMetricSpec, set: PodSet, sync: SyncContext): ResourceProposal => {
  const what = spec.metricType === 'Utilization' ? 'utilization' : 'usage';
  const fail = (error: string): ResourceProposal => ({ error: `failed to get ${spec.name} ${what}: ${error}` });
  if (set.podMetrics.length === 0) return fail(`unable to get metrics for resource ${spec.name}: no metrics returned from resource metrics API`);
  const samples = podSamples(set.podMetrics, spec.name, spec.container);
  if (set.pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const groups = groupPods(set.pods, samples, spec.name, sync.settings, sync.now);
  const metrics = new Map<string, bigint>();
  for (const [name, sample] of samples) if (!groups.ignored.has(name) && !groups.unready.has(name)) metrics.set(name, sample.value);
  if (metrics.size === 0) return fail('did not receive metrics for targeted pods (pods might be unready)');

  if (spec.metricType === 'AverageValue') {
    const first = usageRatio(metrics, spec.target);
    if ('error' in first) return fail(first.error);
    return rebalanced(metrics, groups, first, () => spec.target, (m) => usageRatio(m, spec.target), sync);
  }
  const requests = podRequests(set.pods, spec.name, spec.container);
  if (!requests.ok) return fail(requests.error);
  const ratioOf = (m: ReadonlyMap<string, bigint>): Ratio => utilizationRatio(m, requests.byPod, spec.target);
  const first = ratioOf(metrics);
  if ('error' in first) return fail(first.error);
  // On a scale-down a missing pod counts as using max(100 %, target) of its request (kubernetes#112178).
  const fallbackPercent = spec.target > 100n ? spec.target : 100n;
  const fillDown = (pod: string): bigint => ((requests.byPod.get(pod) ?? 0n) * fallbackPercent) / 100n;
  const proposal = rebalanced(metrics, groups, first, fillDown, ratioOf, sync);
  return 'error' in proposal ? fail(proposal.error) : proposal;
};

export { exactQuotient, resourceReplicas };
export type { ResourceMetricSpec, ResourceProposal, SyncContext };
