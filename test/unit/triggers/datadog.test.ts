/**
 * KEDA's `datadog_scaler_test.go` tables, transcribed (rows named after their Go comments and
 * index): TestDatadogScalerAPIAuthParams (metadata through `lpa validate`'s parser, authParams
 * through the reader's lookup: a row passes only when both accept it), TestDatadogScalerParseQueries,
 * TestDatadogMetadataValidateUseFiller (API rows), and the query result rules.
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import type { DatadogMetadata, DatadogTrigger } from '../../../shared/spec/types.js';
import { createDatadogReader, valueOfSeries } from '../../../shared/triggers/datadog.js';

const Q = 'sum:trace.redis.command.hits{env:none,service:redis}.as_count()';
const KEYS = { apiKey: 'apiKey', appKey: 'appKey', datadogSite: 'datadogSite' };

/** Parses a ScaledObject with this trigger; then, as the reader does, resolves keys and site (no call is made). */
const parseDatadog = (metadata: Record<string, string>, authParams: Record<string, string>, metricType?: string) => {
  const parsed = parseScaledObject({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'dd', namespace: 'shop' },
    spec: {
      scaleTargetRef: { name: 'dd' },
      triggers: [{ type: 'datadog', metadata, ...(metricType === undefined ? {} : { metricType }), ...(Object.keys(authParams).length > 0 ? { authenticationRef: { name: 'dd-auth' } } : {}) }],
    },
  });
  return parsed;
};

/** The reader's view: with a site URL that records instead of calling, whether keys and site resolve. */
const resolvesAuth = async (trigger: DatadogTrigger, scaledObject: Parameters<ReturnType<typeof createDatadogReader>['read']>[0][number]['scaledObject'], authParams: Record<string, string>) => {
  const reader = createDatadogReader({ siteUrl: () => 'http://127.0.0.1:9' });
  const [reading] = await reader.read([{ scaledObject, trigger, authParams }], 0);
  return reading !== undefined && 'error' in reading && /apiKey|appKey|datadogSite/.test(reading.error) ? reading.error : undefined;
};

