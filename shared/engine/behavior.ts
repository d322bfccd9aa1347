/**
 * HPA normalization (horizontal.go): stabilization windows and scale rate limits, for both paths:
 * `behavior` absent (legacy: down-window max, then max(2×current, 4)) and `behavior` present
 * (defaults filled field by field, per-direction windows, Pods/Percent policies, selectPolicy).
 * Every function takes `now`; nothing reads a clock.
 */
import type { HpaBehavior, HpaScalingPolicy, HpaScalingRules, SelectPolicy } from '../spec/types.js';
import type { Recommendation, ScaleEvent } from './types.js';

/** `--horizontal-pod-autoscaler-downscale-stabilization`: 5 minutes. */
const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 5 * 60;
/** Legacy scale-up limit: `scaleUpLimitFactor` 2.0 and `scaleUpLimitMinimum` 4.0 (production values). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** A direction's rules with every Kubernetes default filled in. */
interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  readonly policies: readonly HpaScalingPolicy[];
}

interface NormalizedBehavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** `GenerateHPAScaleUpRules`: 0 s window; max of +4 pods and +100 % per 15 s. */
const DEFAULT_SCALE_UP_POLICIES: readonly HpaScalingPolicy[] = [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
/** `GenerateHPAScaleDownRules`: −100 % per 15 s; the window comes from the controller flag. */
const DEFAULT_SCALE_DOWN_POLICIES: readonly HpaScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

/**
 * `SetDefaults_HorizontalPodAutoscalerBehavior` + `maybeInitScaleDownStabilizationWindow`: each
 * field is defaulted on its own; a given policy list replaces the default list entirely.
 */
const normalizeBehavior = (behavior: HpaBehavior): NormalizedBehavior => {
  const fill = (rules: HpaScalingRules | undefined, window: number, policies: readonly HpaScalingPolicy[]): ScalingRules => ({
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? window,
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? policies,
  });
  return {
    scaleUp: fill(behavior.scaleUp, 0, DEFAULT_SCALE_UP_POLICIES),
    scaleDown: fill(behavior.scaleDown, DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, DEFAULT_SCALE_DOWN_POLICIES),
  };
};

/** What one normalization step decided, with the HPA's condition reasons. */
interface Normalized {
  readonly replicas: number;
  /** After stabilization, before the limits. */
  readonly stabilized: number;
  /** AbleToScale reason: ReadyForNewScale, ScaleUpStabilized or ScaleDownStabilized. */
  readonly ableToScaleReason: 'ReadyForNewScale' | 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** ScalingLimited reason; `limited` says whether it changed the value. */
  readonly limitReason: 'DesiredWithinRange' | 'TooFewReplicas' | 'TooManyReplicas' | 'ScaleUpLimit' | 'ScaleDownLimit';
  readonly limited: boolean;
}

interface NormalizationArg {
  readonly current: number;
  /** The unstabilized desired count (max over metrics). */
  readonly desired: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly history: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly now: number;
}

/**
 * Legacy path, `normalizeDesiredReplicas`: the highest recommendation of the last 5 minutes
 * (inclusive: age ≤ window), then `convertDesiredReplicasWithRules`.
 */
const normalizeLegacy = (arg: NormalizationArg): Normalized => {
  const cutoff = arg.now - DEFAULT_DOWNSCALE_STABILIZATION_SECONDS * 1000;
  let stabilized = arg.desired;
  for (const rec of arg.history) if (rec.time >= cutoff && rec.replicas > stabilized) stabilized = rec.replicas;
  const ableToScaleReason = stabilized === arg.desired ? 'ReadyForNewScale' : 'ScaleDownStabilized';
  const scaleUpLimit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * arg.current, SCALE_UP_LIMIT_MINIMUM));
  const upLimited = arg.maxReplicas > scaleUpLimit;
  const maxAllowed = upLimited ? scaleUpLimit : arg.maxReplicas;
  const base = { stabilized, ableToScaleReason } as const;
  if (stabilized < arg.minReplicas) return { ...base, replicas: arg.minReplicas, limitReason: 'TooFewReplicas', limited: true };
  if (stabilized > maxAllowed) {
    return { ...base, replicas: maxAllowed, limitReason: upLimited ? 'ScaleUpLimit' : 'TooManyReplicas', limited: true };
  }
  return { ...base, replicas: stabilized, limitReason: 'DesiredWithinRange', limited: false };
};

