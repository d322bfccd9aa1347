import { describe, expect, it } from 'vitest';
import type { CloudWatchMetadata } from '../../../shared/spec/types.js';
import {
  buildMetricDataQuery,
  computeQueryWindow,
  planGetMetricDataCalls,
  valueFromResult,
} from '../../../shared/triggers/cloudwatchQuery.js';
import type { PlannedQueryInput } from '../../../shared/triggers/cloudwatchQuery.js';
import { cloudWatchTrigger } from './requests.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('Function: computeQueryWindow', () => {
  it.each([
    { comment: 'defaults: the last complete 5-minute bucket', now: '2024-05-01T10:07:42.123Z', period: 300, collection: 300, offset: 0, start: '2024-05-01T10:00:00.000Z', end: '2024-05-01T10:05:00.000Z' },
    { comment: 'on a boundary the end is now', now: '2024-05-01T10:05:00.000Z', period: 300, collection: 300, offset: 0, start: '2024-05-01T10:00:00.000Z', end: '2024-05-01T10:05:00.000Z' },
    { comment: 'a millisecond before a boundary', now: '2024-05-01T10:04:59.999Z', period: 300, collection: 300, offset: 0, start: '2024-05-01T09:55:00.000Z', end: '2024-05-01T10:00:00.000Z' },
    { comment: 'period 60, collection 300', now: '2024-05-01T10:07:42Z', period: 60, collection: 300, offset: 0, start: '2024-05-01T10:02:00.000Z', end: '2024-05-01T10:07:00.000Z' },
    { comment: 'period 60 with a 120 s offset', now: '2024-05-01T10:07:42Z', period: 60, collection: 60, offset: 120, start: '2024-05-01T10:04:00.000Z', end: '2024-05-01T10:05:00.000Z' },
    { comment: 'offset 30 crosses the 5-minute boundary', now: '2024-05-01T10:05:20Z', period: 300, collection: 600, offset: 30, start: '2024-05-01T09:50:00.000Z', end: '2024-05-01T10:00:00.000Z' },
    { comment: 'high resolution, period 1', now: '2024-05-01T10:07:42.900Z', period: 1, collection: 10, offset: 0, start: '2024-05-01T10:07:32.000Z', end: '2024-05-01T10:07:42.000Z' },
    { comment: 'high resolution, period 5', now: '2024-05-01T10:07:43Z', period: 5, collection: 5, offset: 0, start: '2024-05-01T10:07:35.000Z', end: '2024-05-01T10:07:40.000Z' },
    { comment: 'period 5 with offset 2', now: '2024-05-01T10:07:41Z', period: 5, collection: 15, offset: 2, start: '2024-05-01T10:07:20.000Z', end: '2024-05-01T10:07:35.000Z' },
    { comment: 'hourly period lands on the UTC hour', now: '2024-05-01T10:59:59Z', period: 3600, collection: 3600, offset: 0, start: '2024-05-01T09:00:00.000Z', end: '2024-05-01T10:00:00.000Z' },
    {
      comment: 'a period that does not divide a day counts from Go zero time, not the Unix epoch',
      now: '1970-01-01T00:00:00Z', period: 420, collection: 420, offset: 0, start: '1969-12-31T23:52:00.000Z', end: '1969-12-31T23:59:00.000Z',
    },
    { comment: 'collection 0 gives an empty window', now: '2024-05-01T10:07:42Z', period: 300, collection: 0, offset: 0, start: '2024-05-01T10:05:00.000Z', end: '2024-05-01T10:05:00.000Z' },
  ])('$comment', ({ now, period, collection, offset, start, end }) => {
    // Act
    const window = computeQueryWindow(at(now), { metricStatPeriod: period, metricCollectionTime: collection, metricEndTimeOffset: offset });

    // Assess
    expect({ start: iso(window.startTime), end: iso(window.endTime) }).toEqual({ start, end });
  });
});

describe('Function: buildMetricDataQuery', () => {
  const metadata = (overrides: Partial<CloudWatchMetadata>): CloudWatchMetadata => cloudWatchTrigger(overrides).metadata;

  it('builds a MetricStat with the ;-lists paired into dimensions', () => {
    const query = buildMetricDataQuery(
      metadata({ dimensionName: ['QueueName', 'Env'], dimensionValue: ['orders', 'prod'], metricStat: 'p95', metricStatPeriod: 60, metricUnit: 'Seconds' }),
    );

    expect(query).toEqual({
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: 'orders' }, { Name: 'Env', Value: 'prod' }],
        },
        Period: 60,
        Stat: 'p95',
        Unit: 'Seconds',
      },
      ReturnData: true,
      AccountId: undefined,
    });
  });

  it('builds an Expression query with the period and no MetricStat', () => {
    const expression = 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)';

    const query = buildMetricDataQuery(metadata({ expression, metricStatPeriod: 60 }));

    expect(query).toEqual({ Expression: expression, Period: 60, ReturnData: true, AccountId: undefined });
  });

  it.each([
    { comment: 'MetricStat', overrides: {} },
    { comment: 'Expression', overrides: { expression: 'SEARCH(\'{AWS/SQS,QueueName} orders\', \'Sum\', 60)' } },
  ])('sets AccountId on a $comment query when awsAccountId is set', ({ overrides }) => {
    const query = buildMetricDataQuery(metadata({ ...overrides, awsAccountId: '123456789012' }));

    expect(query.AccountId).toBe('123456789012');
  });

  it('leaves Unit unset when metricUnit is not given', () => {
    const query = buildMetricDataQuery(metadata({}));

    expect(query.MetricStat?.Unit).toBeUndefined();
  });
});

