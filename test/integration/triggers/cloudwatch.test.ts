/**
 * aws-cloudwatch over real HTTP: the reader's SDK client against the local GetMetricData server,
 * reached through the trigger's `awsEndpoint`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCloudWatch } from '../../../dev/local/cloudwatch.js';
import type { LocalCloudWatch } from '../../../dev/local/cloudwatch.js';
import type { CloudWatchMetadata, CloudWatchTrigger } from '../../../shared/spec/types.js';
import { createCloudWatchReader } from '../../../shared/triggers/awsCloudwatch.js';
import type { GetMetricDataCallInfo } from '../../../shared/triggers/awsCloudwatch.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import type { AwsClients } from '../../../shared/triggers/awsClients.js';
import type { TriggerRequest } from '../../../shared/triggers/types.js';
import { cloudWatchTrigger, requestsFor } from '../../unit/triggers/requests.js';

const NOW = Date.parse('2024-05-01T10:07:42Z');
const TEST_CREDENTIALS = { accessKeyId: 'AKIDTRIGGERTEST', secretAccessKey: 'trigger-test-secret' };

let cloudwatch: LocalCloudWatch;
let paging: LocalCloudWatch;
let clients: AwsClients;

const trigger = (server: LocalCloudWatch, metadata: Partial<CloudWatchMetadata>, index = 0): CloudWatchTrigger =>
  cloudWatchTrigger({ awsEndpoint: server.endpoint, ...metadata }, index);

const metric = (queue: string) => ({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: queue } });

beforeAll(async () => {
  cloudwatch = await startCloudWatch();
  paging = await startCloudWatch({ maxDatapointsPerPage: 3 });
  clients = createAwsClients({ credentials: TEST_CREDENTIALS });
});

beforeEach(() => {
  cloudwatch.reset();
  paging.reset();
});

afterAll(async () => {
  clients.destroy();
  await Promise.all([cloudwatch.close(), paging.close()]);
});

describe('Reader: aws-cloudwatch batching', () => {
  /** 30 ScaledObjects × 40 triggers, each on its own queue, whose age is 1000·object + trigger. */
  const fleet = (): TriggerRequest<CloudWatchTrigger>[] =>
    Array.from({ length: 30 }, (_, o) =>
      requestsFor(
        `worker-${o}`,
        Array.from({ length: 40 }, (_, t) => trigger(cloudwatch, { dimensionValue: [`q-${o}-${t}`] }, t)),
      ),
    ).flat();

  it('reads 1,200 triggers across 30 objects with exactly 3 GetMetricData calls', async () => {
    // Prepare
    for (let o = 0; o < 30; o += 1) for (let t = 0; t < 40; t += 1) cloudwatch.setData(metric(`q-${o}-${t}`), [1000 * o + t]);
    const hooked: GetMetricDataCallInfo[] = [];
    const reader = createCloudWatchReader({ clients, onGetMetricData: (call) => hooked.push(call) });

    // Act
    const readings = await reader.read(fleet(), NOW);

    // Assess
    expect(cloudwatch.calls.map((call) => call.queries.length)).toEqual([500, 500, 200]);
    expect(hooked).toHaveLength(3);
    expect(readings).toEqual(fleet().map((r) => ({ value: 1000 * Number(r.scaledObject.metadata.name.slice(7)) + r.trigger.index })));
  });

  it('sends the KEDA query window, ScanBy TimestampDescending and the MetricStat of each trigger', async () => {
    const reader = createCloudWatchReader({ clients });
    const requests = requestsFor('a', [trigger(cloudwatch, { metricStat: 'Maximum', metricStatPeriod: 60, metricCollectionTime: 120, metricUnit: 'Seconds' })]);

    await reader.read(requests, NOW);

    const [call] = cloudwatch.calls;
    expect(call).toMatchObject({ startTime: Date.parse('2024-05-01T10:05:00Z') / 1000, endTime: Date.parse('2024-05-01T10:07:00Z') / 1000, scanBy: 'TimestampDescending' });
    expect(call?.queries).toEqual([
      {
        Id: 'q0',
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: 'orders' }] },
          Period: 60,
          Stat: 'Maximum',
          Unit: 'Seconds',
        },
        ReturnData: true,
      },
    ]);
  });

  it('makes one call per distinct query window', async () => {
    const reader = createCloudWatchReader({ clients });
    const requests = requestsFor('a', [trigger(cloudwatch, {}, 0), trigger(cloudwatch, { metricEndTimeOffset: 300 }, 1), trigger(cloudwatch, { dimensionValue: ['other'] }, 2)]);

    await reader.read(requests, NOW);

    expect(cloudwatch.calls.map((call) => call.queries.length).sort()).toEqual([1, 2]);
  });

  it('calls the endpoint from AWS_ENDPOINT_URL_CLOUDWATCH when the trigger has none', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH', cloudwatch.endpoint);
    const envClients = createAwsClients({ credentials: TEST_CREDENTIALS });
    cloudwatch.setData(metric('orders'), [3]);
    try {
      // Act
      const readings = await createCloudWatchReader({ clients: envClients }).read(requestsFor('a', [cloudWatchTrigger({})]), NOW);

      // Assess
      expect(readings).toEqual([{ value: 3 }]);
    } finally {
      envClients.destroy();
      vi.unstubAllEnvs();
    }
  });

  it('reads an expression query', async () => {
    const expression = "SEARCH('{AWS/SQS,QueueName} MetricName=\"NumberOfMessagesSent\"', 'Sum', 300)";
    cloudwatch.setData({ expression }, [12, 3]);
    const reader = createCloudWatchReader({ clients });

    const readings = await reader.read(requestsFor('a', [trigger(cloudwatch, { expression })]), NOW);

    expect(readings).toEqual([{ value: 12 }]);
  });
});

