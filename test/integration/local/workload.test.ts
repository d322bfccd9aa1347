/** The demo's pods against the local SQS: what they hold in flight is what SQS reports as NotVisible. */
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../../dev/local/kube/cluster.js';
import { startSqs } from '../../../dev/local/sqs.js';
import type { LocalSqs } from '../../../dev/local/sqs.js';
import { createQueueWorkers } from '../../../dev/local/workload.js';

let sqs: LocalSqs;
beforeAll(async () => {
  sqs = await startSqs();
});
afterAll(async () => sqs.close());

/** A queue holding `messages`, and a Deployment of `replicas` Ready pods. */
const setup = async (name: string, messages: number, replicas: number) => {
  const queueUrl = (await sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  for (let i = 0; i < messages; i += 10) {
    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: String(k), MessageBody: `m${i + k}` })) }));
  }
  const cluster = new SimulatedCluster(() => 0);
  cluster.addDeployment({ namespace: 'shop', name, replicas });
  const counts = async () => {
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
  };
  return { queueUrl, cluster, counts };
};

describe('Function: createQueueWorkers', () => {
  it('holds each message in flight for processingSeconds of work, then deletes it', async () => {
    // Prepare: 2 pods × 2 msg/s, 3 s per message.
    const { queueUrl, cluster, counts } = await setup('held', 40, 2);
    const workers = createQueueWorkers({ cluster, sqs: sqs.client, queueUrl, namespace: 'shop', deployment: 'held', messagesPerReplicaPerSecond: 2, processingSeconds: 3 });

    // Act / Assess: after 3 s the pods hold rate × processing = 2 × 2 × 3 messages, none done yet;
    // in the 4th second the first ones are done and deleted, and as many new ones received.
    expect(await workers.work(1)).toBe(0);
    expect(await counts()).toEqual({ visible: 36, inFlight: 4 });
    expect(await workers.work(2)).toBe(0);
    expect(await counts()).toEqual({ visible: 28, inFlight: 12 });
    expect(await workers.work(1)).toBe(4);
    expect(await counts()).toEqual({ visible: 24, inFlight: 12 });
    expect(workers.deleted).toBe(4);
  });

  it('deletes at once without processingSeconds', async () => {
    // Prepare
    const { queueUrl, cluster, counts } = await setup('at-once', 10, 1);
    const workers = createQueueWorkers({ cluster, sqs: sqs.client, queueUrl, namespace: 'shop', deployment: 'at-once', messagesPerReplicaPerSecond: 5 });

    // Act
    const done = await workers.work(1);

    // Assess
    expect(done).toBe(5);
    expect(await counts()).toEqual({ visible: 5, inFlight: 0 });
  });
});
