/**
 * How a decision explains itself: one reason from the fixed set, a message a person can act on,
 * and conditions in the vocabulary of KEDA's ScaledObject status and the HPA's status.
 */
import type { KedaStep } from './activation.js';
import type { HpaResult } from './hpa.js';
import type { TriggerReadings } from './triggerReadings.js';
import { Reason, type Condition } from './types.js';

interface Report {
  readonly current: number;
  readonly replicas: number;
  readonly active: boolean;
  readonly readings: TriggerReadings;
  readonly keda: KedaStep;
  readonly hpa: HpaResult | undefined;
  /** The HPA layer owns this count (≥ 1, not parked): `hpa` is undefined only when no sync was due. */
  readonly hpaDue: boolean;
  /** The last sync's reason, for evaluations between syncs. */
  readonly lastHpaReason: Reason | undefined;
  readonly now: number;
}

/** The HPA's own account of its last sync. */
const hpaReason = (hpa: HpaResult): Reason => {
  const { outcome } = hpa;
  if (outcome.kind === 'bounds') return outcome.reason;
  if (outcome.kind === 'metricsFailed') return outcome.reason;
  const n = outcome.normalized;
  const stabilized = n.ableToScaleReason !== 'ReadyForNewScale';
  // A min/max bound explains the count only if the metrics alone would have hit it; when it merely
  // caps what a window held ("wanted 0, the window holds 30, max is 20"), the window explains it.
  const boundHitByDesired =
    (n.limitReason === 'TooManyReplicas' && outcome.desired >= n.replicas) || (n.limitReason === 'TooFewReplicas' && outcome.desired <= n.replicas);
  const boundOnly = n.limitReason === 'TooManyReplicas' || n.limitReason === 'TooFewReplicas';
  if (n.limited && (!stabilized || !boundOnly || boundHitByDesired)) return n.limitReason;
  if (stabilized) return n.ableToScaleReason;
  return n.limited ? n.limitReason : Reason.DesiredWithinRange;
};

/**
 * KEDA's own write wins (it is why the count moved between 0 and 1); then an HPA change; then,
 * when nothing moved, the most useful explanation: cooldown, a trigger error, inactivity.
 */
const chooseReason = (report: Report): Reason => {
  const { current, replicas, readings, keda, hpa } = report;
  if (keda.reason !== undefined && keda.reason !== Reason.ScaleInPaused) return keda.reason;
  if (hpa !== undefined && (replicas !== current || keda.reason === undefined)) {
    const reason = hpaReason(hpa);
    if (replicas === current && keda.cooldownEndsAt !== undefined && reason === Reason.DesiredWithinRange) return Reason.ScalerCooldown;
    return reason;
  }
  if (keda.reason !== undefined) return keda.reason;
  if (keda.cooldownEndsAt !== undefined) return Reason.ScalerCooldown;
  if (report.hpaDue) return report.lastHpaReason ?? Reason.DesiredWithinRange;
  if (readings.isError) return Reason.TriggerError;
  return Reason.ScalerNotActive;
};

const hpaMessage = (hpa: HpaResult): string => {
  const { outcome } = hpa;
  if (outcome.kind === 'bounds') {
    return outcome.reason === 'TooManyReplicas' ? 'current replicas above maxReplicaCount' : 'current replicas below max(minReplicaCount, 1)';
  }
  if (outcome.kind === 'metricsFailed') return outcome.message;
  const n = outcome.normalized;
  const parts = [`desired ${outcome.desired}`];
  if (n.stabilized !== outcome.desired) parts.push(`stabilized to ${n.stabilized} (${n.ableToScaleReason})`);
  if (n.limited) parts.push(`limited to ${n.replicas} (${n.limitReason})`);
  return parts.join(', ');
};

const describe = (report: Report): string => {
  const { current, replicas, active, readings, keda, hpa, now } = report;
  const parts = [`${active ? 'active' : 'inactive'} [${readings.summary}]`];
  if (keda.message !== undefined) parts.push(keda.message);
  if (keda.cooldownEndsAt !== undefined) parts.push(`cooldown: scale-in to idle/0 in ${Math.ceil((keda.cooldownEndsAt - now) / 1000)}s unless active again`);
  if (hpa !== undefined) parts.push(`HPA: ${hpaMessage(hpa)}`);
  else if (report.hpaDue) parts.push('HPA: no sync due yet (it syncs every 15 s)');
  else if (keda.hpa === 'none' && replicas === 0) parts.push('HPA disabled at 0 replicas');
  parts.push(replicas === current ? `replicas stay ${current}` : `replicas ${current} → ${replicas}`);
  return parts.join('; ');
};

const buildConditions = ({ active, readings, keda, hpa, hpaDue }: Report): Condition[] => {
  const conditions: Condition[] = [
    readings.isError
      ? active
        ? { type: 'Ready', status: 'Unknown', reason: 'PartialTriggerError' }
        : { type: 'Ready', status: 'False', reason: 'TriggerError' }
      : { type: 'Ready', status: 'True', reason: 'ScaledObjectReady' },
    active
      ? { type: 'Active', status: 'True', reason: 'ScalerActive' }
      : { type: 'Active', status: 'False', reason: keda.cooldownEndsAt === undefined ? 'ScalerNotActive' : 'ScalerCooldown' },
    readings.fallbackActive
      ? { type: 'Fallback', status: 'True', reason: 'FallbackExists' }
      : { type: 'Fallback', status: 'False', reason: 'NoFallbackFound' },
    { type: 'Paused', status: 'False', reason: 'ScaledObjectUnpaused' },
  ];
  if (hpa === undefined) {
    if (!hpaDue) conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' });
    return conditions;
  }
  const { outcome } = hpa;
  if (outcome.kind === 'metricsFailed') {
    conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' });
    conditions.push({ type: 'ScalingActive', status: 'False', reason: outcome.reason });
  } else if (outcome.kind === 'bounds') {
    conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' });
    conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' });
  } else {
    const n = outcome.normalized;
    conditions.push({ type: 'AbleToScale', status: 'True', reason: n.ableToScaleReason });
    conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' });
    conditions.push({ type: 'ScalingLimited', status: n.limited ? 'True' : 'False', reason: n.limitReason });
  }
  return conditions;
};

export { buildConditions, chooseReason, describe, hpaReason };
