/**
 * Pods that do work: each Ready replica of a simulated Deployment receives and deletes messages
 * from the local SQS queue at a fixed rate, so LPA's decisions feed back into the queue depth.
 * With `processingSeconds`, a received message stays in flight (ApproximateNumberOfMessagesNotVisible)
 * that long before it is deleted, as a real consumer holds it while working on it.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SimulatedCluster } from './kubeApi.js';

interface QueueWorkersOptions {
  readonly cluster: SimulatedCluster;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly namespace: string;
  readonly deployment: string;
  /** Messages one Ready replica takes per second. */
  readonly messagesPerReplicaPerSecond: number;
  /**
   * Seconds of work (calls to `work`) between receiving a message and deleting it; keep it under
   * the queue's visibility timeout (30 s by default). Default 0: deleted as soon as received.
   */
  readonly processingSeconds?: number;
}

interface QueueWorkers {
  /** Lets the Ready replicas work for `seconds`; resolves with the number of messages deleted meanwhile. */
  work(seconds: number): Promise<number>;
  /** Total deleted so far. */
  readonly deleted: number;
}

const createQueueWorkers = (options: QueueWorkersOptions): QueueWorkers => {
  const processing = options.processingSeconds ?? 0;
  let deleted = 0;
  // Fractions of a message carry over, so slow rates still make progress.
  let budget = 0;
  let clock = 0;
  // Received batches still being worked on, oldest first, with the work-second they are done.
  const held: { readonly doneAt: number; readonly handles: readonly string[] }[] = [];
  const deleteBatch = async (handles: readonly string[]): Promise<void> => {
    await options.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: handles.map((h, i) => ({ Id: String(i), ReceiptHandle: h })) }),
    );
    deleted += handles.length;
  };
  const receiveBatch = async (max: number): Promise<number> => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: Math.min(10, max), WaitTimeSeconds: 0 }),
    );
    const handles = (received.Messages ?? []).map((m) => m.ReceiptHandle ?? '');
    if (handles.length === 0) return 0;
    if (processing > 0) held.push({ doneAt: clock + processing, handles });
    else await deleteBatch(handles);
    return handles.length;
  };
  return {
    get deleted() {
      return deleted;
    },
    work: async (seconds) => {
      const before = deleted;
      clock += seconds;
      while ((held[0]?.doneAt ?? Infinity) <= clock) await deleteBatch(held.shift()?.handles ?? []);
      const ready = options.cluster.deployment(options.namespace, options.deployment).readyReplicas;
      budget += ready * options.messagesPerReplicaPerSecond * seconds;
      while (budget >= 1) {
        const got = await receiveBatch(Math.floor(budget));
        if (got === 0) {
          budget = 0; // an empty queue: idle workers do not bank capacity
          break;
        }
        budget -= got;
      }
      return deleted - before;
    },
  };
};

export { createQueueWorkers };
export type { QueueWorkers, QueueWorkersOptions };
