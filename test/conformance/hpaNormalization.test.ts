/**
 * Whole-reconcile and normalization cases transcribed from kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal_test.go.
 *
 * Mapping onto LPA (see hpa-spec.md and keda-semantics.md §2.4):
 * - HPA minReplicas/maxReplicas → minReplicaCount/maxReplicaCount (KEDA passes max(min,1)).
 * - CPU / Pods / Object metrics of the Go tests become External triggers with the same ratio:
 *   AverageValue target T over statusReplicas S proposes ceil(M/T); Value proposes ceil(M/T·ready).
 * - Go `recommendations: nil` (first reconcile, history seeded with the current size) → no state at
 *   all; Go `recommendations: []timestampedRecommendation{}` → a state with empty lists.
 * - No lastEvaluationTime: an evaluation is exactly one HPA sync (DESIGN.md §3).
 * - horizontal_test.go sets scaleUpLimitFactor = 8 in init(); production is 2. Rows on the legacy
 *   path are recomputed with 2 (max(2·current, 4)); the ones where that changes the result say so.
 * - Reasons come from the ScalingLimited / AbleToScale / ScalingActive conditions the Go tests assert.
 */
import { describe, expect, it } from 'vitest';

import type { Condition, EngineState, MetricReading } from '../../shared/engine/types.js';
import type { HpaBehavior, HpaScalingRules, MetricType } from '../../shared/spec/types.js';
import { NOW, SECOND, emptyState, evaluate, failure, named, observe, rec, value } from '../helpers/evaluation.js';
import { makeScaledObject, type ScaledObjectOverrides } from '../helpers/scaledObject.js';

interface TriggerRow {
  readonly metricType: MetricType;
  readonly target: number;
  readonly reading: MetricReading;
}

interface ReconcileRow {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly spec: number;
  readonly status?: number;
  readonly ready?: number;
  readonly triggers: readonly TriggerRow[];
  readonly behavior?: HpaBehavior;
  /** undefined = the object's first evaluation (Go: recommendations nil). */
  readonly state?: EngineState;
  readonly expected: number;
  readonly conditions?: readonly ExpectedCondition[];
}

/** A condition the Go test asserts; reason left out where the Go reason has no External equivalent. */
interface ExpectedCondition {
  readonly type: Condition['type'];
  readonly status: Condition['status'];
  readonly reason?: string;
}

const avg = (target: number, v: number): TriggerRow => ({ metricType: 'AverageValue', target, reading: value(v) });
const val = (target: number, v: number): TriggerRow => ({ metricType: 'Value', target, reading: value(v) });
const broken = (error?: string): TriggerRow => ({ metricType: 'AverageValue', target: 10, reading: failure(error) });

