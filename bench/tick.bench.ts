/**
 * One tick of 1,000 ScaledObjects (SQS and CloudWatch triggers mixed) plus 200 on cpu (each reads
 * its pods and PodMetrics: two list calls) against the local stand-ins, with 20 ms of latency added
 * to every remote call by a TCP proxy in front of each service.
 * Reports wall time, calls per service and DynamoDB writes. Budgets (DESIGN.md §5): < 5 s wall,
 * CloudWatch calls = ceil(queries / 500), no DynamoDB write when nothing changed.
 *
 * Two state stores: the in-memory one behind exactly 20 ms per call (the latency model the budget
 * states), and the real DynamoDB adapter against dynalite, whose own throughput (~650 writes/s on
 * this machine) then bounds the first tick — reported for reference, not as LPA's cost.
 */
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { reconcile } from '../shared/app/reconcile.js';
import { createRuntime } from '../shared/app/runtime.js';
import { parseScaleGroup } from '../shared/app/scaleGroup.js';
import { LOCAL_CREDENTIALS, startLocalEnvironment } from '../dev/local/environment.js';
import type { StateStore } from '../shared/state/types.js';
import { startLatencyProxy, type LatencyProxy } from '../dev/local/latency.js';
import { delayedStore } from './delayedStore.js';

const OBJECTS = 1_000;
const CPU_OBJECTS = 200;
const LATENCY_MS = 20;
const WALL_BUDGET_MS = 5_000;
const NAMESPACE = 'bench';

// dynalite runs in its own process: its CPU is not LPA's (a real DynamoDB call costs only latency).
// The Kubernetes stand-in's clock runs a minute ahead once set up, so metrics-server has scraped every pod.
let kubeClockOffsetMs = 0;
const env = await startLocalEnvironment({ namespaces: [NAMESPACE], dynamoChildProcess: true, kubeNow: () => Date.now() + kubeClockOffsetMs });
const portOf = (url: string) => Number(new URL(url).port);
const proxies: Record<string, LatencyProxy> = {
  dynamodb: await startLatencyProxy(portOf(env.dynamo.endpoint), LATENCY_MS),
  sqs: await startLatencyProxy(portOf(env.sqs.endpoint), LATENCY_MS),
  cloudwatch: await startLatencyProxy(portOf(env.cloudwatch.endpoint), LATENCY_MS),
  kubernetes: await startLatencyProxy(portOf(env.kube.url), LATENCY_MS),
};
const restore = env.applyEnv();
process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${proxies.dynamodb?.port}`;
process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${proxies.sqs?.port}`;
process.env.AWS_ENDPOINT_URL_CLOUDWATCH = `http://127.0.0.1:${proxies.cloudwatch?.port}`;

// Set-up, without latency: queues with some messages, metrics, Deployments at 1..3 replicas.
const setup = pLimit(32);
const manifests = await Promise.all(
  Array.from({ length: OBJECTS }, (_, i) =>
    setup(async () => {
      const name = `worker-${i}`;
      env.kube.cluster.addDeployment({ namespace: NAMESPACE, name, replicas: 1 + (i % 3) });
      if (i % 2 === 0) {
        const queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
        const messages = (i * 7) % 40;
        for (let sent = 0; sent < messages; sent += 10) {
          const n = Math.min(10, messages - sent);
          await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, k) => ({ Id: String(k), MessageBody: 'x' })) }));
        }
        return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: NAMESPACE }, spec: { scaleTargetRef: { name }, minReplicaCount: 1, maxReplicaCount: 20, triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: queueUrl, queueLength: '10', awsRegion: env.region } }] } };
      }
      env.cloudwatch.setData({ namespace: 'Bench', metricName: 'Backlog', dimensions: { Worker: name } }, [(i * 13) % 300]);
      return {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name, namespace: NAMESPACE },
        spec: {
          scaleTargetRef: { name },
          minReplicaCount: 1,
          maxReplicaCount: 20,
          triggers: [{ type: 'aws-cloudwatch', metadata: { namespace: 'Bench', metricName: 'Backlog', dimensionName: 'Worker', dimensionValue: name, targetMetricValue: '50', minMetricValue: '0', metricStatPeriod: '60', metricCollectionTime: '60', awsRegion: env.region } }],
        },
      };
    }),
  ),
);
const cpuManifests = Array.from({ length: CPU_OBJECTS }, (_, i) => {
  const name = `web-${i}`;
  env.kube.cluster.addDeployment({ namespace: NAMESPACE, name, replicas: 2 + (i % 4), requests: { cpu: '200m', memory: '128Mi' } });
  env.kube.cluster.setCpuLoad(NAMESPACE, name, 100 + ((i * 37) % 900));
  return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: NAMESPACE }, spec: { scaleTargetRef: { name }, minReplicaCount: 1, maxReplicaCount: 20, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] } };
});
kubeClockOffsetMs = 60_000;
const parsed = parseScaleGroup({ cluster: { name: env.clusterName, region: env.region }, scaledObjects: [...manifests, ...cpuManifests] });
/** The function's configuration names the API server (behind its latency proxy): no DescribeCluster. */
const clusters = [{ name: env.clusterName, region: env.region, endpoint: `https://127.0.0.1:${proxies.kubernetes?.port}`, caData: env.kube.caData }];
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));

