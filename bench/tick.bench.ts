/**
 * One tick of 1,000 ScaledObjects (SQS and CloudWatch triggers mixed) plus 200 on cpu (each reads
 * its pods and PodMetrics: two list calls) against the local stand-ins, with 20 ms of latency added
 * to every remote call by a TCP proxy in front of each service. The stand-ins and proxies run on a
 * worker thread (bench/standIns.ts): a remote call costs LPA its latency, not the service's CPU.
 * Reports wall time, calls per service and DynamoDB writes. Budgets (DESIGN.md §5): < 5 s wall,
 * CloudWatch calls = ceil(queries / 500), no DynamoDB write when nothing changed.
 *
 * Two state stores: the in-memory one behind exactly 20 ms per call (the latency model the budget
 * states), and the real DynamoDB adapter against dynalite, whose own throughput (~650 writes/s on
 * this machine) then bounds the first tick — reported for reference, not as LPA's cost.
 */
import { Worker } from 'node:worker_threads';
import { reconcile } from '../shared/app/reconcile.js';
import { createRuntime } from '../shared/app/runtime.js';
import { parseScaleGroup } from '../shared/app/scaleGroup.js';
import { LOCAL_CREDENTIALS } from '../dev/local/environment.js';
import type { StateStore } from '../shared/state/types.js';
import { delayedStore } from './delayedStore.js';
import type { Counts, Op, Ready, Workload } from './standIns.js';

const OBJECTS = 1_000;
const CPU_OBJECTS = 200;
const LATENCY_MS = 20;
const WALL_BUDGET_MS = 5_000;

const workload: Workload = { objects: OBJECTS, cpuObjects: CPU_OBJECTS, latencyMs: LATENCY_MS, namespace: 'bench' };
// A worker does not inherit tsx's loader on Node 20: the bootstrap registers it, then loads the module.
const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./standIns.ts', import.meta.url).href)}); })`;
const standIns = new Worker(bootstrap, { eval: true, workerData: workload });
const ready = await new Promise<Ready>((resolve, reject) => standIns.once('message', resolve).once('error', reject));
let calls = 0;
const call = <R>(op: Op) =>
  new Promise<R>((resolve) => {
    const id = ++calls;
    const answer = (message: { id: number; result: R }) => {
      if (message.id !== id) return;
      standIns.off('message', answer);
      resolve(message.result);
    };
    standIns.on('message', answer);
    standIns.postMessage({ id, op });
  });

Object.assign(process.env, ready.env);
const parsed = parseScaleGroup({ cluster: { name: ready.clusterName, region: ready.region }, scaledObjects: ready.manifests });
/** The function's configuration names the API server (behind its latency proxy): no DescribeCluster. */
const clusters = [{ name: ready.clusterName, region: ready.region, endpoint: ready.kubeEndpoint, caData: ready.caData }];
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));

const snapshot = async (storeCalls: Map<string, number>) => {
  const { dynamodb, ...rest } = await call<Counts>('counts');
  return { state: new Map([...dynamodb, ...storeCalls]), ...rest };
};
const diff = (before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>) => {
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
  const runtime = createRuntime({ tableName: ready.tableName, clusters }, { aws: { credentials: LOCAL_CREDENTIALS }, kube: { credentials: async () => LOCAL_CREDENTIALS }, ...(stateStore === undefined ? {} : { stateStore }) });
  const tick = async (label: string, now: number) => {
    const before = await snapshot(storeCalls);
    const start = performance.now();
    const reports = await reconcile(parsed.group, { ...runtime, owner: `${title}-${label}`, now: () => now });
    const wall = performance.now() - start;
    const d = diff(before, await snapshot(storeCalls));
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

const model = delayedStore(LATENCY_MS);
const objects = `${OBJECTS} ScaledObjects + ${CPU_OBJECTS} on cpu (pods + PodMetrics lists each)`;
await scenario(`${objects}, ${LATENCY_MS} ms per remote call (state: in-memory store at ${LATENCY_MS} ms per call)`, model.store, model.calls, Date.now());
await call('reset');
await scenario(`${objects}, ${LATENCY_MS} ms per remote call (state: DynamoDB adapter on dynalite, emulator-bound)`, undefined, new Map(), Date.now() + 3_600_000);

await call('close');
process.exit();
