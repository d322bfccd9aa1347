/**
 * KEDA's prometheus scaler tables (kedacore/keda@8b4f083 `pkg/scalers/prometheus_scaler_test.go`),
 * row for row: `testPromMetadata` through LPA's spec, `testPromQueryResult` over real HTTP against
 * the local Prometheus stand-in through LPA's reader. Rows are named after KEDA's comments and
 * test names; where LPA differs from KEDA the row says so and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type LocalPrometheus } from '../../dev/local/prometheus.js';
import { parseScaledObject } from '../../shared/spec/index.js';
import type { PrometheusTrigger } from '../../shared/spec/types.js';
import { createAwsClients } from '../../shared/triggers/awsClients.js';
import { createPrometheusReader } from '../../shared/triggers/prometheus.js';
import { createPrometheusHttp } from '../../shared/triggers/prometheusHttp.js';
import { manifest } from '../unit/spec/fixtures.js';

const NOW = Date.parse('2026-12-02T15:04:05.678Z');

const withPrometheus = (metadata: Record<string, string>) =>
  parseScaledObject(manifest((so) => (so.spec.triggers = [{ type: 'prometheus', metadata }])));

const FORMED = { serverAddress: 'http://localhost:9090', metricName: 'http_requests_total', threshold: '100', query: 'up' };

describe('KEDA testPromMetadata (TestPrometheusParseMetadata)', () => {
  it.each<{ name: string; metadata: Record<string, string>; isError: boolean }>([
    { name: 'empty metadata', metadata: {}, isError: true },
    { name: 'all properly formed', metadata: FORMED, isError: false },
    { name: 'all properly formed, with namespace', metadata: { serverAddress: 'http://localhost:9090', threshold: '100', query: 'up', namespace: 'foo' }, isError: false },
    { name: 'all properly formed, with ignoreNullValues', metadata: { ...FORMED, ignoreNullValues: 'false' }, isError: false },
    { name: 'all properly formed, with activationThreshold', metadata: { ...FORMED, activationThreshold: '50' }, isError: false },
    { name: 'missing serverAddress', metadata: { ...FORMED, serverAddress: '' }, isError: true },
    { name: 'missing threshold', metadata: { serverAddress: 'http://localhost:9090', metricName: 'http_requests_total', query: 'up' }, isError: true },
    { name: 'malformed threshold', metadata: { ...FORMED, threshold: 'one' }, isError: true },
    { name: 'malformed activationThreshold', metadata: { ...FORMED, activationThreshold: 'one' }, isError: true },
    { name: 'missing query', metadata: { ...FORMED, query: '' }, isError: true },
    { name: 'ignoreNullValues with wrong value', metadata: { ...FORMED, ignoreNullValues: 'xxxx' }, isError: true },
    // LPA differs on purpose: KEDA accepts unsafeSsl "true"; LPA always verifies TLS and says so.
    { name: 'unsafeSsl (refused by LPA: TLS is always verified)', metadata: { ...FORMED, serverAddress: 'https://localhost:9090', unsafeSsl: 'true' }, isError: true },
    { name: 'customHeaders', metadata: { ...FORMED, customHeaders: 'key1=value1,key2=value2' }, isError: false },
    { name: 'customHeaders with wrong format', metadata: { ...FORMED, customHeaders: 'key1=value1,key2' }, isError: true },
    { name: 'queryParameters', metadata: { ...FORMED, queryParameters: 'key1=value1,key2=value2' }, isError: false },
    { name: 'queryParameters with wrong format', metadata: { ...FORMED, queryParameters: 'key1=value1,key2' }, isError: true },
    { name: 'valid custom http client timeout', metadata: { ...FORMED, timeout: '1000' }, isError: false },
    { name: 'invalid - negative - custom http client timeout', metadata: { ...FORMED, timeout: '-1' }, isError: true },
    { name: 'invalid - not a number - custom http client timeout with milliseconds', metadata: { ...FORMED, timeout: 'a' }, isError: true },
  ])('$name', ({ metadata, isError }) => {
    expect(withPrometheus(metadata).ok).toBe(!isError);
  });
});

describe('KEDA testPromQueryResult (TestPrometheusScalerExecutePromQuery)', () => {
  let prometheus: LocalPrometheus;
  const clients = createAwsClients();
  const http = createPrometheusHttp({ clients });
  const reader = createPrometheusReader({ http });
  beforeAll(async () => {
    prometheus = await startPrometheus();
  });
  afterAll(async () => {
    http.close();
    clients.destroy();
    await prometheus.close();
  });

  /** KEDA expects -1 with an error; LPA's reading is the error itself. */
  it.each([
    { name: 'no results', body: '{}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: 'no values', body: '{"data":{"result":[]}}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: "no values but shouldn't ignore", body: '{"data":{"result":[]}}', status: 200, ignoreNullValues: false, expected: 'returned no series' },
    { name: 'value is empty list', body: '{"data":{"result":[{"value": []}]}}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: "value is empty list but shouldn't ignore", body: '{"data":{"result":[{"value": []}]}}', status: 200, ignoreNullValues: false, expected: 'without a value' },
    { name: 'valid value', body: '{"data":{"result":[{"value": ["1", "2"]}]}}', status: 200, ignoreNullValues: true, expected: { value: 2 } },
    { name: 'not enough values', body: '{"data":{"result":[{"value": ["1"]}]}}', status: 200, ignoreNullValues: true, expected: 'with 1 entry' },
    { name: 'multiple results', body: '{"data":{"result":[{},{}]}}', status: 200, ignoreNullValues: true, expected: 'returned 2 series' },
    { name: 'error status response', body: '{}', status: 400, ignoreNullValues: true, expected: 'HTTP 400' },
    { name: '+Inf', body: '{"data":{"result":[{"value": ["1", "+Inf"]}]}}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: "+Inf but shouldn't ignore", body: '{"data":{"result":[{"value": ["1", "+Inf"]}]}}', status: 200, ignoreNullValues: false, expected: 'returned +Inf' },
    { name: '-Inf', body: '{"data":{"result":[{"value": ["1", "-Inf"]}]}}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: "-Inf but shouldn't ignore", body: '{"data":{"result":[{"value": ["1", "-Inf"]}]}}', status: 200, ignoreNullValues: false, expected: 'returned -Inf' },
    { name: 'NaN', body: '{"data":{"result":[{"value": ["1", "NaN"]}]}}', status: 200, ignoreNullValues: true, expected: { value: 0 } },
    { name: "NaN but shouldn't ignore", body: '{"data":{"result":[{"value": ["1", "NaN"]}]}}', status: 200, ignoreNullValues: false, expected: 'returned NaN' },
  ])('$name', async ({ name, body, status, ignoreNullValues, expected }) => {
    // Prepare
    const query = `keda_row{case="${name}"}`;
    prometheus.setResponse(query, status, body);
    const result = withPrometheus({ serverAddress: prometheus.url, query, threshold: '10', ignoreNullValues: String(ignoreNullValues) });
    if (!result.ok) expect.fail(result.issues.map((i) => i.message).join('; '));
    const trigger = result.scaledObject.spec.triggers[0] as PrometheusTrigger;

    // Act
    const [reading] = await reader.read([{ scaledObject: result.scaledObject, trigger }], NOW);

    // Assess
    expect(reading).toEqual(typeof expected === 'string' ? { error: expect.stringContaining(expected) } : expected);
  });
});
