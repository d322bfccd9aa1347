/**
 * Properties of `decide` over random ScaledObjects (min/max/idle, behavior policies, tolerances,
 * pause flags), observations and remembered states (DESIGN.md §5 quality bars):
 *
 * 1. bounds: unless paused, the result is ≤ maxReplicaCount and either 0, idleReplicaCount, or
 *    ≥ max(minReplicaCount, 1) (KEDA's own writes are 0/idle; the HPA floor is max(min, 1));
 * 2. one sync never steps beyond the policy limits, recent scale events included (hpa-spec §8.4), or
 *    the legacy max(2·C, 4) (§7.2);
 * 3. an evaluation where every metric errors never returns fewer replicas than spec.replicas
 *    (spec.replicas ≤ max, no pause, no fallback: those legitimately move the count);
 * 4. stabilization never reverses the direction of the metric's proposal;
 * 5. determinism: the same input gives a deep-equal decision, and the input is not mutated.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decide } from '../../shared/engine/decide.js';
import type { EngineState, EvaluationInput, MetricReading, ScaleEvent } from '../../shared/engine/types.js';
import type { HpaBehavior, HpaScalingPolicy, HpaScalingRules, MetricType, ScaledObject, SelectPolicy } from '../../shared/spec/types.js';
import { NOW, SECOND } from '../helpers/evaluation.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

// ------------------------------------------------------------------------------- generators

const policyArb: fc.Arbitrary<HpaScalingPolicy> = fc.record({
  type: fc.constantFrom('Pods' as const, 'Percent' as const),
  value: fc.integer({ min: 1, max: 300 }),
  periodSeconds: fc.integer({ min: 1, max: 1800 }),
});

const rulesArb: fc.Arbitrary<HpaScalingRules> = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
    selectPolicy: fc.constantFrom<SelectPolicy>('Max', 'Min', 'Disabled'),
    policies: fc.array(policyArb, { minLength: 1, maxLength: 3 }),
    tolerance: fc.constantFrom(0, 0.01, 0.05, 0.1, 0.25, 0.5),
  },
  { requiredKeys: [] },
);

const behaviorArb: fc.Arbitrary<HpaBehavior | undefined> = fc.option(
  fc.record({ scaleUp: rulesArb, scaleDown: rulesArb }, { requiredKeys: [] }),
  { nil: undefined },
);

interface SpecShape {
  readonly min: number;
  readonly max: number;
  readonly idle: number | undefined;
  readonly cooldown: number;
  readonly behavior: HpaBehavior | undefined;
  readonly metricType: MetricType;
  readonly target: number;
  readonly activation: number;
  readonly extraTriggers: number;
}

const specShapeArb: fc.Arbitrary<SpecShape> = fc
  .record({
    min: fc.integer({ min: 0, max: 5 }),
    span: fc.integer({ min: 0, max: 30 }),
    idleSeed: fc.option(fc.nat(), { nil: undefined }),
    cooldown: fc.constantFrom(0, 30, 300, 600),
    behavior: behaviorArb,
    metricType: fc.constantFrom<MetricType>('AverageValue', 'Value'),
    target: fc.integer({ min: 1, max: 20 }),
    activation: fc.integer({ min: 0, max: 3 }),
    extraTriggers: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ min, span, idleSeed, ...rest }) => ({
    ...rest,
    min,
    max: Math.max(min, 1) + span,
    // idleReplicaCount must be < minReplicaCount
    idle: idleSeed === undefined || min === 0 ? undefined : idleSeed % min,
  }));

interface PauseShape {
  readonly paused: boolean;
  readonly pausedReplicas: number | undefined;
  readonly pausedScaleIn: boolean;
  readonly pausedScaleOut: boolean;
  readonly forceActivation: boolean;
}

const noPause: PauseShape = { paused: false, pausedReplicas: undefined, pausedScaleIn: false, pausedScaleOut: false, forceActivation: false };

const pauseArb: fc.Arbitrary<PauseShape> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(noPause) },
  {
    weight: 2,
    arbitrary: fc.record({
      paused: fc.boolean(),
      pausedReplicas: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      pausedScaleIn: fc.boolean(),
      pausedScaleOut: fc.boolean(),
      forceActivation: fc.boolean(),
    }),
  },
);

const soOf = (shape: SpecShape, pause: PauseShape = noPause): ScaledObject =>
  makeScaledObject({
    minReplicaCount: shape.min,
    maxReplicaCount: shape.max,
    idleReplicaCount: shape.idle,
    cooldownPeriod: shape.cooldown,
    behavior: shape.behavior,
    metricType: shape.metricType,
    target: shape.target,
    activationTarget: shape.activation,
    creationTimestamp: new Date(NOW - 3600 * SECOND).toISOString(),
    extraTriggers: Array.from({ length: shape.extraTriggers }, () => ({ metricType: shape.metricType, target: shape.target })),
    pause,
  });

const readingArb: fc.Arbitrary<MetricReading> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 500 }).map((value) => ({ value })) },
  { weight: 1, arbitrary: fc.constant({ error: 'AccessDenied' }) },
);

const ageMs = (maxSeconds: number) => fc.integer({ min: 0, max: maxSeconds }).map((s) => NOW - s * SECOND);

const stateArb = (withLastEvaluation: boolean): fc.Arbitrary<EngineState | undefined> =>
  fc.option(
    fc.record({
      recommendations: fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 60 }), time: ageMs(3600) }), { maxLength: 8 }),
      scaleUpEvents: fc.array(fc.record({ change: fc.integer({ min: 1, max: 20 }), time: ageMs(1800) }), { maxLength: 5 }),
      scaleDownEvents: fc.array(fc.record({ change: fc.integer({ min: 1, max: 20 }), time: ageMs(1800) }), { maxLength: 5 }),
      failures: fc.record({ '0': fc.integer({ min: 0, max: 5 }) }),
      lastActiveTime: fc.option(ageMs(3600), { nil: undefined }),
      lastEvaluationTime: withLastEvaluation ? fc.option(ageMs(120), { nil: undefined }) : fc.constant(undefined),
    }),
    { nil: undefined },
  );

const observationArb = (shape: SpecShape, reading: fc.Arbitrary<MetricReading>) =>
  fc
    .record({
      spec: fc.integer({ min: 0, max: shape.max + 10 }),
      statusDelta: fc.integer({ min: -2, max: 2 }),
      unready: fc.integer({ min: 0, max: 3 }),
      readings: fc.array(reading, { minLength: shape.extraTriggers + 1, maxLength: shape.extraTriggers + 1 }),
    })
    .map(({ spec, statusDelta, unready, readings }) => {
      const statusReplicas = Math.max(0, spec + statusDelta);
      return {
        specReplicas: spec,
        statusReplicas,
        readyReplicas: Math.max(0, statusReplicas - unready),
        metrics: Object.fromEntries(readings.map((r, i) => [String(i), r])),
      };
    });

const inputArb = (options: { readonly pause: boolean; readonly replay: boolean }): fc.Arbitrary<EvaluationInput> =>
  specShapeArb.chain((shape) =>
    fc
      .record({
        pause: options.pause ? pauseArb : fc.constant(noPause),
        observation: observationArb(shape, readingArb),
        state: stateArb(options.replay),
      })
      .map(({ pause, observation, state }) => {
        const base = { scaledObject: soOf(shape, pause), observation, now: NOW };
        return state === undefined ? base : { ...base, state };
      }),
  );

// ------------------------------------------------------------------------------- models

const DEFAULT_UP: HpaScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_DOWN: HpaScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

interface Events {
  readonly up: readonly ScaleEvent[];
  readonly down: readonly ScaleEvent[];
}

/** hpa-spec §8.4: Σ changes strictly younger than the period. */
const changeIn = (events: readonly ScaleEvent[], periodSeconds: number): number =>
  events.filter((e) => NOW - e.time < periodSeconds * SECOND).reduce((sum, e) => sum + e.change, 0);

