/**
 * Small builders for engine inputs, plus `replay`, which feeds a sequence of evaluations and hands
 * each decision's state to the next one (what the DynamoDB round-trip does in production).
 */
import { decide } from '../../shared/engine/decide.js';
import type {
  Condition,
  Decision,
  EngineState,
  EvaluationInput,
  MetricReading,
  Observation,
  Recommendation,
  ScaleEvent,
} from '../../shared/engine/types.js';
import type { HpaScalingPolicy, HpaScalingRules, ScaledObject, SelectPolicy } from '../../shared/spec/types.js';

/** A fixed evaluation time: every age in the tables is relative to it. */
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const value = (v: number): MetricReading => ({ value: v });
const failure = (error = 'something went wrong'): MetricReading => ({ error });

interface ObservationInput {
  readonly spec: number;
  /** default: spec */
  readonly status?: number;
  /** default: status */
  readonly ready?: number;
  readonly metrics: Readonly<Record<string, MetricReading>>;
}

const observe = ({ spec, status, ready, metrics }: ObservationInput): Observation => {
  const statusReplicas = status ?? spec;
  return { specReplicas: spec, statusReplicas, readyReplicas: ready ?? statusReplicas, metrics };
};

/** A state that exists but remembers nothing: no recommendation history, no scale events. */
const emptyState = (overrides: Partial<EngineState> = {}): EngineState => ({
  recommendations: [],
  scaleUpEvents: [],
  scaleDownEvents: [],
  failures: {},
  ...overrides,
});

/** A recommendation made `ageSeconds` before NOW. */
const rec = (replicas: number, ageSeconds: number): Recommendation => ({ replicas, time: NOW - ageSeconds * SECOND });
/** A scale event of size `change` made `ageSeconds` before NOW. */
const ev = (change: number, ageSeconds: number): ScaleEvent => ({ change, time: NOW - ageSeconds * SECOND });

/**
 * Same placement as the Go helper `generateEventsUniformDistribution`: the window
 * [NOW − period, NOW] is cut into one segment per event and each event sits mid-segment, the first
 * one oldest. E.g. 3 events over 120 s are 100 s, 60 s and 20 s old.
 */
const uniformEvents = (changes: readonly number[], periodSeconds: number): ScaleEvent[] => {
  const segment = periodSeconds / changes.length;
  return changes.map((change, i) => ev(change, Math.trunc(periodSeconds - segment * (i + 1) + segment / 2)));
};

/** Same shape as the Go helper `generateScalingRules` (a 0 value leaves that policy out; select Max). */
const rules = (
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
  stabilizationWindowSeconds: number,
  selectPolicy: SelectPolicy = 'Max',
): HpaScalingRules => {
  const policies: HpaScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds, selectPolicy, policies };
};

const input = (
  scaledObject: ScaledObject,
  observation: Observation,
  state: EngineState | undefined,
  now: number = NOW,
): EvaluationInput => (state === undefined ? { scaledObject, observation, now } : { scaledObject, observation, state, now });

const evaluate = (
  scaledObject: ScaledObject,
  observation: Observation,
  state?: EngineState,
  now: number = NOW,
): Decision => decide(input(scaledObject, observation, state, now));

interface ReplayStep {
  /** Epoch ms of this evaluation. */
  readonly at: number;
  readonly metrics: Readonly<Record<string, MetricReading>>;
  /** default: the previous decision's replicas (the PATCH succeeded), or `initialSpec` */
  readonly spec?: number;
  /** default: spec (pods follow at once) */
  readonly status?: number;
  /** default: status */
  readonly ready?: number;
}

interface ReplayOptions {
  readonly initialSpec: number;
  /** State before the first step; undefined = the object's first evaluation ever. */
  readonly state?: EngineState;
}

/** Feeds `steps` in order; each evaluation sees the state the previous decision returned. */
const replay = (scaledObject: ScaledObject, steps: readonly ReplayStep[], options: ReplayOptions): Decision[] => {
  const decisions: Decision[] = [];
  let spec = options.initialSpec;
  let state = options.state;
  for (const step of steps) {
    const currentSpec = step.spec ?? spec;
    const observation = observe({ spec: currentSpec, status: step.status, ready: step.ready, metrics: step.metrics });
    const decision = evaluate(scaledObject, observation, state, step.at);
    decisions.push(decision);
    spec = decision.replicas;
    state = decision.state;
  }
  return decisions;
};

/**
 * `[name, row]` pairs for `it.each(named(rows))('%s', (_name, row) => …)`: vitest shortens a `$name`
 * interpolation to 40 characters, `%s` prints the whole row name (the Go test and case it cites).
 */
const named = <T extends { readonly name: string }>(rows: readonly T[]): [string, T][] => rows.map((row) => [row.name, row]);

const findCondition = (decision: Decision, type: Condition['type']): Condition | undefined =>
  decision.conditions.find((c) => c.type === type);

export {
  MINUTE,
  NOW,
  SECOND,
  emptyState,
  ev,
  evaluate,
  failure,
  findCondition,
  input,
  named,
  observe,
  rec,
  replay,
  rules,
  uniformEvents,
  value,
};
export type { ObservationInput, ReplayOptions, ReplayStep };
