/**
 * KEDA's scale loop (activation, idle, cooldown, errors, pause), transcribed from kedacore/keda
 * pkg/scaling/executor/scale_scaledobjects_test.go, plus the branches of EX.RequestScale /
 * EX.scaleToZeroOrIdle that keda-semantics.md §2.2–2.3 describes (cited by function).
 *
 * Mapping: `RequestScale(so, isActive, isError)` becomes a trigger reading — active = value above the
 * activation target (0), inactive = 0, error = a failed read. The Go mocks read `spec.replicas` from
 * the Deployment; here it is observation.specReplicas. status.lastActiveTime → state.lastActiveTime;
 * a zero creationTimestamp in Go (year 1) → a creationTimestamp an hour before NOW.
 * LPA evaluates the HPA step in the same evaluation as the activation (DESIGN.md §3), so rows that
 * activate use a small queue (≤ target) whose HPA proposal does not move the count further.
 */
import { describe, expect, it } from 'vitest';

import { Reason } from '../../shared/engine/types.js';
import type { Condition, Decision, EngineState, MetricReading } from '../../shared/engine/types.js';
import { NOW, SECOND, emptyState, evaluate, failure, findCondition, named, observe, rec, value } from '../helpers/evaluation.js';
import { makeScaledObject, type ScaledObjectOverrides } from '../helpers/scaledObject.js';

const HOUR_AGO = new Date(NOW - 3600 * SECOND).toISOString();

interface KedaRow {
  readonly name: string;
  readonly so: ScaledObjectOverrides;
  readonly spec: number;
  readonly status?: number;
  readonly metrics: Readonly<Record<string, MetricReading>>;
  readonly state?: EngineState;
  readonly expected: number;
  readonly active?: boolean;
  readonly reason?: Reason;
  readonly conditions?: readonly Partial<Pick<Condition, 'type' | 'status' | 'reason'>>[];
  readonly check?: (decision: Decision) => void;
}

/** An inactive queue (value 0, activation target 0). */
const empty = value(0);

