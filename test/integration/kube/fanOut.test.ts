/**
 * The fan-out over real HTTP: listers and shards are ticks of the same use case, the shards sent through
 * the SDK's Lambda Invoke (InvocationType Event) to the local Lambda stand-in, which hands each event to
 * a handler running the next invocation (twice when told: Lambda may deliver an event more than once).
 * Kubernetes is the local API server over HTTPS; the state is one in-memory store with the real lease
 * rule shared by every invocation. Time is injected; nothing waits on the clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { startLambda, type LocalLambda } from '../../../dev/local/lambda.js';
import type { FanOut } from '../../../shared/app/fanOut.js';
import type { ObjectReport } from '../../../shared/app/objectReport.js';
import { resolveScaleGroup } from '../../../shared/app/scaleGroup.js';
import { runTick } from '../../../shared/app/tick.js';
import { createLambdaInvoker, type ClosableShardInvoker } from '../../../shared/aws/lambdaInvoker.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { createClusterApi, type ClusterApi } from '../../../shared/kube/clusterApi.js';
import { createKubeAgent, createKubeTransport, type KubeAgent } from '../../../shared/kube/transport.js';
import { InMemoryStateStore } from '../../../shared/state/inMemoryStateStore.js';
import { rbacObjects } from '../../../infra/rbac.js';
import { asBindings } from '../../helpers/kube.js';
import { createCannedTriggers } from '../../unit/app/fakes.js';

const NOW = Date.parse('2026-12-02T14:40:00Z');
const TOKEN = 'lpa-static-token-0123456789';
const FUNCTION = 'lpa-scaler';
const NAMESPACES = ['fleet-a', 'fleet-b'];
/** 2 × 13 objects in shards of 4: 7 shards. */
const PER_NAMESPACE = 13;
const SHARD_SIZE = 4;

let kube: KubeApiHandle;
let agent: KubeAgent;
let lambda: LocalLambda;
let invoker: ClosableShardInvoker;
let api: ClusterApi;
let now = NOW;
let store: InMemoryStateStore;
let reports: ObjectReport[];
let invocation = 0;
let restoreEndpoint: string | undefined;

const cron = (replicas: number) => ({ type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: String(replicas) } });
const names = NAMESPACES.flatMap((namespace) => Array.from({ length: PER_NAMESPACE }, (_, i) => ({ namespace, name: `app-${String(i).padStart(2, '0')}` })));

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    now: () => now,
    staticTokens: { [TOKEN]: { username: 'lpa', groups: ['lpa-scaler'] } },
    rbac: asBindings(rbacObjects({ targets: [], fromCluster: { namespaces: NAMESPACES } })),
  });
  agent = createKubeAgent(kube.caPem);
  api = createClusterApi(createKubeTransport({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN) }), { instance: 'lpa', now: () => now });
  for (const { namespace, name } of names) {
    kube.cluster.addDeployment({ namespace, name, replicas: 1 });
    kube.cluster.objects.applyScaledObject({ metadata: { name, namespace }, spec: { scaleTargetRef: { name }, pollingInterval: 60, maxReplicaCount: 50, triggers: [cron(3)] } });
  }
  // Lambda delivers every shard twice here: the second delivery must find the shard's lease held.
  lambda = await startLambda({ deliveries: 2 });
  restoreEndpoint = process.env.AWS_ENDPOINT_URL_LAMBDA;
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
  invoker = createLambdaInvoker({ functionName: FUNCTION, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' } });
  lambda.register(FUNCTION, async (event) => {
    reports.push(...(await invoke(event, `shard-invocation-${(invocation += 1)}`)));
  });
});

