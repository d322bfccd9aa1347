import { afterAll, describe, expect, it } from 'vitest';
import type { MetricReading } from '../../../shared/engine/types.js';
import { SUPPORTED_TRIGGER_TYPES } from '../../../shared/spec/index.js';
import type { Trigger } from '../../../shared/spec/types.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import { triggerLabel } from '../../../shared/triggers/errors.js';
import { createTriggerRegistry, readTriggers } from '../../../shared/triggers/registry.js';
import type { TriggerReader, TriggerRegistry, TriggerRequest } from '../../../shared/triggers/types.js';
import { cloudWatchTrigger, cronTrigger, requestsFor, sqsTrigger } from './requests.js';

/** A recording reader for every supported type. */
const recordingRegistry = (batches: TriggerRequest[][]): TriggerRegistry =>
  Object.fromEntries(SUPPORTED_TRIGGER_TYPES.map((type) => [type, recordingReader(type, batches)])) as unknown as TriggerRegistry;

const NOW = Date.parse('2024-05-01T12:00:00Z');

/** A reader that answers `<type>#<trigger index>` as the value's label and records its batches. */
const recordingReader = <T extends Trigger>(type: T['type'], batches: TriggerRequest[][], answer?: (requests: readonly TriggerRequest<T>[]) => Promise<MetricReading[]>): TriggerReader<T> => ({
  type,
  read: (requests) => {
    batches.push([...requests]);
    return answer?.(requests) ?? Promise.resolve(requests.map((request) => ({ value: request.trigger.index })));
  },
});

const mixedRequests = (): TriggerRequest[] => [
  ...requestsFor('a', [cronTrigger({}, 0), sqsTrigger({ queueURL: 'orders' }, 1), cloudWatchTrigger({}, 2)]),
  ...requestsFor('b', [sqsTrigger({ queueURL: 'payments' }, 0), cronTrigger({}, 1)]),
];

describe('Function: createTriggerRegistry', () => {
  const clients = createAwsClients();
  afterAll(() => clients.destroy());

  it('has one reader per supported trigger type, in sorted order', () => {
    const registry = createTriggerRegistry({ clients });

    expect(Object.keys(registry)).toEqual([...SUPPORTED_TRIGGER_TYPES]);
  });

  it('files each reader under its own type', () => {
    const registry = createTriggerRegistry({ clients });

    expect(Object.entries(registry).every(([type, reader]) => reader.type === type)).toBe(true);
  });
});

describe('Function: readTriggers', () => {
  it('returns one reading per request, in request order', async () => {
    // Prepare
    const batches: TriggerRequest[][] = [];
    const registry = recordingRegistry(batches);

    // Act
    const readings = await readTriggers(registry, mixedRequests(), NOW);

    // Assess
    expect(readings).toEqual([{ value: 0 }, { value: 1 }, { value: 2 }, { value: 0 }, { value: 1 }]);
  });

  it('gives each reader all requests of its type across ScaledObjects in one batch', async () => {
    const batches: TriggerRequest[][] = [];
    const registry = recordingRegistry(batches);

    await readTriggers(registry, mixedRequests(), NOW);

    const shapes = batches.map((batch) => batch.map((r) => `${r.scaledObject.metadata.name}:${r.trigger.type}`)).sort();
    expect(shapes).toEqual([['a:aws-cloudwatch'], ['a:aws-sqs-queue', 'b:aws-sqs-queue'], ['a:cron', 'b:cron']]);
  });

  it('turns a reader that rejects into errors for its own requests only', async () => {
    const batches: TriggerRequest[][] = [];
    const registry: TriggerRegistry = {
      ...recordingRegistry(batches),
      'aws-sqs-queue': recordingReader('aws-sqs-queue', batches, () => Promise.reject(new Error('socket hang up'))),
    };

    const readings = await readTriggers(registry, mixedRequests(), NOW);

    expect(readings).toEqual([
      { value: 0 },
      { error: 'shop/a spec.triggers[1]: the aws-sqs-queue reader failed: Error: socket hang up' },
      { value: 2 },
      { error: 'shop/b spec.triggers[0]: the aws-sqs-queue reader failed: Error: socket hang up' },
      { value: 1 },
    ]);
  });

  it('turns a reader that returns too few readings into errors', async () => {
    const batches: TriggerRequest[][] = [];
    const registry: TriggerRegistry = { ...recordingRegistry(batches), cron: recordingReader('cron', batches, () => Promise.resolve([{ value: 1 }])) };

    const readings = await readTriggers(registry, mixedRequests(), NOW);

    expect(readings[0]).toEqual({ error: 'shop/a spec.triggers[0]: the cron reader returned 1 readings for 2 triggers' });
  });

  it('reads an empty tick without calling any reader', async () => {
    const batches: TriggerRequest[][] = [];
    const registry = recordingRegistry(batches);

    const readings = await readTriggers(registry, [], NOW);

    expect({ readings, batches }).toEqual({ readings: [], batches: [] });
  });
});

describe('Function: triggerLabel', () => {
  it.each([
    { comment: 'an unnamed trigger by index', name: undefined, expected: 'shop/orders spec.triggers[2]' },
    { comment: 'a named trigger with its name', name: 'queue', expected: 'shop/orders spec.triggers[2] "queue"' },
  ])('names $comment', ({ name, expected }) => {
    const [request] = requestsFor('orders', [cronTrigger({}, 2, name)]);

    expect(triggerLabel(request as TriggerRequest)).toBe(expected);
  });
});