const executorRows: readonly KedaRow[] = [
  {
    name: 'TestScaleToMinReplicasWhenNotActive: inactive, min 0, never active, initialCooldownPeriod 0 → 10 to 0',
    so: { minReplicaCount: 0, creationTimestamp: HOUR_AGO },
    spec: 10,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 0,
    active: false,
  },
  {
    name: 'TestScaleToMinReplicasFromLowerInitialReplicaCount: inactive, idle unset, 1 below min 5 → 5 at once',
    so: { minReplicaCount: 5, creationTimestamp: HOUR_AGO },
    spec: 1,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 5,
    active: false,
  },
  {
    name: 'TestScaleFromMinReplicasWhenActive: active at 0 with min 0 → 1 and lastActiveTime set',
    so: { minReplicaCount: 0 },
    spec: 0,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 1,
    active: true,
    check: (d) => expect(d.state.lastActiveTime).toBe(NOW),
  },
  {
    name: 'TestScaleToIdleReplicasWhenNotActive: inactive with idle 0, min 5 → 10 to idle 0',
    so: { idleReplicaCount: 0, minReplicaCount: 5, creationTimestamp: HOUR_AGO },
    spec: 10,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 0,
    active: false,
  },
  {
    name: 'TestScaleFromIdleToMinReplicasWhenActive: active at idle 0 → min 5',
    so: { idleReplicaCount: 0, minReplicaCount: 5 },
    spec: 0,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 5,
    active: true,
    check: (d) => expect(d.state.lastActiveTime).toBe(NOW),
  },
  {
    name: 'TestScaleToPausedReplicasCount: paused-replicas 0 holds the target at 0 (from 2)',
    so: { pause: { pausedReplicas: 0 } },
    spec: 2,
    metrics: { '0': value(100) },
    expected: 0,
    reason: Reason.ScaledObjectPaused,
    conditions: [{ type: 'Paused', status: 'True' }],
  },
  {
    name: 'TestEventWitTriggerInfo: active with idle 0 and 2 replicas below min 5 → 5 (KEDAScaleTargetActivated)',
    so: { idleReplicaCount: 0, minReplicaCount: 5 },
    spec: 2,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 5,
    active: true,
    reason: Reason.KEDAScaleTargetActivated,
  },
  {
    name: 'TestNoScaleToMinReplicasWhenNotActiveAndPauseScaleInAnnotationSet: paused-scale-in keeps 10 (min 0)',
    so: { minReplicaCount: 0, creationTimestamp: HOUR_AGO, pause: { pausedScaleIn: true } },
    spec: 10,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 10,
    active: false,
  },
  {
    name: 'TestNoScaleToIdleReplicasWhenNotActiveAndPauseScaleInAnnotationSet: paused-scale-in keeps 10 (idle 0, min 5)',
    so: { idleReplicaCount: 0, minReplicaCount: 5, creationTimestamp: HOUR_AGO, pause: { pausedScaleIn: true } },
    spec: 10,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 10,
    active: false,
  },
  {
    name: 'TestScaleFromMinReplicasWhenActivationForced: force-activation scales 0 → 1 with an inactive trigger',
    so: { minReplicaCount: 0, pause: { forceActivation: true } },
    spec: 0,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 1,
    active: true,
    check: (d) => expect(d.state.lastActiveTime).toBe(NOW),
  },
  {
    name: 'TestNoScaleFromMinReplicasWhenActiveAndPausedScaleOutAnnotationSet: paused-scale-out keeps 0 although active',
    so: { minReplicaCount: 0, pause: { pausedScaleOut: true } },
    spec: 0,
    metrics: { '0': value(10) },
    state: emptyState(),
    expected: 0,
    active: true,
  },
  {
    name: 'TestNoScaleFromIdleReplicasToMinReplicasWhenActiveAndPausedScaleOutAnnotationSet: paused-scale-out keeps idle 0',
    so: { idleReplicaCount: 0, minReplicaCount: 5, maxReplicaCount: 10, pause: { pausedScaleOut: true } },
    spec: 0,
    metrics: { '0': value(10) },
    state: emptyState(),
    expected: 0,
    active: true,
  },
  {
    // Go: min 1 and 1 replica; here min 0 and 3 replicas with a long-elapsed cooldown, so that "no scale to zero" shows.
    name: 'TestRequestScale_ScalerError_HPAHealthy: inactive + error, no fallback: no scale to zero, Ready False/TriggerError',
    so: { minReplicaCount: 0 },
    spec: 3,
    metrics: { '0': failure() },
    state: emptyState({ lastActiveTime: NOW - 3600 * SECOND }),
    expected: 3,
    conditions: [{ type: 'Ready', status: 'False', reason: 'TriggerError' }],
  },
  {
    name: 'TestRequestScale_PartialError_HPAHealthy: active + another trigger failing: Ready Unknown/PartialTriggerError, lastActiveTime not refreshed',
    so: { minReplicaCount: 1, extraTriggers: [{}] },
    spec: 1,
    metrics: { '0': value(1), '1': failure() },
    state: emptyState({ lastActiveTime: NOW - 60 * SECOND }),
    expected: 1,
    active: true,
    conditions: [{ type: 'Ready', status: 'Unknown', reason: 'PartialTriggerError' }],
    check: (d) => expect(d.state.lastActiveTime).toBe(NOW - 60 * SECOND),
  },
  {
    name: 'TestRequestScale_ScalerErrorWithFallback_HPAHealthy: inactive + error with fallback below its threshold: wait, no scale to zero',
    so: { minReplicaCount: 0, fallback: { failureThreshold: 3, replicas: 5 } },
    spec: 2,
    metrics: { '0': failure() },
    state: emptyState({ lastActiveTime: NOW - 3600 * SECOND }),
    expected: 2,
  },
  {
    name: 'TestRequestScale_AllHealthy_HPAHealthy: active at min 1 without errors: Ready True, lastActiveTime refreshed',
    so: { minReplicaCount: 1 },
    spec: 1,
    metrics: { '0': value(1) },
    state: emptyState({ lastActiveTime: NOW - 60 * SECOND }),
    expected: 1,
    active: true,
    conditions: [{ type: 'Ready', status: 'True' }],
    check: (d) => expect(d.state.lastActiveTime).toBe(NOW),
  },
];

// EX.scaleToZeroOrIdle / EX.RequestScale branches (keda-semantics.md §2.2–2.3). Where KEDA does nothing the
// HPA still owns 1..N; a recent recommendation of the current size keeps its down-stabilization from
// moving the count, so the row shows KEDA's decision alone.
const holding = (replicas: number, extra: Partial<EngineState>): EngineState =>
  emptyState({ recommendations: [rec(replicas, 30)], ...extra });

