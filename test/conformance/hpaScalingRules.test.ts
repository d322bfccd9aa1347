/**
 * spec.behavior rate limits, transcribed from kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal_test.go: TestScalingWithRules, TestStoreScaleEvents,
 * TestCalculateScaleUpLimitWithScalingRules, TestCalculateScaleDownLimitWithBehaviors, TestUpscaleCap,
 * TestUpscaleCapGreaterThanMaxReplicas, TestScaleDownWithScalingRules; plus the worked examples of
 * hpa-spec.md §8.4 / §11.1 replayed over several evaluations.
 *
 * Mapping: the Go tests call convertDesiredReplicasWithBehaviorRate with a prenormalized desired D
 * and current C. Here one AverageValue trigger with target 1 and value D over statusReplicas C
 * proposes exactly D, and a state with an empty recommendation history makes stabilization a no-op
 * (up-floor = down-ceiling = D), so the rate limit is what shapes the result. Go scale events are put
 * into state.scaleUpEvents/scaleDownEvents at the same ages as generateEventsUniformDistribution
 * gives them. A Go row without rules still has a behavior (GenerateHPAScale*Rules(nil) = defaults):
 * `behavior: {}` is a present behavior in KEDA's HPA, so it selects the behavior path.
 */
import { describe, expect, it } from 'vitest';

import type { Decision, ScaleEvent } from '../../shared/engine/types.js';
import type { HpaBehavior, HpaScalingRules } from '../../shared/spec/types.js';
import { NOW, SECOND, emptyState, ev, evaluate, named, observe, replay, rules, uniformEvents, value } from '../helpers/evaluation.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

const limited = (reason: string) =>
  expect.objectContaining({ type: 'ScalingLimited', status: reason === 'DesiredWithinRange' ? 'False' : 'True', reason });

interface RuleRow {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly up?: HpaScalingRules;
  readonly down?: HpaScalingRules;
  readonly upEvents?: readonly ScaleEvent[];
  readonly downEvents?: readonly ScaleEvent[];
  readonly current: number;
  readonly desired: number;
  readonly expected: number;
  /** ScalingLimited reason the Go row asserts; undefined where the reconcile takes an early branch. */
  readonly condition?: string;
}

const behaviorOf = (up: HpaScalingRules | undefined, down: HpaScalingRules | undefined): HpaBehavior => ({
  ...(up === undefined ? {} : { scaleUp: up }),
  ...(down === undefined ? {} : { scaleDown: down }),
});

const runRule = (row: RuleRow): Decision => {
  const scaledObject = makeScaledObject({
    target: 1,
    minReplicaCount: row.min,
    maxReplicaCount: row.max,
    behavior: behaviorOf(row.up, row.down),
  });
  const state = emptyState({
    scaleUpEvents: row.upEvents ?? [],
    scaleDownEvents: row.downEvents ?? [],
    // A desired of 0 means an inactive trigger: recent activity keeps KEDA's cooldown from interfering.
    lastActiveTime: NOW - 10 * SECOND,
  });
  return evaluate(scaledObject, observe({ spec: row.current, metrics: { '0': value(row.desired) } }), state);
};

const EVENTS_1_5_9 = uniformEvents([1, 5, 9], 120); // 1 at 100 s ago, 5 at 60 s ago, 9 at 20 s ago
const OUTDATED_8_12_9_11 = uniformEvents([8, 12, 9, 11], 120); // 105 s, 75 s, 45 s, 15 s ago

