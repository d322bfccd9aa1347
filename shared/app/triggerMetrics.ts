/**
 * "What does the scaler see?" (`lpa metrics`): every trigger of every ScaledObject read once,
 * through the same trigger registry and readers as a tick, and what the HPA would do with each
 * value now, through the engine's own per-metric proposal. Nothing is written or scaled.
 * Authentication is resolved by the tick's own path (signals.ts, shared/auth).
 */
import { proposeReplicas } from '../engine/replicaCalculator.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../engine/resourceMetrics.js';
import { tolerancesFor } from '../engine/tolerances.js';
import { resourceMetric, sanitize } from '../engine/triggerReadings.js';
import type { MetricReading } from '../engine/types.js';
import { errorMessage } from '../errors.js';
import { readsPodMetrics } from '../kube/access.js';
import type { Scale, ScaleClient } from '../kube/types.js';
import { isResourceTrigger, type ScaledObject, type Trigger } from '../spec/types.js';
import type { AuthResolver } from '../auth/resolve.js';
import type { TriggerAuthentication } from '../spec/auth/types.js';
import type { TriggerRegistry, TriggerRequest } from '../triggers/types.js';
import { readSignals } from './signals.js';
import { targetPodsOf } from './targetPods.js';

/** The target's replicas now, or why they are unknown. */
type TargetReplicas = { readonly current: number; readonly status: number; readonly ready: number } | { readonly error: string };

interface TriggerMetric {
  /** `<namespace>/<name>` */
  readonly scaledObject: string;
  /** The trigger's name, or its index as a string. */
  readonly trigger: string;
  readonly type: Trigger['type'];
  readonly value: number | null;
  readonly error: string | null;
  readonly target: number;
  readonly activationTarget: number;
  /** `value > activationTarget` (strict, on the raw value); false when the read failed. */
  readonly active: boolean;
  /** The scale target's `spec.replicas` now; null when no cluster is connected or it could not be read. */
  readonly currentReplicas: number | null;
  /** What the HPA would propose for this metric alone from `currentReplicas`; null when it cannot. */
  readonly proposedReplicas: number | null;
  /** Why there is no proposal, when there is none. */
  readonly proposalError: string | null;
}

interface TriggerMetricsDeps {
  readonly triggers: TriggerRegistry;
  /** The cluster, for the targets' replicas and in-cluster signals; without it neither is read. */
  readonly cluster?: ScaleClient;
  readonly now: number;
  /** Resolves `authenticationRef`s as a tick does: the given objects first, else the cluster's. */
  readonly auth?: AuthResolver;
  /** (Cluster)TriggerAuthentications found beside the ScaledObjects. */
  readonly authentications?: readonly TriggerAuthentication[];
  /** Names the cluster in the resolver's secret cache. @default 'lpa-metrics' */
  readonly clusterName?: string;
}

const NO_CLUSTER = 'no cluster given (--cluster, or --server with --ca-file)';

/** Pods are counted only when a Value target needs them, as reconcile does. */
const targetReplicas = async (so: ScaledObject, cluster: ScaleClient | undefined, read: Promise<Scale> | undefined): Promise<TargetReplicas> => {
  if (cluster === undefined || read === undefined) return { error: NO_CLUSTER };
  let scale: Scale;
  try {
    scale = await read;
  } catch (error) {
    return { error: errorMessage(error) };
  }
  const needsReady = so.spec.triggers.some((t) => t.metricType === 'Value');
  if (!needsReady || scale.selector === undefined) return { current: scale.specReplicas, status: scale.statusReplicas, ready: scale.statusReplicas };
  try {
    return { current: scale.specReplicas, status: scale.statusReplicas, ready: await cluster.countReadyPods(so.metadata.namespace, scale.selector) };
  } catch (error) {
    return { error: `ready pods unknown: ${errorMessage(error)}` };
  }
};

const sync = (so: ScaledObject, now: number) => ({ tolerances: tolerancesFor(so.spec.advanced.horizontalPodAutoscalerConfig?.behavior), controller: DEFAULT_CONTROLLER_SETTINGS, now });

