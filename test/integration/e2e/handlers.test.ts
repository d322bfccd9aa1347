/**
 * The two Lambda handlers, imported and invoked as the Lambda runtime would, with the sample
 * events of events/ pointed at the local stand-ins. Everything they print is captured: it must be
 * structured, and no line may hold a token, a presigned URL or a credential.
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS, startLocalEnvironment, type LocalEnvironment } from '../../../dev/local/environment.js';
import { fakeLambdaContext } from '../../../dev/local/lambdaContext.js';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

type Handler = (event: unknown, context: Context) => Promise<Record<string, unknown>>;

let env: LocalEnvironment;
let restoreEnv: () => void;
let scaler: Handler;
let alarm: Handler;
const printed: string[] = [];

const sample = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../../events/${file}`, import.meta.url), 'utf8'));

/** The sample group, aimed at the local cluster and queue. */
const localGroup = (queueUrl: string) => {
  const group = sample('scheduled-tick.json') as { cluster: Record<string, unknown>; scaledObjects: Array<{ spec: { triggers: Array<{ metadata: Record<string, string> }> } }> };
  group.cluster = { name: env.clusterName, region: env.region };
  const orders = group.scaledObjects[0];
  if (orders?.spec.triggers[0]) orders.spec.triggers[0].metadata.queueURL = queueUrl;
  return group;
};

// Short remaining time: no sub-minute pass is attempted.
const context = (id: string): Context => fakeLambdaContext({ requestId: id, functionName: 'lpa-test', remainingMs: 10_000 });

let queueUrl: string;
beforeAll(async () => {
  env = await startLocalEnvironment({ namespaces: ['shop'] });
  queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl ?? '';
  await env.sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'order 1' }));
  env.kube.cluster.addDeployment({ namespace: 'shop', name: 'orders-worker', replicas: 0 });
  env.kube.cluster.addDeployment({ namespace: 'shop', name: 'reports', replicas: 1 });
  restoreEnv = env.applyEnv();
  process.env.LPA_SCALE_GROUP = JSON.stringify(localGroup(queueUrl));
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  }
  // The handlers build their clients at import (Lambda init), from the environment above.
  scaler = (await import('../../../functions/scaler/handler.js')).handler as unknown as Handler;
  alarm = (await import('../../../functions/alarm/handler.js')).handler as unknown as Handler;
});

afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.LPA_SCALE_GROUP;
  restoreEnv();
  await env.close();
});

describe('Handler: scaler', () => {
  it('evaluates the Scheduler input (a ScaleGroup) and returns a summary', async () => {
    const summary = await scaler(localGroup(queueUrl), context('tick-1'));
    expect(summary).toMatchObject({ evaluated: 2, scaled: 1, failed: 0, invalid: 0 });
    expect(env.kube.cluster.deployment('shop', 'orders-worker').specReplicas).toBe(1);
  });

  it('accepts the EventBridge "Scheduled Event" envelope', async () => {
    const envelope = { ...sample('scheduled-event-envelope.json'), detail: localGroup(queueUrl) };
    const summary = await scaler(envelope, context('tick-2'));
    expect(summary).toMatchObject({ evaluated: 2, failed: 0 });
  });

  it('logs a failing object as an error and goes on with the others', async () => {
    const group = localGroup(queueUrl);
    const ghost = structuredClone(group.scaledObjects[0]) as unknown as { metadata: { name: string }; spec: { scaleTargetRef: { name: string } } };
    ghost.metadata.name = 'ghost';
    ghost.spec.scaleTargetRef.name = 'ghost';
    const summary = await scaler({ ...group, scaledObjects: [...group.scaledObjects, ghost] }, context('tick-ghost'));
    expect(summary).toMatchObject({ evaluated: 3, failed: 1 });
    expect(printed.join('')).toContain('deployment shop/ghost not found');
  });

  it('ends on an event that is no ScaleGroup with the error naming the path: logged once, no stack trace', async () => {
    const start = printed.length;
    const summary = await scaler({ cluster: { name: 'x', region: 'nowhere' }, scaledObjects: [] }, context('tick-3'));
    expect(summary).toMatchObject({ evaluated: 0, error: expect.stringMatching(/cluster\.region: must be an AWS region/) });
    const lines = printed.slice(start).join('').split('\n').filter((l) => l.includes('"level":"ERROR"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ message: 'Invalid event: nothing evaluated', error: summary.error });
    expect(lines[0]).not.toMatch(/stack|    at /);
  });
});

describe('Handler: alarm', () => {
  it('wakes the objects reading the alarm metric, from LPA rule input {scaleGroup, alarm}', async () => {
    const event = { ...sample('alarm-state-change.json'), scaleGroup: localGroup(queueUrl) };
    const summary = await alarm(event, context('alarm-1'));
    expect(summary).toMatchObject({ alarm: 'lpa-shop-orders-worker', state: 'ALARM', evaluated: 1 });
    expect((summary.objects as Array<{ id: string }>).map((o) => o.id)).toEqual(['lpa-local/shop/orders-worker']);
  });

  it.each(['alarm-state-change-bare.json', 'alarm-action.json'])('takes %s with the group from LPA_SCALE_GROUP', async (file) => {
    const summary = await alarm(sample(file), context(`alarm-${file}`));
    expect(summary).toMatchObject({ state: 'ALARM', evaluated: 1, failed: 0 });
  });

  it('reports the group’s invalid objects as the scaler does: logged, counted, their error in the summary', async () => {
    const start = printed.length;
    const group = localGroup(queueUrl);
    const broken = { ...structuredClone(group.scaledObjects[0]), metadata: { name: 'broken', namespace: 'shop' }, spec: { triggers: [] } };
    const event = { ...sample('alarm-state-change.json'), scaleGroup: { ...group, scaledObjects: [...group.scaledObjects, broken] } };
    const summary = await alarm(event, context('alarm-invalid'));
    expect(summary).toMatchObject({ evaluated: 2, invalid: 1 });
    expect(summary.objects).toContainEqual(expect.objectContaining({ id: 'lpa-local/shop/broken', outcome: 'invalid', error: expect.stringContaining('scaledObjects[2].spec') }));
    expect(printed.slice(start).join('')).toContain('"id":"lpa-local/shop/broken"');
  });

  it('ends on an event that is no alarm event with the reason, logged once', async () => {
    const summary = await alarm({ source: 'aws.cloudwatch', alarmData: {} }, context('alarm-bad'));
    expect(summary).toMatchObject({ evaluated: 0, error: expect.stringContaining('not a CloudWatch alarm event') });
  });

  it('does nothing on OK', async () => {
    const event = sample('alarm-action.json') as { alarmData: { state: { value: string } } };
    event.alarmData.state.value = 'OK';
    expect(await alarm(event, context('alarm-ok'))).toMatchObject({ state: 'OK', evaluated: 0 });
  });
});

describe('Logs', () => {
  it('are JSON lines, and none holds a token, a presigned URL or a credential', () => {
    const lines = printed.join('').split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(() => JSON.parse(line), line).not.toThrow();
      for (const secret of ['k8s-aws-v1.', 'X-Amz-Signature', 'X-Amz-Credential', 'Bearer ', LOCAL_CREDENTIALS.secretAccessKey, LOCAL_CREDENTIALS.accessKeyId]) {
        expect(line).not.toContain(secret);
      }
    }
  });
});
