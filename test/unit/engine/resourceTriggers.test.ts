/**
 * cpu/memory triggers inside one evaluation: how they join the other triggers (max, partial
 * failure), how KEDA's activation treats them, and the AverageValue and memory paths.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../shared/engine/decide.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../../../shared/engine/resourceMetrics.js';
import { readTriggers } from '../../../shared/engine/triggerReadings.js';
import type { PodSet } from '../../../shared/engine/podObjects.js';
import type { MetricReading } from '../../../shared/engine/types.js';
import type { ScaledObject } from '../../../shared/spec/types.js';
import { emptyState, failure, MINUTE, NOW, observe, value } from '../../helpers/evaluation.js';
import { pod, podMetrics, resourceTrigger, withTriggers } from '../../helpers/pods.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

/** `usage[i]` millicores for pod i, each requesting 1 cpu, ready for an hour. */
const cpuPods = (...usage: number[]): PodSet => ({
  pods: usage.map((_, i) => pod(`w-${i}`, { containers: [{ name: 'app', requests: { cpu: '1', memory: '256Mi' } }], startTime: NOW - 60 * MINUTE, readySince: NOW - 59 * MINUTE })),
  podMetrics: usage.map((m, i) => podMetrics(`w-${i}`, [{ name: 'app', usage: { cpu: `${m * 1_000_000}n`, memory: `${64 * (i + 1)}Mi` } }], NOW - 20_000, '20.5s')),
});

const cpuObject = (overrides: Parameters<typeof makeScaledObject>[0] = {}): ScaledObject =>
  withTriggers(makeScaledObject({ minReplicaCount: 1, maxReplicaCount: 20, ...overrides }), [resourceTrigger({ value: '50' })]);

/** An SQS trigger (key "queue", target 10) beside a cpu trigger (key "cpu", 50 %). */
const queueAndCpu = (min = 0): ScaledObject => {
  const base = makeScaledObject({ name: 'queue', target: 10, minReplicaCount: min, maxReplicaCount: 20 });
  return withTriggers(base, [base.spec.triggers[0] as ScaledObject['spec']['triggers'][number], resourceTrigger({ name: 'cpu', value: '50', index: 1 })]);
};

const evaluate = (so: ScaledObject, spec: number, metrics: Record<string, MetricReading>, state = emptyState()) =>
  decide({ scaledObject: so, observation: observe({ spec, metrics }), state, now: NOW });