const cooldownRows: readonly KedaRow[] = [
  {
    name: 'EX.scaleToZeroOrIdle: cooldown 300 s not elapsed (last active 200 s ago) → no scale to zero',
    so: { minReplicaCount: 0 },
    spec: 4,
    metrics: { '0': empty },
    state: holding(4, { lastActiveTime: NOW - 200 * SECOND }),
    expected: 4,
    active: false,
  },
  {
    name: 'EX.scaleToZeroOrIdle: cooldown elapsed (last active 301 s ago) → 4 to 0 from any count',
    so: { minReplicaCount: 0 },
    spec: 4,
    metrics: { '0': empty },
    state: holding(4, { lastActiveTime: NOW - 301 * SECOND }),
    expected: 0,
    active: false,
  },
  {
    name: 'EX.scaleToZeroOrIdle: lastActiveTime + cooldown == now is not "< now" → not yet',
    so: { minReplicaCount: 0 },
    spec: 4,
    metrics: { '0': empty },
    state: holding(4, { lastActiveTime: NOW - 300 * SECOND }),
    expected: 4,
    active: false,
  },
  {
    // idle 0: KEDA docs say only 0 works reliably (an idle count below min is raised again by the HPA, #2314).
    name: 'EX.scaleToZeroOrIdle: cooldown elapsed with idle 0 and min 3 → 5 to idle 0',
    so: { idleReplicaCount: 0, minReplicaCount: 3 },
    spec: 5,
    metrics: { '0': empty },
    state: holding(5, { lastActiveTime: NOW - 301 * SECOND }),
    expected: 0,
    active: false,
  },
  {
    name: 'EX.scaleToZeroOrIdle: a custom cooldownPeriod of 60 s elapsed (last active 61 s ago) → 0',
    so: { minReplicaCount: 0, cooldownPeriod: 60 },
    spec: 2,
    metrics: { '0': empty },
    state: holding(2, { lastActiveTime: NOW - 61 * SECOND }),
    expected: 0,
    active: false,
  },
  {
    name: 'EX.scaleToZeroOrIdle: never active, created 60 s ago, initialCooldownPeriod 120 s → not yet',
    so: { minReplicaCount: 0, initialCooldownPeriod: 120, creationTimestamp: new Date(NOW - 60 * SECOND).toISOString() },
    spec: 2,
    metrics: { '0': empty },
    state: holding(2, {}),
    expected: 2,
    active: false,
  },
  {
    // KEDA: creationTimestamp.Add(initialCooldownPeriod).Before(now), strict like the lastActiveTime branch.
    name: 'EX.scaleToZeroOrIdle: never active, created exactly 120 s ago, initialCooldownPeriod 120 s → not yet (strict <)',
    so: { minReplicaCount: 0, initialCooldownPeriod: 120, creationTimestamp: new Date(NOW - 120 * SECOND).toISOString() },
    spec: 2,
    metrics: { '0': empty },
    state: holding(2, {}),
    expected: 2,
    active: false,
  },
  {
    name: 'EX.scaleToZeroOrIdle: never active, created 121 s ago, initialCooldownPeriod 120 s → 0',
    so: { minReplicaCount: 0, initialCooldownPeriod: 120, creationTimestamp: new Date(NOW - 121 * SECOND).toISOString() },
    spec: 2,
    metrics: { '0': empty },
    state: holding(2, {}),
    expected: 0,
    active: false,
  },
  {
    name: 'EX.RequestScale: inactive at 0 with min 0 → no change',
    so: { minReplicaCount: 0, creationTimestamp: HOUR_AGO },
    spec: 0,
    metrics: { '0': empty },
    state: emptyState(),
    expected: 0,
    active: false,
  },
  {
    name: 'EX.RequestScale: inactive + error at 0 replicas with no fallback → stays 0 (no action on errors)',
    so: { minReplicaCount: 0 },
    spec: 0,
    metrics: { '0': failure() },
    state: emptyState(),
    expected: 0,
    active: false,
  },
];

