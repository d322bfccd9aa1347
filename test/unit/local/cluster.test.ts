import { describe, expect, it } from 'vitest';
import { KubeSimulationError, SimulatedCluster } from '../../../dev/local/kube/cluster.js';
import type { DeploymentChange } from '../../../dev/local/kube/cluster.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A cluster on a hand-moved clock. */
const setup = (startupDelayMs = 30_000) => {
  const clock = { now: T0 };
  const cluster = new SimulatedCluster(() => clock.now);
  cluster.addDeployment({ namespace: 'demo', name: 'worker', replicas: 2, startupDelayMs });
  return { clock, cluster };
};

describe('Class: SimulatedCluster', () => {
  it('starts with the initial pods already Ready', () => {
    // Prepare
    const { cluster } = setup();

    // Act
    const snapshot = cluster.deployment('demo', 'worker');

    // Assess
    expect(snapshot).toMatchObject({ specReplicas: 2, statusReplicas: 2, readyReplicas: 2, history: [] });
  });

  it('creates pods at once on scale-up and makes them Ready after the startup delay', () => {
    // Prepare
    const { clock, cluster } = setup(30_000);
    cluster.setReplicas('demo', 'worker', 5);

    // Act
    const atOnce = cluster.deployment('demo', 'worker');
    clock.now = T0 + 29_999;
    const justBefore = cluster.deployment('demo', 'worker');
    clock.now = T0 + 30_000;
    const after = cluster.deployment('demo', 'worker');

    // Assess
    expect([atOnce.statusReplicas, atOnce.readyReplicas]).toEqual([5, 2]);
    expect(justBefore.readyReplicas).toBe(2);
    expect(after.readyReplicas).toBe(5);
  });

  it('removes the newest pods first on scale-down, at once', () => {
    // Prepare
    const { clock, cluster } = setup(30_000);
    cluster.setReplicas('demo', 'worker', 4);

    // Act
    clock.now = T0 + 1_000;
    cluster.setReplicas('demo', 'worker', 2);

    // Assess
    expect(cluster.deployment('demo', 'worker')).toMatchObject({ statusReplicas: 2, readyReplicas: 2 });
  });

  it('records each spec change with time and author', () => {
    // Prepare
    const { clock, cluster } = setup();

    // Act
    clock.now = T0 + 5_000;
    cluster.setReplicas('demo', 'worker', 3);
    cluster.writeScale('demo', 'worker', 1, 'scaler');

    // Assess
    expect(cluster.deployment('demo', 'worker').history).toEqual([
      { time: T0 + 5_000, replicas: 3, by: 'admin' },
      { time: T0 + 5_000, replicas: 1, by: 'scaler' },
    ]);
  });

  it('bumps resourceVersion on a change and keeps it on a no-op write', () => {
    // Prepare
    const { cluster } = setup();
    const before = cluster.deployment('demo', 'worker').resourceVersion;

    // Act
    cluster.writeScale('demo', 'worker', 2, 'scaler');
    const afterNoOp = cluster.deployment('demo', 'worker').resourceVersion;
    cluster.writeScale('demo', 'worker', 3, 'scaler');
    const afterChange = cluster.deployment('demo', 'worker').resourceVersion;

    // Assess
    expect(afterNoOp).toBe(before);
    expect(Number(afterChange)).toBeGreaterThan(Number(before));
  });

  it('counts API writes (no-ops included) but not admin changes in patchCount', () => {
    // Prepare
    const { cluster } = setup();

    // Act
    cluster.setReplicas('demo', 'worker', 4);
    cluster.writeScale('demo', 'worker', 4, 'scaler');
    cluster.writeScale('demo', 'worker', 5, 'scaler');

    // Assess
    expect(cluster.patchCount('demo', 'worker')).toBe(2);
  });

  it('tells listeners about spec changes until they unsubscribe', () => {
    // Prepare
    const { cluster } = setup();
    const seen: DeploymentChange[] = [];
    const unsubscribe = cluster.onChange((change) => seen.push(change));

    // Act
    cluster.setReplicas('demo', 'worker', 3);
    unsubscribe();
    cluster.setReplicas('demo', 'worker', 4);

    // Assess
    expect(seen).toEqual([{ namespace: 'demo', name: 'worker', from: 2, to: 3, by: 'admin', time: T0 }]);
  });

  it('hands out an injected failure only to matching requests, count times', () => {
    // Prepare
    const { cluster } = setup();
    cluster.injectFailures({ status: 503, count: 2, method: 'patch', pathIncludes: '/scale' });

    // Act
    const taken = [
      cluster.takeFailure('GET', '/apis/apps/v1/namespaces/demo/deployments/worker/scale'),
      cluster.takeFailure('PATCH', '/apis/apps/v1/namespaces/demo/deployments/worker'),
      cluster.takeFailure('PATCH', '/apis/apps/v1/namespaces/demo/deployments/worker/scale'),
      cluster.takeFailure('PATCH', '/apis/apps/v1/namespaces/demo/deployments/worker/scale'),
      cluster.takeFailure('PATCH', '/apis/apps/v1/namespaces/demo/deployments/worker/scale'),
    ];

    // Assess
    expect(taken.map((failure) => failure?.status)).toEqual([undefined, undefined, 503, 503, undefined]);
  });

  it.each([
    { comment: 'a duplicate deployment', act: (c: SimulatedCluster) => c.addDeployment({ namespace: 'demo', name: 'worker', replicas: 1 }) },
    { comment: 'an unknown deployment', act: (c: SimulatedCluster) => c.deployment('demo', 'nope') },
    { comment: 'negative replicas', act: (c: SimulatedCluster) => c.setReplicas('demo', 'worker', -1) },
    { comment: 'fractional replicas', act: (c: SimulatedCluster) => c.setReplicas('demo', 'worker', 1.5) },
  ])('refuses $comment', ({ act }) => {
    // Prepare
    const { cluster } = setup();

    // Act & Assess
    expect(() => act(cluster)).toThrow(KubeSimulationError);
  });
});
