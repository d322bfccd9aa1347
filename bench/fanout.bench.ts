/**
 * The fan-out of a 5,000-object cluster source (DESIGN.md §5: lister and slowest shard each < 10 s
 * at 20 ms per call; Kubernetes reads per tick grow with namespaces, not objects). The local Kubernetes
 * API (HTTPS) and the local Lambda Invoke sit behind TCP proxies that add 20 ms to every call; the state
 * store is the in-memory one at 20 ms per call. The lister runs as the scheduled invocation would and
 * sends its shards through the SDK's Lambda Invoke; each shard then runs on its own, one after the
 * other, as separate Lambdas would run side by side (one process cannot run them in parallel without
 * their CPU counting against each other's wall time). Each invocation builds its own cluster client,
 * as a cold container does (its discovery read is counted). Triggers are cron: no remote reads, so
 * the Kubernetes and state calls are what is measured (the tick bench measures trigger reads).
 *
 * Two ticks: the first (every object new: finalizer, status, events, a scale each) and one a minute
 * later with every target settled (no Kubernetes writes; the engine's state still records the minute's
 * recommendation).
 */
import { startKubeApi } from '../dev/local/kubeApi.js';
import { startLambda } from '../dev/local/lambda.js';
import { startLatencyProxy } from '../dev/local/latency.js';
import type { ObjectReport } from '../shared/app/objectReport.js';
import { resolveScaleGroup } from '../shared/app/scaleGroup.js';
import { runTick } from '../shared/app/tick.js';
import { createLambdaInvoker } from '../shared/aws/lambdaInvoker.js';
import { staticTokenSource } from '../shared/kube/bearerToken.js';
import { createClusterApi } from '../shared/kube/clusterApi.js';
import { createKubeAgent, createKubeTransport } from '../shared/kube/transport.js';
import { createTriggerRegistry } from '../shared/triggers/registry.js';
import { createAwsClients } from '../shared/triggers/awsClients.js';
import { delayedStore } from './delayedStore.js';

const OBJECTS = 5_000;
const NAMESPACES = 10;
const LATENCY_MS = 20;
const BUDGET_MS = 10_000;
const TOKEN = 'bench-static-token-0123456789';
const FUNCTION = 'lpa-scaler';
/** Noon UTC: inside every object's cron window. */
const T0 = Date.parse('2026-12-02T12:00:00Z');

let now = T0;
const kube = await startKubeApi({ clusterName: 'bench', region: 'eu-west-1', now: () => now, staticTokens: { [TOKEN]: { username: 'lpa', groups: ['system:masters'] } } });
const lambda = await startLambda();
const kubeProxy = await startLatencyProxy(Number(new URL(kube.url).port), LATENCY_MS);
const lambdaProxy = await startLatencyProxy(Number(new URL(lambda.endpoint).port), LATENCY_MS);
process.env.AWS_ENDPOINT_URL_LAMBDA = `http://127.0.0.1:${lambdaProxy.port}`;

const namespaces = Array.from({ length: NAMESPACES }, (_, n) => `team-${n}`);
for (let i = 0; i < OBJECTS; i++) {
  const namespace = namespaces[i % NAMESPACES] as string;
  const name = `app-${String(i).padStart(4, '0')}`;
  kube.cluster.addDeployment({ namespace, name, replicas: 1 + (i % 3) });
  // Two more replicas than each has: one HPA step (up to 4 pods or 100% per 15 s), so the first tick settles every object.
  const cron = { type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: String(3 + (i % 3)) } };
  kube.cluster.objects.applyScaledObject({ metadata: { name, namespace }, spec: { scaleTargetRef: { name }, pollingInterval: 60, minReplicaCount: 1, maxReplicaCount: 20, triggers: [cron] } });
}

