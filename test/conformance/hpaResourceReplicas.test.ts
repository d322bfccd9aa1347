/**
 * The HPA's Resource metric, transcribed from kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator_test.go (table-driven master, 2026):
 * TestReplicaCalcResourceScale, TestReplicaCalcResourceTolerance, TestReplicaCalcResourceMissingMetrics,
 * TestReplicaCalcComputedToleranceAlgImplementation, TestGroupPods and TestCalculateRequests.
 * Each row is named `<Go test function>: <row name>`.
 *
 * The fixture mirrors the Go test's `calcScenario`: pods `test-pod-<i>` with two containers, each
 * container requesting `requests[i]` of cpu; PodMetrics `levels[i][j]` millicores per container,
 * timestamp `timestamp` (Go's zero time unless set) and window 1m; a pod's Ready condition has no
 * lastTransitionTime and its start time is `podStartTime[i]` (zero time unless set). `timeNow()`
 * and `time3MinsAgo()` are NOW and NOW − 3 min; the calculator runs with the Go tests' controller
 * values (CPU initialization period 2 min, initial readiness delay 10 s) and tolerance 0.1.
 */
import { describe, expect, it } from 'vitest';
import type { PodMetricsObject, PodObject, PodSet } from '../../shared/engine/podObjects.js';
import { GO_ZERO_TIME, groupPods, podRequests, podSamples, type ControllerSettings } from '../../shared/engine/resourceMetrics.js';
import { resourceReplicas, type ResourceProposal } from '../../shared/engine/resourceReplicas.js';
import type { Tolerances } from '../../shared/engine/tolerances.js';
import { iso } from '../helpers/pods.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const MINUTE = 60_000;
const timeNow = (): number => NOW;
const time3MinsAgo = (): number => NOW - 3 * MINUTE;
const TESTING: ControllerSettings = { cpuInitializationPeriodSeconds: 120, initialReadinessDelaySeconds: 10 };
const DEFAULT_TOLERANCE = 0.1;
const NUM_CONTAINERS = 2;

interface Scenario {
  readonly currentReplicas: number;
  /** per-container cpu request of pod i; a pod past the end has no requests */
  readonly requests: readonly string[];
  /** levels[i][j]: millicores of container j of pod i */
  readonly levels: readonly (readonly number[])[];
  readonly podNames?: readonly string[];
  readonly container?: string;
  readonly timestamp?: number;
  readonly podReadiness?: readonly ('True' | 'False')[];
  readonly podStartTime?: readonly number[];
  readonly podPhase?: readonly string[];
  readonly podDeletionTimestamp?: readonly boolean[];
}

const cpuRequests = (n: number, value: string): string[] => Array.from({ length: n }, () => value);
/** `makePodMetricLevels`: every container of pod i uses `perContainer[i]`. */
const levels = (...perContainer: number[]): number[][] => perContainer.map((m) => Array.from({ length: NUM_CONTAINERS }, () => m));

const buildPod = (s: Scenario, i: number): PodObject => {
  const request = s.requests[i];
  const resources = request === undefined ? {} : { requests: { cpu: request } };
  return {
    metadata: { name: `test-pod-${i}`, namespace: 'test-namespace', labels: { name: 'test-pod' }, ...(s.podDeletionTimestamp?.[i] === true ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'container1', resources }, { name: 'container2', resources }] },
    status: {
      phase: s.podPhase?.[i] ?? 'Running',
      startTime: iso(s.podStartTime?.[i] ?? GO_ZERO_TIME),
      conditions: [{ type: 'Ready', status: s.podReadiness?.[i] ?? 'True' }],
    },
  };
};

/** `make([]ContainerMetrics, numContainersPerPod)`: unfilled containers have no name and no usage. */
const buildMetrics = (s: Scenario, i: number): PodMetricsObject => ({
  metadata: { name: s.podNames?.[i] ?? `test-pod-${i}`, namespace: 'test-namespace' },
  timestamp: iso(s.timestamp ?? GO_ZERO_TIME),
  window: '1m0s',
  containers: Array.from({ length: NUM_CONTAINERS }, (_, j) => {
    const m = s.levels[i]?.[j];
    const usage: Record<string, string> = m === undefined ? {} : { cpu: `${m}m` };
    return { name: m === undefined ? '' : `container${j + 1}`, usage };
  }),
});

