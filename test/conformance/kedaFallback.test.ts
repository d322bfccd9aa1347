/**
 * KEDA fallback, transcribed from kedacore/keda pkg/fallback/fallback_test.go and the branches of
 * FB.GetMetricsWithFallback / FB.doFallback (pkg/fallback/fallback.go; keda-semantics.md §2.5).
 *
 * Mapping: status.health[metric].numberOfFailures → state.failures[triggerKey] (before this
 * evaluation); createMetricSpec(T) → an AverageValue trigger with target T. A failure increments the
 * count; fallback applies when the incremented count is > failureThreshold (strict), and then the
 * metric handed to the HPA is T × F (AverageValue) or T × F / readyPods (Value), so the HPA proposes F.
 * Non-static behaviors read the current spec.replicas. Rows use a state with an empty history so that
 * the HPA step after the fallback value is not hidden by down-stabilization.
 */
import { describe, expect, it } from 'vitest';

import type { Decision, EngineState, MetricReading } from '../../shared/engine/types.js';
import type { FallbackBehavior, MetricType } from '../../shared/spec/types.js';
import { emptyState, evaluate, failure, findCondition, named, observe, value } from '../helpers/evaluation.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

interface FallbackRow {
  readonly name: string;
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number; readonly behavior?: FallbackBehavior };
  readonly metricType?: MetricType;
  readonly target: number;
  readonly min?: number;
  readonly max?: number;
  readonly spec: number;
  readonly status?: number;
  readonly ready?: number;
  readonly reading: MetricReading;
  readonly failuresBefore?: number;
  readonly expected: number;
  /** state.failures["0"] after the decision (absent counts as 0). */
  readonly failuresAfter?: number;
  readonly active?: boolean;
  readonly check?: (decision: Decision) => void;
}

const run = (row: FallbackRow): Decision => {
  const scaledObject = makeScaledObject({
    metricType: row.metricType ?? 'AverageValue',
    target: row.target,
    minReplicaCount: row.min ?? 1,
    maxReplicaCount: row.max ?? 100,
    fallback: row.fallback,
  });
  const state: EngineState = emptyState(row.failuresBefore === undefined ? {} : { failures: { '0': row.failuresBefore } });
  return evaluate(
    scaledObject,
    observe({ spec: row.spec, status: row.status, ready: row.ready, metrics: { '0': row.reading } }),
    state,
  );
};

const THRESHOLD_3_F10 = { failureThreshold: 3, replicas: 10 } as const;

const fallbackTestRows: readonly FallbackRow[] = [
  {
    name: 'fallback_test: should return the expected metric when fallback is disabled (5 over target 3 → 2)',
    target: 3,
    spec: 1,
    reading: value(5),
    expected: 2,
  },
  {
    name: 'fallback_test: should reset the health status when scaler metrics are available (5 failures → 0)',
    fallback: THRESHOLD_3_F10,
    target: 3,
    spec: 2,
    reading: value(6),
    failuresBefore: 5,
    expected: 2,
    failuresAfter: 0,
  },
  {
    name: 'fallback_test: should propagate the error when fallback is disabled (count unchanged, ScalingActive False)',
    target: 3,
    spec: 4,
    reading: failure('some error'),
    expected: 4,
    check: (d) => expect(findCondition(d, 'ScalingActive')).toMatchObject({ status: 'False' }),
  },
  {
    name: 'fallback_test: should bump the number of failures when metrics call fails (0 → 1, error stands)',
    fallback: THRESHOLD_3_F10,
    target: 10,
    spec: 4,
    reading: failure('some error'),
    failuresBefore: 0,
    expected: 4,
    failuresAfter: 1,
  },
  {
    name: 'fallback_test: should return a normalised metric when number of failures are beyond threshold (3 → 4 > 3: 5 → 10)',
    fallback: THRESHOLD_3_F10,
    target: 10,
    spec: 5,
    reading: failure('some error'),
    failuresBefore: 3,
    expected: 10,
    failuresAfter: 4,
  },
  {
    name: 'fallback_test: should set the fallback condition when a fallback exists in the scaled object',
    fallback: THRESHOLD_3_F10,
    target: 10,
    spec: 10,
    reading: failure('some error'),
    failuresBefore: 6,
    expected: 10,
    failuresAfter: 7,
    check: (d) => expect(findCondition(d, 'Fallback')).toMatchObject({ status: 'True' }),
  },
];

