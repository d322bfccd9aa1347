/**
 * `aws-sqs-queue` (KEDA `aws_sqs_queue_scaler.go`): the metric is ApproximateNumberOfMessages,
 * plus ApproximateNumberOfMessagesNotVisible when `scaleOnInFlight` (default true), plus
 * ApproximateNumberOfMessagesDelayed when `scaleOnDelayed`; a missing attribute is an error.
 *
 * One GetQueueAttributes per queue and tick: triggers that read the same queue (same region,
 * endpoint and role) share the call, which asks for the union of the attributes they need.
 *
 * A bare queue name: KEDA passes it unchanged as `QueueUrl`. LPA asks `GetQueueUrl` once (in the
 * account of the credentials, as SQS resolves names) and keeps the URL for the life of the reader:
 * a queue's URL never changes, even when the queue is deleted and created again.
 */
import { BoundedMap } from '../boundedMap.js';
import type { GetQueueAttributesCommandOutput, QueueAttributeName } from '@aws-sdk/client-sqs';
import { loadSqs } from '../aws/sdk.js';
import type { MetricReading } from '../engine/types.js';
import type { SqsQueueTrigger } from '../spec/types.js';
import { MAX_CACHED_CLIENTS, awsTargetKey, awsTargetOf } from './awsClients.js';
import type { AwsClients, AwsTarget } from './awsClients.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from './concurrency.js';
import { TriggerReadError, describeError, failedReading } from './errors.js';
import type { TriggerReader, TriggerRequest } from './types.js';

interface QueueLengthFlags {
  readonly scaleOnInFlight: boolean;
  readonly scaleOnDelayed: boolean;
}

/** The attributes whose sum is the metric, in KEDA's order. */
const attributeNames = (flags: QueueLengthFlags): QueueAttributeName[] => [
  'ApproximateNumberOfMessages',
  ...(flags.scaleOnInFlight ? (['ApproximateNumberOfMessagesNotVisible'] as const) : []),
  ...(flags.scaleOnDelayed ? (['ApproximateNumberOfMessagesDelayed'] as const) : []),
];

/**
 * KEDA `processQueueLengthFromSqsQueueAttributesOutput`: the sum of the attributes the flags ask for.
 *
 * @example
 * queueLengthFromAttributes({ Attributes: { ApproximateNumberOfMessages: '5', ApproximateNumberOfMessagesNotVisible: '2' } },
 *   { scaleOnInFlight: true, scaleOnDelayed: false }); // 7
 */
const queueLengthFromAttributes = (output: Pick<GetQueueAttributesCommandOutput, 'Attributes'>, flags: QueueLengthFlags): number => {
  let total = 0;
  for (const name of attributeNames(flags)) {
    const text = output.Attributes?.[name];
    if (text === undefined) throw new TriggerReadError(`${name} is missing from the GetQueueAttributes response`);
    if (!/^\d+$/.test(text)) throw new TriggerReadError(`${name} is not a whole number: "${text}"`);
    total += Number(text);
  }
  return total;
};

interface SqsQueueReaderOptions {
  readonly clients: AwsClients;
  /** GetQueueAttributes calls in flight. Default 16. */
  readonly concurrency?: number;
}

/** The requests of one tick that read the same queue as the same principal. */
interface QueueGroup {
  readonly target: AwsTarget;
  /** `queueURL` as written: a URL or a bare name. */
  readonly queue: string;
  readonly indexes: number[];
}

/** What `url.ParseRequestURI` accepts in KEDA, i.e. not a bare queue name (the spec validated both forms). */
const isQueueUrl = (queue: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(queue) || queue.startsWith('/');

const createSqsQueueReader = ({ clients, concurrency = DEFAULT_CONCURRENCY }: SqsQueueReaderOptions): TriggerReader<SqsQueueTrigger> => {
  // Queue names come from the manifests events carry: bounded, like the clients (awsClients.ts).
  const resolvedUrls = new BoundedMap<string, string>(MAX_CACHED_CLIENTS);

  const queueUrl = async (group: QueueGroup, signal: AbortSignal | undefined): Promise<string> => {
    if (isQueueUrl(group.queue)) return group.queue;
    const key = `${awsTargetKey(group.target)}${group.queue}`;
    const known = resolvedUrls.get(key);
    if (known !== undefined) return known;
    let url: string | undefined;
    try {
      const [client, { GetQueueUrlCommand }] = await Promise.all([clients.sqs(group.target), loadSqs()]);
      url = (await client.send(new GetQueueUrlCommand({ QueueName: group.queue }), { abortSignal: signal })).QueueUrl;
    } catch (error) {
      throw new TriggerReadError(`GetQueueUrl for queue name "${group.queue}": ${describeError(error)}`, { cause: error });
    }
    if (url === undefined) throw new TriggerReadError(`GetQueueUrl for queue name "${group.queue}" returned no QueueUrl`);
    resolvedUrls.set(key, url);
    return url;
  };

  const fetchAttributes = async (group: QueueGroup, names: readonly QueueAttributeName[], signal: AbortSignal | undefined): Promise<GetQueueAttributesCommandOutput> => {
    const url = await queueUrl(group, signal);
    try {
      const [client, { GetQueueAttributesCommand }] = await Promise.all([clients.sqs(group.target), loadSqs()]);
      return await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }), { abortSignal: signal });
    } catch (error) {
      throw new TriggerReadError(`GetQueueAttributes on ${url}: ${describeError(error)}`, { cause: error });
    }
  };

  /** One call for the group; each member then sums the attributes its own flags ask for. */
  const readGroup = async (group: QueueGroup, requests: readonly TriggerRequest<SqsQueueTrigger>[], readings: MetricReading[], signal: AbortSignal | undefined) => {
    const members = group.indexes.map((index) => ({ index, request: requests[index] as TriggerRequest<SqsQueueTrigger> }));
    const names = new Set(members.flatMap(({ request }) => attributeNames(request.trigger.metadata)));
    let output: GetQueueAttributesCommandOutput;
    try {
      output = await fetchAttributes(group, [...names], signal);
    } catch (error) {
      for (const { index, request } of members) readings[index] = failedReading(request, describeError(error));
      return;
    }
    for (const { index, request } of members) {
      try {
        readings[index] = { value: queueLengthFromAttributes(output, request.trigger.metadata) };
      } catch (error) {
        readings[index] = failedReading(request, describeError(error));
      }
    }
  };

  return {
    type: 'aws-sqs-queue',
    async read(requests, _now, signal) {
      const readings = new Array<MetricReading>(requests.length);
      const groups = new Map<string, QueueGroup>();
      for (const [index, request] of requests.entries()) {
        const { queueURL } = request.trigger.metadata;
        const target = awsTargetOf(request);
        const key = `${awsTargetKey(target)}${queueURL}`;
        const group = groups.get(key) ?? { target, queue: queueURL, indexes: [] };
        group.indexes.push(index);
        groups.set(key, group);
      }
      await mapWithConcurrency([...groups.values()], concurrency, (group) => readGroup(group, requests, readings, signal));
      return readings;
    },
  };
};

export { createSqsQueueReader, queueLengthFromAttributes };
export type { QueueLengthFlags, SqsQueueReaderOptions };
