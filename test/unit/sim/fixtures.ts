/**
 * Normalized ScaledObjects built in code, so the simulator's tests do not depend on the YAML
 * parser, and a fake `decide` that records what it was given.
 */
import type { Decision, EvaluationInput } from '../../../shared/engine/types.js';
import type { ScaledObject, Trigger } from '../../../shared/spec/types.js';

const sqsTrigger = (overrides: { key?: string; scaleOnInFlight?: boolean; target?: number } = {}): Trigger => ({
  type: 'aws-sqs-queue',
  index: 0,
  key: overrides.key ?? '0',
  metricType: 'AverageValue',
  useCachedMetrics: false,
  target: overrides.target ?? 10,
  activationTarget: 0,
  metadata: {
    queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
    queueLength: overrides.target ?? 10,
    activationQueueLength: 0,
    awsRegion: 'eu-west-1',
    scaleOnInFlight: overrides.scaleOnInFlight ?? true,
    scaleOnDelayed: false,
  },
});

const cronTrigger = (key: string): Trigger => ({
  type: 'cron',
  index: 1,
  key,
  metricType: 'AverageValue',
  useCachedMetrics: false,
  target: 1,
  activationTarget: 0,
  metadata: { start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC', desiredReplicas: 3 },
});

const scaledObject = (
  overrides: { pollingInterval?: number; minReplicaCount?: number; maxReplicaCount?: number; triggers?: readonly Trigger[] } = {},
): ScaledObject => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'orders-worker', namespace: 'shop', labels: {}, annotations: {} },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-worker' },
    pollingInterval: overrides.pollingInterval ?? 30,
    cooldownPeriod: 120,
    initialCooldownPeriod: 0,
    minReplicaCount: overrides.minReplicaCount ?? 0,
    maxReplicaCount: overrides.maxReplicaCount ?? 20,
    advanced: { restoreToOriginalReplicaCount: false },
    triggers: overrides.triggers ?? [sqsTrigger()],
  },
  pause: { paused: false, pausedScaleIn: false, pausedScaleOut: false, forceActivation: false },
});

/** A decide that returns `replicasFor(input)` and remembers every input; state counts the calls. */
const recordingDecide = (replicasFor: (input: EvaluationInput) => number = (i) => i.observation.specReplicas) => {
  const inputs: EvaluationInput[] = [];
  const decide = (input: EvaluationInput): Decision => {
    inputs.push(input);
    const replicas = replicasFor(input);
    return {
      replicas,
      changed: replicas !== input.observation.specReplicas,
      active: replicas > 0,
      reason: replicas > 0 ? 'DesiredWithinRange' : 'ScalerNotActive',
      message: `fake: ${replicas}`,
      conditions: [],
      values: {},
      state: {
        recommendations: [],
        scaleUpEvents: [],
        scaleDownEvents: [],
        failures: { calls: inputs.length },
      },
    };
  };
  return { decide, inputs };
};

/** A crude stand-in for the engine: one replica per `target` messages, capped, no memory. */
const proportionalDecide = (target: number, max: number) =>
  recordingDecide((input) => {
    const reading = input.observation.metrics['0'];
    const value = reading !== undefined && 'value' in reading ? reading.value : 0;
    return Math.min(max, Math.ceil(value / target));
  });

export { cronTrigger, proportionalDecide, recordingDecide, scaledObject, sqsTrigger };
