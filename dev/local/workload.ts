/**
 * Pods that do work: each Ready replica of a simulated Deployment receives and deletes messages
 * from the local SQS queue at a fixed rate, so LPA's decisions feed back into the queue depth.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SimulatedCluster } from './kubeApi.js';

interface QueueWorkersOptions {
  readonly cluster: SimulatedCluster;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly namespace: string;
  readonly deployment: string;
  /** Messages one Ready replica finishes per second. */
  readonly messagesPerReplicaPerSecond: number;
}

interface QueueWorkers {
  /** Lets the Ready replicas work for `seconds`; resolves with the number of messages deleted. */
  work(seconds: number): Promise<number>;
  /** Total deleted so far. */
  readonly deleted: number;
}

const createQueueWorkers = (options: QueueWorkersOptions): QueueWorkers => {
  let deleted = 0;
  // Fractions of a message carry over, so slow rates still make progress.
  let budget = 0;
  const receiveBatch = async (max: number): Promise<number> => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: Math.min(10, max), WaitTimeSeconds: 0 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return 0;
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
    return messages.length;
  };
  return {
    get deleted() {
      return deleted;
    },
    work: async (seconds) => {
      const ready = options.cluster.deployment(options.namespace, options.deployment).readyReplicas;
      budget += ready * options.messagesPerReplicaPerSecond * seconds;
      let done = 0;
      while (budget >= 1) {
        const got = await receiveBatch(Math.floor(budget));
        if (got === 0) {
          budget = 0; // an empty queue: idle workers do not bank capacity
          break;
        }
        budget -= got;
        done += got;
      }
      deleted += done;
      return done;
    },
  };
};

export { createQueueWorkers };
export type { QueueWorkers, QueueWorkersOptions };
