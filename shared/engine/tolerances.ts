import type { HpaBehavior } from '../spec/types.js';

/** `--horizontal-pod-autoscaler-tolerance`: a ratio within ±10 % of 1 proposes no change. */
const DEFAULT_TOLERANCE = 0.1;

/** Per-direction tolerance (k8s `Tolerances`): scale-down below 1, scale-up above 1. */
interface Tolerances {
  readonly scaleDown: number;
  readonly scaleUp: number;
}

/**
 * Inclusive bounds, as `Tolerances.isWithin` in replica_calculator.go. A NaN ratio (0/0) is never
 * within, because both comparisons are false.
 */
const isWithin = (tolerances: Tolerances, ratio: number): boolean =>
  1 - tolerances.scaleDown <= ratio && ratio <= 1 + tolerances.scaleUp;

/**
 * `tolerancesForHpa`: per-direction values only exist inside `behavior` (HPAConfigurableTolerance,
 * on by default since v1.35); an unset side keeps the cluster default.
 */
const tolerancesFor = (behavior: HpaBehavior | undefined): Tolerances => ({
  scaleDown: behavior?.scaleDown?.tolerance ?? DEFAULT_TOLERANCE,
  scaleUp: behavior?.scaleUp?.tolerance ?? DEFAULT_TOLERANCE,
});

const MAX_INT32 = 2 ** 31 - 1;

/** Go's `int32(math.Ceil(x))` after the explicit overflow cap of the calculator: the proposal outside tolerance. */
const ceilReplicas = (x: number): number => Math.min(Math.ceil(x), MAX_INT32);

export { DEFAULT_TOLERANCE, MAX_INT32, ceilReplicas, isWithin, tolerancesFor };
export type { Tolerances };
