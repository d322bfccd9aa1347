/**
 * Builds a *normalized* ScaledObject (the shape `parseScaledObjects` returns, KEDA defaults applied)
 * directly, so engine tests do not depend on the YAML/zod layer. One aws-sqs-queue trigger by
 * default: key "0", target 5 (= queueLength), activationTarget 0, metricType AverageValue.
 */
import type {
  Fallback,
  FallbackBehavior,
  HpaBehavior,
  MetricType,
  PauseControls,
  ScaledObject,
  ScalingModifiers,
  SqsQueueTrigger,
} from '../../shared/spec/types.js';

interface TriggerOverrides {
  readonly name?: string;
  readonly metricType?: MetricType;
  readonly target?: number;
  readonly activationTarget?: number;
}

interface ScaledObjectOverrides extends TriggerOverrides {
  readonly objectName?: string;
  readonly namespace?: string;
  readonly creationTimestamp?: string;
  readonly pollingInterval?: number;
  readonly cooldownPeriod?: number;
  readonly initialCooldownPeriod?: number;
  readonly minReplicaCount?: number;
  readonly maxReplicaCount?: number;
  readonly idleReplicaCount?: number;
  readonly fallback?: {
    readonly failureThreshold: number;
    readonly replicas: number;
    readonly behavior?: FallbackBehavior;
  };
  /** `advanced.horizontalPodAutoscalerConfig.behavior`; `{}` is a present (defaulted) behavior. */
  readonly behavior?: HpaBehavior;
  readonly pause?: Partial<PauseControls>;
  readonly scalingModifiers?: ScalingModifiers;
  /** Triggers after the default one: keys are their `name`, or their index ("1", "2", …). */
  readonly extraTriggers?: readonly TriggerOverrides[];
}

const DEFAULT_TARGET = 5;

const sqsTrigger = (index: number, overrides: TriggerOverrides): SqsQueueTrigger => {
  const target = overrides.target ?? DEFAULT_TARGET;
  const activationTarget = overrides.activationTarget ?? 0;
  return {
    type: 'aws-sqs-queue',
    index,
    name: overrides.name,
    key: overrides.name ?? String(index),
    metricType: overrides.metricType ?? 'AverageValue',
    useCachedMetrics: false,
    target,
    activationTarget,
    metadata: {
      queueURL: `https://sqs.eu-west-1.amazonaws.com/000000000000/conformance-${index}`,
      queueLength: target,
      activationQueueLength: activationTarget,
      awsRegion: 'eu-west-1',
      scaleOnInFlight: true,
      scaleOnDelayed: false,
    },
  };
};

const pauseControls = (pause: Partial<PauseControls> | undefined): PauseControls => ({
  // `paused-replicas` always pauses, whatever `paused` says (spec/types.ts PauseControls).
  paused: (pause?.paused ?? false) || pause?.pausedReplicas !== undefined,
  pausedReplicas: pause?.pausedReplicas,
  pausedScaleIn: pause?.pausedScaleIn ?? false,
  pausedScaleOut: pause?.pausedScaleOut ?? false,
  forceActivation: pause?.forceActivation ?? false,
});

/** The annotations a user would have written to get these pause controls (kept for realism). */
const pauseAnnotations = (pause: PauseControls): Record<string, string> => {
  const annotations: Record<string, string> = {};
  if (pause.pausedReplicas !== undefined) annotations['autoscaling.keda.sh/paused-replicas'] = String(pause.pausedReplicas);
  else if (pause.paused) annotations['autoscaling.keda.sh/paused'] = 'true';
  if (pause.pausedScaleIn) annotations['autoscaling.keda.sh/paused-scale-in'] = 'true';
  if (pause.pausedScaleOut) annotations['autoscaling.keda.sh/paused-scale-out'] = 'true';
  if (pause.forceActivation) annotations['autoscaling.keda.sh/force-activation'] = 'true';
  return annotations;
};

const makeFallback = (fallback: ScaledObjectOverrides['fallback']): Fallback | undefined =>
  fallback === undefined
    ? undefined
    : { failureThreshold: fallback.failureThreshold, replicas: fallback.replicas, behavior: fallback.behavior ?? 'static' };

const makeScaledObject = (overrides: ScaledObjectOverrides = {}): ScaledObject => {
  const pause = pauseControls(overrides.pause);
  const triggers = [sqsTrigger(0, overrides), ...(overrides.extraTriggers ?? []).map((t, i) => sqsTrigger(i + 1, t))];
  const hpaConfig = overrides.behavior === undefined ? undefined : { behavior: overrides.behavior };
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: {
      name: overrides.objectName ?? 'conformance',
      namespace: overrides.namespace ?? 'default',
      labels: {},
      annotations: pauseAnnotations(pause),
      creationTimestamp: overrides.creationTimestamp,
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
      pollingInterval: overrides.pollingInterval ?? 30,
      cooldownPeriod: overrides.cooldownPeriod ?? 300,
      initialCooldownPeriod: overrides.initialCooldownPeriod ?? 0,
      idleReplicaCount: overrides.idleReplicaCount,
      minReplicaCount: overrides.minReplicaCount ?? 0,
      maxReplicaCount: overrides.maxReplicaCount ?? 100,
      fallback: makeFallback(overrides.fallback),
      advanced: {
        restoreToOriginalReplicaCount: false,
        horizontalPodAutoscalerConfig: hpaConfig,
        scalingModifiers: overrides.scalingModifiers,
      },
      triggers,
    },
    pause,
  };
};

export { DEFAULT_TARGET, makeScaledObject };
export type { ScaledObjectOverrides, TriggerOverrides };
