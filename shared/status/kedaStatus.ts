/**
 * The ScaledObject `status` KEDA writes, built from one evaluation (pure: no I/O, `now` passed in), and
 * the test of whether a write is worth making. Conditions carry KEDA's literal reasons and messages
 * (`condition_types.go`, `scale_scaledobjects.go`, `scaledobject_controller.go`, `fallback.go`), so
 * `kubectl get so` and `kubectl describe so` read as they do under KEDA.
 */
import type { Decision, EngineState } from '../engine/types.js';
import type { ScaleResource } from '../kube/discovery.js';
import type { ScaledObject } from '../spec/types.js';
import { kedaMetricName } from './metricNames.js';

type ConditionStatus = 'True' | 'False' | 'Unknown';

interface KedaCondition {
  readonly type: 'Ready' | 'Active' | 'Fallback' | 'Paused';
  readonly status: ConditionStatus;
  readonly reason?: string;
  readonly message?: string;
}

interface TriggerHealth {
  readonly numberOfFailures: number;
  readonly status: 'Happy' | 'Failing';
}

/** `status` of keda.sh/v1alpha1 ScaledObject, as far as LPA writes it (times are RFC 3339 strings). */
interface KedaStatus {
  readonly scaleTargetKind?: string;
  readonly scaleTargetGVKR?: ScaleResource;
  readonly originalReplicaCount?: number;
  readonly lastActiveTime?: string;
  readonly pausedReplicaCount?: number;
  readonly externalMetricNames?: readonly string[];
  readonly health?: Readonly<Record<string, TriggerHealth>>;
  readonly triggersTypes?: string;
  readonly conditions?: readonly KedaCondition[];
}

/** KEDA's messages for each (type, reason) it writes. */
const MESSAGES: Readonly<Record<string, string>> = {
  'Ready/ScaledObjectReady': 'ScaledObject is defined correctly and is ready for scaling',
  'Ready/PartialTriggerError': 'Some triggers defined in ScaledObject are not working correctly',
  'Ready/TriggerError': 'Triggers defined in ScaledObject are not working correctly',
  'Active/ScalerActive': 'Scaling is performed because triggers are active',
  'Active/ScalerNotActive': 'Scaling is not performed because triggers are not active',
  'Active/ScalerCooldown': 'Scaler cooling down because triggers are not active',
  'Active/UnknownState': 'ScaledObject check failed',
  'Fallback/FallbackExists': 'At least one trigger is falling back on this scaled object',
  'Fallback/NoFallbackFound': 'No fallbacks are active on this scaled object',
  'Paused/ScaledObjectPaused': 'ScaledObject is paused',
  'Paused/ScaledObjectUnpaused': 'pause annotation removed for ScaledObject',
};
const FORCED_ACTIVE = 'Scaling is performed because activation is being forced by annotation';

/** KEDA refreshes `lastActiveTime` on every poll; LPA at most this often (5,000 objects must not mean 5,000 writes a minute). */
const LAST_ACTIVE_REFRESH_MS = 5 * 60_000;

const condition = (type: KedaCondition['type'], status: ConditionStatus, reason: string, message = MESSAGES[`${type}/${reason}`]): KedaCondition => ({
  type,
  status,
  reason,
  ...(message === undefined ? {} : { message }),
});

const conditionOf = (conditions: readonly KedaCondition[] | undefined, type: KedaCondition['type']): KedaCondition | undefined => conditions?.find((c) => c.type === type);

/** KEDA's `GVKString()`: `apps/v1.Deployment`. */
const scaleTargetKind = (resource: ScaleResource): string => `${resource.group === '' ? '' : `${resource.group}/`}${resource.version}.${resource.kind}`;

/** Metav1.Time: RFC 3339 at second precision. */
const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Paused: True while a pause annotation holds; after it ends KEDA says `ScaledObjectUnpaused` (and keeps
 * saying it); an object never paused stays `False` with no reason, as KEDA initializes it.
 */
const pausedCondition = (paused: boolean, previous: KedaStatus | undefined): KedaCondition => {
  if (paused) return condition('Paused', 'True', 'ScaledObjectPaused');
  const before = conditionOf(previous?.conditions, 'Paused');
  if (before?.status === 'True' || before?.reason === 'ScaledObjectUnpaused') return condition('Paused', 'False', 'ScaledObjectUnpaused');
  return { type: 'Paused', status: 'False' };
};

