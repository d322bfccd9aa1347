/**
 * LPA end to end on an in-cluster Prometheus: the real runtime reads a KEDA user's
 * `http://prometheus-server.monitoring.svc.cluster.local:9090` through the local API server's
 * service proxy (EKS token, RBAC resourceNames) and scales the Deployment on its value. With
 * authModes, it resolves a TriggerAuthentication whose custom tenant header lives in a Kubernetes
 * Secret and sends it through the proxy; a bearer token for the same address is refused on its
 * object alone, without the token anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leastPrivilegeRbac, prometheusProxyRbac } from '../../../dev/local/environment.js';
import { MINUTE, startHarness, type Harness } from './harness.js';

const QUERY = 'sum(rate(http_requests_total{service="checkout"}[2m]))';
const TENANT_KEY = 'tenant-key-must-never-leak';
const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';

let h: Harness;
beforeAll(async () => {
  const base = leastPrivilegeRbac('shop');
  h = await startHarness({ rbac: [{ ...base, rules: [...base.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['prometheus-tenant'] }] }, prometheusProxyRbac] });
  h.env.kube.cluster.putObject('', 'secrets', 'shop', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prometheus-tenant' }, stringData: { header: 'X-Scope-OrgID', value: TENANT_KEY, modes: 'bearer' } });
});
afterAll(async () => h.close());

/** `auth`: the trigger's authModes (or none) and the TriggerAuthentication it references. */
const scaledObject = (serverAddress: string, name = 'checkout', auth?: { readonly modes?: string; readonly ref: string }) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { name },
    minReplicaCount: 1,
    maxReplicaCount: 10,
    triggers: [
      {
        type: 'prometheus',
        name: 'rps',
        metadata: { serverAddress, metricName: 'http_requests_total', query: QUERY, threshold: '100', ...(auth?.modes === undefined ? {} : { authModes: auth.modes }) },
        ...(auth === undefined ? {} : { authenticationRef: { name: auth.ref } }),
      },
    ],
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

const tenantAuthentication = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name: 'prometheus-tenant', namespace: 'shop' },
  spec: {
    secretTargetRef: [
      { parameter: 'customAuthHeader', name: 'prometheus-tenant', key: 'header' },
      { parameter: 'customAuthValue', name: 'prometheus-tenant', key: 'value' },
    ],
  },
};

/** authModes itself from the Secret: unknown before run time, so refused by the reader, not by validation. */
const bearerAuthentication = {
  ...tenantAuthentication,
  metadata: { name: 'prometheus-bearer', namespace: 'shop' },
  spec: {
    secretTargetRef: [
      { parameter: 'authModes', name: 'prometheus-tenant', key: 'modes' },
      { parameter: 'bearerToken', name: 'prometheus-tenant', key: 'value' },
    ],
  },
};

describe('E2E: Prometheus authModes through the service proxy', () => {
  it('scales on a query sent with the custom tenant header from the Secret', async () => {
    // Prepare: 300 at 100 per replica wants 3.
    h.env.prometheus.setVector(QUERY, [{ metric: {}, value: '300' }]);
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search', replicas: 1 });
    const before = h.env.prometheus.requests.length;

    // Act
    const [report] = await h.tick(h.group([scaledObject(IN_CLUSTER, 'search', { modes: 'custom', ref: 'prometheus-tenant' })], [tenantAuthentication]));

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 3, metrics: { rps: 300 } });
    expect(h.env.prometheus.requests.slice(before).map((r) => r.headers['x-scope-orgid'])).toEqual([TENANT_KEY]);
    expect(JSON.stringify(report)).not.toContain(TENANT_KEY);
  });

  it('refuses bearer (authModes from the Secret) for the in-cluster address on that object alone, naming why, without the token', async () => {
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search-bearer', replicas: 2 });
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search-custom', replicas: 1 });

    const before = h.env.prometheus.requests.length;

    h.env.prometheus.setVector(QUERY, [{ metric: {}, value: '300' }]);
    const bearer = scaledObject(IN_CLUSTER, 'search-bearer', { ref: 'prometheus-bearer' });
    const custom = scaledObject(IN_CLUSTER, 'search-custom', { modes: 'custom', ref: 'prometheus-tenant' });

    const reports = await h.tick(h.group([bearer, custom], [tenantAuthentication, bearerAuthentication]));

    const byName = Object.fromEntries(reports.map((r) => [r.id.split('/').at(-1), r]));
    expect(byName['search-bearer']).toMatchObject({ outcome: 'unchanged', desiredReplicas: 2, reason: 'FailedGetExternalMetric' });
    expect(String(byName['search-bearer']?.metrics?.rps)).toContain('removes the Authorization header after authenticating LPA');
    expect(byName['search-custom']).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
    expect(h.env.prometheus.requests.slice(before).map((r) => r.headers.authorization)).toEqual([undefined]);
    expect(JSON.stringify(reports)).not.toContain(TENANT_KEY);
  });
});
