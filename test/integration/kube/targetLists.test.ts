/**
 * The cluster source's Kubernetes reads over real HTTPS: one Deployment (StatefulSet) list per
 * namespace in place of a `GET …/scale` per object, read as the scale subresource reads it, and the
 * tick's AbortSignal on every call the cluster source makes. Trigger values are canned; time is injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import { runTick } from '../../../shared/app/tick.js';
import type { MetricReading } from '../../../shared/engine/types.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { createClusterApi, type ClusterApi } from '../../../shared/kube/clusterApi.js';
import { createDiscovery } from '../../../shared/kube/discovery.js';
import { createWorkloadApi } from '../../../shared/kube/workloads.js';
import { createKubeAgent, createKubeTransport, type KubeAgent, type KubeTransport } from '../../../shared/kube/transport.js';
import { InMemoryStateStore } from '../../../shared/state/inMemoryStateStore.js';
import { asBindings, deploymentRef } from '../../helpers/kube.js';
import { rbacObjects } from '../../../infra/rbac.js';
import { createCannedTriggers } from '../../unit/app/fakes.js';
import { LPA_FINALIZER } from '../../../shared/app/finalizer.js';

const NOW = Date.parse('2026-12-02T14:40:00Z');
const ADMIN = 'admin-static-token-0123456789';
/** What `lpa rbac --from-cluster --namespace …` grants. */
const LPA = 'lpa-static-token-0123456789';
/** The cluster source's grants from before target lists: scale GETs, no `list` on Deployments. */
const NO_LIST = 'nolist-static-token-0123456789';

let kube: KubeApiHandle;
let agent: KubeAgent;

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    now: () => NOW,
    staticTokens: {
      [ADMIN]: { username: 'admin', groups: ['system:masters'] },
      [LPA]: { username: 'lpa', groups: ['lpa-scaler'] },
      [NO_LIST]: { username: 'nolist', groups: ['lpa-nolist'] },
    },
    rbac: [
      ...asBindings(rbacObjects({ targets: [], fromCluster: { namespaces: ['shop', 'lone', 'old', 'sub', 'paged'] } })),
      {
        subjects: { groups: ['lpa-nolist'] },
        namespace: 'old',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
          { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] },
          { apiGroups: ['keda.sh'], resources: ['scaledobjects/status'], verbs: ['patch'] },
          { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'get', 'patch'] },
          { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list'] },
        ],
      },
    ],
  });
  agent = createKubeAgent(kube.caPem);
});

afterAll(async () => {
  await agent.close();
  await kube.close();
});

const transportFor = (token: string): KubeTransport =>
  createKubeTransport({ endpoint: kube.url, agent, tokens: staticTokenSource(token), retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 } });

const cron = { type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '4' } };
const apply = (namespace: string, name: string, scaleTargetRef: Record<string, string>) =>
  kube.cluster.objects.applyScaledObject({ metadata: { name, namespace }, spec: { scaleTargetRef, pollingInterval: 60, maxReplicaCount: 10, triggers: [cron] } });

