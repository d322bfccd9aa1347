/**
 * From raw readings to what KEDA's scale loop and the HPA see: failure counting, fallback
 * (`pkg/fallback/fallback.go`), activation (`value > activationTarget`, strict), sanitizing
 * (NaN, ±Inf and negatives are reported as 0), and the scalingModifiers composite metric, whose
 * formula failing (an error, nil, or ±Inf/NaN) is a failed reading with its own failure count.
 *
 * cpu/memory triggers are the HPA's own Resource metrics, as KEDA writes them: they pass to the HPA
 * with their pods, are skipped for activation (an object with nothing else is always active), never
 * enter the formula, and have no fallback. A failed pod read still counts as an error, so it never
 * lets the object scale to zero.
 */
import { isResourceTrigger, type ExternalTrigger, type Fallback, type ResourceTrigger, type ScaledObject } from '../spec/types.js';
import { compileFormula, type CompiledFormula } from '../spec/formula.js';
import { keyedRecord, own } from './keyed.js';
import type { ExternalHpaMetric, HpaMetric } from './replicaCalculator.js';
import { resourceReplicas, type ResourceMetricSpec } from './resourceReplicas.js';
import type { ControllerSettings } from './resourceMetrics.js';
import { DEFAULT_TOLERANCE } from './tolerances.js';
import type { MetricReading, Observation } from './types.js';

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
  /** Per trigger: the value read (cpu/memory: the utilization percent or average usage), or the error. */
  readonly values: Readonly<Record<string, number | string>>;
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
const fallbackMetric = (
  key: string,
  metricType: ExternalTrigger['metricType'],
  target: number,
  replicas: number,
  ready: number,
): ExternalHpaMetric | { readonly key: string; readonly error: string } => {
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
  readonly trigger: ExternalTrigger;
  readonly value?: number;
  /** The reading's own activation value, when it has one. */
  readonly activationValue?: number;
  readonly error?: string;
  readonly inFallback: boolean;
}

const resourceSpec = (trigger: ResourceTrigger): ResourceMetricSpec => ({
  name: trigger.type,
  metricType: trigger.metricType,
  target: trigger.targetMilli,
  ...(trigger.metadata.containerName === undefined ? {} : { container: trigger.metadata.containerName }),
});

const readingError = (reading: MetricReading | undefined, expected: 'a value' | 'pods and podMetrics'): string => {
  if (reading === undefined) return 'no reading for this trigger';
  if ('error' in reading) return reading.error;
  return `expected ${expected}, got ${'value' in reading ? 'a value' : 'pods and podMetrics'}`;
};

/** A cpu/memory trigger as the HPA metric it becomes, and how the decision message shows it. */
const resourceMetric = (trigger: ResourceTrigger, reading: MetricReading | undefined, current: number, controller: ControllerSettings, now: number) => {
  const resource = resourceSpec(trigger);
  const percent = trigger.metricType === 'Utilization';
  const shown = (value: string) => `${trigger.key}=${value}/${trigger.metadata.value}${percent ? '%' : ''}`;
  if (reading === undefined || !('pods' in reading)) {
    const error = readingError(reading, 'pods and podMetrics');
    return { metric: { key: trigger.key, error, resource } satisfies HpaMetric, summary: shown('error'), value: error, error };
  }
  // The utilization (or average usage) the HPA reports in status, at this evaluation.
  const tolerances = { scaleUp: DEFAULT_TOLERANCE, scaleDown: DEFAULT_TOLERANCE };
  const proposal = resourceReplicas(resource, reading, { current, tolerances, settings: controller, now });
  const metric = { key: trigger.key, resource, pods: reading } satisfies HpaMetric;
  if ('error' in proposal) return { metric, summary: shown('error'), value: proposal.error, error: undefined };
  // Utilization in percent; AverageValue in the resource's unit (cores, bytes).
  return { metric, summary: shown(`${proposal.current}${percent ? '%' : 'm'}`), value: percent ? proposal.current : proposal.current / 1000, error: undefined };
};

