/**
 * LPA end to end on an in-cluster Prometheus: the real runtime reads a KEDA user's
 * `http://prometheus-server.monitoring.svc.cluster.local:9090` through the local API server's
 * service proxy (EKS token, RBAC resourceNames) and scales the Deployment on its value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, startHarness, type Harness } from './harness.js';

const QUERY = 'sum(rate(http_requests_total{service="checkout"}[2m]))';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ namespaces: ['shop'] });
});
afterAll(async () => h.close());

const scaledObject = (serverAddress: string, name = 'checkout') => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { name },
    minReplicaCount: 1,
    maxReplicaCount: 10,
    triggers: [{ type: 'prometheus', name: 'rps', metadata: { serverAddress, metricName: 'http_requests_total', query: QUERY, threshold: '100' } }],
  },
});

describe('E2E: Prometheus in the cluster', () => {
  it('scales on the query read through the service proxy, at the HPA pace', async () => {
    // Prepare: 450 requests/s at 100 per replica wants 5 replicas.
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'checkout', replicas: 1 });
    h.env.prometheus.setVector(QUERY, [{ metric: {}, value: '450' }]);
    const group = h.group([scaledObject('http://prometheus-server.monitoring.svc.cluster.local:9090')]);

    // Act: one sync may only go to max(2×1, 4) = 4; a minute later the proposal is reached.
    const [first] = await h.tick(group);
    h.clock.advance(MINUTE);
    const [second] = await h.tick(group);

    // Assess
    expect(first).toMatchObject({ outcome: 'scaled', desiredReplicas: 4, metrics: { rps: 450 }, reason: 'ScaleUpLimit' });
    expect(second).toMatchObject({ outcome: 'scaled', desiredReplicas: 5 });
    expect(h.env.kube.requests.some((r) => r.path.startsWith('/api/v1/namespaces/monitoring/services/http:prometheus-server:9090/proxy/api/v1/query?') && r.status === 200)).toBe(true);
  });

  it('never scales on a Service RBAC does not grant, and says which rule is missing', async () => {
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'other', replicas: 3 });
    const group = h.group([scaledObject('http://alertmanager.monitoring:9093', 'other')]);

    const [report] = await h.tick(group);

    expect(report).toMatchObject({ outcome: 'unchanged', desiredReplicas: 3, reason: 'FailedGetExternalMetric' });
    expect(report?.metrics?.rps).toEqual(expect.stringContaining('resourceNames: ["http:alertmanager:9093"]'));
  });
});
