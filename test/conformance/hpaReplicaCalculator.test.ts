/**
 * Per-metric proposals, transcribed from kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator_test.go (table-driven master, 2026).
 *
 * Mapping: the Go tables give milli-values (8600 = 8.6); our triggers take plain numbers.
 * External/Object AverageValue → a trigger with metricType AverageValue (ratio uses status.replicas,
 * which is the `currentReplicas` argument of GetExternalPerPodMetricReplicas on master);
 * External/Object Value → metricType Value (ceil(ratio × ready pods)). Object metrics are computed by
 * the same functions as External ones (getUsageRatioReplicaCount / ceil(total/target)), so their
 * rows are reused as External triggers. Resource-tolerance rows keep their ratio and move it onto an
 * AverageValue target of 10 with 3 replicas. `Tolerances{down, up}` become
 * behavior.scaleDown/scaleUp.tolerance (HPAConfigurableTolerance, on by default since v1.35).
 *
 * Each row is ONE HPA sync (no lastEvaluationTime) with an existing but empty history, so the
 * down-stabilization window cannot hide the proposal; min 1 keeps KEDA's scale-to-zero out of the way.
 */
import { describe, expect, it } from 'vitest';

import type { HpaBehavior, MetricType } from '../../shared/spec/types.js';
import { emptyState, evaluate, named, observe, value } from '../helpers/evaluation.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

interface CalcRow {
  readonly name: string;
  readonly metricType: MetricType;
  readonly target: number;
  readonly value: number;
  readonly spec: number;
  readonly status?: number;
  readonly ready?: number;
  readonly behavior?: HpaBehavior;
  readonly expected: number;
}

const upTolerance = (tolerance: number): HpaBehavior => ({ scaleUp: { tolerance } });

const externalPerPod: readonly CalcRow[] = [
  { name: 'TestReplicaCalcExternalPerPodMetric: scale up', metricType: 'AverageValue', target: 2.15, value: 8.6, spec: 3, expected: 4 },
  { name: 'TestReplicaCalcExternalPerPodMetric: scale down', metricType: 'AverageValue', target: 2.867, value: 8.6, spec: 5, expected: 3 },
  { name: 'TestReplicaCalcExternalPerPodMetric: within default tolerance', metricType: 'AverageValue', target: 2.9, value: 8.6, spec: 3, expected: 3 },
  {
    name: 'TestReplicaCalcExternalPerPodMetric: outside configurable 1% tolerance',
    metricType: 'AverageValue',
    target: 2.8,
    value: 8.6,
    spec: 3,
    behavior: upTolerance(0.01),
    expected: 4,
  },
  {
    name: 'TestReplicaCalcExternalPerPodMetric: statusReplicas zero does not overflow usage (ratio +Inf → ceil(total/target))',
    metricType: 'AverageValue',
    target: 5,
    value: 20,
    spec: 1,
    status: 0,
    expected: 4,
  },
  {
    // The Go row asserts a proposal of 0 (0/0 = NaN is never within tolerance); the observable result is
    // that proposal clamped to the HPA floor max(minReplicaCount, 1) = 1.
    name: 'TestReplicaCalcExternalPerPodMetric: statusReplicas zero and metric zero does not underflow (proposal 0, floor 1)',
    metricType: 'AverageValue',
    target: 5,
    value: 0,
    spec: 1,
    status: 0,
    expected: 1,
  },
];

const external: readonly CalcRow[] = [
  {
    name: 'TestReplicaCalcExternalMetric: scale down: ignores unready pods (would otherwise scale up)',
    metricType: 'Value',
    target: 4.4,
    value: 8.6,
    spec: 3,
    ready: 1,
    expected: 2,
  },
  { name: 'TestReplicaCalcExternalMetric: scale down', metricType: 'Value', target: 14.334, value: 8.6, spec: 5, expected: 3 },
  { name: 'TestReplicaCalcExternalMetric: within default tolerance', metricType: 'Value', target: 8.888, value: 8.6, spec: 3, expected: 3 },
  {
    name: 'TestReplicaCalcExternalMetric: outside configurable 1% tolerance',
    metricType: 'Value',
    target: 8.8,
    value: 8.9,
    spec: 3,
    behavior: upTolerance(0.01),
    expected: 4,
  },
];