const agent = createKubeAgent(kube.caPem);
const state = delayedStore(LATENCY_MS);
const invoker = createLambdaInvoker({ functionName: FUNCTION, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' } });
const clients = createAwsClients();
const triggers = createTriggerRegistry({ clients });
const queued: unknown[] = [];
lambda.register(FUNCTION, async (event) => void queued.push(event));

/** One invocation of the scaler with its own cluster client, as a cold container has. */
const invocation = async (event: unknown, owner: string): Promise<{ wallMs: number; reports: ObjectReport[] }> => {
  const api = createClusterApi(createKubeTransport({ endpoint: `https://127.0.0.1:${kubeProxy.port}`, agent, tokens: staticTokenSource(TOKEN) }), { instance: 'lpa', now: () => now });
  const start = performance.now();
  const reports = await runTick(resolveScaleGroup(event, undefined), {
    stateStore: state.store,
    connector: { connect: async () => api.scale },
    clusterApi: { connectCluster: async () => api },
    triggers,
    now: () => now,
    owner,
    sleepUntil: async () => undefined,
    deadline: now + 90_000,
    fanOut: { invoker },
  });
  return { wallMs: performance.now() - start, reports };
};

const KINDS: Array<[string, RegExp]> = [
  ['ScaledObject list pages', /^GET \/apis\/keda\.sh\/v1alpha1\/(namespaces\/[^/]+\/)?scaledobjects\?/],
  ['HPA lists', /^GET \/apis\/autoscaling\/v2\/namespaces\/[^/]+\/horizontalpodautoscalers/],
  ['target lists', /^GET \/apis\/apps\/v1\/namespaces\/[^/]+\/(deployments|statefulsets)\?/],
  ['scale GETs', /^GET .*\/scale$/],
  ['discovery', /^GET \/apis\/apps\/v1$/],
  ['finalizer patches', /^PATCH \/apis\/keda\.sh\/v1alpha1\/namespaces\/[^/]+\/scaledobjects\/[^/]+$/],
  ['status writes', /^PATCH .*\/status$/],
  ['event writes', /events/],
  ['scale PATCHes', /^PATCH .*\/scale$/],
];
const classify = (from: number): string => {
  const counts = new Map<string, number>();
  const requests = kube.requests.slice(from);
  for (const r of requests) {
    const line = `${r.method} ${r.path}`;
    const kind = KINDS.find(([, pattern]) => pattern.test(line))?.[0] ?? `other (${line})`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return `${requests.length} (${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')})`;
};
const stateOps = (before: Map<string, number>): string =>
  [...state.calls].map(([op, n]) => [op, n - (before.get(op) ?? 0)] as const).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(', ');

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const tick = async (label: string): Promise<void> => {
  const from = kube.requests.length;
  const stateBefore = new Map(state.calls);
  queued.length = 0;
  const lister = await invocation({ cluster: { name: 'bench', region: 'eu-west-1' }, source: { fromCluster: {} } }, `${label}-lister`);
  await lambda.drain();
  const listerCalls = classify(from);
  const shardsFrom = kube.requests.length;
  const shards: number[] = [];
  const outcomes = new Map<string, number>();
  for (const [i, event] of queued.entries()) {
    const shard = await invocation(event, `${label}-shard-${i}`);
    shards.push(shard.wallMs);
    for (const r of shard.reports) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  }
  const slowest = Math.max(...shards);
  const verdict = (ms: number) => `${(ms / 1000).toFixed(2)} s${ms < BUDGET_MS ? '' : ', OVER'}`;
  console.log(`  ${label}:`);
  console.log(`    lister: ${verdict(lister.wallMs)} wall (budget < ${BUDGET_MS / 1000} s); ${lister.reports.map((r) => r.message).join('; ')}`);
  console.log(`    shards: ${shards.length}; slowest ${verdict(slowest)} wall (budget < ${BUDGET_MS / 1000} s), median ${(median(shards) / 1000).toFixed(2)} s; ${[...outcomes].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  console.log(`    Kubernetes calls: lister ${listerCalls}`);
  console.log(`                      shards ${classify(shardsFrom)}`);
  console.log(`    state calls: ${stateOps(stateBefore)}`);
};

console.log(`Fan-out: ${OBJECTS} ScaledObjects in ${NAMESPACES} namespaces, cron triggers, ${LATENCY_MS} ms per remote call (Kubernetes, Lambda Invoke, state)`);
await tick('tick 1 (every object new: finalizer, status, events, scale)');
now = T0 + 60_000;
await tick('tick 2 (a minute later, every target settled)');

invoker.close();
clients.destroy();
await kubeProxy.close();
await lambdaProxy.close();
await lambda.close();
await agent.close();
await kube.close();
process.exit();
