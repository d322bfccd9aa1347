/**
 * The cluster source over real HTTPS: ScaledObjects applied to the local Kubernetes API (KEDA's CRDs,
 * status subresource, events, HPAs, as recorded in `kube-api-responses-keda.md`) are listed, validated,
 * scaled, and answered with KEDA's status and events. Trigger values are canned; time is injected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import { runTick } from '../../../shared/app/tick.js';
import type { MetricReading } from '../../../shared/engine/types.js';
import { createClusterConnector, type ClosableClusterConnector } from '../../../shared/kube/connector.js';
import type { AwsCredentials } from '../../../shared/kube/eksToken.js';
import { InMemoryStateStore } from '../../../shared/state/inMemoryStateStore.js';
import { createCannedTriggers } from '../../unit/app/fakes.js';
import { asBindings } from '../../helpers/kube.js';
import { rbacObjects } from '../../../infra/rbac.js';
import { runLpaAsync } from './runLpa.js';

const REGION = 'eu-west-1';
const LPA: AwsCredentials = { accessKeyId: 'AKIDLPA', secretAccessKey: 'lpa-secret', sessionToken: 'lpa-session' };
const MUTE: AwsCredentials = { accessKeyId: 'AKIDMUTE', secretAccessKey: 'mute-secret', sessionToken: 'mute-session' };
const NOW = Date.parse('2026-12-02T14:40:00Z');
const ADMIN_TOKEN = 'admin-static-token-0123456789';

const SCALE_RULES = [
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch'] },
  { apiGroups: ['demo.example.com'], resources: ['widgets/scale'], verbs: ['get', 'patch'] },
  { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list'] },
];

let kube: KubeApiHandle;
let now = NOW;

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: REGION,
    now: () => now,
    staticTokens: { [ADMIN_TOKEN]: { username: 'admin', groups: ['system:masters'] } },
    identities: [
      { ...LPA, username: 'lpa', groups: ['lpa-scaler'] },
      { ...MUTE, username: 'lpa-mute', groups: ['lpa-mute'] },
    ],
    rbac: [
      // What `lpa rbac --from-cluster --namespace demo --scale-kind Widget.demo.example.com` prints.
      ...asBindings(rbacObjects({ targets: [], fromCluster: { namespaces: ['demo'], scaleKinds: [{ group: 'demo.example.com', resource: 'widgets' }] } })),
      // Everything but status writes and events.
      { subjects: { groups: ['lpa-mute'] }, namespace: 'demo', rules: SCALE_RULES },
    ],
  });
});

afterAll(async () => kube.close());

let seq = 0;
const names = () => {
  seq += 1;
  return { so: `so-${seq}`, target: `app-${seq}` };
};

const cron = { type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '5' } };
const manifest = (name: string, scaleTargetRef: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: 'demo' },
  // 60 s: one evaluation per tick, so each run is one pass.
  spec: { scaleTargetRef, pollingInterval: 60, maxReplicaCount: 10, triggers: [cron], ...spec },
});


const run = async (credentials: AwsCredentials, readings: Record<string, MetricReading>, store = new InMemoryStateStore({ clock: () => now })) => {
  const connector: ClosableClusterConnector = createClusterConnector({
    credentials: async () => credentials,
    now: () => now,
    sleep: async () => undefined,
    random: () => 0,
    clusters: [{ name: 'demo', region: REGION, endpoint: kube.url, caData: kube.caData }],
  });
  try {
    // The event a schedule carries for a cluster source: no manifests, the namespaces it serves.
    const parsed = parseScaleGroup({ cluster: { name: 'demo', region: REGION }, source: { fromCluster: { namespaces: ['demo'] } } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return await runTick(parsed.group, {
      stateStore: store,
      connector,
      clusterApi: connector,
      triggers: createCannedTriggers(readings).registry,
      now: () => now,
      owner: 'test',
      sleepUntil: async () => undefined,
    });
  } finally {
    await connector.close();
  }
};

const statusOf = (name: string) => kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', name)?.status as Record<string, unknown> | undefined;
const conditions = (name: string) =>
  Object.fromEntries(((statusOf(name)?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]).map((c) => [c.type, c]));
const eventsOn = (name: string) =>
  kube.cluster.objects
    .list('events.k8s.io/events', 'demo')
    .filter((e) => (e.regarding as { name: string }).name === name)
    .sort((a, b) => Number((a.metadata as { resourceVersion: string }).resourceVersion) - Number((b.metadata as { resourceVersion: string }).resourceVersion)) as { reason: string; note: string; type: string; series?: { count: number } }[];

/** `kubectl delete scaledobject` as an admin, over HTTPS. */
const kubectlDelete = (name: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(`${kube.url}/apis/keda.sh/v1alpha1/namespaces/demo/scaledobjects/${name}`, { method: 'DELETE', ca: kube.caPem, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

beforeEach(() => {
  now = NOW;
});

describe('Integration: ScaledObjects from the cluster', () => {
  it('scales an object applied in the cluster and writes Ready/Active and an activation event', async () => {
    // Prepare
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 0 });
    kube.cluster.objects.applyScaledObject(manifest(so, { name: target }));
    // Act
    const reports = await run(LPA, { [`demo/${so}/0`]: { value: 3 } });
    // Assess
    expect(reports.find((r) => r.id === `demo/demo/${so}`)).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(3);
    expect(conditions(so).Ready).toEqual({ type: 'Ready', status: 'True', reason: 'ScaledObjectReady', message: 'ScaledObject is defined correctly and is ready for scaling' });
    expect(conditions(so).Active).toEqual({ type: 'Active', status: 'True', reason: 'ScalerActive', message: 'Scaling is performed because triggers are active' });
    expect(statusOf(so)).toMatchObject({
      scaleTargetKind: 'apps/v1.Deployment',
      scaleTargetGVKR: { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' },
      originalReplicaCount: 0,
      lastActiveTime: '2026-12-02T14:40:00Z',
      triggersTypes: 'cron',
      externalMetricNames: ['s0-cron-Etc-UTC-08xxx-018xxx'],
    });
    expect(eventsOn(so).map((e) => [e.type, e.reason, e.note])).toEqual([
      ['Normal', 'ScaledObjectReady', 'ScaledObject is ready for scaling'],
      ['Normal', 'KEDAScaleTargetActivated', `Scaled apps/v1.Deployment demo/${target} from 0 to 3, triggered by s0-cron-Etc-UTC-08xxx-018xxx`],
    ]);
  });

  it('refuses an invalid object with Ready=False naming the field and the rule, and still scales the others', async () => {
    const bad = names();
    const good = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: good.target, replicas: 1 });
    kube.cluster.objects.applyScaledObject(manifest(bad.so, { name: bad.target }, { minReplicaCount: 2, idleReplicaCount: 2 }));
    kube.cluster.objects.applyScaledObject(manifest(good.so, { name: good.target }));
    const reports = await run(LPA, { [`demo/${good.so}/0`]: { value: 3 } });
    expect(kube.cluster.deployment('demo', good.target).specReplicas).toBe(3);
    const ready = conditions(bad.so).Ready;
    expect(ready).toMatchObject({ status: 'False', reason: 'ScaledObjectCheckFailed' });
    expect(ready?.message).toContain('spec.idleReplicaCount');
    expect(conditions(bad.so).Active).toMatchObject({ status: 'Unknown', reason: 'UnknownState' });
    expect(reports.find((r) => r.id === `demo/demo/${bad.so}`)).toMatchObject({ outcome: 'invalid', reason: 'ScaledObjectCheckFailed' });
    expect(eventsOn(bad.so).map((e) => [e.type, e.reason])).toEqual([['Warning', 'ScaledObjectCheckFailed']]);
  });

  it('scales a StatefulSet and a custom resource with /scale', async () => {
    const sts = names();
    const cr = names();
    kube.cluster.addStatefulSet({ namespace: 'demo', name: sts.target, replicas: 1 });
    kube.cluster.addCustomResourceDefinition({ group: 'demo.example.com', version: 'v1', kind: 'Widget', resource: 'widgets', scale: true });
    kube.cluster.addCustomResource({ group: 'demo.example.com', resource: 'widgets', namespace: 'demo', name: cr.target, replicas: 1 });
    kube.cluster.objects.applyScaledObject(manifest(sts.so, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.target }));
    kube.cluster.objects.applyScaledObject(manifest(cr.so, { apiVersion: 'demo.example.com/v1', kind: 'Widget', name: cr.target }));
    await run(LPA, { [`demo/${sts.so}/0`]: { value: 3 }, [`demo/${cr.so}/0`]: { value: 4 } });
    expect(kube.cluster.workload({ group: 'apps', resource: 'statefulsets' }, 'demo', sts.target).specReplicas).toBe(3);
    expect(kube.cluster.workload({ group: 'demo.example.com', resource: 'widgets' }, 'demo', cr.target).specReplicas).toBe(4);
    expect(statusOf(cr.so)).toMatchObject({ scaleTargetKind: 'demo.example.com/v1.Widget', scaleTargetGVKR: { resource: 'widgets' } });
  });

  it('leaves a target an HPA owns alone, saying so in status and events', async () => {
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 2 });
    kube.cluster.objects.addHpa('demo', `keda-hpa-${so}`, { apiVersion: 'apps/v1', kind: 'Deployment', name: target });
    kube.cluster.objects.applyScaledObject(manifest(so, { name: target }));
    await run(LPA, { [`demo/${so}/0`]: { value: 9 } });
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(2);
    expect(conditions(so).Ready).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ScaledObjectCheckFailed',
      message: `the workload '${target}' of type 'apps/v1.Deployment' is already managed by the hpa 'keda-hpa-${so}': LPA does not scale it while that HPA exists`,
    });
    expect(eventsOn(so).map((e) => e.reason)).toEqual(['ScaledObjectCheckFailed']);
  });

  it('writes no status when nothing a reader acts on changed', async () => {
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 0 });
    kube.cluster.objects.applyScaledObject(manifest(so, { name: target }));
    const store = new InMemoryStateStore({ clock: () => now });
    await run(LPA, { [`demo/${so}/0`]: { value: 5 } }, store);
    const statusWrites = () => kube.cluster.objects.writes.filter((w) => w.name === so && w.subresource === 'status').length;
    expect(statusWrites()).toBe(1);
    // A minute later, still active at 5: lastActiveTime moves in the engine, but the status only every 5 minutes.
    now += 60_000;
    await run(LPA, { [`demo/${so}/0`]: { value: 5 } }, store);
    expect(statusWrites()).toBe(1);
    now += 5 * 60_000;
    await run(LPA, { [`demo/${so}/0`]: { value: 5 } }, store);
    expect(statusWrites()).toBe(2);
    expect(statusOf(so)?.lastActiveTime).toBe('2026-12-02T14:46:00Z');
  });

  it('still scales when RBAC refuses status writes and events, and reports both', async () => {
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 0 });
    kube.cluster.objects.applyScaledObject(manifest(so, { name: target }));
    const reports = await run(MUTE, { [`demo/${so}/0`]: { value: 2 } });
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(2);
    const report = reports.find((r) => r.id === `demo/demo/${so}`);
    expect(report?.outcome).toBe('scaled');
    expect(report?.error).toContain('status not written: RBAC does not allow "patch" on "scaledobjects/status"');
    expect(report?.error).toContain('event KEDAScaleTargetActivated not recorded: RBAC does not allow "create" on "events"');
    expect(statusOf(so)).toBeUndefined();
  });

  it('adds its finalizer, and on deletion restores the original replicas, drops its state and lets the object go', async () => {
    // Prepare: LPA scales 2 → 3 and remembers 2 as the original count.
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 2 });
    kube.cluster.objects.applyScaledObject(manifest(so, { name: target }, { advanced: { restoreToOriginalReplicaCount: true } }));
    const store = new InMemoryStateStore({ clock: () => now });
    await run(LPA, { [`demo/${so}/0`]: { value: 3 } }, store);
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(3);
    const stored = kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', so);
    expect((stored?.metadata as { finalizers?: string[] }).finalizers).toEqual(['finalizer.lambda-pod-autoscaler.dev']);
    // Act: the user deletes it; Kubernetes keeps it Terminating until LPA's next tick.
    expect(await kubectlDelete(so)).toBe(200);
    expect(kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', so)).toBeDefined();
    now += 60_000;
    const reports = await run(LPA, { [`demo/${so}/0`]: { value: 3 } }, store);
    // Assess
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(2);
    expect(kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', so)).toBeUndefined();
    expect((await store.load([`demo/demo/${so}`])).size).toBe(0);
    expect(reports.find((r) => r.id === `demo/demo/${so}`)).toMatchObject({ reason: 'ScaledObjectDeleted' });
  });

  it('lpa uninstall-finalizers removes LPA’s finalizer and keeps the others', async () => {
    const { so } = names();
    kube.cluster.objects.applyScaledObject({ ...manifest(so, { name: 'x' }), metadata: { name: so, namespace: 'demo', finalizers: ['finalizer.keda.sh', 'finalizer.lambda-pod-autoscaler.dev'] } });
    const caFile = join(mkdtempSync(join(tmpdir(), 'lpa-uninstall-')), 'ca.pem');
    writeFileSync(caFile, kube.caPem);
    const result = await runLpaAsync(['uninstall-finalizers', '--server', kube.url, '--ca-file', caFile, '--token', ADMIN_TOKEN, '--namespace', 'demo']);
    expect(result.stdout).toContain(`removed finalizer.lambda-pod-autoscaler.dev from scaledobject demo/${so}`);
    expect(result.status).toBe(0);
    expect((kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', so)?.metadata as { finalizers?: string[] }).finalizers).toEqual(['finalizer.keda.sh']);
  });

  it('lpa run --once --dry-run changes nothing in the cluster and prints LPA’s count beside the HPA’s', async () => {
    // Prepare: KEDA still runs this object (its HPA wants 4); LPA is tried beside it.
    const { so, target } = names();
    kube.cluster.addDeployment({ namespace: 'demo', name: target, replicas: 1 });
    kube.cluster.objects.addHpa('demo', `keda-hpa-${so}`, { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, 4);
    const applied = kube.cluster.objects.applyScaledObject(manifest(so, { name: target }, { minReplicaCount: 2 }));
    const caFile = join(mkdtempSync(join(tmpdir(), 'lpa-run-')), 'ca.pem');
    writeFileSync(caFile, kube.caPem);
    const writesBefore = kube.cluster.objects.writes.length;
    // Act
    const result = await runLpaAsync(['run', '--once', '--dry-run', '--server', kube.url, '--ca-file', caFile, '--token', ADMIN_TOKEN, '--from-cluster', '--namespace', 'demo'], { AWS_REGION: REGION });
    // Assess: a line for the object, with LPA's decision and the HPA's; nothing stored changed.
    const line = result.stdout.split('\n').find((l) => l.startsWith(`local/demo/${so} `));
    expect(line).toMatch(new RegExp(`^local/demo/${so}  would scale  1 → 2  .*  \\| HPA keda-hpa-${so} wants 4$`));
    expect(kube.cluster.deployment('demo', target).specReplicas).toBe(1);
    expect(kube.cluster.patchCount('demo', target)).toBe(0);
    expect(kube.requests.some((r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/demo/deployments/${target}/scale?dryRun=All`)).toBe(true);
    expect(kube.cluster.objects.writes.slice(writesBefore)).toEqual([]);
    expect(kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', so)).toEqual(applied);
  });
});
