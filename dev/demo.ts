/**
 * `npm start`: LPA's real scheduled handler against the local stand-ins, in real time (~2 minutes).
 * It starts every service on 127.0.0.1, creates a queue and a Deployment whose Ready pods consume
 * it, sends a burst, invokes the handler every few seconds (as EventBridge Scheduler would, only
 * faster), prints a live table, and stops once the queue has drained and the cooldown brought the
 * Deployment back to zero. It writes the same chart as `lpa simulate` and leaves no process behind.
 * `npm start -- --scenario cpu` runs php-apache on CPU instead (demoCpu.ts).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Reason } from '../shared/engine/types.js';
import { parseScaledObject } from '../shared/spec/parse.js';
import { createSummaryTracker } from '../shared/sim/summary.js';
import { renderSvg } from '../shared/sim/svg.js';
import type { Sample, ScaleChange, SimulationResult } from '../shared/sim/loop.js';
import { startLocalEnvironment } from './local/environment.js';
import { fakeLambdaContext } from './local/lambdaContext.js';
import { createQueueWorkers } from './local/workload.js';

const NAMESPACE = 'shop';
const DEPLOYMENT = 'orders-worker';
const INVOKE_EVERY_MS = 5_000;
const BURST = { atSecond: 5, messages: 600 };
const RATE_PER_REPLICA = 2;
const STARTUP_SECONDS = 10;
const GIVE_UP_SECONDS = 180;
const OUT = 'out';

const manifest = (queueUrl: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: DEPLOYMENT, namespace: NAMESPACE },
  spec: {
    scaleTargetRef: { name: DEPLOYMENT },
    pollingInterval: 60,
    cooldownPeriod: 20,
    minReplicaCount: 0,
    maxReplicaCount: 12,
    triggers: [{ type: 'aws-sqs-queue', name: 'orders', metadata: { queueURL: queueUrl, queueLength: '20', awsRegion: 'eu-west-1' } }],
  },
});

const lambdaContext = (n: number) => fakeLambdaContext({ requestId: `demo-${n}`, functionName: 'lpa-scaler', remainingMs: 4_000 });

/** The handler's JSON logs go to a file, so the live table stays readable. */
const captureStdout = async <T>(file: string, run: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (appendFileSync(file, chunk), true)) as typeof process.stdout.write;
  try {
    return await run();
  } finally {
    process.stdout.write = write;
  }
};

const pad = (value: string | number, width: number) => String(value).padStart(width);

