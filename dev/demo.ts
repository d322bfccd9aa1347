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
import { renderSvg } from '../shared/sim/svg.js';
import { burst } from '../shared/sim/workload.js';
import type { SimulationResult } from '../shared/sim/loop.js';
import { demoLambdaContext, runDemo } from './demoRun.js';
import type { DemoPlan, DemoWorld } from './demoRun.js';
import { startLocalEnvironment } from './local/environment.js';
import { createQueueWorkers } from './local/workload.js';

const NAMESPACE = 'shop';
const DEPLOYMENT = 'orders-worker';
const PLAN: DemoPlan = { burst: { atSecond: 5, messages: 600 }, invokeEverySeconds: 5, tailSeconds: 10, giveUpSeconds: 180 };
const RATE_PER_REPLICA = 2;
// A busy pod holds rate × processing = 20 messages in flight: the queueLength below, as a tuned deployment would.
const PROCESSING_SECONDS = 10;
const STARTUP_SECONDS = 10;
const OUT = 'out';
const CHART = `${OUT}/demo.svg`;

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
    const workers = createQueueWorkers({
      cluster: env.kube.cluster,
      sqs: env.sqs.client,
      queueUrl,
      namespace: NAMESPACE,
      deployment: DEPLOYMENT,
      messagesPerReplicaPerSecond: RATE_PER_REPLICA,
      processingSeconds: PROCESSING_SECONDS,
    });
    const group = { cluster: { name: env.clusterName, region: env.region }, scaledObjects: [manifest(queueUrl)] };
    // The real handler, built at import exactly as in Lambda (clients from the environment above).
    const { handler } = await import('../functions/scaler/handler.js');

    const start = Date.now();
    let invocation = 0;
    const world: DemoWorld = {
      elapsed: () => (Date.now() - start) / 1000,
      waitUntil: async (second) => {
        const wait = start + second * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      },
      send: async (messages) => {
        for (let i = 0; i < messages; i += 10) {
          const Entries = Array.from({ length: Math.min(10, messages - i) }, (_, k) => ({ Id: String(k), MessageBody: `order ${i + k}` }));
          await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
        }
      },
      invoke: async () => {
        const summary = await captureStdout(logFile, () => handler(group, demoLambdaContext(++invocation)));
        const report = summary.objects[0];
        // The invocation summary carries no message; the handler's log line (logFile) has it.
        return { reason: (report?.reason ?? 'ScalerNotActive') as Reason, message: `${report?.outcome ?? 'no report'} (${report?.currentReplicas ?? '?'} → ${report?.desiredReplicas ?? '?'})` };
      },
      work: async () => {
        await workers.work(1);
      },
      view: async () => {
        const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
        const { Attributes: a } = await env.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
        const deployment = env.kube.cluster.deployment(NAMESPACE, DEPLOYMENT);
        return { visible: Number(a?.[names[0]] ?? 0), inFlight: Number(a?.[names[1]] ?? 0), desired: deployment.specReplicas, ready: deployment.readyReplicas };
      },
    };

    console.log(`Burst of ${PLAN.burst.messages} messages at ${PLAN.burst.atSecond}s; each Ready pod takes ${RATE_PER_REPLICA} msg/s and works ${PROCESSING_SECONDS}s on each; pods Ready ${STARTUP_SECONDS}s after they start; handler every ${PLAN.invokeEverySeconds}s.`);
    console.log(`Handler logs: ${logFile}\n`);
    console.log(`${pad('time', 6)} ${pad('visible', 8)} ${pad('in-flight', 9)} ${pad('desired', 8)} ${pad('ready', 6)}  reason`);
    const recording = await runDemo(world, PLAN, (s, invoked) => {
      if (invoked) console.log(`${pad(`${s.second.toFixed(0)}s`, 6)} ${pad(s.visible, 8)} ${pad(s.inFlight, 9)} ${pad(s.desired, 8)} ${pad(s.ready, 6)}  ${s.reason ?? '-'}`);
    });

    const scaledObject = parseScaledObject(manifest(queueUrl), { source: 'demo' });
    if (!scaledObject.ok) throw new Error('the demo manifest is invalid');
    const durationSeconds = Math.max(1, Math.ceil(recording.samples.at(-1)?.second ?? 0));
    const result: SimulationResult = {
      scaledObject: scaledObject.scaledObject,
      workload: {
        // The chart draws the arrivals recorded in the samples; this is the plan, for the record.
        arrivals: burst({ atSecond: PLAN.burst.atSecond, durationSeconds: 1, ratePerSecond: PLAN.burst.messages }),
        processRatePerReplica: RATE_PER_REPLICA,
        processingSeconds: PROCESSING_SECONDS,
        startupSeconds: STARTUP_SECONDS,
      },
      durationSeconds,
      pollingIntervalSeconds: PLAN.invokeEverySeconds,
      rowEverySeconds: 1,
      rows: recording.samples,
      samples: recording.samples,
      changes: recording.changes,
      summary: recording.summary(workers.deleted),
    };
    writeFileSync(CHART, renderSvg(result, { scenario: 'npm start: real handler, local services', timeLabel: 'elapsed time' }));
    console.log(`\n${recording.settled ? 'Done' : 'Stopped'} after ${durationSeconds}s: ${workers.deleted}/${PLAN.burst.messages} messages processed, ${recording.changes.length} scale changes, final replicas ${recording.samples.at(-1)?.desired ?? -1}.`);
    console.log(`Chart: ${CHART} (open it in a browser). Try \`node bin/lpa.js simulate --scenario burst --out out/burst.svg\` for a virtual-time run.`);
    process.exitCode = recording.settled ? 0 : 1;
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
