/**
 * LPA end to end on Prometheus authModes: the real runtime resolves a TriggerAuthentication whose
 * custom tenant header lives in a Kubernetes Secret (read by name through the local API server),
 * sends it through the service proxy to the in-cluster Prometheus and scales on the value; a bearer
 * token for the same in-cluster address is refused on its object alone, without the token anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leastPrivilegeRbac, prometheusProxyRbac } from '../../../dev/local/environment.js';
import { startHarness, type Harness } from './harness.js';

const QUERY = 'sum(rate(http_requests_total{service="search"}[2m]))';
const TENANT_KEY = 'tenant-key-must-never-leak';
const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';

let h: Harness;
beforeAll(async () => {
  const base = leastPrivilegeRbac('shop');
  h = await startHarness({ rbac: [{ ...base, rules: [...base.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['prometheus-tenant'] }] }, prometheusProxyRbac] });
  h.env.kube.cluster.putObject('', 'secrets', 'shop', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prometheus-tenant' }, stringData: { header: 'X-Scope-OrgID', value: TENANT_KEY, modes: 'bearer' } });
  h.env.prometheus.setVector(QUERY, [{ metric: {}, value: '120' }]);
});
afterAll(async () => h.close());

const scaledObject = (name: string, authModes: string | undefined, authentication = 'prometheus-tenant') => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { name },
    minReplicaCount: 1,
    maxReplicaCount: 10,
    triggers: [{ type: 'prometheus', name: 'rps', metadata: { serverAddress: IN_CLUSTER, query: QUERY, threshold: '50', ...(authModes === undefined ? {} : { authModes }) }, authenticationRef: { name: authentication } }],
  },
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
    // Prepare: 120 at 50 per replica wants 3.
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search', replicas: 1 });
    const before = h.env.prometheus.requests.length;

    // Act
    const [report] = await h.tick(h.group([scaledObject('search', 'custom')], [tenantAuthentication]));

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 3, metrics: { rps: 120 } });
    expect(h.env.prometheus.requests.slice(before).map((r) => r.headers['x-scope-orgid'])).toEqual([TENANT_KEY]);
    expect(JSON.stringify(report)).not.toContain(TENANT_KEY);
  });

  it('refuses bearer (authModes from the Secret) for the in-cluster address on that object alone, naming why, without the token', async () => {
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search-bearer', replicas: 2 });
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'search-custom', replicas: 1 });

    const before = h.env.prometheus.requests.length;

    const reports = await h.tick(h.group([scaledObject('search-bearer', undefined, 'prometheus-bearer'), scaledObject('search-custom', 'custom')], [tenantAuthentication, bearerAuthentication]));

    const byName = Object.fromEntries(reports.map((r) => [r.id.split('/').at(-1), r]));
    expect(byName['search-bearer']).toMatchObject({ outcome: 'unchanged', desiredReplicas: 2, reason: 'FailedGetExternalMetric' });
    expect(String(byName['search-bearer']?.metrics?.rps)).toContain('removes the Authorization header after authenticating LPA');
    expect(byName['search-custom']).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
    expect(h.env.prometheus.requests.slice(before).map((r) => r.headers.authorization)).toEqual([undefined]);
    expect(JSON.stringify(reports)).not.toContain(TENANT_KEY);
  });
});
