/**
 * The tick bench's remote side on a worker thread: the Kubernetes, SQS and CloudWatch stand-ins (and
 * dynalite, in its own process) behind their 20 ms latency proxies, with the bench's workload set up.
 * The budget prices a remote call at its latency alone (DESIGN.md §5): on the bench's own thread the
 * stand-ins' CPU (serving 2,000+ HTTPS requests, rendering pod lists) was ~40% of a cold tick's CPU
 * in a profile, and measured the machine's second core as idle and LPA as slower than it is.
 *
 * Protocol: on start it posts `Ready`; afterwards it answers each `{ id, op }` with `{ id, result }`.
 */
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { parentPort, workerData } from 'node:worker_threads';
import { startLocalEnvironment } from '../dev/local/environment.js';
import { startLatencyProxy, type LatencyProxy } from '../dev/local/latency.js';

interface Workload {
  readonly objects: number;
  readonly cpuObjects: number;
  readonly latencyMs: number;
  readonly namespace: string;
}

/** Calls the stand-ins have answered so far. */
interface Counts {
  readonly dynamodb: ReadonlyArray<readonly [string, number]>;
  readonly sqs: number;
  readonly cloudwatch: number;
  readonly kubernetes: number;
  readonly podMetricsLists: number;
  readonly podLists: number;
}

interface Ready {
  readonly region: string;
  readonly clusterName: string;
  readonly tableName: string;
  /** The API server behind its latency proxy. */
  readonly kubeEndpoint: string;
  readonly caData: string;
  /** What a Lambda of LPA would see, with the AWS endpoints behind their latency proxies. */
  readonly env: Readonly<Record<string, string>>;
  readonly manifests: readonly unknown[];
}

type Op = 'counts' | 'reset' | 'close';

const { objects, cpuObjects, latencyMs, namespace } = workerData as Workload;

// The Kubernetes stand-in's clock runs a minute ahead once set up, so metrics-server has scraped every pod.
let kubeClockOffsetMs = 0;
const env = await startLocalEnvironment({ namespaces: [namespace], dynamoChildProcess: true, kubeNow: () => Date.now() + kubeClockOffsetMs });
const portOf = (url: string) => Number(new URL(url).port);
const proxies: Record<'dynamodb' | 'sqs' | 'cloudwatch' | 'kubernetes', LatencyProxy> = {
  dynamodb: await startLatencyProxy(portOf(env.dynamo.endpoint), latencyMs),
  sqs: await startLatencyProxy(portOf(env.sqs.endpoint), latencyMs),
  cloudwatch: await startLatencyProxy(portOf(env.cloudwatch.endpoint), latencyMs),
  kubernetes: await startLatencyProxy(portOf(env.kube.url), latencyMs),
};

const worker = (i: number) => ({ name: `worker-${i}`, replicas: 1 + (i % 3) });
const web = (i: number) => ({ name: `web-${i}`, replicas: 2 + (i % 4) });

// Set-up, without latency: queues with some messages, metrics, Deployments at 1..3 replicas.
const setup = pLimit(32);
const queueManifests = await Promise.all(
  Array.from({ length: objects }, (_, i) =>
    setup(async () => {
      const { name, replicas } = worker(i);
      env.kube.cluster.addDeployment({ namespace, name, replicas });
      if (i % 2 === 0) {
        const queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
        const messages = (i * 7) % 40;
        for (let sent = 0; sent < messages; sent += 10) {
          const n = Math.min(10, messages - sent);
          await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, k) => ({ Id: String(k), MessageBody: 'x' })) }));
        }
        return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace }, spec: { scaleTargetRef: { name }, minReplicaCount: 1, maxReplicaCount: 20, triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: queueUrl, queueLength: '10', awsRegion: env.region } }] } };
      }
      env.cloudwatch.setData({ namespace: 'Bench', metricName: 'Backlog', dimensions: { Worker: name } }, [(i * 13) % 300]);
      return {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name, namespace },
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
const cpuManifests = Array.from({ length: cpuObjects }, (_, i) => {
  const { name, replicas } = web(i);
  env.kube.cluster.addDeployment({ namespace, name, replicas, requests: { cpu: '200m', memory: '128Mi' } });
  env.kube.cluster.setCpuLoad(namespace, name, 100 + ((i * 37) % 900));
  return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace }, spec: { scaleTargetRef: { name }, minReplicaCount: 1, maxReplicaCount: 20, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }] } };
});
kubeClockOffsetMs = 60_000;

const counts = (): Counts => ({
  dynamodb: [...proxies.dynamodb.operations],
  sqs: env.sqs.count('GetQueueAttributes'),
  cloudwatch: env.cloudwatch.calls.length,
  kubernetes: env.kube.requests.length,
  podMetricsLists: env.kube.requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/')).length,
  podLists: env.kube.requests.filter((r) => r.path.startsWith('/api/v1/') && r.path.includes('/pods?')).length,
});

/** Every Deployment back at its starting replicas, for the next scenario. */
const reset = () => {
  for (let i = 0; i < objects; i++) env.kube.cluster.setReplicas(namespace, worker(i).name, worker(i).replicas);
  for (let i = 0; i < cpuObjects; i++) env.kube.cluster.setReplicas(namespace, web(i).name, web(i).replicas);
};

const close = async () => {
  for (const proxy of Object.values(proxies)) await proxy.close();
  await env.close();
};

const port = parentPort;
if (port === null) throw new Error('bench/standIns.ts runs as a worker thread');
const ops: Record<Op, () => unknown> = { counts, reset, close };
port.on('message', ({ id, op }: { id: number; op: Op }) => {
  void Promise.resolve(ops[op]()).then((result) => {
    port.postMessage({ id, result });
    if (op === 'close') port.close();
  });
});
const ready: Ready = {
  region: env.region,
  clusterName: env.clusterName,
  tableName: env.dynamo.tableName,
  kubeEndpoint: `https://127.0.0.1:${proxies.kubernetes.port}`,
  caData: env.kube.caData,
  env: {
    ...env.env,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${proxies.dynamodb.port}`,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${proxies.sqs.port}`,
    AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${proxies.cloudwatch.port}`,
  },
  manifests: [...queueManifests, ...cpuManifests],
};
port.postMessage(ready);

export type { Counts, Op, Ready, Workload };
