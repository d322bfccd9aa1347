/**
 * The scaler handler fanning a cluster source out, as deployed: the construct's environment
 * (LPA_SHARD_SIZE, the function name Lambda sets), the real runtime (DynamoDB store on dynalite, EKS
 * token, SQS), and the SDK's Lambda Invoke reaching the local Lambda stand-in, which hands every shard
 * to the same handler twice (Lambda may deliver an event more than once).
 */
import type { Context } from 'aws-lambda';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalEnvironment, type LocalEnvironment } from '../../../dev/local/environment.js';
import { fakeLambdaContext } from '../../../dev/local/lambdaContext.js';
import { startLambda, type LocalLambda } from '../../../dev/local/lambda.js';
import { rbacObjects } from '../../../infra/rbac.js';
import { asBindings } from '../../helpers/kube.js';

type Handler = (event: unknown, context: Context) => Promise<{ objects: Array<{ id: string; outcome: string; reason: string }> }>;

const FUNCTION = 'lpa-scaler-e2e';
const NAMES = ['a', 'b', 'c', 'd', 'e'];

let env: LocalEnvironment;
let lambda: LocalLambda;
let restoreEnv: () => void;
let scaler: Handler;
const shardSummaries: Awaited<ReturnType<Handler>>[] = [];
let invocations = 0;

const context = (id: string): Context => fakeLambdaContext({ requestId: id, functionName: FUNCTION, remainingMs: 10_000 });

beforeAll(async () => {
  env = await startLocalEnvironment({ rbac: asBindings(rbacObjects({ targets: [], fromCluster: { namespaces: ['fleet'] } })) });
  const queueUrl = (await env.sqs.client.send(new CreateQueueCommand({ QueueName: 'fleet-work' }))).QueueUrl ?? '';
  await env.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [1, 2, 3].map((n) => ({ Id: String(n), MessageBody: `job ${n}` })) }));
  for (const name of NAMES) {
    env.kube.cluster.addDeployment({ namespace: 'fleet', name, replicas: 1 });
    env.kube.cluster.objects.applyScaledObject({
      metadata: { name, namespace: 'fleet' },
      spec: { scaleTargetRef: { name }, pollingInterval: 60, maxReplicaCount: 10, triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: queueUrl, queueLength: '1', awsRegion: env.region } }] },
    });
  }
  lambda = await startLambda({ deliveries: 2 });
  restoreEnv = env.applyEnv();
  // What the construct and Lambda set: shards of 2, and the function's own name.
  Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint, LPA_SHARD_SIZE: '2', AWS_LAMBDA_FUNCTION_NAME: FUNCTION, AWS_REGION: env.region });
  // The handler's log lines (several invocations at once share Powertools' logger here): not this test's subject.
  for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation(() => true);
  scaler = (await import('../../../functions/scaler/handler.js')).handler as unknown as Handler;
  lambda.register(FUNCTION, async (event) => void shardSummaries.push(await scaler(event, context(`shard-${(invocations += 1)}`))));
});

afterAll(async () => {
  vi.restoreAllMocks();
  for (const key of ['AWS_ENDPOINT_URL_LAMBDA', 'LPA_SHARD_SIZE', 'AWS_LAMBDA_FUNCTION_NAME']) delete process.env[key];
  restoreEnv();
  await lambda.close();
  await env.close();
});

describe('Handler: scaler fanning out a cluster source', () => {
  it('lists, sends shards of LPA_SHARD_SIZE to itself, and each object is scaled once though every shard arrives twice', async () => {
    // Act
    const lister = await scaler({ cluster: { name: env.clusterName, region: env.region }, source: { fromCluster: { namespaces: ['fleet'], tenants: { namespaces: { fleet: { awsResources: ['arn:aws:sqs:*:*:fleet-*'] } } } } } }, context('lister'));
    await lambda.drain();
    // Assess
    expect(lister.objects.map((o) => o.reason)).toEqual(['FannedOut']);
    expect(lambda.invocations.map((i) => i.functionName)).toEqual([FUNCTION, FUNCTION, FUNCTION]);
    const objects = shardSummaries.flatMap((s) => s.objects);
    expect(objects.filter((o) => o.outcome === 'scaled').map((o) => o.id).sort()).toEqual(NAMES.map((n) => `${env.clusterName}/fleet/${n}`));
    expect(objects.filter((o) => o.reason === 'ShardLeaseHeld')).toHaveLength(3);
    for (const name of NAMES) expect(env.kube.cluster.deployment('fleet', name).specReplicas).toBe(3);
    expect(env.kube.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'))).toHaveLength(NAMES.length);
  });
});
