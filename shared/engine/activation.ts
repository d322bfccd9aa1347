/**
 * KEDA's scale loop (`executor.RequestScale`, keda-semantics.md §2.2): the only place replicas
 * move between 0 (or idleReplicaCount) and max(minReplicaCount, 1). Everything from 1 up belongs
 * to the HPA layer. Each branch says why, like the `case`s of the Go executor.
 */
import type { ScaledObject } from '../spec/types.js';
import { Reason } from './types.js';

/** How the HPA layer should run after KEDA's step. */
type HpaMode =
  /** Not at all: the target is at 0 (HPA disabled), at idle, or KEDA just scaled it down. */
  | 'none'
  /** One sync at `now`: KEDA just set the count, so there is no earlier HPA sync to replay. */
  | 'now'
  /** Every 15 s sync since the previous evaluation. */
  | 'replay';

interface KedaStep {
  /** spec.replicas after KEDA's own write (unchanged when KEDA does nothing). */
  readonly replicas: number;
  readonly lastActiveTime: number | undefined;
  readonly hpa: HpaMode;
  /** Set when KEDA itself decided (or refused) something this evaluation. */
  readonly reason?: Reason;
  readonly message?: string;
  /** While cooling down: when the scale to 0 / idle will happen. */
  readonly cooldownEndsAt?: number;
}

interface KedaInput {
  readonly so: ScaledObject;
  readonly current: number;
  readonly active: boolean;
  readonly isError: boolean;
  readonly lastActiveTime: number | undefined;
  /** creationTimestamp, or the first evaluation as its stand-in (`createdAtKnown` false). */
  readonly createdAt: number;
  readonly createdAtKnown: boolean;
  readonly now: number;
}

const kedaStep = ({ so, current, active, isError, lastActiveTime, createdAt, createdAtKnown, now }: KedaInput): KedaStep => {
  const { minReplicaCount: min, idleReplicaCount: idle, cooldownPeriod, initialCooldownPeriod } = so.spec;
  const activeCount = Math.max(min, 1);
  const hpaWhenRunning: HpaMode = current >= 1 ? 'replay' : 'none';

  if (active) {
    // At 0, or parked at idle below min: KEDA itself wakes the target to max(min, 1).
    if ((idle !== undefined && current < min) || current === 0) {
      if (so.pause.pausedScaleOut) {
        // The HPA still lifts 1..min-1 to min: its early branch ignores behavior and selectPolicy.
        return { replicas: current, lastActiveTime, hpa: hpaWhenRunning, reason: Reason.ScaleOutPaused, message: `active, but autoscaling.keda.sh/paused-scale-out holds ${current} replicas` };
      }
      return { replicas: activeCount, lastActiveTime: now, hpa: 'now', reason: Reason.KEDAScaleTargetActivated, message: `activated: ${current} → ${activeCount}` };
    }
    // Another trigger failed: the HPA still scales up on the rest, but the activity is not trusted
    // enough to extend the cooldown.
    if (isError) return { replicas: current, lastActiveTime, hpa: 'replay' };
    return { replicas: current, lastActiveTime: now, hpa: 'replay' };
  }

  // Errors never scale to zero: wait for the metric (or for fallback to take over).
  if (isError) return { replicas: current, lastActiveTime, hpa: hpaWhenRunning };

  if ((idle !== undefined && current > idle) || (current > 0 && min === 0)) {
    const target = idle ?? min;
    // Never active: initialCooldownPeriod from creation; otherwise lastActiveTime + cooldown. Both
    // strictly before now, as KEDA's `.Before(now)`, except when the first evaluation stands in for
    // the creation time: then ≤, so the default 0 acts on the first evaluation as KEDA's first loop does.
    const endsAt = lastActiveTime === undefined ? createdAt + initialCooldownPeriod * 1000 : lastActiveTime + cooldownPeriod * 1000;
    const passed = lastActiveTime === undefined && !createdAtKnown ? endsAt <= now : endsAt < now;
    if (!passed) return { replicas: current, lastActiveTime, hpa: 'replay', cooldownEndsAt: endsAt };
    if (so.pause.pausedScaleIn) {
      return { replicas: current, lastActiveTime, hpa: 'replay', reason: Reason.ScaleInPaused, message: `inactive past the cooldown, but autoscaling.keda.sh/paused-scale-in holds the scale-in to ${target}` };
    }
    return { replicas: target, lastActiveTime, hpa: 'none', reason: Reason.KEDAScaleTargetDeactivated, message: `deactivated: every trigger inactive, cooldown over: ${current} → ${target}` };
  }

  // Below min with no idle count: KEDA restores min at once, no cooldown involved.
  if (idle === undefined && current < min) {
    return { replicas: min, lastActiveTime, hpa: 'now', reason: Reason.TooFewReplicas, message: `below minReplicaCount: ${current} → ${min}` };
  }

  // Parked at idle: hold it. (KEDA's HPA would raise idle > 0 back to min and flap, #2314.)
  if (idle !== undefined && current === idle) return { replicas: current, lastActiveTime, hpa: 'none' };
  return { replicas: current, lastActiveTime, hpa: hpaWhenRunning };
};

export { kedaStep };
export type { HpaMode, KedaStep };
