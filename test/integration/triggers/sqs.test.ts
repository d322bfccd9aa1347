/**
 * aws-sqs-queue over real HTTP: the reader's SDK client against the local SQS (local-aws-sqs behind
 * the proxy that fixes its visible count), reached through the trigger's `awsEndpoint`.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSqs } from '../../../dev/local/sqs.js';
import type { LocalSqs } from '../../../dev/local/sqs.js';
import type { SqsQueueTrigger } from '../../../shared/spec/types.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import type { AwsClients } from '../../../shared/triggers/awsClients.js';
import { createSqsQueueReader } from '../../../shared/triggers/awsSqsQueue.js';
import type { TriggerReader } from '../../../shared/triggers/types.js';
import { requestsFor, sqsTrigger } from '../../unit/triggers/requests.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const TEST_CREDENTIALS = { accessKeyId: 'AKIDTRIGGERTEST', secretAccessKey: 'trigger-test-secret' };

let sqs: LocalSqs;
let clients: AwsClients;
let reader: TriggerReader<SqsQueueTrigger>;
/** Visible 5, in flight 2, delayed 1. */
let busyQueueUrl: string;

const createQueue = async (name: string): Promise<string> => {
  const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: name }));
  return QueueUrl as string;
};

const trigger = (metadata: Partial<SqsQueueTrigger['metadata']>, index = 0) =>
  sqsTrigger({ queueURL: busyQueueUrl, awsEndpoint: sqs.endpoint, awsRegion: sqs.region, ...metadata }, index);

beforeAll(async () => {
  sqs = await startSqs();
  clients = createAwsClients({ credentials: TEST_CREDENTIALS });
  reader = createSqsQueueReader({ clients });
  busyQueueUrl = await createQueue('busy');
  for (let i = 0; i < 7; i += 1) await sqs.client.send(new SendMessageCommand({ QueueUrl: busyQueueUrl, MessageBody: `m${i}` }));
  await sqs.client.send(new SendMessageCommand({ QueueUrl: busyQueueUrl, MessageBody: 'later', DelaySeconds: 900 }));
  const { Messages } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: busyQueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 900 }));
  expect(Messages).toHaveLength(2);
});

afterAll(async () => {
  clients.destroy();
  await sqs.close();
});

describe('Local SQS (dev/local/sqs.ts)', () => {
  it('reports visible messages without the in-flight ones, as real SQS does', async () => {
    const { Attributes } = await sqs.client.send(
      new GetQueueAttributesCommand({ QueueUrl: busyQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );

    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '5', ApproximateNumberOfMessagesNotVisible: '2', ApproximateNumberOfMessagesDelayed: '1' });
  });

  it('answers only the attributes asked for', async () => {
    const { Attributes } = await sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: busyQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));

    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '5' });
  });

  it('hands out queue URLs that point at the proxy', () => {
    expect(busyQueueUrl).toBe(`${sqs.endpoint}/${sqs.accountId}/busy`);
  });
});

describe('Reader: aws-sqs-queue', () => {
  it.each([
    { comment: 'visible + in-flight by default', flags: {}, expected: 7 },
    { comment: 'visible only without scaleOnInFlight', flags: { scaleOnInFlight: false }, expected: 5 },
    { comment: 'visible + in-flight + delayed with scaleOnDelayed', flags: { scaleOnDelayed: true }, expected: 8 },
  ])('reads $comment', async ({ flags, expected }) => {
    const readings = await reader.read(requestsFor('worker', [trigger(flags)]), NOW);

    expect(readings).toEqual([{ value: expected }]);
  });

  it('asks once for triggers that read the same queue, each summing its own attributes', async () => {
    // Prepare
    const before = sqs.count('GetQueueAttributes');
    const requests = [
      ...requestsFor('a', [trigger({})]),
      ...requestsFor('b', [trigger({ scaleOnInFlight: false })]),
      ...requestsFor('c', [trigger({ scaleOnDelayed: true })]),
    ];

    // Act
    const readings = await reader.read(requests, NOW);

    // Assess
    expect(readings).toEqual([{ value: 7 }, { value: 5 }, { value: 8 }]);
    expect(sqs.count('GetQueueAttributes') - before).toBe(1);
  });

  it('asks once per distinct queue', async () => {
    const emptyUrl = await createQueue('empty');
    const before = sqs.count('GetQueueAttributes');
    const requests = requestsFor('a', [trigger({}, 0), trigger({ queueURL: emptyUrl }, 1), trigger({}, 2)]);

    const readings = await reader.read(requests, NOW);

    expect(readings).toEqual([{ value: 7 }, { value: 0 }, { value: 7 }]);
    expect(sqs.count('GetQueueAttributes') - before).toBe(2);
  });

  it('resolves a bare queue name with GetQueueUrl once, across ticks', async () => {
    const before = sqs.count('GetQueueUrl');
    const named = createSqsQueueReader({ clients });

    const first = await named.read(requestsFor('a', [trigger({ queueURL: 'busy' })]), NOW);
    const second = await named.read(requestsFor('a', [trigger({ queueURL: 'busy' })]), NOW + 60_000);

    expect([first, second]).toEqual([[{ value: 7 }], [{ value: 7 }]]);
    expect(sqs.count('GetQueueUrl') - before).toBe(1);
  });

  it('names the object, the trigger, the call and the queue when the queue does not exist', async () => {
    const missing = `${sqs.endpoint}/${sqs.accountId}/missing`;

    const [reading] = await reader.read(requestsFor('orders', [trigger({ queueURL: missing }, 3)]), NOW);

    expect(reading).toEqual({ error: expect.stringMatching(new RegExp(`^shop/orders spec\\.triggers\\[3\\]: GetQueueAttributes on ${missing}: \\S+`)) });
  });

  it('names GetQueueUrl and the queue name when a bare name does not resolve', async () => {
    const [reading] = await reader.read(requestsFor('orders', [trigger({ queueURL: 'nowhere' })]), NOW);

    expect(reading).toEqual({ error: expect.stringMatching(/^shop\/orders spec\.triggers\[0\]: GetQueueUrl for queue name "nowhere": \S+/) });
  });

  it('fails only the triggers of an unreachable endpoint', async () => {
    const requests = requestsFor('a', [trigger({ awsEndpoint: 'http://127.0.0.1:1' }, 0), trigger({}, 1)]);

    const readings = await reader.read(requests, NOW);

    expect(readings[0]).toEqual({ error: expect.stringContaining('shop/a spec.triggers[0]: GetQueueAttributes on') });
    expect(readings[1]).toEqual({ value: 7 });
  });

  it('never puts the credentials in an error', async () => {
    const [reading] = await reader.read(requestsFor('a', [trigger({ queueURL: 'nowhere' })]), NOW);

    expect(JSON.stringify(reading)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  it('calls the endpoint from AWS_ENDPOINT_URL_SQS when the trigger has none, whatever host the queue URL names', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqs.endpoint);
    const envClients = createAwsClients({ credentials: TEST_CREDENTIALS });
    const awsLooking = `https://sqs.${sqs.region}.amazonaws.com/${sqs.accountId}/busy`;
    try {
      // Act
      const readings = await createSqsQueueReader({ clients: envClients }).read(requestsFor('a', [trigger({ queueURL: awsLooking, awsEndpoint: undefined })]), NOW);

      // Assess
      expect(readings).toEqual([{ value: 7 }]);
    } finally {
      envClients.destroy();
      vi.unstubAllEnvs();
    }
  });
});