/** The replica count at the start of the period: current − added + deleted. */
const periodStart = (events: Events, current: number, periodSeconds: number): number =>
  current - changeIn(events.up, periodSeconds) + changeIn(events.down, periodSeconds);

const upLimit = (rules: HpaScalingRules | undefined, current: number, events: Events): number => {
  const select = rules?.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  const proposals = (rules?.policies ?? DEFAULT_UP.policies ?? []).map((p) => {
    const start = periodStart(events, current, p.periodSeconds);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  const limit = select === 'Max' ? Math.max(...proposals) : Math.min(...proposals);
  return Math.max(limit, current);
};

const downLimit = (rules: HpaScalingRules | undefined, current: number, events: Events): number => {
  const select = rules?.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  const proposals = (rules?.policies ?? DEFAULT_DOWN.policies ?? []).map((p) => {
    const start = periodStart(events, current, p.periodSeconds);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  const limit = select === 'Max' ? Math.min(...proposals) : Math.max(...proposals);
  return Math.min(limit, current);
};

/** GetExternalPerPodMetricReplicas on milli-values (same expression order as the Go code). */
const averageValueProposal = (value: number, target: number, status: number, behavior: HpaBehavior | undefined): number => {
  const usage = value * 1000;
  const targetMilli = target * 1000;
  const ratio = usage / (targetMilli * status);
  const down = behavior?.scaleDown?.tolerance ?? 0.1;
  const up = behavior?.scaleUp?.tolerance ?? 0.1;
  return 1 - down <= ratio && ratio <= 1 + up ? status : Math.ceil(usage / targetMilli);
};

const hpaFloor = (so: ScaledObject): number => Math.max(so.spec.minReplicaCount, 1);

// ------------------------------------------------------------------------------- properties

describe('engine properties', () => {
  it('bounds: unless paused, result ≤ max and ∈ {0, idle} ∪ [max(min,1), max]', () => {
    fc.assert(
      fc.property(inputArb({ pause: true, replay: true }), (input) => {
        fc.pre(!input.scaledObject.pause.paused && input.scaledObject.pause.pausedReplicas === undefined);
        const { maxReplicaCount, idleReplicaCount } = input.scaledObject.spec;
        // 1 ≤ spec < max(min, 1) with an idle count: the HPA's early branch would raise it to min (with KEDA's
        // #2314 flapping when idle ≥ 1); the engine holds instead. Pinned by the row "HPA early branch …" in
        // kedaExecutor.test.ts rather than left to random discovery here.
        const spec = input.observation.specReplicas;
        fc.pre(!(idleReplicaCount !== undefined && spec >= 1 && spec < hpaFloor(input.scaledObject)));
        const { replicas } = decide(input);
        expect(Number.isInteger(replicas)).toBe(true);
        expect(replicas).toBeLessThanOrEqual(maxReplicaCount);
        const keda = replicas === 0 || replicas === idleReplicaCount;
        expect(keda || replicas >= hpaFloor(input.scaledObject)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('paused-replicas: the result is exactly the paused count', () => {
    fc.assert(
      fc.property(inputArb({ pause: true, replay: true }), (input) => {
        const { pausedReplicas } = input.scaledObject.pause;
        fc.pre(pausedReplicas !== undefined);
        expect(decide(input).replicas).toBe(pausedReplicas);
      }),
      { numRuns: 200 },
    );
  });

  it('one sync never steps beyond the policy limits, scale events included (behavior), or max(2·current, 4) (legacy)', () => {
    const arb = specShapeArb.chain((shape) =>
      fc.record({
        shape: fc.constant({ ...shape, metricType: 'AverageValue' as const, extraTriggers: 0 }),
        current: fc.integer({ min: Math.max(shape.min, 1), max: shape.max }),
        status: fc.integer({ min: 0, max: shape.max + 5 }),
        value: fc.integer({ min: 0, max: 1000 }),
        history: fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 60 }), time: ageMs(3600) }), { maxLength: 6 }),
        up: fc.array(fc.record({ change: fc.integer({ min: 1, max: 20 }), time: ageMs(1800) }), { maxLength: 4 }),
        down: fc.array(fc.record({ change: fc.integer({ min: 1, max: 20 }), time: ageMs(1800) }), { maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, current, status, value, history, up, down }) => {
        const so = soOf(shape);
        const events: Events = { up, down };
        const state: EngineState = { recommendations: history, scaleUpEvents: up, scaleDownEvents: down, failures: {} };
        const { replicas } = decide({
          scaledObject: so,
          observation: { specReplicas: current, statusReplicas: status, readyReplicas: status, metrics: { '0': { value } } },
          state,
          now: NOW,
        });
        const behavior = shape.behavior;
        if (replicas > current) {
          const limit = behavior === undefined ? Math.max(2 * current, 4) : upLimit(behavior.scaleUp, current, events);
          expect(replicas).toBeLessThanOrEqual(limit);
        } else if (replicas < current && replicas >= hpaFloor(so) && behavior !== undefined) {
          expect(replicas).toBeGreaterThanOrEqual(downLimit(behavior.scaleDown, current, events));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('metric errors never lower replicas: every metric failing keeps ≥ spec.replicas', () => {
    const arb = specShapeArb.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        observation: observationArb(shape, fc.constant({ error: 'ThrottlingException' })),
        state: stateArb(true),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, observation, state }) => {
        fc.pre(observation.specReplicas <= shape.max);
        const base = { scaledObject: soOf(shape), observation, now: NOW };
        const { replicas } = decide(state === undefined ? base : { ...base, state });
        expect(replicas).toBeGreaterThanOrEqual(observation.specReplicas);
      }),
      { numRuns: 500 },
    );
  });

  it('stabilization never reverses direction: proposal ≥ current ⇒ result ≥ current, and vice versa', () => {
    const arb = specShapeArb.chain((shape) =>
      fc.record({
        shape: fc.constant({ ...shape, metricType: 'AverageValue' as const, extraTriggers: 0, activation: 0 }),
        current: fc.integer({ min: Math.max(shape.min, 1), max: shape.max }),
        status: fc.integer({ min: 0, max: shape.max + 5 }),
        value: fc.integer({ min: 1, max: 1000 }),
        history: fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 60 }), time: ageMs(3600) }), { maxLength: 8 }),
        seeded: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, current, status, value, history, seeded }) => {
        const so = soOf(shape);
        const observation = { specReplicas: current, statusReplicas: status, readyReplicas: status, metrics: { '0': { value } } };
        // The legacy path (no behavior) is k8s' stabilizeRecommendation: max(desired, every recommendation in
        // the window), with no clamp to the current count, so an old recommendation ABOVE the current count
        // (e.g. after a manual scale-down) legitimately scales up. Such histories are left out there; the
        // behavior path clamps to the current count (hpa-spec §8.3) and gets any history.
        const recommendations = shape.behavior === undefined ? history.filter((r) => r.replicas <= current) : history;
        const input: EvaluationInput = seeded
          ? { scaledObject: so, observation, now: NOW }
          : { scaledObject: so, observation, state: { recommendations, scaleUpEvents: [], scaleDownEvents: [], failures: {} }, now: NOW };
        const proposal = averageValueProposal(value, shape.target, status, shape.behavior);
        const { replicas } = decide(input);
        if (proposal >= current) expect(replicas).toBeGreaterThanOrEqual(current);
        if (proposal <= current) expect(replicas).toBeLessThanOrEqual(current);
      }),
      { numRuns: 500 },
    );
  });

  it('determinism: the same input gives a deep-equal decision and is not mutated', () => {
    fc.assert(
      fc.property(inputArb({ pause: true, replay: true }), (input) => {
        const snapshot = structuredClone(input);
        const first = decide(input);
        expect(input).toEqual(snapshot);
        const second = decide(structuredClone(snapshot));
        expect(second).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});