const scalingWithRules: readonly RuleRow[] = [
  { name: 'TestScalingWithRules: prenormalized desired replicas within range', min: 3, max: 8, current: 5, desired: 7, expected: 7, condition: 'DesiredWithinRange' },
  { name: 'TestScalingWithRules: prenormalized desired replicas < minReplicas', min: 2, max: 8, current: 3, desired: 1, expected: 2, condition: 'TooFewReplicas' },
  {
    // Go: HPA minReplicas 0 → 0 (DesiredWithinRange). KEDA gives the HPA max(minReplicaCount, 1), so the HPA
    // floor is 1 here; going to 0 is KEDA's job after the cooldown.
    name: 'TestScalingWithRules: prenormalized desired replicas within range when minReplicas is 0 (KEDA floor 1)',
    min: 0,
    max: 10,
    current: 1,
    desired: 0,
    expected: 1,
  },
  {
    // current 20 > max 10: reconcileAutoscaler's early branch; the Go row calls the rate function directly.
    name: 'TestScalingWithRules: maxReplicas is the limit because maxReplicas < scaleUpLimit',
    min: 1,
    max: 10,
    current: 20,
    desired: 1000,
    expected: 10,
  },
  { name: 'TestScalingWithRules: desired replica count is more than the maximum replica count', min: 100, max: 150, current: 100, desired: 1000, expected: 150, condition: 'TooManyReplicas' },
  {
    name: 'TestScalingWithRules: scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
    min: 1,
    max: 2000,
    up: rules(0, 0, 1, 60, 0),
    current: 3,
    desired: 1000,
    expected: 4,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies',
    min: 3,
    max: 2000,
    down: rules(20, 60, 0, 0, 0),
    current: 1000,
    desired: 3,
    expected: 980,
    condition: 'ScaleDownLimit',
  },
  { name: 'TestScalingWithRules: scaleUp with default behavior', min: 1, max: 1000, current: 10, desired: 50, expected: 20, condition: 'ScaleUpLimit' },
  {
    name: 'TestScalingWithRules: scaleUp with pods policy larger than percent policy',
    min: 1,
    max: 1000,
    up: rules(100, 60, 100, 60, 0),
    current: 10,
    desired: 500,
    expected: 110,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with percent policy larger than pods policy',
    min: 1,
    max: 1000,
    up: rules(2, 60, 100, 60, 0),
    current: 10,
    desired: 500,
    expected: 20,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with spec MaxReplicas limitation with large pod policy',
    min: 1,
    max: 1000,
    up: rules(100, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    expected: 50,
    condition: 'DesiredWithinRange',
  },
  {
    name: 'TestScalingWithRules: scaleUp with spec MaxReplicas limitation with large percent policy',
    min: 1,
    max: 1000,
    up: rules(10000, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    expected: 50,
    condition: 'DesiredWithinRange',
  },
  {
    name: 'TestScalingWithRules: scaleUp with pod policy limitation',
    min: 1,
    max: 1000,
    up: rules(30, 60, 0, 0, 0),
    current: 10,
    desired: 50,
    expected: 40,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with percent policy limitation',
    min: 1,
    max: 1000,
    up: rules(0, 0, 200, 60, 0),
    current: 10,
    desired: 50,
    expected: 30,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with percent policy larger than pod policy',
    min: 1,
    max: 1000,
    down: rules(20, 60, 1, 60, 300),
    current: 100,
    desired: 2,
    expected: 80,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with pod policy larger than percent policy',
    min: 1,
    max: 1000,
    down: rules(2, 60, 1, 60, 300),
    current: 100,
    desired: 2,
    expected: 98,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas=nil limitation with large pod policy',
    min: 1,
    max: 1000,
    down: rules(100, 60, 0, 0, 300),
    current: 10,
    desired: 0,
    expected: 1,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas limitation with large pod policy',
    min: 1,
    max: 1000,
    down: rules(100, 60, 0, 0, 300),
    current: 10,
    desired: 0,
    expected: 1,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas limitation with large percent policy',
    min: 5,
    max: 1000,
    down: rules(0, 0, 100, 60, 300),
    current: 10,
    desired: 2,
    expected: 5,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with pod policy limitation',
    min: 1,
    max: 1000,
    down: rules(5, 60, 0, 0, 300),
    current: 10,
    desired: 2,
    expected: 5,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with percent policy limitation',
    min: 1,
    max: 1000,
    down: rules(0, 0, 50, 60, 300),
    current: 10,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
  {
    name: 'TestScalingWithRules: scaleUp with spec MaxReplicas limitation with large pod policy and events',
    min: 1,
    max: 200,
    up: rules(300, 60, 0, 0, 0),
    upEvents: EVENTS_1_5_9,
    current: 100,
    desired: 500,
    expected: 200,
    condition: 'TooManyReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleUp with spec MaxReplicas limitation with large percent policy and events',
    min: 1,
    max: 200,
    up: rules(0, 0, 10000, 60, 0),
    upEvents: EVENTS_1_5_9,
    current: 100,
    desired: 500,
    expected: 200,
    condition: 'TooManyReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
    min: 1,
    max: 1000,
    up: rules(5, 120, 0, 0, 0),
    upEvents: EVENTS_1_5_9,
    current: 100,
    desired: 500,
    expected: 100,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with pod policy and previous scale up events',
    min: 1,
    max: 1000,
    up: rules(150, 120, 0, 0, 0),
    upEvents: EVENTS_1_5_9,
    current: 100,
    desired: 500,
    expected: 235,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with percent policy and previous scale up events',
    min: 1,
    max: 1000,
    up: rules(0, 0, 200, 120, 0),
    upEvents: EVENTS_1_5_9,
    current: 100,
    desired: 500,
    expected: 255,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleUp with percent policy and previous scale up and down events',
    min: 1,
    max: 1000,
    up: rules(0, 0, 300, 300, 0),
    upEvents: uniformEvents([4], 120),
    downEvents: uniformEvents([2], 120),
    current: 6,
    desired: 24,
    expected: 16,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with default policy and previous events',
    min: 1,
    max: 1000,
    downEvents: EVENTS_1_5_9,
    current: 10,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events',
    min: 1,
    max: 1000,
    down: rules(115, 120, 0, 0, 300),
    downEvents: EVENTS_1_5_9,
    current: 100,
    desired: 0,
    expected: 1,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas limitation with large pod policy and previous events',
    min: 5,
    max: 1000,
    down: rules(130, 120, 0, 0, 300),
    downEvents: EVENTS_1_5_9,
    current: 100,
    desired: 0,
    expected: 5,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with spec MinReplicas limitation with large percent policy and previous events',
    min: 5,
    max: 1000,
    down: rules(0, 0, 100, 120, 300),
    downEvents: EVENTS_1_5_9,
    current: 100,
    desired: 2,
    expected: 5,
    condition: 'TooFewReplicas',
  },
  {
    name: 'TestScalingWithRules: scaleDown with pod policy limitation and previous events',
    min: 1,
    max: 1000,
    down: rules(5, 120, 0, 0, 300),
    downEvents: EVENTS_1_5_9,
    current: 100,
    desired: 2,
    expected: 100,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with percent policy limitation and previous events',
    min: 1,
    max: 1000,
    down: rules(0, 0, 50, 120, 300),
    downEvents: uniformEvents([2, 4, 6], 120),
    current: 100,
    desired: 0,
    expected: 56,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with percent policy and previous scale up and down events',
    min: 1,
    max: 1000,
    down: rules(0, 0, 50, 180, 0),
    upEvents: uniformEvents([2], 120),
    downEvents: uniformEvents([4], 120),
    current: 10,
    desired: 1,
    expected: 6,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with previous events preventing further scale down',
    min: 1,
    max: 1000,
    down: rules(0, 0, 10, 120, 300),
    downEvents: uniformEvents([10, 10, 10], 120),
    current: 100,
    desired: 0,
    expected: 100,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestScalingWithRules: scaleDown with with previous events still allowing more scale down',
    min: 1,
    max: 1000,
    down: rules(0, 0, 1000, 120, 300),
    downEvents: uniformEvents([10, 10, 10], 120),
    current: 10,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check 'outdated' flag for events for one behavior for up",
    min: 1,
    max: 1000,
    up: rules(1000, 60, 0, 0, 0),
    upEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 200,
    expected: 200,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check that events were not marked 'outdated' for two different policies in the behavior for up",
    min: 1,
    max: 1000,
    up: rules(1000, 120, 100, 60, 0),
    upEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 200,
    expected: 200,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check that events were marked 'outdated' for two different policies in the behavior for up",
    min: 1,
    max: 1000,
    up: rules(1000, 30, 100, 60, 0),
    upEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 200,
    expected: 200,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check 'outdated' flag for events for one behavior for down",
    min: 1,
    max: 1000,
    down: rules(1000, 60, 0, 0, 300),
    downEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check that events were not marked 'outdated' for two different policies in the behavior for down",
    min: 1,
    max: 1000,
    down: rules(1000, 120, 100, 60, 300),
    downEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
  {
    name: "TestScalingWithRules: check that events were marked 'outdated' for two different policies in the behavior for down",
    min: 1,
    max: 1000,
    down: rules(1000, 30, 100, 60, 300),
    downEvents: OUTDATED_8_12_9_11,
    current: 100,
    desired: 5,
    expected: 5,
    condition: 'DesiredWithinRange',
  },
];

const limitFunctions: readonly RuleRow[] = [
  {
    name: 'TestCalculateScaleUpLimitWithScalingRules: select Min of Pods 2/60 s and Percent 50/60 s from 1 → 2',
    min: 1,
    max: 100,
    up: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] },
    current: 1,
    desired: 10,
    expected: 2,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestCalculateScaleDownLimitWithBehaviors: select Min of Pods 2/60 s and Percent 50/60 s from 5 → 3',
    min: 1,
    max: 100,
    down: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] },
    current: 5,
    desired: 1,
    expected: 3,
    condition: 'ScaleDownLimit',
  },
  {
    name: 'TestUpscaleCap: Percent 700/60 s caps 3 → 60 at 24',
    min: 1,
    max: 100,
    up: rules(0, 0, 700, 60, 0),
    current: 3,
    desired: 60,
    expected: 24,
    condition: 'ScaleUpLimit',
  },
  {
    name: 'TestUpscaleCapGreaterThanMaxReplicas: the Percent 700 cap of 24 is above max 20',
    min: 1,
    max: 20,
    up: rules(0, 0, 700, 60, 0),
    current: 3,
    desired: 60,
    expected: 20,
    condition: 'TooManyReplicas',
  },
  {
    name: 'TestScaleDownWithScalingRules: only scaleUp rules given, scale-down uses the defaults (5 → 3)',
    min: 2,
    max: 6,
    up: rules(0, 0, 100, 15, 30),
    current: 5,
    desired: 3,
    expected: 3,
    condition: 'DesiredWithinRange',
  },
];