describe('Function: decide (cpu and memory triggers)', () => {
  it('scales on cpu utilization and reports it in the message and values', () => {
    const decision = evaluate(cpuObject(), 3, { '0': cpuPods(900, 900, 900) });
    expect(decision).toMatchObject({ replicas: 6, active: true, values: { '0': 90 } });
    expect(decision.message).toContain('0=90%/50%');
  });

  it('keeps an object whose triggers are all cpu/memory active, as KEDA does', () => {
    expect(evaluate(cpuObject(), 2, { '0': cpuPods(10, 10) }).active).toBe(true);
  });

  it('lets the larger proposal win: the queue over cpu', () => {
    expect(evaluate(queueAndCpu(), 5, { queue: value(80), cpu: cpuPods(500, 500, 500, 500, 500) }).replicas).toBe(8);
  });

  it('lets the larger proposal win: cpu over the queue', () => {
    expect(evaluate(queueAndCpu(), 2, { queue: value(10), cpu: cpuPods(1000, 1000) }).replicas).toBe(4);
  });

  it('blocks a scale-down when the pods cannot be read (FailedGetResourceMetric)', () => {
    const decision = evaluate(queueAndCpu(1), 6, { queue: value(10), cpu: failure('the metrics.k8s.io API is not served by this cluster') });
    expect(decision).toMatchObject({ replicas: 6, reason: 'FailedGetResourceMetric' });
    expect(decision.message).toContain('metrics.k8s.io');
  });

  it('still scales up on the other triggers when the pods cannot be read', () => {
    expect(evaluate(queueAndCpu(1), 5, { queue: value(100), cpu: failure('403') }).replicas).toBe(10);
  });

  it('never scales to zero while the pods cannot be read', () => {
    const state = emptyState({ lastActiveTime: NOW - 60 * MINUTE });
    expect(evaluate(queueAndCpu(0), 2, { queue: value(0), cpu: failure('timeout') }, state).replicas).toBe(2);
  });

  it('does not keep an idle queue object up: cpu is skipped for activation', () => {
    const state = emptyState({ lastActiveTime: NOW - 60 * MINUTE });
    const decision = evaluate(queueAndCpu(0), 2, { queue: value(0), cpu: cpuPods(900, 900) }, state);
    expect(decision).toMatchObject({ replicas: 0, reason: 'KEDAScaleTargetDeactivated' });
  });

  it('computes AverageValue on the average usage per pod', () => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: 1, maxReplicaCount: 20 }), [resourceTrigger({ metricType: 'AverageValue', value: '250m' })]);
    const decision = evaluate(so, 3, { '0': cpuPods(300, 500, 700) });
    expect(decision).toMatchObject({ replicas: 6, values: { '0': 0.5 } });
  });

  it('computes memory on the named container, without the cpu readiness rule', () => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: 1, maxReplicaCount: 20 }), [resourceTrigger({ type: 'memory', value: '50', container: 'app' })]);
    const set = cpuPods(1, 1, 1);
    // Started a second ago: cpu would ignore these samples; memory does not.
    const fresh: PodSet = { ...set, pods: set.pods.map((p) => ({ ...p, status: { ...p.status, startTime: new Date(NOW - 1000).toISOString() } })) };
    // usage 64, 128, 192 Mi of 256 Mi requested → 50 % → stays 3
    expect(evaluate(so, 3, { '0': fresh })).toMatchObject({ replicas: 3, values: { '0': 50 } });
  });

  it('refuses a plain value for a cpu trigger', () => {
    const decision = evaluate(cpuObject(), 3, { '0': value(80) });
    expect(decision).toMatchObject({ replicas: 3, reason: 'FailedGetResourceMetric', values: { '0': 'expected pods and podMetrics, got a value' } });
  });

  it('takes the reason of the first failing metric in spec order', () => {
    const base = makeScaledObject({ name: 'queue', target: 10, minReplicaCount: 1 });
    const cpuFirst = withTriggers(base, [resourceTrigger({ name: 'cpu', value: '50' }), { ...(base.spec.triggers[0] as ScaledObject['spec']['triggers'][number]), index: 1 }]);
    expect(evaluate(cpuFirst, 3, { cpu: failure('timeout'), queue: failure('throttled') }).reason).toBe('FailedGetResourceMetric');
    expect(evaluate(queueAndCpu(1), 3, { queue: failure('throttled'), cpu: failure('timeout') }).reason).toBe('FailedGetExternalMetric');
  });

  it('names a container metric failure FailedGetContainerResourceMetric', () => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: 1 }), [resourceTrigger({ value: '50', container: 'sidecar' })]);
    expect(evaluate(so, 3, { '0': cpuPods(100, 100, 100) }).reason).toBe('FailedGetContainerResourceMetric');
  });

  it('uses the controller settings: a pod inside the CPU initialization period is unready', () => {
    const set = cpuPods(900, 100, 100);
    // Pod 0 started 2 minutes ago and became ready 30 s ago, inside its sample's 20.5 s window (taken 20 s ago).
    const young: PodSet = {
      ...set,
      pods: set.pods.map((p, i) => (i === 0 ? pod('w-0', { containers: [{ name: 'app', requests: { cpu: '1' } }], startTime: NOW - 2 * MINUTE, readySince: NOW - 30_000 }) : p)),
    };
    const so = cpuObject();
    const withDefault = decide({ scaledObject: so, observation: observe({ spec: 3, metrics: { '0': young } }), state: emptyState(), now: NOW });
    const shortPeriod = decide({ scaledObject: so, observation: observe({ spec: 3, metrics: { '0': young } }), state: emptyState(), now: NOW, controller: { cpuInitializationPeriodSeconds: 60, initialReadinessDelaySeconds: 30 } });
    // Default 5 min: pod 0 is unready, the ready pods are at 10 % → scale down to 1.
    expect(withDefault.replicas).toBe(1);
    // 1 min: pod 0 counts, (900+100+100)/3 = 36 % → ceil(0.72 × 3) = 3.
    expect(shortPeriod.replicas).toBe(3);
  });
});

// KEDA cpu_memory_scaler_test.go: the metric spec a cpu trigger becomes in the HPA.
describe('Function: readTriggers (KEDA TestGetMetricSpecForScaling)', () => {
  const metricOf = (so: ScaledObject) => readTriggers(so, observe({ spec: 3, metrics: { '0': cpuPods(100, 100, 100) } }), {}, DEFAULT_CONTROLLER_SETTINGS, NOW).hpaMetrics[0];

  it('TestGetMetricSpecForScaling: a Resource cpu metric with a Utilization target', () => {
    expect(metricOf(cpuObject())).toMatchObject({ key: '0', resource: { name: 'cpu', metricType: 'Utilization', target: 50n } });
    expect(metricOf(cpuObject())).not.toHaveProperty('resource.container');
  });

  it('TestGetContainerMetricSpecForScaling: a ContainerResource metric for the named container', () => {
    const so = withTriggers(makeScaledObject({ minReplicaCount: 1 }), [resourceTrigger({ value: '50', container: 'foo' })]);
    expect(metricOf(so)).toMatchObject({ resource: { name: 'cpu', metricType: 'Utilization', target: 50n, container: 'foo' } });
  });
});

describe('Function: decide (cpu beside a queue at zero replicas)', () => {
  it('lets an idle queue keep the target at zero, and the queue wake it, with no pods to read', () => {
    const noPods: PodSet = { pods: [], podMetrics: [] };
    const idle = evaluate(queueAndCpu(0), 0, { queue: value(0), cpu: noPods });
    expect(idle).toMatchObject({ replicas: 0, reason: 'ScalerNotActive' });
    expect(idle.conditions).toContainEqual({ type: 'Ready', status: 'True', reason: 'ScaledObjectReady' });
    expect(evaluate(queueAndCpu(0), 0, { queue: value(30), cpu: noPods }).replicas).toBeGreaterThanOrEqual(1);
  });
});
