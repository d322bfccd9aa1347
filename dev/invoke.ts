/**
 * `npm run invoke -- <scaler|alarm> <event.json> [--messages N]`: the offline twin of
 * `sam local invoke` (no Docker). It starts the local stand-ins of `npm start`, creates what the
 * event's ScaledObjects point at (their Deployments, and their SQS queues with N messages each),
 * aims the event at them (local cluster, local queue URLs), and invokes the real handler in-process
 * with a Lambda-like context. The handler's logs and EMF metrics print as in Lambda; the result last.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { parseAlarmEvent, scaleGroupOfScheduledEvent } from '../shared/app/events.js';
import { startLocalEnvironment } from './local/environment.js';
import { fakeLambdaContext } from './local/lambdaContext.js';

const USAGE = 'usage: npm run invoke -- <scaler|alarm> <event.json> [--messages N]';
const SAMPLE_GROUP = 'events/scheduled-tick.json';

interface Manifest {
  metadata?: { name?: string; namespace?: string };
  spec?: { minReplicaCount?: number; scaleTargetRef?: { name?: string }; triggers?: Array<{ type?: string; metadata?: Record<string, string> }> };
}
interface Group {
  cluster: Record<string, unknown>;
  scaledObjects: Manifest[];
}

/** Where the event keeps its ScaleGroup: the handlers' own event parsers say. */
const groupOf = (fn: 'scaler' | 'alarm', event: unknown): Group | undefined => {
  const alarm = fn === 'alarm' ? parseAlarmEvent(event) : undefined;
  const candidate = alarm === undefined ? scaleGroupOfScheduledEvent(event) : alarm.ok ? alarm.scaleGroup : undefined;
  return typeof candidate === 'object' && candidate !== null && Array.isArray((candidate as Group).scaledObjects) ? (candidate as Group) : undefined;
};

const main = async (): Promise<number> => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { messages: { type: 'string', default: '25' } } });
  const [fn, file] = positionals;
  const messages = Number(values.messages);
  if ((fn !== 'scaler' && fn !== 'alarm') || file === undefined || !Number.isInteger(messages) || messages < 0) {
    console.error(USAGE);
    return 2;
  }
  const event = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // A bare alarm event carries no group: the function then reads LPA_SCALE_GROUP, here the sample tick's.
  const fromEvent = groupOf(fn, event);
  const group = fromEvent ?? (fn === 'alarm' ? (JSON.parse(readFileSync(SAMPLE_GROUP, 'utf8')) as Group) : undefined);
  const manifests = group?.scaledObjects ?? [];
  const namespaces = [...new Set(manifests.map((m) => m.metadata?.namespace ?? 'default'))];
  const env = await startLocalEnvironment({ namespaces: namespaces.length === 0 ? ['default'] : namespaces });
  const restore = env.applyEnv();
  try {
    for (const m of manifests) {
      env.kube.cluster.addDeployment({ namespace: m.metadata?.namespace ?? 'default', name: m.spec?.scaleTargetRef?.name ?? m.metadata?.name ?? 'app', replicas: m.spec?.minReplicaCount ?? 0 });
      for (const trigger of m.spec?.triggers ?? []) {
        const queue = trigger.type === 'aws-sqs-queue' ? trigger.metadata?.queueURL?.split('/').at(-1) : undefined;
        if (queue === undefined || trigger.metadata === undefined) continue;
        const url = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl ?? '';
        trigger.metadata.queueURL = url;
        for (let sent = 0; sent < messages; sent += 10) {
          const n = Math.min(10, messages - sent);
          await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: 'local' })) }));
        }
      }
    }
    if (group !== undefined) group.cluster = { name: env.clusterName, region: env.region };
    if (fromEvent === undefined && group !== undefined) process.env.LPA_SCALE_GROUP = JSON.stringify(group);
    const context = fakeLambdaContext({ requestId: `local-${Date.now()}`, functionName: `lpa-${fn}`, remainingMs: 10_000, region: env.region });
    const { handler } = (await import(`../functions/${fn}/handler.js`)) as { handler: (e: unknown, c: Context) => Promise<unknown> };
    const result = await handler(event, context);
    console.log(JSON.stringify({ result }, null, 2));
    return 0;
  } finally {
    restore();
    await env.close();
  }
};

process.exitCode = await main();
// The handler's clients keep idle keep-alive sockets to the closed stand-ins: end now.
process.exit();