const readTriggers = (
  so: ScaledObject,
  observation: Observation,
  previousFailures: Readonly<Record<string, number>>,
  controller: ControllerSettings,
  now: number,
): TriggerReadings => {
  const { fallback } = so.spec;
  const modifiers = so.spec.advanced.scalingModifiers;
  const F = fallback === undefined ? 0 : fallbackReplicas(fallback, observation.specReplicas);
  const failures = keyedRecord<number>();
  const values = keyedRecord<number | string>();
  const states: TriggerState[] = [];
  const resourceMetrics: HpaMetric[] = [];
  // In spec order, as the HPA evaluates them: the first failure names the reason.
  const hpaMetrics: HpaMetric[] = [];
  const summaries: string[] = [];
  let resourceError = false;
  // One pass in spec order: this runs for every object of every tick (DESIGN.md §5, ≥ 100k decisions/s).
  for (const trigger of so.spec.triggers) {
    if (isResourceTrigger(trigger)) {
      const r = resourceMetric(trigger, own(observation.metrics, trigger.key), observation.specReplicas, controller, now);
      resourceMetrics.push(r.metric);
      hpaMetrics.push(r.metric);
      summaries.push(r.summary);
      values[trigger.key] = r.value;
      // At zero replicas the HPA computes no metric: nothing to read is no error (KEDA wakes the target).
      resourceError ||= r.error !== undefined && observation.specReplicas > 0;
      continue;
    }
    const reading = own(observation.metrics, trigger.key);
    let state: TriggerState;
    if (reading !== undefined && 'value' in reading) {
      state = { trigger, value: reading.value, activationValue: reading.activationValue, inFallback: false };
    } else {
      const count = (own(previousFailures, trigger.key) ?? 0) + 1;
      failures[trigger.key] = count;
      // Strictly greater: failureThreshold 3 tolerates three failures and falls back on the fourth.
      state = { trigger, error: readingError(reading, 'a value'), inFallback: fallback !== undefined && count > fallback.failureThreshold };
    }
    states.push(state);
    values[trigger.key] = state.error ?? state.value ?? 0;
    summaries.push(`${trigger.key}=${state.error === undefined ? state.value : state.inFallback ? 'fallback' : 'error'}/${trigger.target}`);
    if (modifiers !== undefined) continue;
    if (state.inFallback) hpaMetrics.push(fallbackMetric(trigger.key, trigger.metricType, trigger.target, F, observation.readyReplicas));
    else if (state.error !== undefined) hpaMetrics.push({ key: trigger.key, error: state.error });
    else hpaMetrics.push({ key: trigger.key, metricType: trigger.metricType, target: trigger.target, value: sanitize(state.value ?? 0) });
  }
  const fallbackActive = states.some((s) => s.inFallback);
  const summary = summaries.join(' ');
  // KEDA: with only cpu/memory triggers the object is always active (they never report activity).
  const onlyResources = states.length === 0;

  if (modifiers === undefined) {
    return {
      hpaMetrics,
      // Activation is decided on the raw value; NaN is never active.
      active: onlyResources || states.some((s) => s.inFallback || (s.error === undefined && (s.activationValue ?? s.value ?? 0) > s.trigger.activationTarget)),
      isError: states.some((s) => s.error !== undefined && !s.inFallback) || resourceError,
      fallbackActive,
      failures,
      summary,
      values,
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
    // KEDA keeps cpu/memory as plain Resource metrics beside the composite one.
    return {
      hpaMetrics: [metric, ...resourceMetrics],
      active,
      isError: error !== undefined || resourceError,
      fallbackActive: inFallback,
      failures,
      values,
      summary: `${summary} ${key}=${shown}/${modifiers.target}`,
    };
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

export { fallbackReplicas, readTriggers, resourceMetric, sanitize };
export type { TriggerReadings };
