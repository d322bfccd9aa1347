/**
 * One evaluation of one ScaledObject: pure, deterministic, `now` passed in.
 *
 * 1. State: times later than `now` are read as `now` (and the message says so); a first
 *    evaluation seeds the HPA history with the current replicas (as
 *    `recordInitialRecommendation` does) and remembers the original replica count; an
 *    evaluation after a pause starts a fresh HPA history (KEDA deleted and recreated the HPA).
 * 2. Pause annotations: paused-replicas scales to n, paused holds; nothing else runs.
 * 3. Triggers: failure counts, fallback, activation, sanitized values, the composite formula.
 * 4. KEDA layer: activation 0 → max(min, 1), cooldown to 0 / idle, min restore (activation.ts).
 * 5. HPA layer (1..max): replica proposals, stabilization and rate limits, replaying the 15 s syncs
 *    due since the last one — or one sync at `now` right after KEDA's own write (hpa.ts).
 * 6. Report: replicas, reason, message, conditions and the next state.
 */
import type { HpaBehavior, ScaledObject } from '../spec/types.js';
import { kedaStep } from './activation.js';
import { runHpa, syncTimesSince, type HpaResult } from './hpa.js';
import { buildConditions, chooseReason, describe, hpaReason } from './report.js';
import { DEFAULT_CONTROLLER_SETTINGS } from './resourceMetrics.js';
import { withoutFutureTimes } from './state.js';
import { readTriggers } from './triggerReadings.js';
import type { Decision, EngineState, EvaluationInput } from './types.js';

const FUTURE_TIMES_NOTE = 'the state had times later than now (clock skew between invocations?), read as now';

const initialState = (specReplicas: number, now: number): EngineState => ({
  firstEvaluationTime: now,
  recommendations: [{ replicas: specReplicas, time: now }],
  scaleUpEvents: [],
  scaleDownEvents: [],
  failures: {},
  originalReplicas: specReplicas,
});

/** KEDA writes `selectPolicy: Disabled` into the HPA's behavior for paused-scale-in / -out. */
const effectiveBehavior = (so: ScaledObject): HpaBehavior | undefined => {
  const behavior = so.spec.advanced.horizontalPodAutoscalerConfig?.behavior;
  if (!so.pause.pausedScaleIn && !so.pause.pausedScaleOut) return behavior;
  return {
    scaleUp: so.pause.pausedScaleOut ? { ...behavior?.scaleUp, selectPolicy: 'Disabled' } : behavior?.scaleUp,
    scaleDown: so.pause.pausedScaleIn ? { ...behavior?.scaleDown, selectPolicy: 'Disabled' } : behavior?.scaleDown,
  };
};

const decide = (input: EvaluationInput): Decision => {
  const { scaledObject: so, observation: obs, now } = input;
  const current = obs.specReplicas;

  // 1. State
  const read = input.state === undefined ? undefined : withoutFutureTimes(input.state, now);
  let state: EngineState = read?.state ?? initialState(current, now);
  const note = (message: string): string => (read?.moved === true ? `${message}; ${FUTURE_TIMES_NOTE}` : message);
  if (state.paused === true && !so.pause.paused) {
    const { paused: _paused, lastEvaluationTime: _last, lastSyncTime: _sync, ...rest } = state;
    state = { ...rest, recommendations: [{ replicas: current, time: now }], scaleUpEvents: [], scaleDownEvents: [] };
  }
  const firstEvaluationTime = state.firstEvaluationTime ?? now;

  // 2. Pause
  if (so.pause.paused) {
    const replicas = so.pause.pausedReplicas ?? current;
    const message =
      so.pause.pausedReplicas === undefined
        ? `paused (autoscaling.keda.sh/paused): holding ${current} replicas`
        : `paused (autoscaling.keda.sh/paused-replicas=${replicas}): ${current} → ${replicas}`;
    return {
      replicas,
      changed: replicas !== current,
      active: false,
      reason: 'ScaledObjectPaused',
      message: note(message),
      conditions: [{ type: 'Paused', status: 'True', reason: 'ScaledObjectPaused' }],
      state: { ...state, firstEvaluationTime, lastEvaluationTime: now, paused: true, recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
      values: {},
    };
  }

  // 3. Triggers
  const controller = input.controller ?? DEFAULT_CONTROLLER_SETTINGS;
  const readings = readTriggers(so, obs, state.failures, controller, now);
  const active = so.pause.forceActivation || readings.active;

  // 4. KEDA layer
  const createdAtKnown = so.metadata.creationTimestamp !== undefined;
  const createdAt = createdAtKnown ? Date.parse(so.metadata.creationTimestamp as string) : firstEvaluationTime;
  const keda = kedaStep({ so, current, active, isError: readings.isError, lastActiveTime: state.lastActiveTime, createdAt, createdAtKnown, now });

  // 5. HPA layer
  let hpa: HpaResult | undefined;
  const hpaMin = Math.max(so.spec.minReplicaCount, 1);
  const outOfBounds = keda.replicas > so.spec.maxReplicaCount || keda.replicas < hpaMin;
  let syncTimes = keda.hpa === 'now' ? [now] : syncTimesSince(state.lastSyncTime ?? state.lastEvaluationTime, now);
  // Bounds are corrected without metrics or rate limits: no reason to wait for the next grid point.
  if (syncTimes.length === 0 && outOfBounds) syncTimes = [now];
  if (keda.hpa !== 'none' && keda.replicas >= 1 && syncTimes.length > 0) {
    hpa = runHpa({
      current: keda.replicas,
      statusReplicas: obs.statusReplicas,
      readyReplicas: obs.readyReplicas,
      metrics: readings.hpaMetrics,
      minReplicas: hpaMin,
      maxReplicas: so.spec.maxReplicaCount,
      behavior: effectiveBehavior(so),
      history: state.recommendations,
      scaleUpEvents: state.scaleUpEvents,
      scaleDownEvents: state.scaleDownEvents,
      controller,
      syncTimes,
      now,
    });
  }

  // 6. Report
  const replicas = hpa?.replicas ?? keda.replicas;
  const nextState: EngineState = {
    ...state,
    firstEvaluationTime,
    lastEvaluationTime: now,
    lastSyncTime: hpa === undefined ? state.lastSyncTime : now,
    hpaReason: hpa === undefined ? state.hpaReason : hpaReason(hpa),
    lastActiveTime: keda.lastActiveTime,
    recommendations: hpa?.history ?? state.recommendations,
    scaleUpEvents: hpa?.scaleUpEvents ?? state.scaleUpEvents,
    scaleDownEvents: hpa?.scaleDownEvents ?? state.scaleDownEvents,
    failures: readings.failures,
  };
  const report = { current, replicas, active, readings, keda, hpa, hpaDue: keda.hpa !== 'none' && keda.replicas >= 1, lastHpaReason: state.hpaReason, now };
  return {
    replicas,
    changed: replicas !== current,
    active,
    reason: chooseReason(report),
    message: note(describe(report)),
    conditions: buildConditions(report),
    state: nextState,
    values: readings.values,
  };
};

export { decide, effectiveBehavior };
