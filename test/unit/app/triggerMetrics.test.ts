import { describe, expect, it } from 'vitest';
import { readTriggerMetrics } from '../../../shared/app/triggerMetrics.js';
import { createResourceReader } from '../../../shared/triggers/cpuMemory.js';
import type { CpuTrigger } from '../../../shared/spec/types.js';
import { pod, podMetrics, resourceTrigger, withTriggers } from '../../helpers/pods.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';
import { createCannedTriggers, createFakeCluster } from './fakes.js';

const NOW = Date.parse('2026-12-02T15:00:00Z');

const connect = async (log: string[], setup: (cluster: ReturnType<typeof createFakeCluster>) => void) => {
  const cluster = createFakeCluster(log);
  setup(cluster);
  return cluster.connector.connect({ name: 'demo', region: 'eu-west-1' });
};

describe('Function: readTriggerMetrics', () => {
  it('proposes from the current replicas with the engine: AverageValue ceil(M/T), Value from ready pods', async () => {
    // Prepare: target 5 per replica; Value metric 12 against target 4 with 2 ready pods → ceil(3 × 2) = 6.
    const so = makeScaledObject({ namespace: 'shop', objectName: 'orders', extraTriggers: [{ name: 'lag', metricType: 'Value', target: 4 }] });
    const client = await connect([], (c) => c.target('shop', 'worker', { specReplicas: 3, statusReplicas: 3, selector: 'app=orders', readyPods: 2 }));
    const { registry } = createCannedTriggers({ 'shop/orders/0': { value: 42 }, 'shop/orders/lag': { value: 12 } });

    // Act
    const rows = await readTriggerMetrics([so], { triggers: registry, cluster: client, now: NOW });

    // Assess
    expect(rows.map(({ trigger, value, active, currentReplicas, proposedReplicas }) => ({ trigger, value, active, currentReplicas, proposedReplicas }))).toEqual([
      { trigger: '0', value: 42, active: true, currentReplicas: 3, proposedReplicas: 9 },
      { trigger: 'lag', value: 12, active: true, currentReplicas: 3, proposedReplicas: 6 },
    ]);
  });

  it('reports a failed read with no value, not active, and no proposal', async () => {
    const so = makeScaledObject({ namespace: 'shop', objectName: 'orders' });
    const client = await connect([], (c) => c.target('shop', 'worker', { specReplicas: 2 }));
    const { registry } = createCannedTriggers({ 'shop/orders/0': { error: 'AccessDenied' } });

    const [row] = await readTriggerMetrics([so], { triggers: registry, cluster: client, now: NOW });

    expect(row).toMatchObject({ value: null, error: 'AccessDenied', active: false, currentReplicas: 2, proposedReplicas: null, proposalError: 'the metric could not be read' });
  });

  it('is active only strictly above the activation target', async () => {
    const so = makeScaledObject({ namespace: 'shop', objectName: 'orders', activationTarget: 10 });
    const { registry } = createCannedTriggers({ 'shop/orders/0': { value: 10 } });

    const [row] = await readTriggerMetrics([so], { triggers: registry, now: NOW });

    expect(row).toMatchObject({ value: 10, activationTarget: 10, active: false, currentReplicas: null, proposalError: expect.stringContaining('no cluster given') });
  });

  it('still reads the triggers when the target cannot be read, and says why there is no proposal', async () => {
    const log: string[] = [];
    const so = makeScaledObject({ namespace: 'shop', objectName: 'orders' });
    const client = await connect(log, (c) => c.fail('getScale shop/worker', new Error('deployments.apps "orders" not found')));
    const { registry } = createCannedTriggers({ 'shop/orders/0': { value: 7 } });

    const [row] = await readTriggerMetrics([so], { triggers: registry, cluster: client, now: NOW });

    expect(row).toMatchObject({ value: 7, currentReplicas: null, proposedReplicas: null, proposalError: 'deployments.apps "orders" not found' });
  });

  it('reads a cpu trigger from the target pods and proposes with the HPA Resource algorithm', async () => {
    // Prepare: 3 ready pods requesting 1 cpu each, using 900m → 90 % against 50 % → ceil(3 × 0.9 / 0.5) = 6.
    const so = withTriggers(makeScaledObject({ namespace: 'shop', objectName: 'web', minReplicaCount: 1, maxReplicaCount: 20 }), [resourceTrigger({ value: '50' })]);
    const names = ['w-0', 'w-1', 'w-2'];
    const podSet = {
      pods: names.map((name) => pod(name, { containers: [{ name: 'app', requests: { cpu: '1' } }], startTime: NOW - 3_600_000, readySince: NOW - 3_540_000 })),
      podMetrics: names.map((name) => podMetrics(name, [{ name: 'app', usage: { cpu: '900000000n' } }], NOW - 20_000, '20.5s')),
    };
    const log: string[] = [];
    const client = await connect(log, (c) => c.target('shop', 'worker', { specReplicas: 3, statusReplicas: 3, selector: 'app=web', podSet }));
    const { registry } = createCannedTriggers({});

    // Act
    const [row] = await readTriggerMetrics([so], { triggers: { ...registry, cpu: createResourceReader<CpuTrigger>('cpu') }, cluster: client, now: NOW });

    // Assess: one scale read shared by the replicas and the pods, as in a tick.
    expect(row).toMatchObject({ type: 'cpu', value: 90, error: null, active: false, currentReplicas: 3, proposedReplicas: 6, proposalError: null });
    expect(log.filter((entry) => entry.startsWith('getScale'))).toHaveLength(1);
  });

  it('makes no per-trigger proposal for an object that scales on scalingModifiers', async () => {
    const so = makeScaledObject({ namespace: 'shop', objectName: 'orders', name: 'queue', scalingModifiers: { formula: 'queue * 2', target: 5, activationTarget: 0, metricType: 'AverageValue' } });
    const client = await connect([], (c) => c.target('shop', 'worker', { specReplicas: 2 }));
    const { registry } = createCannedTriggers({ 'shop/orders/queue': { value: 7 } });

    const [row] = await readTriggerMetrics([so], { triggers: registry, cluster: client, now: NOW });

    expect(row).toMatchObject({ value: 7, currentReplicas: 2, proposedReplicas: null, proposalError: expect.stringContaining('scalingModifiers') });
  });
});
