/**
 * What `npm run invoke` does, as a function (the command and its tests share it): start the local
 * stand-ins, create what the event's ScaledObjects point at (their Deployments, and their SQS queues
 * with N messages each), aim the event at them (local cluster, local queue URLs), and invoke the real
 * handler with a Lambda-like context. Every change to the event is announced through `note`.
 *
 * The setup reads the event defensively: whatever it cannot use (a null entry, a numeric queueURL,
 * a duplicate object) it leaves as it is, so the handler reports it as it would in Lambda.
 */
import { readFileSync } from 'node:fs';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { parseAlarmEvent, scaleGroupOfScheduledEvent } from '../../shared/app/events.js';
import { startLocalEnvironment, type LocalEnvironment } from './environment.js';
import { fakeLambdaContext } from './lambdaContext.js';

type FunctionName = 'scaler' | 'alarm';
type Handler = (event: unknown, context: Context) => Promise<unknown>;

interface LocalInvocation {
  readonly fn: FunctionName;
  /** The event as read from its file; changed in place to aim at the stand-ins. */
  readonly event: unknown;
  /** Used when the event carries no group (a bare alarm event): the function's LPA_SCALE_GROUP. */
  readonly configuredGroup?: unknown;
  /** Messages put in each SQS queue an object reads. */
  readonly messages: number;
  /** Says what was changed or set up, one line each. */
  readonly note: (line: string) => void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Where the event keeps its ScaleGroup: the handlers' own event parsers say. */
const groupOf = (fn: FunctionName, event: unknown): Json | undefined => {
  const alarm = fn === 'alarm' ? parseAlarmEvent(event) : undefined;
  const candidate = alarm === undefined ? scaleGroupOfScheduledEvent(event) : alarm.ok ? alarm.scaleGroup : undefined;
  return isObject(candidate) ? candidate : undefined;
};

const manifestsOf = (group: Json | undefined): Json[] => (Array.isArray(group?.scaledObjects) ? group.scaledObjects.filter(isObject) : []);

interface Target {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
}

/** The Deployment a manifest scales, as far as the manifest says (the handler validates the rest). */
const targetOf = (manifest: Json): Target | undefined => {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const ref = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  const name = text(ref.name);
  if (name === undefined) return undefined;
  const min = spec.minReplicaCount;
  return { namespace: text(metadata.namespace) ?? 'default', name, replicas: Number.isSafeInteger(min) && (min as number) >= 0 ? (min as number) : 0 };
};

/** The SQS triggers' metadata whose queueURL is a string (others are the handler's to report). */
const sqsMetadataOf = (manifest: Json): Json[] => {
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const triggers = Array.isArray(spec.triggers) ? spec.triggers.filter(isObject) : [];
  return triggers.filter((t) => t.type === 'aws-sqs-queue' && isObject(t.metadata) && text(t.metadata.queueURL) !== undefined).map((t) => t.metadata as Json);
};

const createQueue = async (env: LocalEnvironment, name: string, messages: number): Promise<string> => {
  const url = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  for (let sent = 0; sent < messages; sent += 10) {
    const n = Math.min(10, messages - sent);
    await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: 'local' })) }));
  }
  return url;
};

/** Creates the targets and queues of `group`'s objects and aims the group at them. */
const aimAtLocal = async (env: LocalEnvironment, group: Json, messages: number, note: (line: string) => void): Promise<void> => {
  const cluster = isObject(group.cluster) ? group.cluster : {};
  note(`cluster: ${text(cluster.name) ?? '(none)'} (${text(cluster.region) ?? 'no region'}) replaced by the local cluster ${env.clusterName} (${env.region})`);
  group.cluster = { name: env.clusterName, region: env.region };
  const queues = new Map<string, string>();
  for (const manifest of manifestsOf(group)) {
    const target = targetOf(manifest);
    if (target !== undefined && env.kube.cluster.find(target.namespace, target.name) === undefined) {
      env.kube.cluster.addDeployment(target);
      note(`deployment ${target.namespace}/${target.name} created with ${target.replicas} replicas`);
    }
    for (const metadata of sqsMetadataOf(manifest)) {
      const original = metadata.queueURL as string;
      const name = original.split('/').at(-1) ?? '';
      if (name === '') continue;
      let url = queues.get(name);
      if (url === undefined) {
        url = await createQueue(env, name, messages);
        queues.set(name, url);
        note(`queue ${name} created with ${messages} messages`);
      }
      metadata.queueURL = url;
      note(`queueURL ${original} replaced by ${url}`);
    }
  }
};

/** An event file's JSON; a file that is not JSON fails naming it and where it breaks. */
const readEventFile = (file: string): unknown => {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
};

/** Invokes the real handler on `event` against a fresh set of stand-ins; resolves with its result. */
const invokeLocally = async (invocation: LocalInvocation): Promise<unknown> => {
  const { fn, event, note } = invocation;
  const fromEvent = groupOf(fn, event);
  const configured = fromEvent === undefined && fn === 'alarm' && isObject(invocation.configuredGroup) ? structuredClone(invocation.configuredGroup) : undefined;
  const group = fromEvent ?? configured;
  const namespaces = [...new Set(manifestsOf(group).map((m) => targetOf(m)?.namespace ?? 'default'))];
  const env = await startLocalEnvironment({ namespaces: namespaces.length === 0 ? ['default'] : namespaces });
  const restore = env.applyEnv();
  try {
    if (group !== undefined) await aimAtLocal(env, group, invocation.messages, note);
    if (configured !== undefined) {
      process.env.LPA_SCALE_GROUP = JSON.stringify(configured);
      note('the event carries no ScaleGroup: LPA_SCALE_GROUP set to the sample group');
    }
    const context = fakeLambdaContext({ requestId: `local-${Date.now()}`, functionName: `lpa-${fn}`, remainingMs: 10_000, region: env.region });
    // Imported after the environment is set: the handler builds its clients at import (Lambda init).
    const { handler } = (fn === 'scaler' ? await import('../../functions/scaler/handler.js') : await import('../../functions/alarm/handler.js')) as { handler: Handler };
    return await handler(event, context);
  } finally {
    if (configured !== undefined) delete process.env.LPA_SCALE_GROUP;
    restore();
    await env.close();
  }
};

export { invokeLocally, readEventFile };
export type { FunctionName, LocalInvocation };