describe('datadog metadata (KEDA TestDatadogScalerAPIAuthParams)', () => {
  it.each([
    ['case 0: empty', '', {}, {}, true],
    ['case 1: all properly formed', '', { query: Q, queryValue: '7', metricUnavailableValue: '1.5', type: 'average', age: '60', timeWindowOffset: '30', lastAvailablePointOffset: '1' }, KEYS, false],
    ['case 2: valid timeout 30s', '', { query: Q, queryValue: '7', timeout: '30s' }, KEYS, false],
    ['case 3: valid timeout 1m', '', { query: Q, queryValue: '7', timeout: '1m' }, KEYS, false],
    ['case 4: valid timeout 2m30s', '', { query: Q, queryValue: '7', timeout: '2m30s' }, KEYS, false],
    ['case 5: valid timeout 500ms', '', { query: Q, queryValue: '7', timeout: '500ms' }, KEYS, false],
    ['case 6: valid timeout 0s', '', { query: Q, queryValue: '7', timeout: '0s' }, KEYS, false],
    ['case 7: valid timeout 30 (milliseconds)', '', { query: Q, queryValue: '7', timeout: '30' }, KEYS, false],
    ['case 8: valid timeout empty', '', { query: Q, queryValue: '7', timeout: '' }, KEYS, false],
    ['case 9: invalid timeout', '', { query: Q, queryValue: '7', timeout: 'invalid' }, KEYS, true],
    ['case 10: invalid timeout -5s', '', { query: Q, queryValue: '7', timeout: '-5s' }, KEYS, true],
    ['case 11: multi-query all properly formed', '', { query: `${Q},${Q}/2`, queryValue: '7', queryAggregator: 'average', metricUnavailableValue: '1.5', type: 'average', age: '60' }, KEYS, false],
    ['case 12: default age', '', { query: Q, queryValue: '7', type: 'average' }, KEYS, false],
    ['case 13: default timeWindowOffset', '', { query: Q, queryValue: '7', metricUnavailableValue: '1.5', type: 'average', age: '60', lastAvailablePointOffset: '1' }, KEYS, false],
    ['case 14: default lastAvailablePointOffset', '', { query: Q, queryValue: '7', metricUnavailableValue: '1.5', type: 'average', age: '60', timeWindowOffset: '30' }, KEYS, false],
    ['case 15: default type', '', { query: Q, queryValue: '7', age: '60' }, KEYS, false],
    ['case 16: wrong type', '', { query: Q, queryValue: '7', type: 'invalid', age: '60' }, KEYS, true],
    ['case 17: both metadata type and trigger type', 'AverageValue', { query: Q, queryValue: '7', type: 'average', age: '60' }, KEYS, true],
    ['case 18: missing query', '', { queryValue: '7', type: 'average', age: '60' }, KEYS, true],
    ['case 19: missing queryValue', '', { query: Q, type: 'average', age: '60' }, KEYS, true],
    ['case 20: wrong query value type', '', { query: Q, queryValue: 'notanint', type: 'average', age: '60' }, KEYS, true],
    ['case 21: wrong queryAggregator value', '', { query: Q, queryValue: 'notanint', queryAggegrator: '1.0', type: 'average', age: '60' }, KEYS, true],
    ['case 22: wrong activation query value type', '', { query: Q, queryValue: '1', activationQueryValue: 'notanint', type: 'average', age: '60' }, KEYS, true],
    ['case 23: malformed query', '', { query: 'sum:trace.redis.command.hits', queryValue: '7', type: 'average', age: '60' }, KEYS, true],
    ['case 24: wrong unavailableMetricValue type', '', { query: Q, queryValue: '7', metricUnavailableValue: 'notafloat', type: 'average', age: '60' }, KEYS, true],
    ['case 25: success api/app keys', '', { query: Q, queryValue: '7' }, KEYS, false],
    ['case 26: default datadogSite', '', { query: Q, queryValue: '7' }, { apiKey: 'apiKey', appKey: 'appKey' }, false],
    ['case 27: missing apiKey', '', { query: Q, queryValue: '7' }, { appKey: 'appKey' }, true],
    ['case 28: missing appKey', '', { query: Q, queryValue: '7' }, { apiKey: 'apiKey' }, true],
    ['case 29: invalid query missing {', '', { query: 'sum:trace.redis.command.hits.as_count()', queryValue: '7' }, {}, true],
    ['case 30: metricUnavailableValue with API', '', { query: Q, queryValue: '7', metricUnavailableValue: '2.5' }, KEYS, false],
  ])('%s', async (_, metricType, metadata: Record<string, string>, authParams: Record<string, string>, isError) => {
    // Act
    const parsed = parseDatadog(metadata, authParams, metricType === '' ? undefined : metricType);
    const authError = parsed.ok ? await resolvesAuth(parsed.scaledObject.spec.triggers[0] as DatadogTrigger, parsed.scaledObject, authParams) : undefined;

    // Assess
    const ok = parsed.ok && authError === undefined;
    expect(ok, parsed.ok ? authError : parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')).toBe(!isError);
  });

  it('refuses Cluster Agent mode with what to use instead', () => {
    // Act
    const parsed = parseDatadog({ useClusterAgentProxy: 'true', datadogMetricName: 'nginx-requests', datadogMetricNamespace: 'default', queryValue: '7', query: Q }, KEYS);

    // Assess
    expect(parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "spec.triggers[0].metadata.useClusterAgentProxy: Cluster Agent mode reads the Datadog Cluster Agent's in-cluster service, which LPA (in AWS Lambda) cannot reach; use the API mode: a query with apiKey and appKey from a TriggerAuthentication",
      'spec.triggers[0].metadata.datadogMetricName: belongs to Cluster Agent mode, which LPA does not support',
      'spec.triggers[0].metadata.datadogMetricNamespace: belongs to Cluster Agent mode, which LPA does not support',
    ]);
  });

  it('needs an authenticationRef: the keys are read from a TriggerAuthentication only', () => {
    // Act
    const parsed = parseDatadog({ query: Q, queryValue: '7' }, {});

    // Assess
    expect(parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'spec.triggers[0].authenticationRef: is required: datadog reads apiKey, appKey from a TriggerAuthentication only',
    ]);
  });
});

