/**
 * The pods and PodMetrics of a cpu target, read by LPA's Kubernetes client over real HTTPS from the
 * local API server (EKS token verification and RBAC on): metrics-server's PodMetrics follow the work
 * each pod does, pods start, become ready and terminate; a cluster without metrics-server and RBAC
 * without `pods.metrics.k8s.io` give errors that say what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { milliValue } from '../../../shared/spec/quantity.js';
import { createClusterConnector } from '../../../shared/kube/connector.js';
import type { AwsCredentials } from '../../../shared/kube/eksToken.js';
import { KubeForbiddenError } from '../../../shared/kube/errors.js';
import { MetricsServerMissingError } from '../../../shared/kube/pods.js';
import type { ScaleClient } from '../../../shared/kube/types.js';

const REGION = 'eu-west-1';
const SCALER: AwsCredentials = { accessKeyId: 'AKIDSCALER', secretAccessKey: 'scaler-secret', sessionToken: 'scaler-session' };
const NO_METRICS: AwsCredentials = { accessKeyId: 'AKIDNOMETRICS', secretAccessKey: 'other-secret', sessionToken: 'other-session' };
const SECOND = 1000;

let now = Date.parse('2026-12-02T10:00:00Z');
let kube: KubeApiHandle;
const connectors: ReturnType<typeof createClusterConnector>[] = [];

const clientAs = async (credentials: AwsCredentials): Promise<ScaleClient> => {
  const connector = createClusterConnector({
    credentials: async () => credentials,
    now: () => now,
    sleep: async () => {},
    random: () => 0.5,
    clusters: [{ name: 'demo', region: REGION, endpoint: kube.url, caData: kube.caData }],
  });
  connectors.push(connector);
  return connector.connect({ name: 'demo', region: REGION });
};

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: REGION,
    now: () => now,
    identities: [
      { ...SCALER, username: 'lpa-scaler', groups: ['lpa-scalers'] },
      { ...NO_METRICS, username: 'lpa-old-rbac', groups: ['lpa-old'] },
    ],
    rbac: [
      {
        subjects: { groups: ['lpa-scalers'] },
        namespace: 'web',
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
          { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
        ],
      },
      { subjects: { groups: ['lpa-old'] }, namespace: 'web', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] },
    ],
  });
  kube.cluster.addDeployment({ namespace: 'web', name: 'php-apache', replicas: 2, requests: { cpu: '200m', memory: '64Mi' }, startupDelayMs: 20 * SECOND, terminationGraceMs: 30 * SECOND, startupCpuMillicores: 150 });
});

afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await kube.close();
});

const cpuOf = (usage: Record<string, string> | undefined): number => Number(milliValue(usage?.cpu ?? '0'));

describe('Integration: pods and PodMetrics from the local Kubernetes API', () => {
  it('lists no PodMetrics for pods that metrics-server has not scraped yet', async () => {
    const client = await clientAs(SCALER);
    const set = await client.readPodSet('web', 'app=php-apache');
    expect(set.pods.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    expect(set.podMetrics).toEqual([]);
  });

  it('reports usage that follows the load, shared by the Ready pods, in nanocores', async () => {
    const client = await clientAs(SCALER);
    kube.cluster.setCpuLoad('web', 'php-apache', 400);
    now += 30 * SECOND;
    const set = await client.readPodSet('web', 'app=php-apache');
    expect(set.podMetrics).toHaveLength(2);
    for (const m of set.podMetrics) {
      expect(m.window).toBe('15s');
      expect(m.containers?.[0]?.usage.cpu).toMatch(/^\d+n$/);
      // 400m over two pods plus 2m idle, and under a millicore of scrape jitter.
      expect(cpuOf(m.containers?.[0]?.usage)).toBeGreaterThanOrEqual(202);
      expect(cpuOf(m.containers?.[0]?.usage)).toBeLessThanOrEqual(203);
    }
    expect(set.pods[0]?.spec.containers[0]?.resources?.requests).toEqual({ cpu: '200m', memory: '64Mi' });
  });

  it('shows new pods starting (not Ready, burning startup CPU) and old ones terminating', async () => {
    const client = await clientAs(SCALER);
    kube.cluster.setReplicas('web', 'php-apache', 3);
    now += 16 * SECOND;
    const starting = await client.readPodSet('web', 'app=php-apache');
    const young = starting.pods[2];
    expect(young?.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(cpuOf(starting.podMetrics.find((m) => m.metadata.name === young?.metadata.name)?.containers?.[0]?.usage)).toBeGreaterThanOrEqual(152);

    kube.cluster.setReplicas('web', 'php-apache', 1);
    const scaledDown = await client.readPodSet('web', 'app=php-apache');
    expect(scaledDown.pods.map((p) => p.metadata.deletionTimestamp === undefined)).toEqual([true, false, false]);
    now += 31 * SECOND;
    expect((await client.readPodSet('web', 'app=php-apache')).pods).toHaveLength(1);
  });

  it('says metrics-server is missing, and how to install it, when metrics.k8s.io is not served', async () => {
    const client = await clientAs(SCALER);
    kube.cluster.setMetricsServer(false);
    try {
      const read = client.readPodSet('web', 'app=php-apache');
      await expect(read).rejects.toThrow(MetricsServerMissingError);
      await expect(read).rejects.toThrow(/metrics-server is not installed.*aws eks create-addon --cluster-name <cluster> --addon-name metrics-server/);
    } finally {
      kube.cluster.setMetricsServer(true);
    }
  });

  it('names the RBAC rule to add when pods.metrics.k8s.io is refused', async () => {
    const client = await clientAs(NO_METRICS);
    const read = client.readPodSet('web', 'app=php-apache');
    await expect(read).rejects.toThrow(KubeForbiddenError);
    await expect(read).rejects.toThrow(/"list" on "pods" in API group "metrics.k8s.io" in namespace "web"/);
  });
});