// ---------------------------------------------------------------------------------------------
// TestStoreScaleEvents: which events count in a 60 s period (getReplicasChangePerPeriod) and what is
// stored after a rescale (storeScaleEvent: only with a behavior; an outdated entry is replaced). Each
// Go case runs once for scale-up and once for scale-down; both directions are transcribed.
// Go stores a change of 5 regardless of the limits; through the engine the stored change is the step
// actually taken, so the expected step follows from the same rules.
interface StoreRow {
  readonly name: string;
  readonly direction: 'up' | 'down';
  readonly rules?: HpaScalingRules;
  readonly previous: readonly ScaleEvent[];
  /** desired: 15 for up, 5 for down; current is 10 */
  readonly expected: number;
  /** The stored events of that direction after the decision, sorted by time; undefined = not checked. */
  readonly stored?: readonly ScaleEvent[];
  /** Events that must still be there (subset check). */
  readonly kept?: readonly ScaleEvent[];
  /** true: the decision must not add an event at NOW (no behavior → nothing is stored). */
  readonly noNewEvent?: boolean;
}

const now = (change: number): ScaleEvent => ({ change, time: NOW });

const storeRows: readonly StoreRow[] = [
  { name: 'TestStoreScaleEvents: empty entries with default behavior (up): no behavior, nothing stored', direction: 'up', previous: [], expected: 15, stored: [] },
  { name: 'TestStoreScaleEvents: empty entries with default behavior (down): no behavior, nothing stored', direction: 'down', previous: [], expected: 5, stored: [] },
  {
    name: 'TestStoreScaleEvents: empty entries with two-policy-behavior (up)',
    direction: 'up',
    rules: rules(10, 60, 100, 60, 0),
    previous: [],
    expected: 15,
    stored: [now(5)],
  },
  {
    name: 'TestStoreScaleEvents: empty entries with two-policy-behavior (down)',
    direction: 'down',
    rules: rules(10, 60, 100, 60, 0),
    previous: [],
    expected: 5,
    stored: [now(5)],
  },
  {
    name: 'TestStoreScaleEvents: one outdated entry to be kept untouched without behavior (up)',
    direction: 'up',
    previous: [ev(7, 61)],
    expected: 15,
    noNewEvent: true,
  },
  {
    name: 'TestStoreScaleEvents: one outdated entry to be replaced with behavior (up)',
    direction: 'up',
    rules: rules(10, 60, 100, 60, 0),
    previous: [ev(7, 61)],
    expected: 15,
    stored: [now(5)],
  },
  {
    name: 'TestStoreScaleEvents: one outdated entry to be replaced with behavior (down)',
    direction: 'down',
    rules: rules(10, 60, 100, 60, 0),
    previous: [ev(7, 61)],
    expected: 5,
    stored: [now(5)],
  },
  {
    // 7 added 58 s ago counts: the period starts at 3, so Pods 10 allows 13 (Percent 100 allows 6).
    name: 'TestStoreScaleEvents: one actual entry to be not touched with behavior (up)',
    direction: 'up',
    rules: rules(10, 60, 100, 60, 0),
    previous: [ev(7, 58)],
    expected: 13,
    stored: [ev(7, 58), now(3)],
  },
  {
    name: 'TestStoreScaleEvents: one actual entry to be not touched with behavior (down)',
    direction: 'down',
    rules: rules(10, 60, 100, 60, 0),
    previous: [ev(7, 58)],
    expected: 5,
    kept: [ev(7, 58), now(5)],
  },
  {
    // Only the 59 s old 6 counts: start 4, Pods 10 → 14.
    name: 'TestStoreScaleEvents: two entries, one of them to be replaced (up)',
    direction: 'up',
    rules: rules(10, 60, 0, 0, 0),
    previous: [ev(7, 61), ev(6, 59)],
    expected: 14,
    stored: [ev(6, 59), now(4)],
  },
  {
    // Only the 59 s old 6 counts: start 16, Pods 10 → 6.
    name: 'TestStoreScaleEvents: two entries, one of them to be replaced (down)',
    direction: 'down',
    rules: rules(10, 60, 0, 0, 0),
    previous: [ev(7, 61), ev(6, 59)],
    expected: 6,
    stored: [ev(6, 59), now(4)],
  },
  {
    // 60 s sum is 14 (8 + 6): Pods 10/60 allows 6, Percent 100/30 (only the 29 s old 8 counts) allows 4:
    // both are below the current 10, so nothing moves.
    name: 'TestStoreScaleEvents: replace one entry, use policies with different periods (up)',
    direction: 'up',
    rules: rules(10, 60, 100, 30, 0),
    previous: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
    expected: 10,
    noNewEvent: true,
  },
  {
    name: 'TestStoreScaleEvents: two entries, both actual (up)',
    direction: 'up',
    rules: rules(10, 120, 100, 30, 0),
    previous: [ev(7, 58), ev(6, 59)],
    expected: 15,
    kept: [ev(7, 58), ev(6, 59), now(5)],
  },
];