const snapshot = (storeCalls: Map<string, number>) => ({
  state: new Map([...(proxies.dynamodb?.operations ?? []), ...storeCalls]),
  sqs: env.sqs.count('GetQueueAttributes'),
  cloudwatch: env.cloudwatch.calls.length,
  kubernetes: env.kube.requests.length,
  podMetricsLists: env.kube.requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/')).length,
  podLists: env.kube.requests.filter((r) => r.path.startsWith('/api/v1/') && r.path.includes('/pods?')).length,
});
const diff = (before: ReturnType<typeof snapshot>, after: ReturnType<typeof snapshot>) => {
  const ops = [...after.state].map(([op, n]) => [op, n - (before.state.get(op) ?? 0)] as const).filter(([, n]) => n > 0);
  const writes = ops.filter(([op]) => /Put|Update|Write|Delete|save|acquire|release|record/.test(op)).reduce((sum, [, n]) => sum + n, 0);
  return {
    ops,
    writes,
    sqs: after.sqs - before.sqs,
    cloudwatch: after.cloudwatch - before.cloudwatch,
    kubernetes: after.kubernetes - before.kubernetes,
    podLists: after.podLists - before.podLists,
    podMetricsLists: after.podMetricsLists - before.podMetricsLists,
  };
};

const scenario = async (title: string, stateStore: StateStore | undefined, storeCalls: Map<string, number>, t0: number) => {
  console.log(title);
  const runtime = createRuntime({ tableName: env.dynamo.tableName, clusters }, { aws: { credentials: LOCAL_CREDENTIALS }, kube: { credentials: async () => LOCAL_CREDENTIALS }, ...(stateStore === undefined ? {} : { stateStore }) });
  const tick = async (label: string, now: number) => {
    const before = snapshot(storeCalls);
    const start = performance.now();
    const reports = await reconcile(parsed.group, { ...runtime, owner: `${title}-${label}`, now: () => now });
    const wall = performance.now() - start;
    const d = diff(before, snapshot(storeCalls));
    const outcomes = Object.entries(reports.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {}))
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    console.log(`  tick ${label}: ${(wall / 1000).toFixed(2)} s wall (budget < ${WALL_BUDGET_MS / 1000} s${wall < WALL_BUDGET_MS ? '' : ', OVER'}); ${outcomes}`);
    console.log(`    calls: Kubernetes ${d.kubernetes} (pods lists ${d.podLists}, PodMetrics lists ${d.podMetricsLists}), SQS GetQueueAttributes ${d.sqs}, CloudWatch GetMetricData ${d.cloudwatch} (ceil(500 queries / 500) = 1), state ${d.ops.map(([op, n]) => `${op} ${n}`).join(', ')}; state writes ${d.writes}`);
  };
  await tick('cold (first evaluation of every object)', t0);
  await tick('a minute later', t0 + 60_000);
  await tick('again, nothing changed', t0 + 60_000);
  await runtime.close();
};

const reset = () => {
  manifests.forEach((_, i) => env.kube.cluster.setReplicas(NAMESPACE, `worker-${i}`, 1 + (i % 3)));
  cpuManifests.forEach((_, i) => env.kube.cluster.setReplicas(NAMESPACE, `web-${i}`, 2 + (i % 4)));
};
const model = delayedStore(LATENCY_MS);
const objects = `${OBJECTS} ScaledObjects + ${CPU_OBJECTS} on cpu (pods + PodMetrics lists each)`;
await scenario(`${objects}, ${LATENCY_MS} ms per remote call (state: in-memory store at ${LATENCY_MS} ms per call)`, model.store, model.calls, Date.now());
reset();
await scenario(`${objects}, ${LATENCY_MS} ms per remote call (state: DynamoDB adapter on dynalite, emulator-bound)`, undefined, new Map(), Date.now() + 3_600_000);

for (const proxy of Object.values(proxies)) await proxy.close();
restore();
await env.close();
process.exit();