describe('Reader: aws-cloudwatch results', () => {
  it('fails only the trigger whose query failed', async () => {
    // Prepare
    cloudwatch.setData(metric('a'), [4]);
    cloudwatch.failQuery(metric('b'), { statusCode: 'Forbidden', messages: [{ Code: 'AccessDenied', Value: 'metric not shared' }] });
    cloudwatch.setData(metric('c'), [6]);
    const reader = createCloudWatchReader({ clients });
    const requests = requestsFor('mixed', ['a', 'b', 'c'].map((queue, i) => trigger(cloudwatch, { dimensionValue: [queue] }, i)));

    // Act
    const readings = await reader.read(requests, NOW);

    // Assess
    expect(readings).toEqual([
      { value: 4 },
      { error: 'shop/mixed spec.triggers[1]: GetMetricData AWS/SQS ApproximateAgeOfOldestMessage: StatusCode Forbidden: AccessDenied: metric not shared' },
      { value: 6 },
    ]);
    expect(cloudwatch.calls).toHaveLength(1);
  });

  it('fails every trigger of a call that fails, and gives none of them a value', async () => {
    cloudwatch.setData(metric('a'), [4]);
    // A non-retryable failure: the SDK would retry Throttling with backoff (real sleeping).
    cloudwatch.failNextCalls({ code: 'AccessDenied', message: 'not authorized to perform: cloudwatch:GetMetricData', status: 403 });
    const reader = createCloudWatchReader({ clients });
    const requests = [...requestsFor('one', [trigger(cloudwatch, { dimensionValue: ['a'] })]), ...requestsFor('two', [trigger(cloudwatch, { dimensionValue: ['b'] })])];

    const readings = await reader.read(requests, NOW);

    expect(readings).toEqual([
      { error: 'shop/one spec.triggers[0]: GetMetricData in eu-west-1 (2 queries): AccessDenied: not authorized to perform: cloudwatch:GetMetricData' },
      { error: 'shop/two spec.triggers[0]: GetMetricData in eu-west-1 (2 queries): AccessDenied: not authorized to perform: cloudwatch:GetMetricData' },
    ]);
  });

  it.each([
    { comment: 'minMetricValue with ignoreNullValues true', ignoreNullValues: true, expected: { value: 1.5 } },
    {
      comment: "KEDA's error with ignoreNullValues false",
      ignoreNullValues: false,
      expected: { error: 'shop/a spec.triggers[0]: GetMetricData AWS/SQS ApproximateAgeOfOldestMessage: empty metric data received, ignoreNullValues is false, returning error' },
    },
  ])('reads a metric without datapoints as $comment', async ({ ignoreNullValues, expected }) => {
    const reader = createCloudWatchReader({ clients });

    const readings = await reader.read(requestsFor('a', [trigger(cloudwatch, { ignoreNullValues, minMetricValue: 1.5 })]), NOW);

    expect(readings).toEqual([expected]);
  });

  it('does not call CloudWatch for a trigger whose window is empty', async () => {
    const reader = createCloudWatchReader({ clients });

    const readings = await reader.read(requestsFor('a', [trigger(cloudwatch, { metricCollectionTime: 0 })]), NOW);

    expect(readings).toEqual([{ error: expect.stringContaining('shop/a spec.triggers[0]: metricCollectionTime is 0') }]);
    expect(cloudwatch.calls).toHaveLength(0);
  });

  it('follows NextToken until every query has its newest datapoint', async () => {
    // Prepare: 3 datapoints per page; 'a' fills the first page, 'b' starts on the second.
    paging.setData(metric('a'), [9, 8, 7]);
    paging.setData(metric('b'), [5, 4]);
    const hooked: GetMetricDataCallInfo[] = [];
    const reader = createCloudWatchReader({ clients, onGetMetricData: (call) => hooked.push(call) });
    const requests = requestsFor('a', [trigger(paging, { dimensionValue: ['a'] }, 0), trigger(paging, { dimensionValue: ['b'] }, 1)]);

    // Act
    const readings = await reader.read(requests, NOW);

    // Assess
    expect(readings).toEqual([{ value: 9 }, { value: 5 }]);
    expect(paging.calls.map((call) => call.nextToken)).toEqual([undefined, '3']);
    expect(hooked.map((call) => call.page)).toEqual([0, 1]);
  });
});