const byTime = (events: readonly ScaleEvent[]): ScaleEvent[] => [...events].sort((a, b) => a.time - b.time || a.change - b.change);

describe('behavior rate limits (TestScalingWithRules)', () => {
  it.each(named(scalingWithRules))('%s', (_name, row) => {
    const decision = runRule(row);
    expect(decision.replicas).toBe(row.expected);
    if (row.condition !== undefined) expect(decision.conditions).toContainEqual(limited(row.condition));
  });
});

describe('policy limit functions and caps', () => {
  it.each(named(limitFunctions))('%s', (_name, row) => {
    const decision = runRule(row);
    expect(decision.replicas).toBe(row.expected);
    if (row.condition !== undefined) expect(decision.conditions).toContainEqual(limited(row.condition));
  });
});

describe('scale events (TestStoreScaleEvents)', () => {
  it.each(named(storeRows))('%s', (_name, row) => {
    const up = row.direction === 'up';
    const behavior = row.rules === undefined ? undefined : up ? { scaleUp: row.rules } : { scaleDown: row.rules };
    const scaledObject = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 100, behavior });
    const state = emptyState(up ? { scaleUpEvents: row.previous } : { scaleDownEvents: row.previous });
    const decision = evaluate(scaledObject, observe({ spec: 10, metrics: { '0': value(up ? 15 : 5) } }), state);
    expect(decision.replicas).toBe(row.expected);
    const events = up ? decision.state.scaleUpEvents : decision.state.scaleDownEvents;
    if (row.stored !== undefined) expect(byTime(events)).toEqual(byTime(row.stored));
    for (const event of row.kept ?? []) expect(events).toContainEqual(event);
    if (row.noNewEvent === true) expect(events.filter((e) => e.time === NOW)).toEqual([]);
  });
});

