/**
 * Which Events an evaluation raises on its ScaledObject (pure), with KEDA's reasons and notes
 * (`eventreason.go`, `scale_scaledobjects.go`, `scale_handler.go`, `scaledobject_controller.go`).
 * Transitions only: activation, deactivation, a scale, fallback on/off, pause on/off, Ready lost or
 * regained. A failing trigger raises KEDAScalerFailed on its first failure and again every
 * `FAILED_EVENT_EVERY` consecutive failures, into one event series (client-go refreshes a series about
 * every 30 minutes; at one evaluation a minute this is the same cadence).
 */
import type { Decision, Observation } from '../engine/types.js';
import type { KedaEvent } from '../kube/events.js';
import type { ScaledObject } from '../spec/types.js';
import { conditionOf, type KedaStatus } from './kedaStatus.js';
import { kedaMetricName } from './metricNames.js';

const FAILED_EVENT_EVERY = 30;

interface EvaluationEventsInput {
  readonly scaledObject: ScaledObject;
  readonly observation: Observation;
  readonly decision: Decision;
  /** Whether LPA changed `spec.replicas` (the PATCH succeeded). */
  readonly scaled: boolean;
  readonly previous: KedaStatus | undefined;
  readonly next: KedaStatus;
}

const statusOf = (status: KedaStatus | undefined, type: 'Ready' | 'Fallback' | 'Paused'): string | undefined => conditionOf(status?.conditions, type)?.status;

const target = (so: ScaledObject, next: KedaStatus): string => `${next.scaleTargetKind ?? so.spec.scaleTargetRef.kind} ${so.metadata.namespace}/${so.spec.scaleTargetRef.name}`;

/** Metric names of the triggers whose reading is above their activation target (KEDA's `activeTriggers`). */
const activeTriggers = (so: ScaledObject, observation: Observation): string[] =>
  so.spec.triggers.filter((t) => {
    const reading = observation.metrics[t.key];
    return reading !== undefined && 'value' in reading && reading.value > t.activationTarget;
  }).map(kedaMetricName);

const scaleEvents = ({ scaledObject: so, observation, decision, scaled, next }: EvaluationEventsInput): KedaEvent[] => {
  if (!scaled) return [];
  const from = observation.specReplicas;
  const to = decision.replicas;
  if (decision.reason === 'KEDAScaleTargetActivated') {
    const note = so.pause.forceActivation
      ? `Scaled ${target(so, next)} from ${from} to ${to}, caused by forced activation annotation`
      : `Scaled ${target(so, next)} from ${from} to ${to}, triggered by ${activeTriggers(so, observation).join(';')}`;
    return [{ type: 'Normal', reason: 'KEDAScaleTargetActivated', note, seriesKey: `KEDAScaleTargetActivated/${from}/${to}` }];
  }
  if (decision.reason === 'KEDAScaleTargetDeactivated') {
    return [{ type: 'Normal', reason: 'KEDAScaleTargetDeactivated', note: `Deactivated ${target(so, next)} from ${from} to ${to}`, seriesKey: `KEDAScaleTargetDeactivated/${from}/${to}` }];
  }
  // The HPA's own event for a step it takes, on the object that owns the decision here.
  return [{ type: 'Normal', reason: 'SuccessfulRescale', note: `New size: ${to}; reason: ${decision.reason}`, seriesKey: `SuccessfulRescale/${from}/${to}` }];
};

const failureEvents = ({ scaledObject: so, observation, decision }: EvaluationEventsInput): KedaEvent[] =>
  so.spec.triggers.flatMap((t) => {
    const reading = observation.metrics[t.key];
    const failures = decision.state.failures[t.key] ?? 0;
    if (reading === undefined || !('error' in reading) || (failures !== 1 && failures % FAILED_EVENT_EVERY !== 0)) return [];
    return [{ type: 'Warning' as const, reason: 'KEDAScalerFailed', note: reading.error, seriesKey: `KEDAScalerFailed/${kedaMetricName(t)}` }];
  });

/** Condition transitions KEDA announces. */
const transitionEvents = (previous: KedaStatus | undefined, next: KedaStatus): KedaEvent[] => {
  const events: KedaEvent[] = [];
  const [fallbackBefore, fallbackNow] = [statusOf(previous, 'Fallback'), statusOf(next, 'Fallback')];
  if (fallbackNow === 'True' && fallbackBefore !== 'True') events.push({ type: 'Normal', reason: 'ScaledObjectFallbackActivated', note: 'ScaledObject fallback is active' });
  if (fallbackNow !== 'True' && fallbackBefore === 'True') events.push({ type: 'Normal', reason: 'ScaledObjectFallbackDeactivated', note: 'ScaledObject fallback is no longer active' });
  const [pausedBefore, pausedNow] = [statusOf(previous, 'Paused'), statusOf(next, 'Paused')];
  if (pausedNow === 'True' && pausedBefore !== 'True') events.push({ type: 'Normal', reason: 'ScaledObjectPaused', note: 'ScaledObject is paused' });
  if (pausedNow !== 'True' && pausedBefore === 'True') events.push({ type: 'Normal', reason: 'ScaledObjectUnpaused', note: 'pause annotation removed for ScaledObject' });
  const ready = conditionOf(next.conditions, 'Ready');
  const readyBefore = conditionOf(previous?.conditions, 'Ready');
  if (ready?.status === 'True' && readyBefore?.status !== 'True') events.push({ type: 'Normal', reason: 'ScaledObjectReady', note: 'ScaledObject is ready for scaling' });
  if (ready?.reason === 'ScaledObjectCheckFailed' && (readyBefore?.reason !== ready.reason || readyBefore.message !== ready.message)) {
    events.push({ type: 'Warning', reason: 'ScaledObjectCheckFailed', note: ready.message ?? '', seriesKey: `ScaledObjectCheckFailed/${ready.message ?? ''}` });
  }
  return events;
};

const evaluationEvents = (input: EvaluationEventsInput): KedaEvent[] => [...transitionEvents(input.previous, input.next), ...scaleEvents(input), ...failureEvents(input)];

export { FAILED_EVENT_EVERY, evaluationEvents, transitionEvents };
export type { EvaluationEventsInput };