const podSet = (s: Scenario): PodSet => {
  const count = Math.max(s.currentReplicas, s.podPhase?.length ?? 0);
  return { pods: Array.from({ length: count }, (_, i) => buildPod(s, i)), podMetrics: s.levels.map((_, i) => buildMetrics(s, i)) };
};

interface ResourceRow {
  readonly name: string;
  readonly fixture: Scenario;
  readonly targetUtilization: number;
  readonly tolerances?: Tolerances;
  readonly expectedReplicas?: number;
  readonly expectedUtilization?: number;
  readonly expectedRawValue?: number;
  readonly expectedError?: string;
}

const run = (row: ResourceRow): ResourceProposal =>
  resourceReplicas(
    { name: 'cpu', metricType: 'Utilization', target: BigInt(row.targetUtilization), ...(row.fixture.container === undefined ? {} : { container: row.fixture.container }) },
    podSet(row.fixture),
    {
      current: row.fixture.currentReplicas,
      tolerances: row.tolerances ?? { scaleDown: DEFAULT_TOLERANCE, scaleUp: DEFAULT_TOLERANCE },
      settings: TESTING,
      now: NOW,
    },
  );

const assertRow = (row: ResourceRow): void => {
  const result = run(row);
  if (row.expectedError !== undefined) {
    expect(result).toEqual({ error: expect.stringContaining(row.expectedError) });
    return;
  }
  expect(result).toEqual({ replicas: row.expectedReplicas, current: row.expectedUtilization, rawAverage: BigInt(row.expectedRawValue as number) });
};

const T = 'True';
const F = 'False';
const N = NUM_CONTAINERS;

