/**
 * KEDA's prometheus scaler tables (kedacore/keda@8b4f083 `pkg/scalers/prometheus_scaler_test.go`),
 * row for row: `testPromMetadata` through LPA's spec, `testPrometheusAuthMetadata` through the spec and
 * the reader's authentication rules (`principalOf`), `testPromQueryResult` over real HTTP against
 * the local Prometheus stand-in through LPA's reader. Rows are named after KEDA's comments and
 * test names; where LPA differs from KEDA the row says so and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type LocalPrometheus } from '../../dev/local/prometheus.js';
import { parseScaledObject } from '../../shared/spec/index.js';
import { prometheusAuthOf } from '../../shared/spec/triggers/prometheusAuth.js';
import { prometheusServerOf } from '../../shared/spec/triggers/prometheusServer.js';
import type { PrometheusTrigger, ScaledObject } from '../../shared/spec/types.js';
import { createAwsClients } from '../../shared/triggers/awsClients.js';
import { createPrometheusReader, principalOf } from '../../shared/triggers/prometheus.js';
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

/** KEDA's parse of a row: metadata through `lpa validate`'s schema, then the reader's runtime rules with the row's authParams. */
const kedaParse = (metadata: Record<string, string>, authParams: Record<string, string> | null, podIdentity: boolean): 'ok' | 'error' => {
  const parsed = parseScaledObject(manifest((so) => (so.spec.triggers = [{ type: 'prometheus', metadata, authenticationRef: { name: 'prom-auth' } }])));
  if (!parsed.ok) return 'error';
  const scaledObject: ScaledObject = parsed.scaledObject;
  const trigger = scaledObject.spec.triggers[0] as PrometheusTrigger;
  const located = prometheusServerOf(trigger.metadata.serverAddress);
  if (!located.ok) return 'error';
  try {
    principalOf({ scaledObject, trigger, authParams: authParams ?? {}, ...(podIdentity ? { podIdentity: { provider: 'aws' } } : {}) }, located.server);
    return 'ok';
  } catch {
    return 'error';
  }
};

describe('KEDA testPrometheusAuthMetadata (TestPrometheusScalerAuthParams)', () => {
  // Rows in KEDA's order; KEDA's podIdentity rows use Azure providers, which LPA's TriggerAuthentication
  // refuses at parse time, so "a podIdentity" stands in for them (the rule is provider-independent).
  it.each<{ row: string; modes?: string; params: Record<string, string> | null; pod: boolean; expected: 'ok' | 'error' }>([
    { row: 'success TLS', modes: 'tls', params: { ca: 'caaa', cert: 'ceert', key: 'keey' }, pod: false, expected: 'ok' },
    { row: 'TLS, ca is optional', modes: 'tls', params: { cert: 'ceert', key: 'keey' }, pod: false, expected: 'ok' },
    { row: 'fail TLS, key not given', modes: 'tls', params: { ca: 'caaa', cert: 'ceert' }, pod: false, expected: 'error' },
    { row: 'fail TLS, cert not given', modes: 'tls', params: { ca: 'caaa', key: 'keey' }, pod: false, expected: 'error' },
    { row: 'success bearer default', modes: 'bearer', params: { bearerToken: 'tooooken' }, pod: false, expected: 'ok' },
    { row: 'fail bearerAuth with no token', modes: 'bearer', params: {}, pod: false, expected: 'error' },
    { row: 'success basicAuth', modes: 'basic', params: { username: 'user', password: 'pass' }, pod: false, expected: 'ok' },
    { row: 'fail basicAuth with no username', modes: 'basic', params: {}, pod: false, expected: 'error' },
    { row: 'row 9 (unnamed): "tls, basic" with every parameter', modes: 'tls, basic', params: { ca: 'caaa', cert: 'ceert', key: 'keey', username: 'user', password: 'pass' }, pod: false, expected: 'ok' },
    { row: 'row 10 (unnamed): "tls,basic" without cert and key', modes: 'tls,basic', params: { username: 'user', password: 'pass' }, pod: false, expected: 'error' },
    { row: 'success custom auth', modes: 'custom', params: { customAuthHeader: 'header', customAuthValue: 'value' }, pod: false, expected: 'ok' },
    { row: 'fail custom auth with no customAuthHeader', modes: 'custom', params: { customAuthHeader: '' }, pod: false, expected: 'error' },
    { row: 'fail custom auth with no customAuthValue', modes: 'custom', params: { customAuthValue: '' }, pod: false, expected: 'error' },
    { row: 'success custom auth with newlines in customAuthHeader', modes: 'custom', params: { customAuthHeader: 'header\n', customAuthValue: 'value\n' }, pod: false, expected: 'ok' },
    { row: 'row 15 (unnamed, repeats row 10): "tls,basic" without cert and key', modes: 'tls,basic', params: { username: 'user', password: 'pass' }, pod: false, expected: 'error' },
    { row: 'pod identity and other auth modes enabled together', modes: 'basic', params: { username: 'user', password: 'pass' }, pod: true, expected: 'error' },
    { row: 'azure workload identity (no authModes)', modes: undefined, params: null, pod: true, expected: 'ok' },
    { row: 'azure pod identity (no authModes)', modes: undefined, params: null, pod: true, expected: 'ok' },
  ])('$row → $expected', ({ modes, params, pod, expected }) => {
    expect(kedaParse({ ...FORMED, ...(modes === undefined ? {} : { authModes: modes }) }, params, pod)).toBe(expected);
  });

  it('trims values as KEDA does: "header\\n" is sent as the header "header"', () => {
    const auth = prometheusAuthOf(['custom'], { customAuthHeader: 'header\n', customAuthValue: 'value\n' });

    expect(auth).toEqual({ ok: true, value: { modes: ['custom'], custom: { header: 'header', value: 'value' } } });
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
