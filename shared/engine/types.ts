/**
 * The engine's vocabulary. Times are epoch milliseconds inside the engine (cheap to compare);
 * the JSON contract of `lpa decide` converts them to and from ISO-8601 (see contract.ts).
 */
import type { ScaledObject } from '../spec/types.js';
import type { PodSet } from './podObjects.js';
import type { ControllerSettings } from './resourceMetrics.js';

/**
 * A metric read for one trigger: a number (external triggers), the target's pods and their
 * PodMetrics (cpu/memory: the HPA computes on pods, not on one number), or why it could not be read.
 * `activationValue` is what activation compares with the trigger's activation target when the
 * scaler decides activity on another number than the metric (KEDA kafka with `excludePersistentLag`:
 * the lag of every partition, while the metric leaves out partitions whose consumer is stuck).
 */
type MetricReading = { readonly value: number; readonly activationValue?: number } | PodSet | { readonly error: string };

/** What the runtime saw of the target and its triggers at `now`. */
interface Observation {
  /** The scale subresource's `spec.replicas` (the count last asked for). */
  readonly specReplicas: number;
  /** The scale subresource's `status.replicas` (pods that exist). */
  readonly statusReplicas: number;
  /** Pods Running and Ready (used only by Value targets). */
  readonly readyReplicas: number;
  /** One reading per trigger, keyed by the trigger's `key` (name, or index as a string). */
  readonly metrics: Readonly<Record<string, MetricReading>>;
}

interface Recommendation {
  readonly replicas: number;
  readonly time: number;
}

interface ScaleEvent {
  /** Always > 0: the size of the step. */
  readonly change: number;
  readonly time: number;
}

/** Everything an evaluation must remember for the next one (one DynamoDB item per ScaledObject). */
interface EngineState {
  readonly lastEvaluationTime?: number;
  /** When the HPA layer last synced: syncs keep the HPA's 15 s grid however often LPA evaluates. */
  readonly lastSyncTime?: number;
  /** The reason of the last HPA sync: between syncs it still describes the HPA's view. */
  readonly hpaReason?: Reason;
  readonly lastActiveTime?: number;
  /** Stand-in for the ScaledObject's creationTimestamp when the manifest has none (initialCooldownPeriod). */
  readonly firstEvaluationTime?: number;
  /** HPA recommendation history: unstabilized desired counts, pruned to the longest window. */
  readonly recommendations: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  /** Consecutive failed reads per trigger key. */
  readonly failures: Readonly<Record<string, number>>;
  /** `spec.replicas` seen at the first evaluation, before LPA scaled anything (restoreToOriginalReplicaCount). */
  readonly originalReplicas?: number;
  /** True while a pause annotation held the target; the next unpaused evaluation starts a fresh HPA history. */
  readonly paused?: boolean;
}

/** The fixed set of reasons a decision can carry: the HPA's and KEDA's own words. */
const Reason = {
  // KEDA
  ScaledObjectPaused: 'ScaledObjectPaused',
  KEDAScaleTargetActivated: 'KEDAScaleTargetActivated',
  KEDAScaleTargetDeactivated: 'KEDAScaleTargetDeactivated',
  ScalerNotActive: 'ScalerNotActive',
  ScalerCooldown: 'ScalerCooldown',
  TriggerError: 'TriggerError',
  ScaleInPaused: 'ScaleInPaused',
  ScaleOutPaused: 'ScaleOutPaused',
  // HPA
  DesiredWithinRange: 'DesiredWithinRange',
  TooFewReplicas: 'TooFewReplicas',
  TooManyReplicas: 'TooManyReplicas',
  ScaleUpLimit: 'ScaleUpLimit',
  ScaleDownLimit: 'ScaleDownLimit',
  ScaleUpStabilized: 'ScaleUpStabilized',
  ScaleDownStabilized: 'ScaleDownStabilized',
  FailedGetExternalMetric: 'FailedGetExternalMetric',
  FailedGetResourceMetric: 'FailedGetResourceMetric',
  FailedGetContainerResourceMetric: 'FailedGetContainerResourceMetric',
} as const;
type Reason = (typeof Reason)[keyof typeof Reason];

interface Condition {
  readonly type: 'Active' | 'Ready' | 'Fallback' | 'Paused' | 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message?: string;
}

/** One evaluation: the manifest, what was observed, what was remembered, and the time. */
interface EvaluationInput {
  readonly scaledObject: ScaledObject;
  readonly observation: Observation;
  /** Absent on the first evaluation: the HPA history is then seeded with the current replicas. */
  readonly state?: EngineState;
  readonly now: number;
  /** The HPA controller flags cpu triggers read; Kubernetes' defaults when absent. */
  readonly controller?: ControllerSettings;
}

interface Decision {
  readonly replicas: number;
  /** replicas !== observation.specReplicas */
  readonly changed: boolean;
  /** KEDA's view: some trigger (or the composite formula) is active, or fallback / force-activation holds. */
  readonly active: boolean;
  readonly reason: Reason;
  readonly message: string;
  readonly conditions: readonly Condition[];
  readonly state: EngineState;
  /** Per trigger: the value read (cpu/memory: utilization percent or average usage), or the error. */
  readonly values: Readonly<Record<string, number | string>>;
}

export { Reason };
export type {
  Condition,
  ControllerSettings,
  Decision,
  EngineState,
  EvaluationInput,
  MetricReading,
  Observation,
  Recommendation,
  ScaleEvent,
};
