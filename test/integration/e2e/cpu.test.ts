/**
 * cpu triggers end to end over real HTTP: LPA's runtime reads the target's pods and the
 * `metrics.k8s.io` PodMetrics of the local Kubernetes API (whose metrics-server reports the CPU
 * each pod spends on the load), runs the HPA Resource algorithm, and patches the Deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectReport } from '../../../shared/app/objectReport.js';
import { MINUTE, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ namespaces: ['web'] });
});
afterAll(async () => h.close());

const cpuManifest = (name: string, spec: Record<string, unknown> = {}, triggers: unknown[] = []) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'web' },
  spec: {
    scaleTargetRef: { name },
    minReplicaCount: 1,
    maxReplicaCount: 10,
    ...spec,
    triggers: [...triggers, { type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }],
  },
});

const addWebDeployment = (name: string, replicas = 1) =>
  h.env.kube.cluster.addDeployment({ namespace: 'web', name, replicas, requests: { cpu: '200m', memory: '64Mi' }, startupDelayMs: 20_000, terminationGraceMs: 30_000 });

const replicasOf = (name: string) => h.env.kube.cluster.deployment('web', name).specReplicas;

describe('E2E: a CPU-driven Deployment', () => {
  it('scales up under load at the HPA pace, holds through the 5-minute stabilization window, then scales back down', async () => {
    addWebDeployment('php-apache');
    const group = h.group([cpuManifest('php-apache', { maxReplicaCount: 12 })]);
    // metrics-server scrapes every 15 s: give it a minute before the first evaluation.
    h.clock.advance(MINUTE);
    h.env.kube.cluster.setCpuLoad('web', 'php-apache', 1000);

    // 1 pod at 1002m of 200m (501 %) wants 10; the legacy limit allows max(2×1, 4) = 4.
    const [first] = await h.tick(group);
    expect(first).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 4, reason: 'ScaleUpLimit' });
    expect(first?.metrics?.cpu).toBeGreaterThan(500);

    // A minute later the new pods are Ready and scraped: 252m of 200m (126 %) on 4 pods → 11.
    h.clock.advance(MINUTE);
    const [second] = await h.tick(group);
    expect(second).toMatchObject({ outcome: 'scaled', currentReplicas: 4, desiredReplicas: 11 });

    // 93m of 200m on 11 pods (46 %): within tolerance, nothing moves.
    h.clock.advance(MINUTE);
    const [steady] = await h.tick(group);
    expect(steady).toMatchObject({ outcome: 'unchanged', desiredReplicas: 11, reason: 'DesiredWithinRange' });

    // The load stops: 1 % wants 1, but the HPA keeps the highest recommendation of the last 5 minutes.
    h.env.kube.cluster.setCpuLoad('web', 'php-apache', 0);
    const after: ObjectReport[] = [];
    for (let minute = 1; minute <= 6; minute++) {
      h.clock.advance(MINUTE);
      const [report] = await h.tick(group);
      after.push(report as ObjectReport);
    }
    expect(after.slice(0, 4).map((r) => [r.desiredReplicas, r.reason])).toEqual(Array.from({ length: 4 }, () => [11, 'ScaleDownStabilized']));
    expect(after.at(-1)).toMatchObject({ desiredReplicas: 1 });
    expect(replicasOf('php-apache')).toBe(1);
    expect(h.env.kube.cluster.deployment('web', 'php-apache').history.map((c) => c.replicas)).toEqual([4, 11, 1]);
  });
});

describe('E2E: a queue and cpu on one object', () => {
  it('follows whichever trigger proposes more', async () => {
    const queueUrl = await h.createQueue('orders');
    addWebDeployment('orders', 2);
    const behavior = { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 1000, periodSeconds: 15 }] } };
    const queueTrigger = { type: 'aws-sqs-queue', name: 'queue', metadata: { queueURL: queueUrl, queueLength: '10', awsRegion: 'eu-west-1' } };
    const group = h.group([cpuManifest('orders', { maxReplicaCount: 30, advanced: { horizontalPodAutoscalerConfig: { behavior } } }, [queueTrigger])]);
    h.clock.advance(MINUTE);

    // The queue wants 15, cpu (idle) wants 1: 15.
    await h.send(queueUrl, 150);
    const [queueWins] = await h.tick(group);
    expect(queueWins).toMatchObject({ outcome: 'scaled', currentReplicas: 2, desiredReplicas: 15 });
    expect(queueWins?.metrics).toMatchObject({ queue: 150, cpu: expect.any(Number) });

    // Heavy load on the 15 Ready pods: cpu wants more than the queue's 15.
    h.clock.advance(MINUTE);
    h.env.kube.cluster.setCpuLoad('web', 'orders', 15 * 200 * 1.6);
    const [cpuWins] = await h.tick(group);
    expect(cpuWins).toMatchObject({ outcome: 'scaled', currentReplicas: 15 });
    expect(cpuWins?.desiredReplicas).toBeGreaterThan(15);
    expect(cpuWins?.metrics?.queue).toBe(150);
  });
});

describe('E2E: a cluster without metrics-server', () => {
  it('reports the missing metrics-server on the object, keeps the replicas, and keeps evaluating the others', async () => {
    addWebDeployment('no-metrics', 3);
    const queueUrl = await h.createQueue('still-works');
    h.env.kube.cluster.addDeployment({ namespace: 'web', name: 'still-works', replicas: 0 });
    await h.send(queueUrl, 20);
    const queueOnly = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'still-works', namespace: 'web' }, spec: { scaleTargetRef: { name: 'still-works' }, triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: queueUrl, queueLength: '10', awsRegion: 'eu-west-1' } }] } };
    const group = h.group([cpuManifest('no-metrics'), queueOnly]);
    h.clock.advance(MINUTE);
    h.env.kube.cluster.setMetricsServer(false);
    try {
      const [cpu, queue] = await h.tick(group);
      expect(cpu).toMatchObject({ outcome: 'unchanged', desiredReplicas: 3, reason: 'FailedGetResourceMetric' });
      expect(cpu?.metrics?.cpu).toMatch(/metrics-server is not installed.*--addon-name metrics-server/);
      expect(queue).toMatchObject({ outcome: 'scaled', desiredReplicas: 2 });
    } finally {
      h.env.kube.cluster.setMetricsServer(true);
    }
  });
});

describe('E2E: RBAC without pods.metrics.k8s.io', () => {
  it('names the rule to add and never scales on what it could not read', async () => {
    const strict = await startHarness({
      rbac: [
        {
          subjects: { groups: ['lpa-scaler'] },
          namespace: 'web',
          rules: [
            { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
            { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
          ],
        },
      ],
    });
    try {
      strict.env.kube.cluster.addDeployment({ namespace: 'web', name: 'php-apache', replicas: 4, requests: { cpu: '200m' } });
      strict.clock.advance(MINUTE);
      const [report] = await strict.tick(strict.group([cpuManifest('php-apache')]));
      expect(report).toMatchObject({ outcome: 'unchanged', desiredReplicas: 4, reason: 'FailedGetResourceMetric' });
      expect(report?.metrics?.cpu).toContain('RBAC does not allow "list" on "pods" in API group "metrics.k8s.io" in namespace "web"');
    } finally {
      await strict.close();
    }
  });
});