const resourceScale: readonly ResourceRow[] = [
  { name: 'scale up', fixture: { currentReplicas: 3, requests: cpuRequests(3, '1.0'), levels: levels(300, 500, 700) }, targetUtilization: 30, expectedReplicas: 5, expectedUtilization: 50, expectedRawValue: N * 500 },
  { name: 'scale up: container metric', fixture: { currentReplicas: 3, container: 'container2', requests: cpuRequests(3, '1.0'), levels: [[1000, 300], [1000, 500], [1000, 700]] }, targetUtilization: 30, expectedReplicas: 5, expectedUtilization: 50, expectedRawValue: 500 },
  { name: 'scale up: unready pod scales less', fixture: { currentReplicas: 3, podReadiness: [F, T, T], requests: cpuRequests(3, '1.0'), levels: levels(300, 500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'scale up: hot-CPU container scales less', fixture: { currentReplicas: 3, podStartTime: [timeNow(), time3MinsAgo(), time3MinsAgo()], container: 'container2', requests: cpuRequests(3, '1.0'), levels: [[0, 300], [0, 500], [0, 700]] }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: 600 },
  { name: 'scale up: hot-CPU pod scales less', fixture: { currentReplicas: 3, podStartTime: [timeNow(), time3MinsAgo(), time3MinsAgo()], requests: cpuRequests(3, '1.0'), levels: levels(300, 500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'no scale: unready pods ignored', fixture: { currentReplicas: 3, podReadiness: [T, F, F], requests: cpuRequests(3, '1.0'), levels: levels(400, 500, 700) }, targetUtilization: 30, expectedReplicas: 3, expectedUtilization: 40, expectedRawValue: N * 400 },
  { name: 'no scale: hot-CPU pods ignored', fixture: { currentReplicas: 3, podReadiness: [T, F, F], podStartTime: [time3MinsAgo(), timeNow(), timeNow()], requests: cpuRequests(3, '1.0'), levels: levels(400, 500, 700) }, targetUtilization: 30, expectedReplicas: 3, expectedUtilization: 40, expectedRawValue: N * 400 },
  { name: 'scale up: failed pods ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Failed', 'Failed'], requests: cpuRequests(4, '1.0'), levels: levels(500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'scale up: failed pods ignored with missing container metric', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Failed', 'Failed'], container: 'container2', requests: cpuRequests(4, '1.0'), levels: [[1000, 500], [9000, 700], [1000], [9000]] }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: 600 },
  { name: 'scale up: container metrics with failed pods ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Failed', 'Failed'], container: 'container2', requests: cpuRequests(4, '1.0'), levels: [[1000, 500], [9000, 700]] }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: 600 },
  { name: 'scale up: succeeded pods ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Succeeded', 'Succeeded'], requests: cpuRequests(4, '1.0'), levels: levels(500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'scale up: container metric with succeeded pods ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Succeeded', 'Succeeded'], container: 'container2', requests: cpuRequests(4, '1.0'), levels: [[1000, 500], [9000, 700]] }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: 600 },
  { name: 'scale up: pods being deleted are ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running'], podDeletionTimestamp: [false, false, true, true], requests: cpuRequests(4, '1.0'), levels: levels(500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'scale up: container metrics with pods being deleted ignored', fixture: { currentReplicas: 2, podReadiness: [T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running'], podDeletionTimestamp: [false, false, true, true], container: 'container1', requests: cpuRequests(4, '1.0'), levels: levels(500, 700) }, targetUtilization: 30, expectedReplicas: 4, expectedUtilization: 60, expectedRawValue: 600 },
  { name: 'scale down', fixture: { currentReplicas: 5, requests: cpuRequests(5, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: N * 280 },
  { name: 'scale down: container metric', fixture: { currentReplicas: 5, container: 'container2', requests: cpuRequests(5, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: 280 },
  { name: 'scale down: exclude unready pods', fixture: { currentReplicas: 5, podReadiness: [T, T, T, F, F], requests: cpuRequests(5, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 2, expectedUtilization: 30, expectedRawValue: N * 300 },
  { name: 'scale down: container metric excludes unready pods', fixture: { currentReplicas: 5, podReadiness: [T, T, T, F, F], container: 'container2', requests: cpuRequests(5, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 2, expectedUtilization: 30, expectedRawValue: 300 },
  { name: 'scale down: exclude unscheduled pods', fixture: { currentReplicas: 5, podReadiness: [T, F, F, F, F], podPhase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'], requests: cpuRequests(5, '1.0'), levels: levels(100) }, targetUtilization: 50, expectedReplicas: 1, expectedUtilization: 10, expectedRawValue: N * 100 },
  { name: 'scale down: container metric excludes unscheduled pods', fixture: { currentReplicas: 5, podReadiness: [T, F, F, F, F], podPhase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'], container: 'container2', requests: cpuRequests(5, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 1, expectedUtilization: 10, expectedRawValue: 100 },
  { name: 'scale down: ignore hot-CPU pods', fixture: { currentReplicas: 5, podStartTime: [time3MinsAgo(), time3MinsAgo(), time3MinsAgo(), timeNow(), timeNow()], requests: cpuRequests(5, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 2, expectedUtilization: 30, expectedRawValue: N * 300 },
  { name: 'scale down: container metric ignores hot-CPU pods', fixture: { currentReplicas: 5, podStartTime: [time3MinsAgo(), time3MinsAgo(), time3MinsAgo(), timeNow(), timeNow()], container: 'container2', requests: cpuRequests(5, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 1000], [1000, 1000]] }, targetUtilization: 50, expectedReplicas: 2, expectedUtilization: 30, expectedRawValue: 300 },
  { name: 'scale down: failed pods ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], requests: cpuRequests(7, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: N * 280 },
  { name: 'scale down: container metric with failed pods ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], container: 'container2', requests: cpuRequests(7, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: 280 },
  { name: 'scale down: succeeded pods ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Succeeded', 'Succeeded'], requests: cpuRequests(7, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: N * 280 },
  { name: 'scale down: container metric with succeeded pods ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Succeeded', 'Succeeded'], container: 'container2', requests: cpuRequests(7, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: 280 },
  { name: 'scale down: pods being deleted are ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'], podDeletionTimestamp: [false, false, false, false, false, true, true], requests: cpuRequests(7, '1.0'), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: N * 280 },
  { name: 'scale down: still-running pods being deleted are ignored', fixture: { currentReplicas: 5, podReadiness: [T, T, T, T, T, F, F], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'], podDeletionTimestamp: [false, false, false, false, false, true, true], container: 'container2', requests: cpuRequests(7, '1.0'), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 28, expectedRawValue: 280 },
];

const mixedRequests = ['0.9', '1.0', '1.1'];
const resourceTolerance: readonly ResourceRow[] = [
  { name: 'within default tolerance', fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(1010, 1030, 1020) }, targetUtilization: 100, expectedReplicas: 3, expectedUtilization: 102, expectedRawValue: N * 1020 },
  { name: 'outside 0% tolerance', tolerances: { scaleDown: 0, scaleUp: 0 }, fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(909, 1010, 1111) }, targetUtilization: 100, expectedReplicas: 4, expectedUtilization: 101, expectedRawValue: N * 1010 },
  { name: 'within 200% scale-up tolerance', tolerances: { scaleDown: DEFAULT_TOLERANCE, scaleUp: 2 }, fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(1890, 1910, 1900) }, targetUtilization: 100, expectedReplicas: 3, expectedUtilization: 190, expectedRawValue: N * 1900 },
  { name: 'outside 8% scale-up tolerance (superfluous scale-down tolerance)', tolerances: { scaleDown: 2, scaleUp: 0.08 }, fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(1100, 1080, 1090) }, targetUtilization: 100, expectedReplicas: 4, expectedUtilization: 109, expectedRawValue: N * 1090 },
  { name: 'within 36% scale-down tolerance', tolerances: { scaleDown: 0.36, scaleUp: DEFAULT_TOLERANCE }, fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(660, 640, 650) }, targetUtilization: 100, expectedReplicas: 3, expectedUtilization: 65, expectedRawValue: N * 650 },
  { name: 'outside 34% scale-down tolerance', tolerances: { scaleDown: 0.34, scaleUp: DEFAULT_TOLERANCE }, fixture: { currentReplicas: 3, requests: mixedRequests, levels: levels(660, 640, 650) }, targetUtilization: 100, expectedReplicas: 2, expectedUtilization: 65, expectedRawValue: N * 650 },
];

const resourceMissingMetrics: readonly ResourceRow[] = [
  { name: 'superfluous metrics counted', fixture: { currentReplicas: 4, requests: cpuRequests(4, '1.0'), levels: levels(4000, 9500, 3000, 7000, 3200, 2000) }, targetUtilization: 100, expectedReplicas: 24, expectedUtilization: 587, expectedRawValue: N * 5875 },
  { name: 'some pods missing metrics scales down', fixture: { currentReplicas: 4, requests: cpuRequests(4, '1.0'), levels: levels(400, 95) }, targetUtilization: 100, expectedReplicas: 3, expectedUtilization: 24, expectedRawValue: 495 },
  { name: 'no change: metric equal to target', fixture: { currentReplicas: 2, requests: cpuRequests(2, '1.0'), levels: levels(1000) }, targetUtilization: 100, expectedReplicas: 2, expectedUtilization: 100, expectedRawValue: N * 1000 },
  { name: 'no change: metric above target', fixture: { currentReplicas: 2, requests: cpuRequests(2, '1.0'), levels: levels(1900) }, targetUtilization: 100, expectedReplicas: 2, expectedUtilization: 190, expectedRawValue: N * 1900 },
  { name: 'no change: metric below target', fixture: { currentReplicas: 2, requests: cpuRequests(2, '1.0'), levels: levels(600) }, targetUtilization: 100, expectedReplicas: 2, expectedUtilization: 60, expectedRawValue: N * 600 },
  { name: 'no change: unready pod metric missing', fixture: { currentReplicas: 3, podReadiness: [F, T, T], requests: cpuRequests(3, '1.0'), levels: levels(100, 450) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 45, expectedRawValue: N * 450 },
  { name: 'no change: hot-CPU pod metric missing', fixture: { currentReplicas: 3, podStartTime: [timeNow(), time3MinsAgo(), time3MinsAgo()], requests: cpuRequests(3, '1.0'), levels: levels(100, 450) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 45, expectedRawValue: N * 450 },
  { name: 'scale up: unready pod metric missing', fixture: { currentReplicas: 3, podReadiness: [F, T, T], requests: cpuRequests(3, '1.0'), levels: levels(100, 2000) }, targetUtilization: 50, expectedReplicas: 4, expectedUtilization: 200, expectedRawValue: N * 2000 },
  { name: 'scale up: hot-CPU pod metric missing', fixture: { currentReplicas: 3, podReadiness: [F, T, T], podStartTime: [timeNow(), time3MinsAgo(), time3MinsAgo()], requests: cpuRequests(3, '1.0'), levels: levels(100, 2000) }, targetUtilization: 50, expectedReplicas: 4, expectedUtilization: 200, expectedRawValue: N * 2000 },
  { name: 'scale down: unready pod metric missing', fixture: { currentReplicas: 4, podReadiness: [F, T, T, T], requests: cpuRequests(4, '1.0'), levels: levels(100, 100, 100) }, targetUtilization: 50, expectedReplicas: 3, expectedUtilization: 10, expectedRawValue: N * 100 },
  { name: 'scale down: target over 100', fixture: { currentReplicas: 4, podReadiness: [F, T, T, T], requests: ['1.0', '1.0', '2.0', '2.0'], levels: levels(200, 100, 100) }, targetUtilization: 300, expectedReplicas: 2, expectedUtilization: 6, expectedRawValue: N * 100 },
  { name: 'rolling update with maxSurge: extra pod missing metric', fixture: { currentReplicas: 2, podPhase: ['Running', 'Running', 'Running'], requests: cpuRequests(3, '1.0'), levels: levels(100, 100) }, targetUtilization: 50, expectedReplicas: 2, expectedUtilization: 10, expectedRawValue: N * 100 },
  { name: 'disjoint pod and metric names', fixture: { currentReplicas: 1, requests: cpuRequests(1, '1.0'), levels: levels(100), podNames: ['an-older-pod-name'] }, targetUtilization: 100, expectedError: 'no metrics returned matched known pods' },
  { name: 'no metrics returned from metrics API', fixture: { currentReplicas: 4, requests: cpuRequests(3, '1.0'), levels: levels() }, targetUtilization: 100, expectedError: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' },
  { name: 'missing CPU request on container', fixture: { currentReplicas: 1, requests: [], levels: levels(200) }, targetUtilization: 100, expectedError: 'missing request for' },
];

describe('Function: resourceReplicas (replica_calculator_test.go)', () => {
  it.each(resourceScale.map((row) => ({ ...row, name: `TestReplicaCalcResourceScale: ${row.name}` })))('$name', assertRow);
  it.each(resourceTolerance.map((row) => ({ ...row, name: `TestReplicaCalcResourceTolerance: ${row.name}` })))('$name', assertRow);
  it.each(resourceMissingMetrics.map((row) => ({ ...row, name: `TestReplicaCalcResourceMissingMetrics: ${row.name}` })))('$name', assertRow);

  // The Go test derives its inputs with float arithmetic; the same expressions, in the same order.
  const startPods = 10;
  const totalUsed = startPods * 150;
  const totalRequested = 2 * totalUsed;
  const requestedToUsed = Math.trunc(totalRequested / totalUsed);
  const perPodRequested = totalRequested / startPods;
  const offsets = [100, -100, 10, -10, 2, -2, 1, -1, 0, 0];
  const fixture: Scenario = {
    currentReplicas: startPods,
    levels: levels(...Array.from({ length: 10 }, () => totalUsed / 10)),
    requests: offsets.map((d) => `${perPodRequested + d}m`),
  };
  const expectedUtilization = Math.trunc((totalUsed * 100) / totalRequested);
  const expectedRawValue = (N * totalUsed) / 10;

  it('TestReplicaCalcComputedToleranceAlgImplementation: a target just past the tolerance scales down', () => {
    const target = Math.abs(1 / (requestedToUsed * (1 - DEFAULT_TOLERANCE))) + 0.01;
    const resourcesUsedRatio = totalUsed / (totalRequested * target);
    const finalPods = Math.ceil(resourcesUsedRatio * startPods);
    assertRow({ name: '', fixture, targetUtilization: Math.trunc(target * 100), expectedReplicas: finalPods, expectedUtilization, expectedRawValue });
  });

  it('TestReplicaCalcComputedToleranceAlgImplementation: a target just inside the tolerance keeps the count', () => {
    const target = Math.abs(1 / (requestedToUsed * (1 - DEFAULT_TOLERANCE))) + 0.004;
    assertRow({ name: '', fixture, targetUtilization: Math.trunc(target * 100), expectedReplicas: startPods, expectedUtilization, expectedRawValue });
  });
});

interface GroupRow {
  readonly name: string;
  readonly pods: readonly PodObject[];
  /** pod → [timestamp, window] of its sample; no entry: no sample */
  readonly metrics: Readonly<Record<string, readonly [number, string]>>;
  readonly resource: 'cpu' | 'memory';
  readonly ready: number;
  readonly unready?: readonly string[];
  readonly missing?: readonly string[];
  readonly ignored?: readonly string[];
}

interface GroupPod {
  readonly phase: string;
  readonly startTime?: number;
  readonly ready?: { readonly status: string; readonly since: number };
  readonly deleting?: boolean;
}
const groupPod = (name: string, p: GroupPod): PodObject => ({
  metadata: { name, ...(p.deleting === true ? { deletionTimestamp: '1970-01-01T00:00:01Z' } : {}) },
  spec: { containers: [] },
  status: {
    phase: p.phase,
    ...(p.startTime === undefined ? {} : { startTime: iso(p.startTime) }),
    ...(p.ready === undefined ? {} : { conditions: [{ type: 'Ready', status: p.ready.status, lastTransitionTime: iso(p.ready.since) }] }),
  },
});
const S = 1000;
const zero: readonly [number, string] = [GO_ZERO_TIME, '0s'];

const groupRows: readonly GroupRow[] = [
  { name: 'void', pods: [], metrics: {}, resource: 'cpu', ready: 0 },
  { name: 'count in a ready pod - memory', pods: [groupPod('bentham', { phase: 'Running' })], metrics: { bentham: [NOW, '1m0s'] }, resource: 'memory', ready: 1 },
  { name: 'unready a pod without ready condition - CPU', pods: [groupPod('lucretius', { phase: 'Running', startTime: NOW })], metrics: { lucretius: zero }, resource: 'cpu', ready: 0, unready: ['lucretius'] },
  {
    name: 'count in a ready pod with fresh metrics during initialization period - CPU',
    pods: [groupPod('bentham', { phase: 'Running', startTime: NOW - MINUTE, ready: { status: 'True', since: NOW - 30 * S } })],
    metrics: { bentham: [NOW, '30s'] },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'unready a ready pod without fresh metrics during initialization period - CPU',
    pods: [groupPod('bentham', { phase: 'Running', startTime: NOW - MINUTE, ready: { status: 'True', since: NOW - 30 * S } })],
    metrics: { bentham: [NOW, '1m0s'] },
    resource: 'cpu',
    ready: 0,
    unready: ['bentham'],
  },
  {
    name: 'unready an unready pod during initialization period - CPU',
    pods: [groupPod('lucretius', { phase: 'Running', startTime: NOW - 10 * MINUTE, ready: { status: 'False', since: NOW - 9 * MINUTE - 54 * S } })],
    metrics: { lucretius: zero },
    resource: 'cpu',
    ready: 0,
    unready: ['lucretius'],
  },
  {
    name: 'count in a ready pod without fresh metrics after initialization period - CPU',
    pods: [groupPod('bentham', { phase: 'Running', startTime: NOW - 3 * MINUTE, ready: { status: 'True', since: NOW - 3 * MINUTE } })],
    metrics: { bentham: [NOW - 2 * MINUTE, '1m0s'] },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'count in an unready pod that was ready after initialization period - CPU',
    pods: [groupPod('lucretius', { phase: 'Running', startTime: NOW - 10 * MINUTE, ready: { status: 'False', since: NOW - 9 * MINUTE } })],
    metrics: { lucretius: zero },
    resource: 'cpu',
    ready: 1,
  },
  {
    name: 'unready pod that has never been ready after initialization period - CPU',
    pods: [groupPod('lucretius', { phase: 'Running', startTime: NOW - 10 * MINUTE, ready: { status: 'False', since: NOW - 9 * MINUTE - 50 * S } })],
    metrics: { lucretius: zero },
    resource: 'cpu',
    ready: 1,
  },
  { name: 'a missing pod', pods: [groupPod('epicurus', { phase: 'Running', startTime: NOW - 3 * MINUTE })], metrics: {}, resource: 'cpu', ready: 0, missing: ['epicurus'] },
  {
    name: 'several pods',
    pods: [
      groupPod('lucretius', { phase: 'Running', startTime: NOW }),
      groupPod('niccolo', { phase: 'Running', startTime: NOW - 3 * MINUTE, ready: { status: 'True', since: NOW - 3 * MINUTE } }),
      groupPod('epicurus', { phase: 'Running', startTime: NOW - 3 * MINUTE }),
    ],
    metrics: { lucretius: zero, niccolo: zero },
    resource: 'cpu',
    ready: 1,
    unready: ['lucretius'],
    missing: ['epicurus'],
  },
  { name: 'pending pods are unreadied', pods: [groupPod('unscheduled', { phase: 'Pending' })], metrics: {}, resource: 'cpu', ready: 0, unready: ['unscheduled'] },
  { name: 'ignore pods with deletion timestamps', pods: [groupPod('deleted', { phase: 'Pending', deleting: true })], metrics: { deleted: zero }, resource: 'cpu', ready: 0, ignored: ['deleted'] },
  { name: 'ignore pods in a failed state', pods: [groupPod('failed', { phase: 'Failed' })], metrics: { failed: zero }, resource: 'cpu', ready: 0, ignored: ['failed'] },
  { name: 'ignore pods in a succeeded state', pods: [groupPod('succeeded', { phase: 'Succeeded' })], metrics: { succeeded: zero }, resource: 'cpu', ready: 0, ignored: ['succeeded'] },
];

describe('Function: groupPods (replica_calculator_test.go TestGroupPods)', () => {
  it.each(groupRows.map((row) => ({ ...row, name: `TestGroupPods: ${row.name}` })))('$name', (row) => {
    const samples = new Map(Object.entries(row.metrics).map(([name, [timestamp, window]]) => [name, { value: 1n, timestamp, windowMs: window === '0s' ? 0 : window === '30s' ? 30_000 : 60_000 }]));
    const groups = groupPods(row.pods, samples, row.resource, TESTING, NOW);
    expect({ ready: groups.readyPodCount, unready: [...groups.unready], missing: [...groups.missing], ignored: [...groups.ignored] }).toEqual({
      ready: row.ready,
      unready: row.unready ?? [],
      missing: row.missing ?? [],
      ignored: row.ignored ?? [],
    });
  });
});

const requestPod = (spec: PodObject['spec']): PodObject => ({ metadata: { name: 'test-pod', namespace: 'test-namespace' }, spec, status: {} });
const withCpu = (name: string, milli: number) => ({ name, resources: { requests: { cpu: `${milli}m` } } });

describe('Function: podRequests (replica_calculator_test.go TestCalculateRequests)', () => {
  it.each([
    { name: 'void', pods: [], container: undefined, expected: {} },
    { name: 'Sum container requests if pod-level feature is disabled', pods: [requestPod({ containers: [withCpu('container1', 100), withCpu('container2', 50)] })], container: undefined, expected: { 'test-pod': 150n } },
    { name: 'Pod-level resources are enabled, but not set: fallback to sum container requests', pods: [requestPod({ containers: [withCpu('container1', 100), withCpu('container2', 50)] })], container: undefined, expected: { 'test-pod': 150n } },
    {
      name: 'Pod-level resources override container requests when feature enabled and pod resources specified',
      pods: [requestPod({ resources: { requests: { cpu: '800m' } }, containers: [withCpu('container1', 100), withCpu('container2', 50)] })],
      container: undefined,
      expected: { 'test-pod': 800n },
    },
    {
      name: 'Pod-level resources override missing container requests when feature enabled and pod resources specified',
      pods: [requestPod({ resources: { requests: { cpu: '800m' } }, containers: [{ name: 'container1' }, withCpu('container2', 50)] })],
      container: undefined,
      expected: { 'test-pod': 800n },
    },
    { name: 'Container: if a container name is specified, calculate requests only for that container', pods: [requestPod({ containers: [withCpu('container1', 100), withCpu('container2', 50)] })], container: 'container1', expected: { 'test-pod': 100n } },
    {
      name: 'Container: if a container name is specified, calculate requests only for that container and ignore pod-level requests',
      pods: [requestPod({ resources: { requests: { cpu: '800m' } }, containers: [withCpu('container1', 100), withCpu('container2', 50)] })],
      container: 'container1',
      expected: { 'test-pod': 100n },
    },
    {
      name: 'pod with restartable init containers',
      pods: [requestPod({ containers: [withCpu('container1', 100)], initContainers: [withCpu('init-container1', 20), { ...withCpu('restartable-container1', 50), restartPolicy: 'Always' }] })],
      container: undefined,
      expected: { 'test-pod': 150n },
    },
  ])('TestCalculateRequests: $name', ({ pods, container, expected }) => {
    const result = podRequests(pods, 'cpu', container);
    expect(result.ok && Object.fromEntries(result.byPod)).toEqual(expected);
  });

  it('TestCalculateRequests: Fail if at least one of the containers is missing requests and pod-level feature/requests are not set', () => {
    const result = podRequests([requestPod({ containers: [{ name: 'container1' }, withCpu('container2', 50)] })], 'cpu', undefined);
    expect(result).toEqual({ ok: false, error: 'missing request for cpu in container container1 of Pod test-pod' });
  });

  it('TestCalculatePodRequestsFromContainers_NonExistentContainer', () => {
    const result = podRequests([requestPod({ containers: [{ name: 'container1', resources: { requests: { cpu: '100m' } } }] })], 'cpu', 'non-existent-container');
    expect(result).toEqual({ ok: false, error: 'container non-existent-container not found in Pod test-pod' });
  });
});

describe('Function: podSamples (metrics/client.go getPodMetrics, getContainerMetrics)', () => {
  const metrics = (containers: PodMetricsObject['containers']): PodMetricsObject => ({ metadata: { name: 'p' }, timestamp: iso(NOW), window: '1m0s', containers });

  it("sums the pod's containers, reading metrics-server's nanocores exactly as MilliValue does", () => {
    const samples = podSamples([metrics([{ name: 'a', usage: { cpu: '299276543n' } }, { name: 'b', usage: { cpu: '1n' } }])], 'cpu', undefined);
    expect(samples.get('p')).toEqual({ value: 301n, timestamp: NOW, windowMs: 60_000 });
  });

  it('treats a pod whose container lacks the resource as missing', () => {
    expect(podSamples([metrics([{ name: 'a', usage: { cpu: '10m' } }, { name: 'b', usage: { memory: '1Mi' } }])], 'cpu', undefined).size).toBe(0);
  });

  it('treats a pod with no containers as missing', () => {
    expect(podSamples([metrics([])], 'cpu', undefined).size).toBe(0);
  });

  it('reads only the named container, and skips a pod without it', () => {
    const samples = podSamples([metrics([{ name: 'app', usage: { memory: '128Mi' } }, { name: 'sidecar', usage: { memory: '1Gi' } }]), { ...metrics([{ name: 'other', usage: { memory: '1Mi' } }]), metadata: { name: 'q' } }], 'memory', 'app');
    expect([...samples.entries()].map(([name, s]) => [name, s.value])).toEqual([['p', 128n * 1024n * 1024n * 1000n]]);
  });
});