describe('datadog queries (KEDA TestDatadogScalerParseQueries)', () => {
  it.each([
    ['empty', '', true],
    ['rollup(sum, 30)', 'avg:system.cpu.user{*}.rollup(sum, 30)', false],
    ['rollup(30)', 'sum:system.cpu.user{*}.rollup(30)', false],
    ['tags in the scope', 'avg:system.cpu.user{automatic-restart:false,bosh_address:192.168.101.12}.rollup(avg, 30)', false],
    ['functions around the query', "top(per_second(abs(sum:http.requests{service:myapp,dc:us-west-2}.rollup(max, 2))), 5, 'mean', 'desc')", false],
    ['no aggregator', 'system.cpu.user{*}.rollup(sum, 30)', false],
    ['min', 'min:system.cpu.user{*}', false],
    ['multi-query', 'avg:system.cpu.user{*}.rollup(sum, 30),sum:system.cpu.user{*}.rollup(30)', false],
    ['missing filter', 'min:system.cpu.user', true],
    ['arithmetic between queries', 'sum:trace.express.request.hits{*}.as_rate()/avg:kubernetes.cpu.requests{*}.rollup(10)', false],
  ])('%s', (_, query, isError) => {
    // Act
    const parsed = parseDatadog({ query, queryValue: '7' }, KEYS);

    // Assess
    expect(parsed.ok).toBe(!isError);
  });
});

describe('metricUnavailableValue (KEDA TestDatadogMetadataValidateUseFiller, API rows)', () => {
  it.each([
    ['API: Not configured', '', undefined],
    ['API: Explicitly set to 0', '0', 0],
    ['API: Positive value', '1.5', 1.5],
    ['API: Negative value', '-1.0', -1],
    ['API: Small positive value', '0.1', 0.1],
  ])('%s', (_, value, expected) => {
    // Act
    const parsed = parseDatadog({ query: Q, queryValue: '7', ...(value === '' ? {} : { metricUnavailableValue: value }) }, KEYS);

    // Assess
    const metadata = parsed.ok ? (parsed.scaledObject.spec.triggers[0] as DatadogTrigger).metadata : undefined;
    expect(metadata?.metricUnavailableValue).toBe(expected);
  });
});

describe('valueOfSeries (KEDA getQueryResult)', () => {
  const metadata = (extra: Partial<DatadogMetadata> = {}): DatadogMetadata => ({ query: Q, queryValue: 7, activationQueryValue: 0, age: 90, timeWindowOffset: 0, lastAvailablePointOffset: 0, ...extra });
  const series = (...pointlists: (number | null)[][]) => ({ status: 'ok', series: pointlists.map((values) => ({ pointlist: values.map((v, i) => [i * 60_000, v]) })) });

  it.each([
    ['the newest point', series([1, 2, 3]), metadata(), 3],
    ['the newest non-null point', series([1, 2, null]), metadata(), 2],
    ['stepped back by lastAvailablePointOffset', series([1, 2, 3]), metadata({ lastAvailablePointOffset: 1 }), 2],
    ['max of several series by default (TestMaxFloatFromSlice)', series([1], [2], [3], [4]), metadata({ queryAggregator: 'max' }), 4],
    ['average with queryAggregator average (TestAvgFloatFromSlice)', series([1], [2], [3], [4]), metadata({ queryAggregator: 'average' }), 2.5],
    ['no series → metricUnavailableValue', series(), metadata({ metricUnavailableValue: 1.5 }), 1.5],
    ['only nulls → metricUnavailableValue', series([null, null]), metadata({ metricUnavailableValue: -1 }), -1],
  ])('%s', (_, response, meta, expected) => {
    // Act
    const value = valueOfSeries(response, meta);

    // Assess
    expect(value).toBe(expected);
  });

  it.each([
    ['no series without metricUnavailableValue', series(), metadata(), 'no Datadog metrics returned for the given time window'],
    ['several series without queryAggregator', series([1], [2]), metadata(), 'query returned more than 1 series; modify the query to return only 1 series or add a queryAggregator'],
    ['not enough points for lastAvailablePointOffset', series([1, 2]), metadata({ lastAvailablePointOffset: 2 }), 'index is smaller than the lastAvailablePointOffset'],
    ['a null point without metricUnavailableValue', series([null]), metadata(), 'no Datadog metrics returned for the given time window'],
  ])('fails on %s', (_, response, meta, message) => {
    // Act / Assess
    expect(() => valueOfSeries(response, meta)).toThrow(message);
  });
});
