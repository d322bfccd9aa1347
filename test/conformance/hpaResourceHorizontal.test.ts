/**
 * The HPA controller with a CPU Utilization metric, end to end through the engine: rows transcribed
 * from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go (the CPU test cases),
 * each named after its Go test function.
 *
 * Mapping: the HPA's `Resource cpu Utilization CPUTarget` is a cpu trigger (metricType
 * Utilization, value CPUTarget); min/max replicas are minReplicaCount/maxReplicaCount; no
 * `behavior` (the legacy path). The Go fixture: one pod per `reportedCPURequests` entry, two
 * containers each requesting half of it; PodMetrics split `reportedLevels[i]` evenly over the two
 * containers, stamped now with a 1-minute window; a pod's start time and Ready transition are
 * `reportedPodStartTime[i]` (Go's zero time unless set); hot = now, cool = 3 minutes ago. Each row is
 * one sync with an existing but empty recommendation history (the Go scale-down tests set
 * `recommendations: []`), with the Go tests' controller values (2 min, 10 s).
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../shared/engine/decide.js';
import type { PodSet } from '../../shared/engine/podObjects.js';
import { GO_ZERO_TIME, type ControllerSettings } from '../../shared/engine/resourceMetrics.js';
import { milliValue } from '../../shared/spec/quantity.js';
import { emptyState, observe } from '../helpers/evaluation.js';
import { iso, resourceTrigger, withTriggers } from '../helpers/pods.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const hot = NOW;
const cool = NOW - 3 * 60_000;
const TESTING: ControllerSettings = { cpuInitializationPeriodSeconds: 120, initialReadinessDelaySeconds: 10 };

interface HorizontalRow {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly specReplicas: number;
  readonly statusReplicas: number;
  readonly CPUTarget: number;
  readonly reportedLevels: readonly number[];
  readonly reportedCPURequests: readonly string[];
  readonly reportedPodReadiness?: readonly ('True' | 'False')[];
  readonly reportedPodStartTime?: readonly number[];
  readonly reportedPodPhase?: readonly string[];
  readonly reportedPodDeletionTimestamp?: readonly boolean[];
  readonly expectedDesiredReplicas: number;
  readonly expectedReason?: string;
}

const podSetOf = (row: HorizontalRow): PodSet => ({
  pods: row.reportedCPURequests.map((request, i) => {
    const half = `${(milliValue(request) as bigint) / 2n}m`;
    const start = iso(row.reportedPodStartTime?.[i] ?? GO_ZERO_TIME);
    return {
      metadata: { name: `test-pod-${i}`, namespace: 'test-namespace', labels: { name: 'test-pod' }, ...(row.reportedPodDeletionTimestamp?.[i] === true ? { deletionTimestamp: iso(NOW) } : {}) },
      spec: { containers: ['container1', 'container2'].map((name) => ({ name, resources: { requests: { cpu: half } } })) },
      status: { phase: row.reportedPodPhase?.[i] ?? 'Running', startTime: start, conditions: [{ type: 'Ready', status: row.reportedPodReadiness?.[i] ?? 'True', lastTransitionTime: start }] },
    };
  }),
  podMetrics: row.reportedLevels.map((cpu, i) => ({
    metadata: { name: `test-pod-${i}`, namespace: 'test-namespace' },
    timestamp: iso(NOW),
    window: '1m0s',
    containers: ['container1', 'container2'].map((name) => ({ name, usage: { cpu: `${Math.trunc(cpu / 2)}m`, memory: '524288' } })),
  })),
});

const ones = (n: number): string[] => Array.from({ length: n }, () => '1.0');
const T = 'True';
const F = 'False';

const rows: readonly HorizontalRow[] = [
  { name: 'TestScaleUp', minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3), expectedDesiredReplicas: 5 },
  { name: 'TestScaleUpUnreadyLessScale', minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3), reportedPodReadiness: [F, T, T], expectedDesiredReplicas: 4 },
  { name: 'TestScaleUpHotCpuLessScale', minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3), reportedPodStartTime: [hot, cool, cool], expectedDesiredReplicas: 4 },
  {
    name: 'TestScaleUpUnreadyNoScale',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 3,
    statusReplicas: 3,
    CPUTarget: 30,
    reportedLevels: [400, 500, 700],
    reportedCPURequests: ones(3),
    reportedPodReadiness: [T, F, F],
    expectedDesiredReplicas: 3,
    expectedReason: 'DesiredWithinRange',
  },
  {
    name: 'TestScaleUpHotCpuNoScale',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 3,
    statusReplicas: 3,
    CPUTarget: 30,
    reportedLevels: [400, 500, 700],
    reportedCPURequests: ones(3),
    reportedPodReadiness: [T, F, F],
    reportedPodStartTime: [cool, hot, hot],
    expectedDesiredReplicas: 3,
    expectedReason: 'DesiredWithinRange',
  },
  {
    name: 'TestScaleUpIgnoresFailedPods',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 2,
    statusReplicas: 2,
    CPUTarget: 30,
    reportedLevels: [500, 700],
    reportedCPURequests: ones(4),
    reportedPodReadiness: [T, T, F, F],
    reportedPodPhase: ['Running', 'Running', 'Failed', 'Failed'],
    expectedDesiredReplicas: 4,
  },
  {
    name: 'TestScaleUpIgnoresDeletionPods',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 2,
    statusReplicas: 2,
    CPUTarget: 30,
    reportedLevels: [500, 700],
    reportedCPURequests: ones(4),
    reportedPodReadiness: [T, T, F, F],
    reportedPodPhase: ['Running', 'Running', 'Running', 'Running'],
    reportedPodDeletionTimestamp: [false, false, true, true],
    expectedDesiredReplicas: 4,
  },
  { name: 'TestScaleUpDeployment', minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3), expectedDesiredReplicas: 5 },
  { name: 'TestScaleDown', minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: ones(5), expectedDesiredReplicas: 3 },
  {
    name: 'TestScaleDownIncludeUnreadyPods',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 5,
    statusReplicas: 5,
    CPUTarget: 50,
    reportedLevels: [100, 300, 500, 250, 250],
    reportedCPURequests: ones(5),
    reportedPodReadiness: [T, T, T, F, F],
    expectedDesiredReplicas: 2,
  },
  {
    name: 'TestScaleDownIgnoreHotCpuPods',
    minReplicas: 2,
    maxReplicas: 6,
    specReplicas: 5,
    statusReplicas: 5,
    CPUTarget: 50,
    reportedLevels: [100, 300, 500, 250, 250],
    reportedCPURequests: ones(5),
    reportedPodStartTime: [cool, cool, cool, hot, hot],
    expectedDesiredReplicas: 2,
  },
  { name: 'TestTolerance', minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 100, reportedLevels: [1010, 1030, 1020], reportedCPURequests: ['0.9', '1.0', '1.1'], expectedDesiredReplicas: 3, expectedReason: 'DesiredWithinRange' },
  { name: 'TestMinReplicas', minReplicas: 2, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [10, 95, 10], reportedCPURequests: ['0.9', '1.0', '1.1'], expectedDesiredReplicas: 2, expectedReason: 'TooFewReplicas' },
  { name: 'TestMaxReplicas', minReplicas: 2, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [8000, 9500, 1000], reportedCPURequests: ['0.9', '1.0', '1.1'], expectedDesiredReplicas: 5, expectedReason: 'TooManyReplicas' },
];

describe('Function: decide (horizontal_test.go CPU cases)', () => {
  it.each(rows)('$name', (row) => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: row.minReplicas, maxReplicaCount: row.maxReplicas }), [resourceTrigger({ value: String(row.CPUTarget) })]);
    const decision = decide({
      scaledObject: so,
      observation: observe({ spec: row.specReplicas, status: row.statusReplicas, metrics: { '0': podSetOf(row) } }),
      state: emptyState(),
      now: NOW,
      controller: TESTING,
    });
    expect(decision.replicas).toBe(row.expectedDesiredReplicas);
    if (row.expectedReason !== undefined) expect(decision.reason).toBe(row.expectedReason);
  });

  it('TestEmptyCPURequest: a pod without a cpu request fails the metric (FailedGetResourceMetric) and keeps the count', () => {
    const set = podSetOf({ ...rows[0], reportedCPURequests: ['1.0'], reportedLevels: [200] } as HorizontalRow);
    const noRequests: PodSet = { ...set, pods: set.pods.map((p) => ({ ...p, spec: { containers: p.spec.containers.map((c) => ({ name: c.name })) } })) };
    const so = withTriggers(makeScaledObject({ minReplicaCount: 1, maxReplicaCount: 5 }), [resourceTrigger({ value: '100' })]);
    const decision = decide({ scaledObject: so, observation: observe({ spec: 1, metrics: { '0': noRequests } }), state: emptyState(), now: NOW, controller: TESTING });
    expect(decision).toMatchObject({ replicas: 1, reason: 'FailedGetResourceMetric' });
    expect(decision.conditions).toContainEqual({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' });
  });

  it('TestEmptyMetrics: no PodMetrics at all fails the metric and keeps the count', () => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: 2, maxReplicaCount: 6 }), [resourceTrigger({ value: '100' })]);
    const set = podSetOf({ ...rows[0], reportedCPURequests: ones(4), reportedLevels: [] } as HorizontalRow);
    const decision = decide({ scaledObject: so, observation: observe({ spec: 4, metrics: { '0': set } }), state: emptyState(), now: NOW, controller: TESTING });
    expect(decision).toMatchObject({ replicas: 4, reason: 'FailedGetResourceMetric' });
    expect(decision.message).toContain('no metrics returned from resource metrics API');
  });
});
