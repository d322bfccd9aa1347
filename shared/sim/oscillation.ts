/**
 * Does a run oscillate, and which behavior setting would damp it?
 *
 * A reversal is a scale change in the opposite direction to the one before (up after down, down
 * after up). Following the load costs reversals too (a day goes up in the morning and down at
 * night), so a run oscillates when its replicas reverse clearly more often than its arrival rate.
 *
 * The typical cause with a queue-length target: replicas are sized to the load, each rise of the
 * load builds a backlog while new pods start, the HPA sizes the target for that backlog, the
 * scale-down stabilization window holds the overshoot, then it drops to the new need, and the next
 * rise starts over. A longer `scaleDown.stabilizationWindowSeconds` keeps the overshoot until the
 * next rise. Rather than guess a value, the run is repeated with a few windows, and the suggestion
 * is one that was seen to work, with what it costs in pod-hours.
 */
import { DEFAULT_DOWNSCALE_STABILIZATION_SECONDS } from '../engine/behavior.js';
import type { HpaBehavior, ScaledObject } from '../spec/types.js';
import type { ScaleChange, SimulationArg, SimulationResult } from './loop.js';
import { runSimulation } from './loop.js';
import type { RateSegment } from './workload.js';

/** Reversals beyond the load's own that make a run oscillate. */
const EXCESS_REVERSALS = 4;
/** Kubernetes' upper bound for a stabilization window (the spec's validation refuses more). */
const MAX_WINDOW_SECONDS = 3_600;
/** Windows tried, as multiples of the current one (then capped and rounded to a minute). */
const WINDOW_FACTORS = [1.5, 2, 3, 6] as const;

/** Direction changes in a sequence of values; equal neighbours do not count. */
const directionChanges = (values: readonly number[]): number => {
  let changes = 0;
  let direction = 0;
  for (let i = 1; i < values.length; i += 1) {
    const step = Math.sign((values[i] ?? 0) - (values[i - 1] ?? 0));
    if (step === 0) continue;
    if (direction !== 0 && step !== direction) changes += 1;
    direction = step;
  }
  return changes;
};

/** Scale changes whose direction differs from the change before. */
const replicaReversals = (changes: readonly ScaleChange[]): number =>
  directionChanges(changes.length === 0 ? [] : [changes[0]?.from ?? 0, ...changes.map((c) => c.to)]);

/** Direction changes of the arrival rate within the first `durationSeconds`. */
const loadReversals = (arrivals: readonly RateSegment[], durationSeconds: number): number =>
  directionChanges(arrivals.filter((s) => s.fromSecond <= durationSeconds).map((s) => s.ratePerSecond));

interface Trial {
  readonly stabilizationWindowSeconds: number;
  readonly reversals: number;
  readonly podHours: number;
  readonly peakReplicas: number;
}

interface Oscillation {
  readonly replicaReversals: number;
  readonly loadReversals: number;
  readonly oscillating: boolean;
  /** The scale-down window in force (the manifest's, or the HPA's 300 s default). */
  readonly stabilizationWindowSeconds: number;
  readonly podHours: number;
  /** Present when oscillating: the same run with longer scale-down windows, shortest first. */
  readonly trials?: readonly Trial[];
  /** The shortest window tried that ends the oscillation; failing that, the one with the fewest reversals. */
  readonly suggestion?: Trial;
}

const scaleDownWindow = (scaledObject: ScaledObject): number =>
  scaledObject.spec.advanced.horizontalPodAutoscalerConfig?.behavior?.scaleDown?.stabilizationWindowSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_SECONDS;

/** The manifest with only `behavior.scaleDown.stabilizationWindowSeconds` changed. */
const withScaleDownWindow = (scaledObject: ScaledObject, seconds: number): ScaledObject => {
  const advanced = scaledObject.spec.advanced;
  const behavior: HpaBehavior = advanced.horizontalPodAutoscalerConfig?.behavior ?? {};
  const scaleDown = { ...behavior.scaleDown, stabilizationWindowSeconds: seconds };
  const horizontalPodAutoscalerConfig = { ...advanced.horizontalPodAutoscalerConfig, behavior: { ...behavior, scaleDown } };
  return { ...scaledObject, spec: { ...scaledObject.spec, advanced: { ...advanced, horizontalPodAutoscalerConfig } } };
};

/** Longer windows to try: multiples of the current one, on whole minutes, up to Kubernetes' limit. */
const candidateWindows = (current: number): readonly number[] => {
  const windows = WINDOW_FACTORS.map((f) => Math.min(MAX_WINDOW_SECONDS, Math.ceil((current * f) / 60) * 60));
  return [...new Set(windows)].filter((w) => w > current);
};

/**
 * Counts the reversals of `result`; when they make it an oscillation, repeats the run (`arg`,
 * with the manifest's scale-down window replaced) to find a window that damps it.
 *
 * @example
 * const result = runSimulation(arg);
 * analyzeOscillation(arg, result).suggestion?.stabilizationWindowSeconds // 3600
 */
const analyzeOscillation = (arg: SimulationArg, result: SimulationResult): Oscillation => {
  const load = loadReversals(arg.workload.arrivals, result.durationSeconds);
  const reversals = replicaReversals(result.changes);
  const window = scaleDownWindow(arg.scaledObject);
  const base = { replicaReversals: reversals, loadReversals: load, stabilizationWindowSeconds: window, podHours: result.summary.podHours };
  const oscillates = (n: number): boolean => n - load >= EXCESS_REVERSALS;
  if (!oscillates(reversals)) return { ...base, oscillating: false };
  const trials = candidateWindows(window).map((seconds): Trial => {
    // Only the summary and the changes are read: one row and one sample for the whole run.
    const scaledObject = withScaleDownWindow(arg.scaledObject, seconds);
    const run = runSimulation({ ...arg, scaledObject, rowEverySeconds: result.durationSeconds, sampleEverySeconds: result.durationSeconds });
    return { stabilizationWindowSeconds: seconds, reversals: replicaReversals(run.changes), podHours: run.summary.podHours, peakReplicas: run.summary.peakReplicas };
  });
  const fewest = trials.reduce<Trial | undefined>((best, t) => (best === undefined || t.reversals < best.reversals ? t : best), undefined);
  const suggestion = trials.find((t) => !oscillates(t.reversals)) ?? (fewest !== undefined && fewest.reversals < reversals ? fewest : undefined);
  return { ...base, oscillating: true, trials, ...(suggestion === undefined ? {} : { suggestion }) };
};

export { analyzeOscillation, candidateWindows, loadReversals, replicaReversals, withScaleDownWindow };
export type { Oscillation, Trial };