describe('worked examples over several evaluations (replayed 15 s syncs, DESIGN.md §3)', () => {
  it('hpa-spec §11.1: 95 messages, target 10, default behavior: 3 → 7, then 15 s later → 10', () => {
    const scaledObject = makeScaledObject({ target: 10, minReplicaCount: 1, maxReplicaCount: 50, behavior: {} });
    const metrics = { '0': value(95) };
    const decisions = replay(scaledObject, [{ at: NOW, metrics }, { at: NOW + 15 * SECOND, metrics }], { initialSpec: 3 });
    expect(decisions.map((d) => d.replicas)).toEqual([7, 10]);
    expect(decisions[0]?.state.scaleUpEvents).toContainEqual({ change: 4, time: NOW });
  });

  it('hpa-spec §8.4 (k8s docs): Pods 4/60 s + Percent 10/60 s from 80 → 72, held for the period, then 64', () => {
    const scaledObject = makeScaledObject({
      target: 10,
      minReplicaCount: 1,
      maxReplicaCount: 100,
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 60 },
            { type: 'Percent', value: 10, periodSeconds: 60 },
          ],
        },
      },
    });
    const metrics = { '0': value(100) };
    const decisions = replay(
      scaledObject,
      [
        { at: NOW, metrics },
        { at: NOW + 30 * SECOND, metrics },
        { at: NOW + 60 * SECOND, metrics },
      ],
      { initialSpec: 80 },
    );
    expect(decisions.map((d) => d.replicas)).toEqual([72, 72, 64]);
  });
});