const main = async (): Promise<void> => {
  mkdirSync(OUT, { recursive: true });
  const logFile = `${OUT}/demo-handler.log`;
  writeFileSync(logFile, '');
  console.log('Starting local DynamoDB, SQS, CloudWatch, STS, EKS and an HTTPS Kubernetes API on 127.0.0.1 …');
  const env = await startLocalEnvironment({ namespaces: [NAMESPACE] });
  const restoreEnv = env.applyEnv();
  try {
    const queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl ?? '';
    env.kube.cluster.addDeployment({ namespace: NAMESPACE, name: DEPLOYMENT, replicas: 0, startupDelayMs: STARTUP_SECONDS * 1000 });
    const workers = createQueueWorkers({ cluster: env.kube.cluster, sqs: env.sqs.client, queueUrl, namespace: NAMESPACE, deployment: DEPLOYMENT, messagesPerReplicaPerSecond: RATE_PER_REPLICA });
    const group = { cluster: { name: env.clusterName, region: env.region }, scaledObjects: [manifest(queueUrl)] };
    // The real handler, built at import exactly as in Lambda (clients from the environment above).
    const { handler } = await import('../functions/scaler/handler.js');

    console.log(`Burst of ${BURST.messages} messages at ${BURST.atSecond}s; ${RATE_PER_REPLICA} msg/s per Ready pod, pods Ready ${STARTUP_SECONDS}s after they start; handler every ${INVOKE_EVERY_MS / 1000}s.`);
    console.log(`Handler logs: ${logFile}\n`);
    console.log(`${pad('time', 5)} ${pad('queue', 6)} ${pad('desired', 8)} ${pad('ready', 6)}  reason`);

    const start = Date.now();
    const samples: Sample[] = [];
    const changes: ScaleChange[] = [];
    const tracker = createSummaryTracker();
    let sent = false;
    let arrived = 0;
    let scaledUp = false;
    let invocation = 0;
    for (;;) {
      const second = Math.round((Date.now() - start) / 1000);
      if (!sent && second >= BURST.atSecond) {
        for (let i = 0; i < BURST.messages; i += 10) {
          await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: String(k), MessageBody: `order ${i + k}` })) }));
        }
        sent = true;
        arrived = BURST.messages;
      }
      const before = env.kube.cluster.deployment(NAMESPACE, DEPLOYMENT).specReplicas;
      const summary = await captureStdout(logFile, () => handler(group, lambdaContext(++invocation)));
      const after = env.kube.cluster.deployment(NAMESPACE, DEPLOYMENT);
      const attributes = await env.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      const queue = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      const reason = (summary.objects[0]?.reason ?? 'ScalerNotActive') as Reason;
      if (after.specReplicas !== before) changes.push({ second, from: before, to: after.specReplicas, reason, message: summary.objects[0]?.reason ?? '' });
      scaledUp ||= after.specReplicas > 0;
      samples.push({ second, arrivalsPerSecond: arrived / (INVOKE_EVERY_MS / 1000), visible: queue, inFlight: 0, desired: after.specReplicas, ready: after.readyReplicas, reason });
      tracker.observe({ second, queue, waiting: queue, desired: after.specReplicas, ready: after.readyReplicas });
      tracker.evaluated(after.specReplicas !== before);
      arrived = 0;
      console.log(`${pad(`${second}s`, 5)} ${pad(queue, 6)} ${pad(after.specReplicas, 8)} ${pad(after.readyReplicas, 6)}  ${reason}`);

      if ((sent && scaledUp && queue === 0 && after.specReplicas === 0) || second > GIVE_UP_SECONDS) break;
      // The Ready pods work until the next invocation.
      const next = start + invocation * INVOKE_EVERY_MS;
      while (Date.now() < next) {
        await sleep(1_000);
        await workers.work(1);
      }
    }

    const durationSeconds = samples.at(-1)?.second ?? 0;
    const scaledObject = parseScaledObject(manifest(queueUrl), { source: 'demo' });
    if (!scaledObject.ok) throw new Error('the demo manifest is invalid');
    const result: SimulationResult = {
      scaledObject: scaledObject.scaledObject,
      workload: { arrivals: [{ fromSecond: 0, ratePerSecond: 0 }, { fromSecond: BURST.atSecond, ratePerSecond: BURST.messages / (INVOKE_EVERY_MS / 1000) }, { fromSecond: BURST.atSecond + INVOKE_EVERY_MS / 1000, ratePerSecond: 0 }], processRatePerReplica: RATE_PER_REPLICA, processingSeconds: 1, startupSeconds: STARTUP_SECONDS },
      durationSeconds: Math.max(durationSeconds, 1),
      pollingIntervalSeconds: INVOKE_EVERY_MS / 1000,
      rows: samples,
      samples,
      changes,
      summary: tracker.finish({ arrived: BURST.messages, deleted: workers.deleted }),
    };
    const chart = `${OUT}/demo.svg`;
    writeFileSync(chart, renderSvg(result, { scenario: 'npm start: real handler, local services', timeLabel: 'elapsed time' }));
    const finalReplicas = samples.at(-1)?.desired ?? -1;
    console.log(`\n${finalReplicas === 0 ? 'Done' : 'Stopped'} after ${durationSeconds}s: ${workers.deleted}/${BURST.messages} messages processed, ${changes.length} scale changes, final replicas ${finalReplicas}.`);
    console.log(`Chart: ${chart} (open it in a browser). Try \`node bin/lpa.js simulate --scenario burst\` for a virtual-time run.`);
    process.exitCode = finalReplicas === 0 ? 0 : 1;
  } finally {
    restoreEnv();
    await env.close();
  }
};

const scenarioIndex = process.argv.indexOf('--scenario');
const scenario = scenarioIndex < 0 ? 'burst' : process.argv[scenarioIndex + 1];
if (scenario === 'cpu') {
  const { runCpuDemo } = await import('./demoCpu.js');
  process.exitCode = await runCpuDemo();
} else if (scenario === 'burst') {
  await main();
} else {
  console.error(`npm start: unknown --scenario "${scenario ?? ''}"; use burst (the default: SQS burst) or cpu (php-apache on CPU)`);
  process.exitCode = 2;
}
// The handler's SDK clients keep idle keep-alive sockets to the (now closed) stand-ins: end now.
process.exit();