/** cpu/memory: the utilization (or average usage) the HPA computes from the pods, and its proposal from them. */
const resourceRowOf = (so: ScaledObject, trigger: Extract<Trigger, { type: 'cpu' | 'memory' }>, reading: MetricReading, replicas: TargetReplicas, now: number): TriggerMetric => {
  const current = 'error' in replicas ? 0 : replicas.current;
  const computed = resourceMetric(trigger, reading, current, DEFAULT_CONTROLLER_SETTINGS, now);
  const error = computed.error ?? (typeof computed.value === 'string' ? computed.value : null);
  const value = typeof computed.value === 'number' && error === null ? computed.value : null;
  const row = {
    scaledObject: `${so.metadata.namespace}/${so.metadata.name}`,
    trigger: trigger.key,
    type: trigger.type,
    value,
    error,
    target: trigger.target,
    activationTarget: trigger.activationTarget,
    // KEDA: cpu and memory never activate from zero and are skipped for activation.
    active: false,
    currentReplicas: 'error' in replicas ? null : replicas.current,
  };
  if ('error' in replicas) return { ...row, proposedReplicas: null, proposalError: replicas.error };
  if (error !== null) return { ...row, proposedReplicas: null, proposalError: error };
  const proposal = proposeReplicas(computed.metric, replicas, sync(so, now));
  return 'error' in proposal ? { ...row, proposedReplicas: null, proposalError: proposal.error } : { ...row, proposedReplicas: proposal.replicas, proposalError: null };
};

const rowOf = (so: ScaledObject, trigger: Trigger, reading: MetricReading, replicas: TargetReplicas, now: number): TriggerMetric => {
  if (isResourceTrigger(trigger)) return resourceRowOf(so, trigger, reading, replicas, now);
  const value = 'value' in reading ? reading.value : null;
  const base = {
    scaledObject: `${so.metadata.namespace}/${so.metadata.name}`,
    trigger: trigger.key,
    type: trigger.type,
    value,
    error: 'error' in reading ? reading.error : null,
    target: trigger.target,
    activationTarget: trigger.activationTarget,
    active: value !== null && value > trigger.activationTarget,
    currentReplicas: 'error' in replicas ? null : replicas.current,
  };
  if ('error' in replicas) return { ...base, proposedReplicas: null, proposalError: replicas.error };
  if (value === null) return { ...base, proposedReplicas: null, proposalError: 'the metric could not be read' };
  if (so.spec.advanced.scalingModifiers !== undefined) {
    return { ...base, proposedReplicas: null, proposalError: 'the object scales on its advanced.scalingModifiers formula, not on each trigger' };
  }
  const proposal = proposeReplicas(
    { key: trigger.key, metricType: trigger.metricType, target: trigger.target, value: sanitize(value) },
    replicas,
    sync(so, now),
  );
  return 'error' in proposal ? { ...base, proposedReplicas: null, proposalError: proposal.error } : { ...base, proposedReplicas: proposal.replicas, proposalError: null };
};

/**
 * One row per trigger, in the objects' and triggers' order.
 *
 * @example
 * const rows = await readTriggerMetrics(objects, { triggers: registry, cluster: client, now: Date.now() });
 */
const readTriggerMetrics = async (objects: readonly ScaledObject[], deps: TriggerMetricsDeps): Promise<TriggerMetric[]> => {
  const { cluster } = deps;
  // One scale read per object, shared by its replicas and (cpu/memory) its pods, as in a tick.
  const scales = objects.map((so) => cluster?.getScale(so.metadata.namespace, so.spec.scaleTargetRef));
  scales.forEach((read) => read?.catch(() => undefined));
  const requests = objects.flatMap((scaledObject, i): TriggerRequest[] => {
    const scale = scales[i];
    const targetPods = cluster !== undefined && scale !== undefined && readsPodMetrics(scaledObject) ? targetPodsOf(scaledObject, cluster, scale, undefined) : undefined;
    return scaledObject.spec.triggers.map((trigger) => ({ scaledObject, trigger, ...(targetPods === undefined ? {} : { targetPods }) }));
  });
  const [readings, replicas] = await Promise.all([
    readSignals(
      { triggers: deps.triggers, ...(deps.auth === undefined ? {} : { auth: deps.auth }) },
      { cluster: { name: deps.clusterName ?? 'lpa-metrics' }, authentications: deps.authentications ?? [] },
      cluster,
      requests,
      deps.now,
    ),
    Promise.all(objects.map((so, i) => targetReplicas(so, cluster, scales[i]))),
  ]);
  const replicasOf = new Map(objects.map((so, i) => [so, replicas[i] as TargetReplicas]));
  return requests.map(({ scaledObject, trigger }, i) =>
    rowOf(scaledObject, trigger, readings[i] ?? { error: 'no reading' }, replicasOf.get(scaledObject) ?? { error: 'no target' }, deps.now),
  );
};

export { readTriggerMetrics };
export type { TriggerMetric, TriggerMetricsDeps };