afterAll(async () => {
  invoker.close();
  if (restoreEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
  else process.env.AWS_ENDPOINT_URL_LAMBDA = restoreEndpoint;
  await lambda.close();
  await agent.close();
  await kube.close();
});

beforeEach(() => {
  now = NOW;
  store = new InMemoryStateStore({ clock: () => now });
  reports = [];
});

const readings = (replicas: number) => Object.fromEntries(names.map(({ namespace, name }) => [`${namespace}/${name}/0`, { value: replicas }]));
let triggerValue = 3;

/** One invocation of the scaler function: what the handler does with an event. */
const invoke = (event: unknown, owner: string, fanOut: Partial<FanOut> = {}): Promise<ObjectReport[]> =>
  runTick(resolveScaleGroup(event, undefined), {
    stateStore: store,
    connector: { connect: async () => api.scale },
    clusterApi: { connectCluster: async () => api },
    triggers: createCannedTriggers(readings(triggerValue)).registry,
    now: () => now,
    owner,
    sleepUntil: async () => undefined,
    deadline: now + 90_000,
    fanOut: { invoker, shardSize: SHARD_SIZE, ...fanOut },
  });

const TICK = { cluster: { name: 'demo', region: 'eu-west-1' }, source: { fromCluster: { namespaces: NAMESPACES } } };

/** Reports about ScaledObjects (not the listers' and shards' own). */
const objectReports = (all: readonly ObjectReport[]) => all.filter((r) => !r.id.includes('scaledobjects.keda.sh'));
const statusWrites = (from: number) => kube.requests.slice(from).filter((r) => r.method === 'PATCH' && r.path.endsWith('/status')).map((r) => r.path);

describe('Integration: fan-out of a large cluster source', () => {
  it('evaluates every object exactly once when two listers run the same tick and Lambda delivers every shard twice', async () => {
    // Prepare
    triggerValue = 3;
    const from = kube.requests.length;
    const sentBefore = lambda.invocations.length;
    // Act: two listers at once (a retried schedule), then every delivery of every shard.
    const listers = await Promise.all([invoke(TICK, 'lister-a'), invoke(TICK, 'lister-b')]);
    await lambda.drain();
    // Assess
    const evaluated = objectReports([...listers.flat(), ...reports]);
    expect(evaluated.map((r) => r.id).sort()).toEqual(names.map(({ namespace, name }) => `demo/${namespace}/${name}`).sort());
    expect(evaluated.every((r) => r.outcome === 'scaled' && r.desiredReplicas === 3)).toBe(true);
    expect(listers.flat().map((r) => r.reason).sort()).toEqual(['FannedOut', 'ListerLeaseHeld']);
    expect(lambda.invocations.length - sentBefore).toBe(7);
    expect(reports.filter((r) => r.reason === 'ShardLeaseHeld')).toHaveLength(7);
    expect(new Set(statusWrites(from)).size).toBe(names.length);
    expect(statusWrites(from)).toHaveLength(names.length);
  });

  it('evaluates a source of one shard or less exactly once when two listers run the same tick', async () => {
    // Prepare: 26 objects fit one shard of 100, so the lister evaluates them itself.
    triggerValue = 4;
    const from = kube.requests.length;
    const sentBefore = lambda.invocations.length;
    // Act
    const listers = await Promise.all([invoke(TICK, 'small-a', { shardSize: 100 }), invoke(TICK, 'small-b', { shardSize: 100 })]);
    // Assess
    const evaluated = objectReports(listers.flat());
    expect(evaluated.map((r) => r.id).sort()).toEqual(names.map(({ namespace, name }) => `demo/${namespace}/${name}`).sort());
    expect(listers.flat().filter((r) => r.reason === 'ListerLeaseHeld')).toHaveLength(1);
    expect(lambda.invocations.length - sentBefore).toBe(0);
    // One lister's lists (one per namespace): the second stood down before listing.
    expect(kube.requests.slice(from).filter((r) => r.method === 'GET' && r.path.includes('/scaledobjects'))).toHaveLength(NAMESPACES.length);
  });

  it('fans out again the next tick: a lease lasts one tick', async () => {
    // Prepare: last tick's leases are in the store; the triggers now want 5.
    await invoke(TICK, 'tick-1');
    await lambda.drain();
    now = NOW + 60_000;
    triggerValue = 5;
    reports = [];
    // Act
    const lister = await invoke(TICK, 'tick-2');
    await lambda.drain();
    // Assess
    expect(lister.map((r) => r.reason)).toEqual(['FannedOut']);
    const evaluated = objectReports(reports);
    expect(evaluated).toHaveLength(names.length);
    expect(new Set(evaluated.map((r) => r.id)).size).toBe(names.length);
    expect(kube.cluster.deployment('fleet-b', 'app-12').specReplicas).toBe(5);
  });

  it('leaves a shard delivered after its tick’s window to the next tick', async () => {
    // Prepare
    const items = (await api.scaledObjects.list({ namespaces: ['fleet-a'] })).slice(0, 2);
    const late = { ...TICK, source: { ...TICK.source, shard: { tick: NOW - 56_000, id: '0', items } } };
    const from = kube.requests.length;
    // Act
    const result = await invoke(late, 'late-delivery');
    // Assess
    expect(result.map((r) => [r.outcome, r.reason])).toEqual([['skipped', 'ShardExpired']]);
    expect(kube.requests.length).toBe(from);
  });

  it('evaluates a shard it could not send itself, under the shard’s lease, and the others as sent', async () => {
    // Prepare: Lambda throttles the invoke of shard 2.
    triggerValue = 4;
    const throttled: FanOut['invoker'] = {
      invoke: async (event, options) => {
        if ((JSON.parse(event) as { source: { shard: { id: string } } }).source.shard.id === '2') throw new Error('TooManyRequestsException: Rate exceeded');
        return invoker.invoke(event, options);
      },
    };
    // Act
    const lister = await invoke(TICK, 'throttled-lister', { invoker: throttled });
    await lambda.drain();
    // Assess
    expect(lister.find((r) => r.reason === 'FailedSendShard')?.message).toContain('shard 2 (4 objects) could not be sent to an invocation, so this one evaluates it: TooManyRequestsException');
    const evaluated = objectReports([...lister, ...reports]);
    expect(evaluated.map((r) => r.id).sort()).toEqual(names.map(({ namespace, name }) => `demo/${namespace}/${name}`).sort());
    expect(objectReports(lister)).toHaveLength(4);
  });

  it('halves a shard Lambda refuses as too large (over 1 MB) and sends both halves', async () => {
    // Prepare: objects of ~300 KB each (a large annotation): the last shard of five passes the 1 MB an invoke takes.
    for (let i = 0; i < 8; i++) {
      kube.cluster.addDeployment({ namespace: 'fleet-a', name: `big-${i}`, replicas: 1 });
      kube.cluster.objects.applyScaledObject({
        metadata: { name: `big-${i}`, namespace: 'fleet-a', annotations: { 'example.com/notes': 'x'.repeat(300_000) } },
        spec: { scaleTargetRef: { name: `big-${i}` }, pollingInterval: 60, maxReplicaCount: 50, triggers: [cron(3)] },
      });
    }
    const sentBefore = lambda.invocations.length;
    // Act: the lister believes 2 MB fit in an event.
    const lister = await invoke({ ...TICK, source: { fromCluster: { namespaces: ['fleet-a'] } } }, 'big-lister', { shardSize: 8, maxEventBytes: 2_000_000 });
    await lambda.drain();
    // Assess
    expect(lister.filter((r) => r.outcome === 'failed')).toEqual([]);
    const sent = lambda.invocations.slice(sentBefore).map((i) => (i.event as { source: { shard: { id: string; items: Array<{ metadata: { name: string } }> } } }).source.shard);
    expect(sent.map((shard) => shard.id).sort()).toEqual(['0', '1', '2.0', '2.1']);
    expect(sent.flatMap((shard) => shard.items.map((item) => item.metadata.name)).sort()).toEqual([...names.filter((n) => n.namespace === 'fleet-a').map((n) => n.name), ...Array.from({ length: 8 }, (_, i) => `big-${i}`)].sort());
    expect(objectReports(reports)).toHaveLength(PER_NAMESPACE + 8);
  });
});
