/**
 * From raw readings to what KEDA's scale loop and the HPA see: failure counting, fallback
 * (`pkg/fallback/fallback.go`), activation (`value > activationTarget`, strict), sanitizing
 * (NaN, ±Inf and negatives are reported as 0), and the scalingModifiers composite metric, whose
 * formula failing (an error, nil, or ±Inf/NaN) is a failed reading with its own failure count.
 */
import type { Fallback, ScaledObject, Trigger } from '../spec/types.js';
import { compileFormula, type CompiledFormula } from '../spec/formula.js';
import { keyedRecord, own } from './keyed.js';
import type { HpaMetric } from './replicaCalculator.js';
import type { Observation } from './types.js';

/** What one evaluation learned from its triggers. */
interface TriggerReadings {
  /** Metrics for the HPA: one per trigger, or the single composite metric. */
  readonly hpaMetrics: readonly HpaMetric[];
  /** OR over triggers (or composite > activationTarget), fallback counting as active. */
  readonly active: boolean;
  /** Some trigger failed and fallback did not absorb it. */
  readonly isError: boolean;
  readonly fallbackActive: boolean;
  /** Consecutive failures per trigger key; keys with none are omitted. */
  readonly failures: Readonly<Record<string, number>>;
  /** `key=value/target` per trigger, for the decision message. */
  readonly summary: string;
}

/** `GenerateMetricInMili` reports NaN, ±Inf and negatives as 0. */
const sanitize = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);

/** `doFallback`: the replica count to fall back to, per `fallback.behavior`. */
const fallbackReplicas = (fallback: Fallback, current: number): number => {
  switch (fallback.behavior) {
    case 'currentReplicas':
      return current;
    case 'currentReplicasIfHigher':
      return Math.max(current, fallback.replicas);
    case 'currentReplicasIfLower':
      return Math.min(current, fallback.replicas);
    default:
      return fallback.replicas;
  }
};

/**
 * The metric KEDA hands to the HPA so that it computes exactly F replicas: T×F for AverageValue,
 * T×F/readyPods for Value (which fails without ready pods, as in KEDA).
 */
const fallbackMetric = (key: string, metricType: Trigger['metricType'], target: number, replicas: number, ready: number): HpaMetric => {
  if (metricType === 'AverageValue') return { key, metricType, target, value: target * replicas };
  if (ready === 0) return { key, error: 'fallback for a Value metric needs ready pods, and there are none' };
  return { key, metricType, target, value: (target * replicas) / ready };
};

/** The composite metric's key: in messages, and in `failures` while its formula fails. */
const COMPOSITE_KEY = 'composite-metric';

const formulaCache = new Map<string, CompiledFormula>();
/** Compiling is parsing; do it once per formula text, not once per evaluation. */
const compiled = (source: string, names: readonly string[]): CompiledFormula => {
  const cacheKey = `${names.join('\u0000')}\u0001${source}`;
  let formula = formulaCache.get(cacheKey);
  if (formula === undefined) {
    formula = compileFormula(source, names);
    formulaCache.set(cacheKey, formula);
  }
  return formula;
};

interface TriggerState {
  readonly trigger: Trigger;
  readonly value?: number;
  /** The reading's own activation value, when it has one. */
  readonly activationValue?: number;
  readonly error?: string;
  readonly inFallback: boolean;
}