/** `getReplicasChangePerPeriod`: events strictly younger than the period. */
const changeInPeriod = (events: readonly ScaleEvent[], periodSeconds: number, now: number): number => {
  const cutoff = now - periodSeconds * 1000;
  let sum = 0;
  for (const event of events) if (event.time > cutoff) sum += event.change;
  return sum;
};

/**
 * `calculateScaleUpLimitWithScalingRules` and `calculateScaleDownLimitWithBehaviors`: each policy
 * proposes a bound from the replica count at the start of its period; Max picks the most
 * permissive, Min the least, Disabled freezes the current count.
 */
const rateLimit = (direction: 'up' | 'down', rules: ScalingRules, arg: NormalizationArg): number => {
  if (rules.selectPolicy === 'Disabled') return arg.current;
  const pickHigher = (direction === 'up') === (rules.selectPolicy === 'Max');
  let result = pickHigher ? -Infinity : Infinity;
  for (const policy of rules.policies) {
    const start =
      arg.current -
      changeInPeriod(arg.scaleUpEvents, policy.periodSeconds, arg.now) +
      changeInPeriod(arg.scaleDownEvents, policy.periodSeconds, arg.now);
    const proposed =
      direction === 'up'
        ? policy.type === 'Pods'
          ? start + policy.value
          : Math.ceil(start * (1 + policy.value / 100)) // rounded up so +1 is always possible
        : policy.type === 'Pods'
          ? start - policy.value
          : Math.trunc(start * (1 - policy.value / 100)); // Go int32() truncates toward zero
    result = pickHigher ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
};

/**
 * Behavior path, `normalizeDesiredReplicasWithBehaviors`:
 * 1. stabilize: scale up to the lowest recommendation of the up window, down to the highest of the
 *    down window (strict: age < window), or stay if the current count lies between them;
 * 2. apply the policy rate limits from period-start counts, and max/min replicas.
 */
const normalizeWithBehavior = (behavior: NormalizedBehavior, arg: NormalizationArg): Normalized => {
  const upCutoff = arg.now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = arg.now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upFloor = arg.desired;
  let downCeil = arg.desired;
  for (const rec of arg.history) {
    if (rec.time > upCutoff && rec.replicas < upFloor) upFloor = rec.replicas;
    if (rec.time > downCutoff && rec.replicas > downCeil) downCeil = rec.replicas;
  }
  const stabilized = Math.min(Math.max(arg.current, upFloor), downCeil);
  const ableToScaleReason =
    stabilized === arg.desired ? 'ReadyForNewScale' : arg.desired >= arg.current ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
  const base = { stabilized, ableToScaleReason } as const;

  if (stabilized > arg.current) {
    const upLimit = Math.max(rateLimit('up', behavior.scaleUp, arg), arg.current);
    const upLimited = arg.maxReplicas > upLimit;
    const maxAllowed = upLimited ? upLimit : arg.maxReplicas;
    if (stabilized > maxAllowed) {
      return { ...base, replicas: maxAllowed, limitReason: upLimited ? 'ScaleUpLimit' : 'TooManyReplicas', limited: true };
    }
  } else if (stabilized < arg.current) {
    const downLimit = Math.min(rateLimit('down', behavior.scaleDown, arg), arg.current);
    const downLimited = arg.minReplicas < downLimit;
    const minAllowed = downLimited ? downLimit : arg.minReplicas;
    if (stabilized < minAllowed) {
      return { ...base, replicas: minAllowed, limitReason: downLimited ? 'ScaleDownLimit' : 'TooFewReplicas', limited: true };
    }
  }
  return { ...base, replicas: stabilized, limitReason: 'DesiredWithinRange', limited: false };
};

/** The longest window that can still matter: older recommendations are dropped from state. */
const longestWindowSeconds = (behavior: NormalizedBehavior | undefined): number =>
  behavior === undefined
    ? DEFAULT_DOWNSCALE_STABILIZATION_SECONDS
    : Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds);

/** `getLongestPolicyPeriod`: older scale events can no longer limit anything. */
const longestPeriodSeconds = (rules: ScalingRules): number =>
  rules.policies.reduce((longest, policy) => Math.max(longest, policy.periodSeconds), 0);

export {
  DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
  longestPeriodSeconds,
  longestWindowSeconds,
  normalizeBehavior,
  normalizeLegacy,
  normalizeWithBehavior,
};
export type { NormalizationArg, Normalized, NormalizedBehavior, ScalingRules };