const objectValue: readonly CalcRow[] = [
  { name: 'TestReplicaCalcObjectMetric: scale up', metricType: 'Value', target: 15, value: 20, spec: 3, expected: 4 },
  { name: 'TestReplicaCalcObjectMetric: scale up: ignores unready pods', metricType: 'Value', target: 10, value: 50, spec: 3, ready: 1, expected: 5 },
  { name: 'TestReplicaCalcObjectMetric: scale down', metricType: 'Value', target: 20, value: 12, spec: 5, expected: 3 },
  { name: 'TestReplicaCalcObjectMetric: within default tolerance', metricType: 'Value', target: 20, value: 20.666, spec: 3, expected: 3 },
  {
    name: 'TestReplicaCalcObjectMetric: outside configurable 1% tolerance',
    metricType: 'Value',
    target: 20,
    value: 20.666,
    spec: 3,
    behavior: upTolerance(0.01),
    expected: 4,
  },
];

const objectPerPod: readonly CalcRow[] = [
  { name: 'TestReplicaCalcObjectPerPodMetric: scale up', metricType: 'AverageValue', target: 5, value: 20, spec: 3, expected: 4 },
  { name: 'TestReplicaCalcObjectPerPodMetric: scale down', metricType: 'AverageValue', target: 2, value: 6, spec: 5, expected: 3 },
  { name: 'TestReplicaCalcObjectPerPodMetric: within default tolerance', metricType: 'AverageValue', target: 5, value: 20.166, spec: 4, expected: 4 },
  {
    name: 'TestReplicaCalcObjectPerPodMetric: outside configurable 1% tolerance',
    metricType: 'AverageValue',
    target: 5,
    value: 20.208,
    spec: 4,
    behavior: upTolerance(0.01),
    expected: 5,
  },
];

// TestReplicaCalcResourceTolerance: utilization ratio r over 3 replicas becomes value = 30·r at target 10.
const resourceTolerance: readonly CalcRow[] = [
  { name: 'TestReplicaCalcResourceTolerance: within default tolerance (ratio 1.02)', metricType: 'AverageValue', target: 10, value: 30.6, spec: 3, expected: 3 },
  {
    name: 'TestReplicaCalcResourceTolerance: outside 0% tolerance (ratio 1.01)',
    metricType: 'AverageValue',
    target: 10,
    value: 30.3,
    spec: 3,
    behavior: { scaleUp: { tolerance: 0 }, scaleDown: { tolerance: 0 } },
    expected: 4,
  },
  {
    name: 'TestReplicaCalcResourceTolerance: within 200% scale-up tolerance (ratio 1.9)',
    metricType: 'AverageValue',
    target: 10,
    value: 57,
    spec: 3,
    behavior: upTolerance(2),
    expected: 3,
  },
  {
    name: 'TestReplicaCalcResourceTolerance: outside 8% scale-up tolerance (superfluous scale-down tolerance)',
    metricType: 'AverageValue',
    target: 10,
    value: 32.7,
    spec: 3,
    behavior: { scaleUp: { tolerance: 0.08 }, scaleDown: { tolerance: 2 } },
    expected: 4,
  },
  {
    name: 'TestReplicaCalcResourceTolerance: within 36% scale-down tolerance (ratio 0.65)',
    metricType: 'AverageValue',
    target: 10,
    value: 19.5,
    spec: 3,
    behavior: { scaleDown: { tolerance: 0.36 } },
    expected: 3,
  },
  {
    name: 'TestReplicaCalcResourceTolerance: outside 34% scale-down tolerance (ratio 0.65)',
    metricType: 'AverageValue',
    target: 10,
    value: 19.5,
    spec: 3,
    behavior: { scaleDown: { tolerance: 0.34 } },
    expected: 2,
  },
];

const run = (row: CalcRow): number => {
  const scaledObject = makeScaledObject({
    metricType: row.metricType,
    target: row.target,
    minReplicaCount: 1,
    maxReplicaCount: 100,
    behavior: row.behavior,
  });
  const observation = observe({ spec: row.spec, status: row.status, ready: row.ready, metrics: { '0': value(row.value) } });
  return evaluate(scaledObject, observation, emptyState()).replicas;
};

describe('HPA replica calculator (replica_calculator_test.go)', () => {
  describe.each([
    ['External AverageValue (GetExternalPerPodMetricReplicas)', externalPerPod],
    ['External Value (GetExternalMetricReplicas)', external],
    ['Object Value rows as External Value', objectValue],
    ['Object AverageValue rows as External AverageValue', objectPerPod],
    ['tolerance edges (Tolerances.isWithin)', resourceTolerance],
  ] as const)('%s', (_title, rows) => {
    it.each(named(rows))('%s', (_name, row) => {
      expect(run(row)).toBe(row.expected);
    });
  });
});