const readTriggers = (so: ScaledObject, observation: Observation, previousFailures: Readonly<Record<string, number>>): TriggerReadings => {
  const { fallback } = so.spec;
  const failures = keyedRecord<number>();
  const states: TriggerState[] = so.spec.triggers.map((trigger) => {
    const reading = own(observation.metrics, trigger.key);
    if (reading !== undefined && 'value' in reading) return { trigger, value: reading.value, activationValue: reading.activationValue, inFallback: false };
    const count = (own(previousFailures, trigger.key) ?? 0) + 1;
    failures[trigger.key] = count;
    const error = reading === undefined ? 'no reading for this trigger' : reading.error;
    // Strictly greater: failureThreshold 3 tolerates three failures and falls back on the fourth.
    return { trigger, error, inFallback: fallback !== undefined && count > fallback.failureThreshold };
  });
  const F = fallback === undefined ? 0 : fallbackReplicas(fallback, observation.specReplicas);
  const fallbackActive = states.some((s) => s.inFallback);
  const summary = states
    .map((s) => `${s.trigger.key}=${s.error === undefined ? s.value : s.inFallback ? 'fallback' : 'error'}/${s.trigger.target}`)
    .join(' ');
  const modifiers = so.spec.advanced.scalingModifiers;

  if (modifiers === undefined) {
    const hpaMetrics = states.map(({ trigger, value, error, inFallback }): HpaMetric => {
      if (inFallback) return fallbackMetric(trigger.key, trigger.metricType, trigger.target, F, observation.readyReplicas);
      if (error !== undefined) return { key: trigger.key, error };
      return { key: trigger.key, metricType: trigger.metricType, target: trigger.target, value: sanitize(value ?? 0) };
    });
    return {
      hpaMetrics,
      // Activation is decided on the raw value; NaN is never active.
      active: states.some((s) => s.inFallback || (s.error === undefined && (s.activationValue ?? s.value ?? 0) > s.trigger.activationTarget)),
      isError: states.some((s) => s.error !== undefined && !s.inFallback),
      fallbackActive,
      failures,
      summary,
    };
  }

  // scalingModifiers: one composite metric replaces every trigger's metric.
  const key = COMPOSITE_KEY;
  const composite = (value: number | undefined, error?: string, inFallback = fallbackActive): TriggerReadings => {
    const metric: HpaMetric =
      error !== undefined || value === undefined
        ? { key, error: error ?? 'formula produced no value' }
        : { key, metricType: modifiers.metricType, target: modifiers.target, value: sanitize(value) };
    const active = inFallback || (error === undefined && value !== undefined && value > modifiers.activationTarget);
    const shown = error === undefined ? value : 'error';
    return { hpaMetrics: [metric], active, isError: error !== undefined, fallbackActive: inFallback, failures, summary: `${summary} ${key}=${shown}/${modifiers.target}` };
  };
  const failing = states.find((s) => s.error !== undefined && !s.inFallback);
  if (failing !== undefined) return composite(undefined, `trigger ${failing.trigger.key}: ${failing.error}`);
  const compositeFallback = (): TriggerReadings => {
    const m = fallbackMetric(key, modifiers.metricType, modifiers.target, F, observation.readyReplicas);
    return 'error' in m ? composite(undefined, m.error, true) : composite(m.value, undefined, true);
  };
  // Default fallback behavior skips the formula as soon as any trigger is in fallback.
  if (fallbackActive && fallback?.behavior !== 'scalingModifiers') return compositeFallback();
  /** The formula could not give a number: a failed reading of the composite metric, counted like a trigger's. */
  const formulaFailed = (error: string): TriggerReadings => {
    const count = (own(previousFailures, key) ?? 0) + 1;
    failures[key] = count;
    return fallback !== undefined && count > fallback.failureThreshold ? compositeFallback() : composite(undefined, error);
  };
  const named = states.filter((s) => s.trigger.name !== undefined);
  const env = keyedRecord(named.map((s): [string, number | null] => [s.trigger.name as string, s.inFallback ? null : sanitize(s.value ?? 0)]));
  let result: number | null;
  try {
    result = compiled(modifiers.formula, named.map((s) => s.trigger.name as string)).evaluate(env);
  } catch (error) {
    return formulaFailed(`formula: ${(error as Error).message}`);
  }
  // behavior scalingModifiers: a nil result means "fall back" (F × target).
  if (result === null) return fallbackActive ? compositeFallback() : formulaFailed('formula returned nil');
  // KEDA would report ±Inf and NaN as 0 and so steer towards scaling in; a division by zero is no reading.
  if (!Number.isFinite(result)) return formulaFailed(`formula evaluated to ${String(result)} (a division by zero?), which is no reading`);
  return composite(result);
};

export { fallbackReplicas, readTriggers, sanitize };
export type { TriggerReadings };