describe('Function: planGetMetricDataCalls', () => {
  const window = { startTime: at('2024-05-01T10:00:00Z'), endTime: at('2024-05-01T10:05:00Z') };
  const target = { region: 'eu-west-1' };
  const metricInput = (i: number, overrides: Partial<PlannedQueryInput> = {}): PlannedQueryInput => ({
    target,
    window,
    query: buildMetricDataQuery(cloudWatchTrigger({ dimensionValue: [`queue-${i}`] }).metadata),
    ...overrides,
  });

  it('packs 1,200 distinct queries into calls of 500, 500 and 200', () => {
    const inputs = Array.from({ length: 1200 }, (_, i) => metricInput(i));

    const calls = planGetMetricDataCalls(inputs);

    expect(calls.map((call) => call.queries.length)).toEqual([500, 500, 200]);
  });

  it('gives the queries of a call unique Ids q0…q499', () => {
    const inputs = Array.from({ length: 500 }, (_, i) => metricInput(i));

    const [call] = planGetMetricDataCalls(inputs);

    const ids = call?.queries.map((query) => query.Id);
    expect(ids?.[0]).toBe('q0');
    expect(ids?.[499]).toBe('q499');
    expect(new Set(ids).size).toBe(500);
  });

  it('maps every input back to exactly one Id', () => {
    const inputs = Array.from({ length: 700 }, (_, i) => metricInput(i));

    const calls = planGetMetricDataCalls(inputs);

    const answered = calls.flatMap((call) => [...call.inputsById.values()].flat()).sort((a, b) => a - b);
    expect(answered).toEqual(inputs.map((_, i) => i));
  });

  it('asks an identical query once and answers all its inputs with it', () => {
    const inputs = [metricInput(1), metricInput(1), metricInput(2)];

    const calls = planGetMetricDataCalls(inputs);

    expect(calls).toHaveLength(1);
    expect(calls[0]?.queries).toHaveLength(2);
    expect(calls[0]?.inputsById.get('q0')).toEqual([0, 1]);
  });

  it.each([
    { comment: 'region', overrides: { target: { region: 'us-east-1' } } },
    { comment: 'endpoint', overrides: { target: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' } } },
    { comment: 'role', overrides: { target: { region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/reader' } } },
    { comment: 'window', overrides: { window: { startTime: window.startTime - 60_000, endTime: window.endTime } } },
  ])('puts a query with another $comment into its own call', ({ overrides }) => {
    const inputs = [metricInput(1), metricInput(2, overrides)];

    const calls = planGetMetricDataCalls(inputs);

    expect(calls.map((call) => call.queries.length)).toEqual([1, 1]);
  });

  it('allows one Metrics Insights query per call and fills those calls with ordinary queries', () => {
    const insights = (i: number): PlannedQueryInput => ({
      target,
      window,
      query: { Expression: `SELECT MAX(ApproximateAgeOfOldestMessage) FROM "AWS/SQS" WHERE QueueName = 'q${i}'`, Period: 300, ReturnData: true },
    });
    const inputs = [insights(1), insights(2), ...Array.from({ length: 600 }, (_, i) => metricInput(i))];

    const calls = planGetMetricDataCalls(inputs);

    const insightsPerCall = calls.map((call) => call.queries.filter((query) => query.Expression?.startsWith('SELECT')).length);
    expect(insightsPerCall).toEqual([1, 1]);
    expect(calls.map((call) => call.queries.length)).toEqual([500, 102]);
  });
});

describe('Function: valueFromResult', () => {
  const settings = { ignoreNullValues: true, minMetricValue: 2 };

  it.each([
    { comment: 'the newest datapoint (Values[0])', result: { Id: 'q0', Values: [7, 3, 1], StatusCode: 'Complete' as const }, options: settings, expected: { value: 7 } },
    { comment: 'minMetricValue for empty values with ignoreNullValues', result: { Id: 'q0', Values: [], StatusCode: 'Complete' as const }, options: settings, expected: { value: 2 } },
    {
      comment: "KEDA's error for empty values without ignoreNullValues",
      result: { Id: 'q0', Values: [], StatusCode: 'Complete' as const },
      options: { ...settings, ignoreNullValues: false },
      expected: { error: 'empty metric data received, ignoreNullValues is false, returning error' },
    },
    { comment: 'minMetricValue when the result is missing (KEDA: zero results)', result: undefined, options: { ...settings, ignoreNullValues: false }, expected: { value: 2 } },
    { comment: 'the newest datapoint of partial data', result: { Id: 'q0', Values: [4], StatusCode: 'PartialData' as const }, options: settings, expected: { value: 4 } },
    {
      comment: 'an error for a Forbidden status, with its messages',
      result: { Id: 'q0', Values: [], StatusCode: 'Forbidden' as const, Messages: [{ Code: 'AccessDenied', Value: 'not shared with this account' }] },
      options: settings,
      expected: { error: 'StatusCode Forbidden: AccessDenied: not shared with this account' },
    },
    { comment: 'an error for an InternalError status', result: { Id: 'q0', Values: [], StatusCode: 'InternalError' as const }, options: settings, expected: { error: 'StatusCode InternalError' } },
    {
      comment: 'an error for no datapoints that come with messages',
      result: { Id: 'q0', Values: [], StatusCode: 'Complete' as const, Messages: [{ Code: 'ArithmeticError', Value: 'division by zero' }] },
      options: settings,
      expected: { error: 'no datapoints: ArithmeticError: division by zero' },
    },
    { comment: 'a value of 0 is a value, not empty', result: { Id: 'q0', Values: [0], StatusCode: 'Complete' as const }, options: { ...settings, ignoreNullValues: false }, expected: { value: 0 } },
  ])('returns $comment', ({ result, options, expected }) => {
    expect(valueFromResult(result, options)).toEqual(expected);
  });
});
