/**
 * The handlers apply the awsEndpoint rule with the trust of their own configuration
 * (LPA_TRUSTED_AWS_ENDPOINTS), never the event's: a manifest pointing its trigger at the local SQS
 * stand-in over plain http is evaluated when the function trusts http://127.0.0.1, and reported
 * invalid (the other objects still evaluated) when it points anywhere else.
 */
import type { Context } from 'aws-lambda';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalEnvironment, type LocalEnvironment } from '../../../dev/local/environment.js';
import { fakeLambdaContext } from '../../../dev/local/lambdaContext.js';
import { sqsScaledObject } from '../../helpers/manifests.js';

type Handler = (event: unknown, context: Context) => Promise<Record<string, unknown>>;

let env: LocalEnvironment;
let restoreEnv: () => void;
let scaler: Handler;
let queueUrl: string;

const context = (id: string): Context => fakeLambdaContext({ requestId: id, functionName: 'lpa-test', remainingMs: 10_000 });
const viaEndpoint = (name: string, awsEndpoint: string) => {
  const so = sqsScaledObject(name, {}, 'shop', queueUrl) as { spec: { triggers: { metadata: Record<string, string> }[] } };
  for (const trigger of so.spec.triggers) Object.assign(trigger.metadata, { awsEndpoint, awsRegion: env.region });
  return so;
};

beforeAll(async () => {
  env = await startLocalEnvironment({ namespaces: ['shop'] });
  queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: 'trusted' }))).QueueUrl ?? '';
  await env.sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'job' }));
  env.kube.cluster.addDeployment({ namespace: 'shop', name: 'local', replicas: 0 });
  env.kube.cluster.addDeployment({ namespace: 'shop', name: 'elsewhere', replicas: 0 });
  restoreEnv = env.applyEnv();
  process.env.LPA_TRUSTED_AWS_ENDPOINTS = 'http://127.0.0.1';
  // Keep the handler's log lines out of the test output.
  for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation(() => true);
  scaler = (await import('../../../functions/scaler/handler.js')).handler as unknown as Handler;
});

afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.LPA_TRUSTED_AWS_ENDPOINTS;
  restoreEnv();
  await env.close();
});

describe('Handler: scaler (trusted AWS endpoints)', () => {
  it('reads through a trusted stand-in and refuses an untrusted host, object by object', async () => {
    const group = {
      cluster: { name: env.clusterName, region: env.region },
      scaledObjects: [viaEndpoint('local', env.sqs.endpoint), viaEndpoint('elsewhere', env.sqs.endpoint.replace('127.0.0.1', 'localhost'))],
    };
    const summary = await scaler(group, context('trusted-1'));
    expect(summary).toMatchObject({ scaled: 1, invalid: 1 });
    expect(env.kube.cluster.deployment('shop', 'local').specReplicas).toBe(1);
    expect(env.kube.cluster.deployment('shop', 'elsewhere').specReplicas).toBe(0);
  });
});