const readyForNewScale = { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' } as const;
const scaleDownStabilized = { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized' } as const;
const limited = (reason: string): ExpectedCondition => ({
  type: 'ScalingLimited',
  status: reason === 'DesiredWithinRange' ? 'False' : 'True',
  reason,
});
const scalingInactive = (reason?: string): ExpectedCondition =>
  reason === undefined ? { type: 'ScalingActive', status: 'False' } : { type: 'ScalingActive', status: 'False', reason };

const reconcileRows: readonly ReconcileRow[] = [
  { name: 'TestScaleUpCMExternal: Value 8.6 over target 6.666 on 3 ready pods → 4', min: 2, max: 6, spec: 3, triggers: [val(6.666, 8.6)], expected: 4 },
  { name: 'TestScaleUpPerPodCMExternal: AverageValue 8.6 over 2.222 → 4', min: 2, max: 6, spec: 3, triggers: [avg(2.222, 8.6)], expected: 4 },
  { name: 'TestScaleDownCMExternal: Value 8.6 over 14.4 on 5 pods → 3', min: 2, max: 6, spec: 5, triggers: [val(14.4, 8.6)], state: emptyState(), expected: 3 },
  { name: 'TestScaleDownPerPodCMExternal: AverageValue 8.6 over 3 → 3', min: 2, max: 6, spec: 5, triggers: [avg(3, 8.6)], state: emptyState(), expected: 3 },
  {
    name: 'TestToleranceCMExternal: Value ratio 0.992 is within tolerance',
    min: 2,
    max: 6,
    spec: 4,
    triggers: [val(8.666, 8.6)],
    expected: 4,
    conditions: [readyForNewScale],
  },
  {
    name: 'TestTolerancePerPodCMExternal: AverageValue ratio 0.977 is within tolerance',
    min: 2,
    max: 6,
    spec: 4,
    triggers: [avg(2.2, 8.6)],
    expected: 4,
    conditions: [readyForNewScale],
  },
  {
    name: 'TestScaleDownStabilizeInitialSize: first reconcile seeds the history with the current size',
    min: 2,
    max: 6,
    spec: 5,
    triggers: [avg(10, 28)],
    expected: 5,
    conditions: [scaleDownStabilized],
  },
  {
    name: 'TestStabilizeDownscale: a 1-minute-old recommendation of 4 holds, a 10-minute-old 10 does not',
    min: 1,
    max: 5,
    spec: 4,
    triggers: [avg(10, 20)],
    state: emptyState({ recommendations: [rec(10, 600), rec(4, 60)] }),
    expected: 4,
    conditions: [scaleDownStabilized],
  },
  { name: 'TestTooFewReplicas: current below min is raised to min without metrics', min: 3, max: 5, spec: 2, triggers: [avg(5, 1)], expected: 3 },
  { name: 'TestTooManyReplicas: current above max is lowered to max without metrics', min: 3, max: 5, spec: 10, triggers: [avg(5, 1)], expected: 5 },
  { name: 'TestScaleUpRCImmediately: below min scales up at once', min: 2, max: 6, spec: 1, triggers: [avg(5, 1)], expected: 2 },
  { name: 'TestScaleDownRCImmediately: above max scales down at once', min: 2, max: 5, spec: 6, triggers: [avg(5, 100)], expected: 5 },
  {
    name: 'TestMinReplicas: a proposal of 1 is clamped to min 2',
    min: 2,
    max: 5,
    spec: 3,
    triggers: [avg(10, 10)],
    state: emptyState(),
    expected: 2,
    conditions: [limited('TooFewReplicas')],
  },
  {
    name: 'TestMinReplicasDesiredZero: a proposal of 0 is clamped to min 2',
    min: 2,
    max: 5,
    spec: 3,
    triggers: [avg(10, 0)],
    state: emptyState(),
    expected: 2,
    conditions: [limited('TooFewReplicas')],
  },
  {
    // Go factor 8 gives a scale-up limit of 24, production factor 2 gives 6: both ≥ max 5.
    name: 'TestMaxReplicas: a proposal of 21 is clamped to max 5',
    min: 2,
    max: 5,
    spec: 3,
    triggers: [avg(1, 21)],
    expected: 5,
    conditions: [limited('TooManyReplicas')],
  },
  {
    // Go factor 8: limit 32; production: max(8, 4) = 8, still ≥ max 6.
    name: 'TestSuperfluousMetrics: a proposal of 24 is clamped to max 6',
    min: 2,
    max: 6,
    spec: 4,
    triggers: [avg(1, 24)],
    expected: 6,
    conditions: [limited('TooManyReplicas')],
  },
  { name: 'TestMissingReports: scale down from 4 to 2 with no history', min: 1, max: 5, spec: 4, triggers: [avg(10, 20)], state: emptyState(), expected: 2 },
  { name: 'TestEventCreated: scale up from 1 to 2', min: 1, max: 5, spec: 1, triggers: [avg(10, 20)], expected: 2 },
  {
    name: 'TestEventNotCreated: ratio exactly 1 keeps 2',
    min: 1,
    max: 5,
    spec: 2,
    triggers: [avg(10, 20)],
    expected: 2,
    conditions: [readyForNewScale],
  },
  {
    // A Resource test in Go; a Value target keeps its semantics (within tolerance → spec.replicas, not the surge pod count).
    name: 'TestMoreReplicasThanSpecNoScale: a rolling-update surge pod (status 5, spec 4) does not scale up',
    min: 1,
    max: 8,
    spec: 4,
    status: 5,
    triggers: [val(10, 10)],
    expected: 4,
    conditions: [readyForNewScale],
  },
  {
    name: 'TestNoBackoffUpscaleCM: a scale-up is not delayed by a recent rescale',
    min: 1,
    max: 5,
    spec: 3,
    triggers: [avg(15, 60)],
    state: emptyState({ recommendations: [rec(3, 15)] }),
    expected: 4,
    conditions: [limited('DesiredWithinRange')],
  },
  {
    name: 'TestNoBackoffUpscaleCMNoBackoffCpu: the maximum of two metric proposals (4 and 100) wins, clamped to max 5',
    min: 1,
    max: 5,
    spec: 3,
    triggers: [avg(15, 60), avg(1, 100)],
    expected: 5,
    conditions: [limited('TooManyReplicas')],
  },
  {
    name: 'TestScaleUpOneMetricInvalid: a scale-up proceeds on the valid metric when another fails',
    min: 2,
    max: 6,
    spec: 3,
    triggers: [avg(10, 40), broken('invalid metric source type "CheddarCheese"')],
    expected: 4,
  },
  {
    name: 'TestScaleUpOneMetricEmpty: a scale-up proceeds when an External metric cannot be fetched',
    min: 2,
    max: 6,
    spec: 3,
    triggers: [avg(10, 40), broken()],
    expected: 4,
  },
  {
    name: 'TestNoScaleDownOneMetricInvalid: a partial failure blocks the scale-down',
    min: 2,
    max: 6,
    spec: 5,
    triggers: [avg(10, 28), broken('invalid metric source type "CheddarCheese"')],
    state: emptyState(),
    expected: 5,
    conditions: [scalingInactive()],
  },
  {
    name: 'TestNoScaleDownOneMetricEmpty: a failing External metric blocks the scale-down',
    min: 2,
    max: 6,
    spec: 5,
    triggers: [avg(10, 28), broken()],
    state: emptyState(),
    expected: 5,
    conditions: [scalingInactive('FailedGetExternalMetric')],
  },
  {
    name: 'TestScaleUpBothMetricsEmpty: every metric failing keeps the current count',
    min: 2,
    max: 6,
    spec: 3,
    triggers: [broken()],
    expected: 3,
    conditions: [scalingInactive()],
  },
  {
    name: 'TestConditionFailedGetMetrics: FailedGetExternalMetric when the only External metric fails',
    min: 1,
    max: 100,
    spec: 3,
    triggers: [{ metricType: 'Value', target: 0.3, reading: failure() }],
    expected: 3,
    conditions: [scalingInactive('FailedGetExternalMetric')],
  },
  // TestConfigurableTolerance (HPAConfigurableTolerance enabled; the gate-disabled case does not apply:
  // LPA always honours behavior.*.tolerance). CPU utilization 102 % of target ≙ AverageValue ratio 1.02.
  {
    name: 'TestConfigurableTolerance: Scaling up because of a 1% configurable tolerance',
    min: 1,
    max: 5,
    spec: 3,
    triggers: [avg(10, 30.6)],
    behavior: { scaleUp: { tolerance: 0.01 } },
    expected: 4,
  },
  {
    name: 'TestConfigurableTolerance: No scale-down because of a 90% configurable tolerance',
    min: 1,
    max: 5,
    spec: 3,
    triggers: [avg(10, 9)],
    behavior: { scaleDown: { tolerance: 0.9 } },
    expected: 3,
    conditions: [readyForNewScale],
  },
  {
    name: 'TestConfigurableTolerance: No scaling because of the large default tolerance',
    min: 1,
    max: 5,
    spec: 3,
    triggers: [avg(10, 30.6)],
    expected: 3,
    conditions: [readyForNewScale],
  },
];

const runReconcile = (row: ReconcileRow) => {
  const [first, ...rest] = row.triggers;
  if (first === undefined) throw new Error(`${row.name}: no trigger`);
  const scaledObject = makeScaledObject({
    minReplicaCount: row.min,
    maxReplicaCount: row.max,
    metricType: first.metricType,
    target: first.target,
    behavior: row.behavior,
    extraTriggers: rest.map((t) => ({ metricType: t.metricType, target: t.target })),
  });
  const metrics = Object.fromEntries(row.triggers.map((t, i) => [String(i), t.reading]));
  return evaluate(scaledObject, observe({ spec: row.spec, status: row.status, ready: row.ready, metrics }), row.state);
};

// ---------------------------------------------------------------------------------------------
// TestNormalizeDesiredReplicas (stabilizeRecommendation, legacy path, 5-minute window).
// Current 6 so that "stabilized to 5" and "went to 3" are both visible. The Go test also counts the
// stored log (outdated entries are overwritten in place); LPA may prune entries older than the
// window (hpa-spec §11), so the rows check the entries inside the window instead.
interface LegacyStabilizationRow {
  readonly name: string;
  readonly history: EngineState['recommendations'];
  readonly desired: number;
  readonly expected: number;
  /** Replicas of the recorded entries no older than the 300 s window, sorted. */
  readonly inWindow: readonly number[];
}

const legacyStabilizationRows: readonly LegacyStabilizationRow[] = [
  { name: 'TestNormalizeDesiredReplicas: empty log', history: [], desired: 5, expected: 5, inWindow: [5] },
  { name: 'TestNormalizeDesiredReplicas: stabilize', history: [rec(4, 120), rec(5, 60)], desired: 3, expected: 5, inWindow: [3, 4, 5] },
  { name: 'TestNormalizeDesiredReplicas: no stabilize', history: [rec(1, 120), rec(2, 60)], desired: 3, expected: 3, inWindow: [1, 2, 3] },
  {
    name: 'TestNormalizeDesiredReplicas: no stabilize - old recommendations',
    history: [rec(10, 600), rec(9, 540)],
    desired: 3,
    expected: 3,
    inWindow: [3],
  },
  {
    name: 'TestNormalizeDesiredReplicas: stabilize - old recommendations',
    history: [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)],
    desired: 3,
    expected: 5,
    inWindow: [3, 4, 5],
  },
];

// ---------------------------------------------------------------------------------------------
// TestConvertDesiredReplicasWithRules (legacy clamp: [min, min(max, max(2·current, 4))]).
interface LegacyClampRow {
  readonly name: string;
  readonly current: number;
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly expected: number;
  readonly reason?: string;
  readonly state?: EngineState;
}

const legacyClampRows: readonly LegacyClampRow[] = [
  { name: 'TestConvertDesiredReplicasWithRules: prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
  { name: 'TestConvertDesiredReplicasWithRules: prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
  {
    // Go: HPA minReplicas 0 → 0. Through KEDA the HPA floor is max(minReplicaCount, 1) = 1; only KEDA
    // itself scales to zero, after the cooldown (not elapsed here: last active 10 s ago).
    name: 'TestConvertDesiredReplicasWithRules: prenormalized desired zeroed replicas within range (KEDA floor 1)',
    current: 1,
    desired: 0,
    min: 0,
    max: 10,
    expected: 1,
    state: emptyState({ lastActiveTime: NOW - 10 * SECOND }),
  },
  {
    // current 20 > max 10: the reconcile takes its early "above max" branch, so no ScalingLimited reason.
    name: 'TestConvertDesiredReplicasWithRules: maxReplicas is the limit because maxReplicas < scaleUpLimit',
    current: 20,
    desired: 1000,
    min: 1,
    max: 10,
    expected: 10,
  },
  {
    // Go expects calculateScaleUpLimit(3) with the test factor 8 = 24; production factor 2: max(6, 4) = 6.
    name: 'TestConvertDesiredReplicasWithRules: scaleUpLimit is the limit because scaleUpLimit < maxReplicas',
    current: 3,
    desired: 1000,
    min: 1,
    max: 2000,
    expected: 6,
    reason: 'ScaleUpLimit',
  },
];

// ---------------------------------------------------------------------------------------------
// TestNormalizeDesiredReplicasWithBehavior (stabilizeRecommendationWithBehaviors). The Go test sets
// both windows explicitly (0 when the row leaves one out). Policies here are permissive so that only
// stabilization shapes the result.
interface BehaviorStabilizationRow {
  readonly name: string;
  readonly history: EngineState['recommendations'];
  readonly current: number;
  readonly desired: number;
  readonly upWindow: number;
  readonly downWindow: number;
  readonly expected: number;
}

const permissive = (stabilizationWindowSeconds: number, direction: 'up' | 'down'): HpaScalingRules => ({
  stabilizationWindowSeconds,
  selectPolicy: 'Max',
  policies: direction === 'up' ? [{ type: 'Pods', value: 1000, periodSeconds: 15 }] : [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

const behaviorStabilizationRows: readonly BehaviorStabilizationRow[] = [
  { name: 'TestNormalizeDesiredReplicasWithBehavior: empty recommendations for scaling down', history: [], current: 100, desired: 5, upWindow: 0, downWindow: 0, expected: 5 },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: simple scale down stabilization',
    history: [rec(4, 120), rec(5, 60)],
    current: 100,
    desired: 3,
    upWindow: 0,
    downWindow: 180,
    expected: 5,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: simple scale up stabilization',
    history: [rec(4, 120), rec(5, 60)],
    current: 1,
    desired: 7,
    upWindow: 300,
    downWindow: 0,
    expected: 4,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: no scale down stabilization',
    history: [rec(1, 120), rec(2, 60)],
    current: 100,
    desired: 3,
    upWindow: 300,
    downWindow: 0,
    expected: 3,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: no scale up stabilization',
    history: [rec(4, 120), rec(5, 60)],
    current: 1,
    desired: 3,
    upWindow: 0,
    downWindow: 300,
    expected: 3,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: no scale down stabilization, reuse recommendation element',
    history: [rec(10, 600), rec(9, 540)],
    current: 100,
    desired: 3,
    upWindow: 0,
    downWindow: 0,
    expected: 3,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: no scale up stabilization, reuse recommendation element',
    history: [rec(10, 600), rec(9, 540)],
    current: 1,
    desired: 100,
    upWindow: 0,
    downWindow: 0,
    expected: 100,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: scale down stabilization, reuse one of obsolete recommendation element',
    history: [rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)],
    current: 100,
    desired: 3,
    upWindow: 0,
    downWindow: 180,
    expected: 5,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: scale up stabilization, reuse one of obsolete recommendation element',
    history: [rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)],
    current: 1,
    desired: 100,
    upWindow: 300,
    downWindow: 0,
    expected: 5,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: scale up and down stabilization, do not scale up when prenormalized rec goes down',
    history: [rec(2, 6000), rec(3, 180)],
    current: 2,
    desired: 1,
    upWindow: 300,
    downWindow: 300,
    expected: 2,
  },
  {
    name: 'TestNormalizeDesiredReplicasWithBehavior: scale up and down stabilization, do not scale down when prenormalized rec goes up',
    history: [rec(2, 6000), rec(1, 180)],
    current: 2,
    desired: 3,
    upWindow: 300,
    downWindow: 300,
    expected: 2,
  },
];

/** One AverageValue trigger with target 1 proposes exactly `desired` (outside tolerance of `current`). */
const proposing = (extra: ScaledObjectOverrides) => makeScaledObject({ target: 1, ...extra });

describe('HPA reconcile (horizontal_test.go, single sync)', () => {
  it.each(named(reconcileRows))('%s', (_name, row) => {
    const decision = runReconcile(row);
    expect(decision.replicas).toBe(row.expected);
    for (const condition of row.conditions ?? []) {
      expect(decision.conditions).toContainEqual(expect.objectContaining(condition));
    }
  });
});

describe('legacy stabilization (TestNormalizeDesiredReplicas)', () => {
  it.each(named(legacyStabilizationRows))('%s', (_name, row) => {
    const scaledObject = proposing({ minReplicaCount: 1, maxReplicaCount: 100 });
    const decision = evaluate(
      scaledObject,
      observe({ spec: 6, metrics: { '0': value(row.desired) } }),
      emptyState({ recommendations: row.history }),
    );
    expect(decision.replicas).toBe(row.expected);
    const inWindow = decision.state.recommendations
      .filter((r) => NOW - r.time <= 300 * SECOND)
      .map((r) => r.replicas)
      .sort((a, b) => a - b);
    expect(inWindow).toEqual(row.inWindow);
    expect(decision.state.recommendations).toContainEqual({ replicas: row.desired, time: NOW });
  });
});

describe('legacy clamp (TestConvertDesiredReplicasWithRules)', () => {
  it.each(named(legacyClampRows))('%s', (_name, row) => {
    const scaledObject = proposing({ minReplicaCount: row.min, maxReplicaCount: row.max });
    const decision = evaluate(
      scaledObject,
      observe({ spec: row.current, metrics: { '0': value(row.desired) } }),
      row.state ?? emptyState(),
    );
    expect(decision.replicas).toBe(row.expected);
    if (row.reason !== undefined) expect(decision.conditions).toContainEqual(expect.objectContaining(limited(row.reason)));
  });
});

describe('behavior stabilization windows (TestNormalizeDesiredReplicasWithBehavior)', () => {
  it.each(named(behaviorStabilizationRows))('%s', (_name, row) => {
    const scaledObject = proposing({
      minReplicaCount: 1,
      maxReplicaCount: 1000,
      behavior: { scaleUp: permissive(row.upWindow, 'up'), scaleDown: permissive(row.downWindow, 'down') },
    });
    const decision = evaluate(
      scaledObject,
      observe({ spec: row.current, metrics: { '0': value(row.desired) } }),
      emptyState({ recommendations: row.history }),
    );
    expect(decision.replicas).toBe(row.expected);
    expect(decision.state.recommendations).toContainEqual({ replicas: row.desired, time: NOW });
  });
});