/** `status.lastActiveTime`: the engine's, but moved forward only every LAST_ACTIVE_REFRESH_MS. */
const lastActiveOf = (state: EngineState, previous: KedaStatus | undefined): string | undefined => {
  if (state.lastActiveTime === undefined) return previous?.lastActiveTime;
  const written = previous?.lastActiveTime === undefined ? undefined : Date.parse(previous.lastActiveTime);
  if (written !== undefined && !Number.isNaN(written) && state.lastActiveTime - written < LAST_ACTIVE_REFRESH_MS) return previous?.lastActiveTime;
  return rfc3339(state.lastActiveTime);
};

/** What does not depend on the evaluation: target, metric names, trigger types. */
const identity = (so: ScaledObject, resource: ScaleResource | undefined): KedaStatus => ({
  ...(resource === undefined ? {} : { scaleTargetKind: scaleTargetKind(resource), scaleTargetGVKR: resource }),
  externalMetricNames: so.spec.triggers.map(kedaMetricName),
  triggersTypes: [...new Set(so.spec.triggers.map((t) => t.type))].join(','),
});

interface EvaluatedStatusInput {
  readonly scaledObject: ScaledObject;
  readonly resource: ScaleResource;
  readonly decision: Decision;
  /** The state after this decision (`decision.state`). */
  readonly previous: KedaStatus | undefined;
}

/** The status after an evaluation: conditions from the decision, health from the failure counts. */
const evaluatedStatus = ({ scaledObject: so, resource, decision, previous }: EvaluatedStatusInput): KedaStatus => {
  const byType = new Map(decision.conditions.map((c) => [c.type, c]));
  const ready = byType.get('Ready');
  const active = byType.get('Active');
  const fallback = byType.get('Fallback');
  const paused = byType.get('Paused')?.status === 'True';
  const state = decision.state;
  const conditions: KedaCondition[] = [
    ready === undefined ? condition('Ready', 'True', 'ScaledObjectReady') : condition('Ready', ready.status, ready.reason),
    active === undefined
      ? (conditionOf(previous?.conditions, 'Active') ?? { type: 'Active', status: 'Unknown' })
      : condition('Active', active.status, active.reason, active.status === 'True' && so.pause.forceActivation ? FORCED_ACTIVE : undefined),
    fallback === undefined ? condition('Fallback', 'False', 'NoFallbackFound') : condition('Fallback', fallback.status, fallback.reason),
    pausedCondition(paused, previous),
  ];
  const lastActiveTime = lastActiveOf(state, previous);
  return {
    ...identity(so, resource),
    ...(state.originalReplicas === undefined ? {} : { originalReplicaCount: state.originalReplicas }),
    ...(lastActiveTime === undefined ? {} : { lastActiveTime }),
    ...(so.pause.pausedReplicas === undefined ? {} : { pausedReplicaCount: so.pause.pausedReplicas }),
    // KEDA keeps health only when a fallback is configured.
    ...(so.spec.fallback === undefined
      ? {}
      : {
          health: Object.fromEntries(
            so.spec.triggers.map((t) => {
              const failures = state.failures[t.key] ?? 0;
              return [kedaMetricName(t), { numberOfFailures: failures, status: failures > 0 ? 'Failing' : 'Happy' }];
            }),
          ),
        }),
    conditions,
  };
};

/**
 * The status of an object LPA refuses to evaluate (invalid, outside its tenancy, target owned by an
 * HPA, target not scalable): Ready=False `ScaledObjectCheckFailed` with the reason, Active Unknown, as
 * KEDA's controller writes a failed check. Counts already written stay.
 */
const refusedStatus = (so: ScaledObject | undefined, message: string, previous: KedaStatus | undefined): KedaStatus => ({
  ...previous,
  ...(so === undefined ? {} : identity(so, previous?.scaleTargetGVKR)),
  conditions: [
    condition('Ready', 'False', 'ScaledObjectCheckFailed', message),
    condition('Active', 'Unknown', 'UnknownState'),
    conditionOf(previous?.conditions, 'Fallback') ?? condition('Fallback', 'False', 'NoFallbackFound'),
    pausedCondition(so?.pause.paused ?? false, previous),
  ],
});

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};

/** Whether `next` says anything `previous` does not (key order and absent-vs-undefined do not count). */
const statusChanged = (previous: KedaStatus | undefined, next: KedaStatus): boolean => {
  const fields = Object.keys(next) as (keyof KedaStatus)[];
  return fields.some((field) => JSON.stringify(canonical(previous?.[field])) !== JSON.stringify(canonical(next[field])));
};

export { LAST_ACTIVE_REFRESH_MS, conditionOf, evaluatedStatus, refusedStatus, scaleTargetKind, statusChanged };
export type { EvaluatedStatusInput, KedaCondition, KedaStatus, TriggerHealth };