/** One tick over `namespace`'s ScaledObjects through `api`; `abortAfter` is handed the tick's deadline. */
const tick = async (api: ClusterApi, namespace: string, readings: Record<string, MetricReading>, abortAfter?: (ms: number, reason: Error) => AbortSignal) => {
  const parsed = parseScaleGroup({ cluster: { name: 'demo', region: 'eu-west-1' }, source: { fromCluster: { namespaces: [namespace] } } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return runTick(parsed.group, {
    stateStore: new InMemoryStateStore({ clock: () => NOW }),
    connector: { connect: async () => api.scale },
    clusterApi: { connectCluster: async () => api },
    triggers: createCannedTriggers(readings).registry,
    now: () => NOW,
    owner: 'test',
    sleepUntil: async () => undefined,
    deadline: NOW + 60_000,
    ...(abortAfter === undefined ? {} : { abortAfter }),
  });
};

const requestsSince = (from: number) => kube.requests.slice(from).map((r) => `${r.method} ${r.path}`);

describe('Integration: target reads of the cluster source', () => {
  it('reads a namespace’s Deployments and StatefulSets with one list each, and GETs no /scale', async () => {
    // Prepare
    for (const i of [1, 2, 3]) {
      kube.cluster.addDeployment({ namespace: 'shop', name: `web-${i}`, replicas: 1 });
      apply('shop', `web-${i}`, { name: `web-${i}` });
    }
    for (const i of [1, 2]) {
      kube.cluster.addStatefulSet({ namespace: 'shop', name: `db-${i}`, replicas: 1 });
      apply('shop', `db-${i}`, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: `db-${i}` });
    }
    const from = kube.requests.length;
    const readings = Object.fromEntries(['web-1', 'web-2', 'web-3', 'db-1', 'db-2'].map((n) => [`shop/${n}/0`, { value: 4 }]));
    // Act
    const reports = await tick(createClusterApi(transportFor(LPA), { instance: 'lpa', now: () => NOW }), 'shop', readings);
    // Assess
    expect(reports.filter((r) => r.outcome === 'scaled')).toHaveLength(5);
    const reads = requestsSince(from).filter((r) => r.startsWith('GET /apis/apps/v1/namespaces/shop/'));
    expect(reads.sort()).toEqual(['GET /apis/apps/v1/namespaces/shop/deployments?limit=500', 'GET /apis/apps/v1/namespaces/shop/statefulsets?limit=500']);
    expect(kube.cluster.workload({ group: 'apps', resource: 'statefulsets' }, 'shop', 'db-2').specReplicas).toBe(4);
  });

  it('reads from a Deployment list exactly what each /scale answers, selector included', async () => {
    // Prepare: selectors of several labels, one scaled to 0 (status.replicas omitted).
    kube.cluster.addDeployment({ namespace: 'shop', name: 'api', replicas: 3, labels: { tier: 'web', app: 'api', zone: 'a' } });
    kube.cluster.addDeployment({ namespace: 'shop', name: 'idle', replicas: 0, labels: { app: 'idle' } });
    const api = createClusterApi(transportFor(LPA), { instance: 'lpa', now: () => NOW });
    // Act
    const listed = await api.workloads.listScales('shop', deploymentRef('api'));
    // Assess
    for (const name of ['api', 'idle', 'web-1']) expect(listed.get(name)).toEqual(await api.scale.getScale('shop', deploymentRef(name)));
    expect(listed.get('api')?.selector).toBe('app=api,tier=web,zone=a');
  });

  it('reads the targets with a fresh list in every sub-minute pass too', async () => {
    // Prepare: three objects polled every 30 s: passes at +0 s and +30 s.
    for (const name of ['q1', 'q2', 'q3']) {
      kube.cluster.addDeployment({ namespace: 'sub', name, replicas: 1 });
      kube.cluster.objects.applyScaledObject({ metadata: { name, namespace: 'sub' }, spec: { scaleTargetRef: { name }, pollingInterval: 30, maxReplicaCount: 10, triggers: [cron] } });
    }
    const parsed = parseScaleGroup({ cluster: { name: 'demo', region: 'eu-west-1' }, source: { fromCluster: { namespaces: ['sub'] } } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const api = createClusterApi(transportFor(LPA), { instance: 'lpa', now: () => NOW });
    let clock = NOW;
    const from = kube.requests.length;
    // Act
    const reports = await runTick(parsed.group, {
      stateStore: new InMemoryStateStore({ clock: () => clock }),
      connector: { connect: async () => api.scale },
      clusterApi: { connectCluster: async () => api },
      triggers: createCannedTriggers({ 'sub/q1/0': { value: 2 }, 'sub/q2/0': { value: 2 }, 'sub/q3/0': { value: 2 } }).registry,
      now: () => clock,
      owner: 'test',
      sleepUntil: async (time) => void (clock = time),
    });
    // Assess
    expect(reports.filter((r) => r.id === 'demo/sub/q1')).toHaveLength(2);
    const reads = requestsSince(from).filter((r) => r.startsWith('GET /apis/apps/v1/namespaces/sub/'));
    expect(reads).toEqual(['GET /apis/apps/v1/namespaces/sub/deployments?limit=500', 'GET /apis/apps/v1/namespaces/sub/deployments?limit=500']);
  });

  it('reads every page of a namespace’s Deployments (limit and continue)', async () => {
    // Prepare: 5 Deployments, pages of 2.
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) kube.cluster.addDeployment({ namespace: 'paged', name, replicas: 1 });
    const transport = transportFor(LPA);
    const workloads = createWorkloadApi(transport, createDiscovery(transport), 2);
    const from = kube.requests.length;
    // Act
    const listed = await workloads.listScales('paged', deploymentRef('any'));
    // Assess
    expect([...listed.keys()].sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    const pages = requestsSince(from).filter((r) => r.includes('/deployments?'));
    expect(pages).toHaveLength(3);
    expect(pages[1]).toContain('&continue=');
  });

  it('keeps the GET /scale of a lone target (one GET reads less than a list)', async () => {
    // Prepare
    kube.cluster.addDeployment({ namespace: 'lone', name: 'solo', replicas: 1 });
    apply('lone', 'solo', { name: 'solo' });
    const from = kube.requests.length;
    // Act
    await tick(createClusterApi(transportFor(LPA), { instance: 'lpa', now: () => NOW }), 'lone', { 'lone/solo/0': { value: 2 } });
    // Assess
    expect(requestsSince(from).filter((r) => r.startsWith('GET /apis/apps/v1/namespaces/lone/'))).toEqual(['GET /apis/apps/v1/namespaces/lone/deployments/solo/scale']);
  });

  it('reads each target with its own GET /scale when RBAC grants no list, and still scales', async () => {
    // Prepare
    for (const name of ['a', 'b']) {
      kube.cluster.addDeployment({ namespace: 'old', name, replicas: 1 });
      apply('old', name, { name });
    }
    const from = kube.requests.length;
    // Act
    const reports = await tick(createClusterApi(transportFor(NO_LIST), { instance: 'lpa', now: () => NOW }), 'old', { 'old/a/0': { value: 2 }, 'old/b/0': { value: 2 } });
    // Assess
    expect(reports.filter((r) => r.outcome === 'scaled').map((r) => r.id).sort()).toEqual(['demo/old/a', 'demo/old/b']);
    const reads = requestsSince(from).filter((r) => r.startsWith('GET /apis/apps/v1/namespaces/old/'));
    expect(reads.filter((r) => r.endsWith('/scale')).sort()).toEqual(['GET /apis/apps/v1/namespaces/old/deployments/a/scale', 'GET /apis/apps/v1/namespaces/old/deployments/b/scale']);
  });

  it('reports a target missing from its namespace’s list as its /scale GET does (404 naming it)', async () => {
    // Prepare
    apply('shop', 'ghost', { name: 'ghost' });
    // Act
    const reports = await tick(createClusterApi(transportFor(LPA), { instance: 'lpa', now: () => NOW }), 'shop', {});
    // Assess
    expect(reports.find((r) => r.id === 'demo/shop/ghost')).toMatchObject({ outcome: 'failed', reason: 'FailedGetScale' });
    expect(reports.find((r) => r.id === 'demo/shop/ghost')?.message).toContain('ghost');
  });

  it('hands the tick’s AbortSignal to every call: lists, target lists, finalizer and status patches, events and scale', async () => {
    // Prepare: two new objects to scale (finalizer, status, events) and one being deleted (finalizer removed).
    for (const name of ['s1', 's2']) {
      kube.cluster.addDeployment({ namespace: 'lone', name, replicas: 1 });
      apply('lone', name, { name });
    }
    kube.cluster.addDeployment({ namespace: 'lone', name: 'gone', replicas: 5 });
    kube.cluster.objects.applyScaledObject({
      metadata: { name: 'gone', namespace: 'lone', finalizers: [LPA_FINALIZER], deletionTimestamp: '2026-12-02T14:39:00Z' },
      spec: { scaleTargetRef: { name: 'gone' }, triggers: [cron] },
    });
    const inner = transportFor(LPA);
    const seen: Array<{ call: string; signal: AbortSignal | undefined }> = [];
    const recording: KubeTransport = {
      send: (call) => (seen.push({ call: `${call.method} ${call.path}`, signal: call.signal }), inner.send(call)),
      sendOnce: (call) => (seen.push({ call: `${call.method} ${call.path}`, signal: call.signal }), inner.sendOnce(call)),
      read: (call, schema) => (seen.push({ call: `${call.method} ${call.path}`, signal: call.signal }), inner.read(call, schema)),
    };
    const deadline = new AbortController();
    // Act
    await tick(createClusterApi(recording, { instance: 'lpa', now: () => NOW }), 'lone', { 'lone/s1/0': { value: 3 }, 'lone/s2/0': { value: 3 }, 'lone/solo/0': { value: 2 } }, () => deadline.signal);
    deadline.abort(new Error('budget over'));
    // Assess: every call's signal ends when the tick's does.
    const kinds = new Set(seen.map(({ call }) => call.replace(/\/(s1|s2|gone|solo)(?=\/|$)/, '/X').replace(/[?].*$/, '')));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'GET /apis/keda.sh/v1alpha1/namespaces/lone/scaledobjects',
        'GET /apis/autoscaling/v2/namespaces/lone/horizontalpodautoscalers',
        'GET /apis/apps/v1/namespaces/lone/deployments',
        'PATCH /apis/keda.sh/v1alpha1/namespaces/lone/scaledobjects/X',
        'PATCH /apis/keda.sh/v1alpha1/namespaces/lone/scaledobjects/X/status',
        'POST /apis/events.k8s.io/v1/namespaces/lone/events',
        'PATCH /apis/apps/v1/namespaces/lone/deployments/X/scale',
      ]),
    );
    expect(seen.filter(({ signal }) => signal?.aborted !== true).map(({ call }) => call)).toEqual([]);
  });
});