const thresholdRows: readonly FallbackRow[] = [
  {
    name: 'FB.GetMetricsWithFallback: count reaching the threshold exactly (2 → 3, not > 3) keeps the error: 5 stays 5',
    fallback: THRESHOLD_3_F10,
    target: 10,
    spec: 5,
    reading: failure(),
    failuresBefore: 2,
    expected: 5,
    failuresAfter: 3,
    check: (d) => expect(findCondition(d, 'Fallback')?.status).not.toBe('True'),
  },
  {
    name: 'FB.GetMetricsWithFallback: failureThreshold 0 falls back on the first failure (3 → 6)',
    fallback: { failureThreshold: 0, replicas: 6 },
    target: 10,
    spec: 3,
    reading: failure(),
    expected: 6,
    failuresAfter: 1,
  },
  {
    // v2.19 (#7239): a trigger in fallback counts as active and non-error, so KEDA activates from 0; LPA then
    // takes the first HPA step in the same evaluation (DESIGN.md §3): ceil(3·10/10) = 3.
    name: 'FB (apply fallback in polling loop, #7239): fallback at 0 replicas activates the target (0 → 3)',
    fallback: { failureThreshold: 3, replicas: 3 },
    target: 10,
    min: 0,
    spec: 0,
    reading: failure(),
    failuresBefore: 3,
    expected: 3,
    active: true,
  },
];

const behaviorRows: readonly FallbackRow[] = [
  {
    name: 'FB.doFallback: behavior static → F (4 → 8)',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'static' },
    target: 10,
    spec: 4,
    reading: failure(),
    failuresBefore: 3,
    expected: 8,
  },
  {
    name: 'FB.doFallback: behavior currentReplicas → current spec.replicas (4 stays 4, F 8 ignored)',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'currentReplicas' },
    target: 10,
    spec: 4,
    reading: failure(),
    failuresBefore: 3,
    expected: 4,
  },
  {
    name: 'FB.doFallback: currentReplicasIfHigher with current 4 < F 8 → 8',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'currentReplicasIfHigher' },
    target: 10,
    spec: 4,
    reading: failure(),
    failuresBefore: 3,
    expected: 8,
  },
  {
    name: 'FB.doFallback: currentReplicasIfHigher with current 12 > F 8 → 12',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'currentReplicasIfHigher' },
    target: 10,
    max: 20,
    spec: 12,
    reading: failure(),
    failuresBefore: 3,
    expected: 12,
  },
  {
    name: 'FB.doFallback: currentReplicasIfLower with current 4 < F 8 → 4',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'currentReplicasIfLower' },
    target: 10,
    spec: 4,
    reading: failure(),
    failuresBefore: 3,
    expected: 4,
  },
  {
    name: 'FB.doFallback: currentReplicasIfLower with current 12 > F 8 → 8 (a fallback value is not an error: scale-down allowed)',
    fallback: { failureThreshold: 3, replicas: 8, behavior: 'currentReplicasIfLower' },
    target: 10,
    max: 20,
    spec: 12,
    reading: failure(),
    failuresBefore: 3,
    expected: 8,
  },
  {
    name: 'FB.doFallback (v2.20, keda-semantics §2.5): Value target gets T·F/readyPods, so the HPA proposes F (3 → 6)',
    fallback: { failureThreshold: 3, replicas: 6 },
    metricType: 'Value',
    target: 10,
    spec: 3,
    reading: failure(),
    failuresBefore: 3,
    expected: 6,
  },
  {
    name: 'FB.doFallback (v2.20, keda-semantics §2.5): Value target with 0 ready pods cannot fall back, the error stands (3 stays 3)',
    fallback: { failureThreshold: 3, replicas: 6 },
    metricType: 'Value',
    target: 10,
    spec: 3,
    ready: 0,
    reading: failure(),
    failuresBefore: 3,
    expected: 3,
  },
];

const check = (row: FallbackRow): void => {
  const decision = run(row);
  expect(decision.replicas).toBe(row.expected);
  if (row.failuresAfter !== undefined) expect(decision.state.failures['0'] ?? 0).toBe(row.failuresAfter);
  if (row.active !== undefined) expect(decision.active).toBe(row.active);
  row.check?.(decision);
};

describe('KEDA fallback (fallback_test.go)', () => {
  it.each(named(fallbackTestRows))('%s', (_name, row) => check(row));
});

describe('KEDA fallback threshold (strict >)', () => {
  it.each(named(thresholdRows))('%s', (_name, row) => check(row));
});

describe('KEDA fallback behaviors (FB.doFallback)', () => {
  it.each(named(behaviorRows))('%s', (_name, row) => check(row));
});
