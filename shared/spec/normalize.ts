/**
 * The validated document → the normalized `ScaledObject` the engine reads: remaining defaults
 * applied, per-trigger keys and targets derived, pause annotations folded in, unset optionals
 * left out (so the result serializes to the same JSON every time).
 */
import type { ScaledObjectDocument } from './schema.js';
import type { TriggerCommonFields } from './triggers/definition.js';
import type { PauseControls, ScaledObject, ScaledObjectSpec, Trigger } from './types.js';

const DEFAULT_COOLDOWN_PERIOD = 5 * 60; // seconds: 5 minutes (KEDA `defaultCooldownPeriod`)
const DEFAULT_MIN_REPLICA_COUNT = 0;
const DEFAULT_METRIC_TYPE = 'AverageValue';

type TriggerBuilder = (common: TriggerCommonFields) => Trigger;

/** `{ key: value }` when the value is set, `{}` otherwise: keeps unset optionals out of the object. */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const normalizeTriggers = (
  triggers: ScaledObjectDocument['spec']['triggers'],
  builders: readonly TriggerBuilder[],
): Trigger[] =>
  triggers.map((trigger, index) => {
    const build = builders[index];
    // parse.ts only normalizes when every trigger's metadata was valid.
    if (build === undefined) throw new Error(`internal: no metadata for spec.triggers[${index}]`);
    return build({
      index,
      ...optional('name', trigger.name),
      key: trigger.name ?? String(index),
      metricType: trigger.metricType ?? DEFAULT_METRIC_TYPE,
      useCachedMetrics: trigger.useCachedMetrics,
      ...optional('authenticationRef', trigger.authenticationRef),
    });
  });

const normalizeAdvanced = (advanced: ScaledObjectDocument['spec']['advanced']): ScaledObjectSpec['advanced'] => {
  const modifiers = advanced.scalingModifiers;
  return {
    restoreToOriginalReplicaCount: advanced.restoreToOriginalReplicaCount,
    ...optional('horizontalPodAutoscalerConfig', advanced.horizontalPodAutoscalerConfig),
    ...optional(
      'scalingModifiers',
      modifiers && {
        formula: modifiers.formula,
        target: modifiers.target.value,
        activationTarget: modifiers.activationTarget,
        metricType: modifiers.metricType,
      },
    ),
  };
};

const normalize = (document: ScaledObjectDocument, builders: readonly TriggerBuilder[], pause: PauseControls): ScaledObject => {
  const { metadata, spec } = document;
  return {
    apiVersion: document.apiVersion,
    kind: document.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: metadata.labels,
      annotations: metadata.annotations,
      ...optional('creationTimestamp', metadata.creationTimestamp),
    },
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      pollingInterval: spec.pollingInterval,
      cooldownPeriod: spec.cooldownPeriod ?? DEFAULT_COOLDOWN_PERIOD,
      initialCooldownPeriod: spec.initialCooldownPeriod,
      ...optional('idleReplicaCount', spec.idleReplicaCount),
      minReplicaCount: spec.minReplicaCount ?? DEFAULT_MIN_REPLICA_COUNT,
      maxReplicaCount: spec.maxReplicaCount,
      ...optional('fallback', spec.fallback),
      advanced: normalizeAdvanced(spec.advanced),
      triggers: normalizeTriggers(spec.triggers, builders),
    },
    pause,
  };
};

export { normalize };
export type { TriggerBuilder };