const pauseAndActivationRows: readonly KedaRow[] = [
  {
    name: 'CTL pause: paused "true" freezes the current count (7) although the queue asks for 20',
    so: { pause: { paused: true } },
    spec: 7,
    metrics: { '0': value(100) },
    expected: 7,
    reason: Reason.ScaledObjectPaused,
    conditions: [{ type: 'Paused', status: 'True' }],
  },
  {
    name: 'CTL pause: paused-replicas wins over paused (7 → 3)',
    so: { pause: { paused: true, pausedReplicas: 3 } },
    spec: 7,
    metrics: { '0': value(100) },
    expected: 3,
    reason: Reason.ScaledObjectPaused,
  },
  {
    name: 'SH.getScalerState: activationQueueLength 1 and a queue of 1 is not active (strict >): 0 stays 0',
    so: { minReplicaCount: 0, activationTarget: 1, creationTimestamp: HOUR_AGO },
    spec: 0,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 0,
    active: false,
  },
  {
    name: 'SH.getScalerState: activationQueueLength 1 and a queue of 2 is active: 0 → 1',
    so: { minReplicaCount: 0, activationTarget: 1 },
    spec: 0,
    metrics: { '0': value(2) },
    state: emptyState(),
    expected: 1,
    active: true,
  },
  {
    name: 'SH.getScaledObjectState: isActive is an OR over triggers (inactive + active → 0 to 1)',
    so: { minReplicaCount: 0, extraTriggers: [{}] },
    spec: 0,
    metrics: { '0': value(0), '1': value(3) },
    state: emptyState(),
    expected: 1,
    active: true,
  },
  {
    name: 'GenerateMetricInMili: a negative metric is not active (activation on the raw value): 0 stays 0',
    so: { minReplicaCount: 0, creationTimestamp: HOUR_AGO },
    spec: 0,
    metrics: { '0': value(-5) },
    state: emptyState(),
    expected: 0,
    active: false,
  },
];

// reconcileAutoscaler's early branch (hpa-spec §2 step 3): with 1 ≤ spec.replicas < minReplicas the HPA sets
// minReplicas before any metric or behavior is consulted, so KEDA's paused-scale-out (scaleUp selectPolicy
// Disabled) does not stop it; only spec.replicas == 0 disables the HPA (§9).
const hpaBelowMinRows: readonly KedaRow[] = [
  {
    name: 'HPA early branch below min: active, idle 0, min 3, 1 replica, paused-scale-out: KEDA is blocked but the HPA raises 1 → 3',
    so: { idleReplicaCount: 0, minReplicaCount: 3, maxReplicaCount: 15, pause: { pausedScaleOut: true } },
    spec: 1,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 3,
    active: true,
  },
  {
    name: 'HPA early branch below min: same without an idle count (1 → 3)',
    so: { minReplicaCount: 3, maxReplicaCount: 15, pause: { pausedScaleOut: true } },
    spec: 1,
    metrics: { '0': value(1) },
    state: emptyState(),
    expected: 3,
    active: true,
  },
];

const runKeda = (row: KedaRow): Decision =>
  evaluate(makeScaledObject(row.so), observe({ spec: row.spec, status: row.status, metrics: row.metrics }), row.state);

const checkKeda = (row: KedaRow): void => {
  const decision = runKeda(row);
  expect(decision.replicas).toBe(row.expected);
  if (row.active !== undefined) expect(decision.active).toBe(row.active);
  if (row.reason !== undefined) expect(decision.reason).toBe(row.reason);
  for (const condition of row.conditions ?? []) {
    const found = findCondition(decision, condition.type ?? 'Ready');
    expect(found).toMatchObject(condition);
  }
  row.check?.(decision);
};

describe('KEDA executor (scale_scaledobjects_test.go)', () => {
  it.each(named(executorRows))('%s', (_name, row) => checkKeda(row));
});

describe('KEDA cooldown, idle and errors (EX.scaleToZeroOrIdle, EX.RequestScale)', () => {
  it.each(named(cooldownRows))('%s', (_name, row) => checkKeda(row));
});

describe('KEDA pause annotations and activation', () => {
  it.each(named(pauseAndActivationRows))('%s', (_name, row) => checkKeda(row));
});

describe('HPA early branch below min (reconcileAutoscaler)', () => {
  it.each(named(hpaBelowMinRows))('%s', (_name, row) => checkKeda(row));
});

describe('LPA deliberate difference (DESIGN.md §3): activation and the first HPA step in one evaluation', () => {
  it('queue 20, target 5, at 0 replicas: 0 → 1 (KEDA) → 4 (HPA legacy limit max(2·1, 4)) in one evaluation', () => {
    const decision = evaluate(makeScaledObject({ minReplicaCount: 0 }), observe({ spec: 0, metrics: { '0': value(20) } }), emptyState());
    expect(decision.replicas).toBe(4);
    expect(decision.active).toBe(true);
  });
});
