/**
 * The prometheus reader over real HTTP: the local Prometheus HTTP API for servers fetched directly,
 * and the local AMP workspace (HTTPS, SigV4 verified like AWS) for Amazon Managed Service for
 * Prometheus, with the function's credentials and with an assumed `awsRoleArn`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAmp, type LocalAmp } from '../../../dev/local/amp.js';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { startSts, type LocalSts } from '../../../dev/local/sts.js';
import { createAwsClients, type AwsClients } from '../../../shared/triggers/awsClients.js';
import { createPrometheusReader } from '../../../shared/triggers/prometheus.js';
import { MAX_QUOTED } from '../../../shared/triggers/prometheusQuery.js';
import { createPrometheusHttp, type PrometheusHttp } from '../../../shared/triggers/prometheusHttp.js';
import { prometheusTrigger, requestsFor } from '../../unit/triggers/requests.js';

const NOW = Date.parse('2026-12-02T15:04:05.678Z');
const REGION = 'eu-west-1';
const WORKSPACE = 'ws-5e7a1c2d-0b4f-4d6e-9a8b-1c2d3e4f5a6b';
const FUNCTION_ROLE = { accessKeyId: 'AKIDLAMBDAROLE', secretAccessKey: 'lambda-role-secret' };
const AMP_READER = 'arn:aws:iam::123456789012:role/amp-reader';
const QUERY = 'sum(rate(http_requests_total{service="checkout"}[2m]))';

let prometheus: LocalPrometheus;
let amp: LocalAmp;
let sts: LocalSts;
let clients: AwsClients;
let http: PrometheusHttp;

const readOne = async (metadata: Parameters<typeof prometheusTrigger>[0]) => {
  const reader = createPrometheusReader({ http });
  const [reading] = await reader.read(requestsFor('checkout', [prometheusTrigger(metadata)]), NOW);
  return reading;
};

beforeAll(async () => {
  prometheus = await startPrometheus();
  sts = await startSts({ clock: () => NOW });
  amp = await startAmp({
    region: REGION,
    workspaceId: WORKSPACE,
    prometheusUrl: prometheus.url,
    now: () => NOW,
    identity: (key) => (key === FUNCTION_ROLE.accessKeyId ? { secretAccessKey: FUNCTION_ROLE.secretAccessKey } : sts.issued(key)),
  });
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.endpoint);
});

beforeEach(() => {
  http?.close();
  clients?.destroy();
  clients = createAwsClients({ credentials: FUNCTION_ROLE, clock: () => NOW });
  http = createPrometheusHttp({ clients, clock: () => NOW, ca: amp.caPem });
  prometheus.setVector(QUERY, [{ metric: {}, value: '42.5' }]);
});

afterAll(async () => {
  http.close();
  clients.destroy();
  vi.unstubAllEnvs();
  await Promise.all([prometheus.close(), amp.close(), sts.close()]);
});

describe('Direct Prometheus', () => {
  it('reads the single series of the query', async () => {
    expect(await readOne({ serverAddress: prometheus.url, query: QUERY })).toEqual({ value: 42.5 });
  });

  it('sends /api/v1/query with the query, the time in RFC 3339 seconds, namespace and queryParameters (KEDA TestPrometheusScalerExecutePromQueryParameters)', async () => {
    const before = prometheus.requests.length;

    await readOne({ serverAddress: prometheus.url, query: QUERY, namespace: 'shop', queryParameters: [['first', 'foo'], ['second', 'bar']] });

    expect(prometheus.requests.slice(before)).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/v1/query', params: { query: QUERY, time: '2026-12-02T15:04:05Z', namespace: 'shop', first: 'foo', second: 'bar' } }),
    ]);
  });

  it('sends customHeaders (KEDA TestPrometheusScalerCustomHeaders)', async () => {
    const before = prometheus.requests.length;
    const customHeaders: [string, string][] = [['X-Client-Id', 'cid'], ['X-Tenant-Id', 'tid'], ['X-Organization-Token', 'oid']];

    await readOne({ serverAddress: prometheus.url, query: QUERY, customHeaders });

    expect(prometheus.requests[before]?.headers).toMatchObject({ 'x-client-id': 'cid', 'x-tenant-id': 'tid', 'x-organization-token': 'oid' });
  });

  it("quotes Prometheus' own error on a 400 bad_data", async () => {
    prometheus.setError('sum(rate(x[2m])', 'bad_data', 'invalid parameter "query": 1:16: parse error: unclosed left parenthesis');

    const reading = await readOne({ serverAddress: prometheus.url, query: 'sum(rate(x[2m])' });

    expect(reading).toEqual({
      error: 'shop/checkout spec.triggers[0]: Prometheus answered HTTP 400: bad_data: "invalid parameter \\"query\\": 1:16: parse error: unclosed left parenthesis"',
    });
  });

  it('bounds a long error body (a proxy page) in the message', async () => {
    prometheus.setResponse('up', 502, `<html>${'x'.repeat(5000)}</html>`);

    const reading = await readOne({ serverAddress: prometheus.url, query: 'up' });

    expect(reading && 'error' in reading && reading.error.length).toBeLessThan(MAX_QUOTED + 120);
  });

  it('asks once for triggers that send the same request, each applying its own ignoreNullValues', async () => {
    prometheus.setVector('absent_metric', []);
    const reader = createPrometheusReader({ http });
    const before = prometheus.requests.length;
    const requests = requestsFor('checkout', [
      prometheusTrigger({ serverAddress: prometheus.url, query: 'absent_metric' }, 0),
      prometheusTrigger({ serverAddress: prometheus.url, query: 'absent_metric', ignoreNullValues: false }, 1),
    ]);

    const readings = await reader.read(requests, NOW);

    expect(prometheus.requests.length - before).toBe(1);
    expect(readings).toEqual([{ value: 0 }, { error: expect.stringContaining('returned no series (ignoreNullValues is false)') }]);
  });

  it("stops at the tick's budget", async () => {
    const reader = createPrometheusReader({ http });
    const spent = AbortSignal.abort(new Error('the invocation\'s time budget ran out'));

    const [reading] = await reader.read(requestsFor('checkout', [prometheusTrigger({ serverAddress: prometheus.url, query: QUERY })]), NOW, spent);

    expect(reading).toEqual({ error: expect.stringContaining("abandoned before asking http://127.0.0.1") });
  });

  it('names the server when nothing answers', async () => {
    const reading = await readOne({ serverAddress: 'http://127.0.0.1:1', query: QUERY });

    expect(reading).toEqual({ error: expect.stringContaining('GET http://127.0.0.1:1/api/v1/query: Error: connect ECONNREFUSED') });
  });
});

describe('Amazon Managed Service for Prometheus (SigV4, service aps)', () => {
  it("signs with the function's credentials and reads the value", async () => {
    const before = amp.requests.length;

    const reading = await readOne({ serverAddress: amp.url, awsRegion: REGION, query: QUERY });

    expect(reading).toEqual({ value: 42.5 });
    expect(amp.requests.slice(before)).toEqual([{ status: 200, accessKeyId: FUNCTION_ROLE.accessKeyId }]);
  });

  it('keeps the signature valid for a query with spaces, quotes and brackets in customHeaders and queryParameters', async () => {
    prometheus.setVector('sum by (pod) (up{job="a b"}) > 0', [{ metric: {}, value: '3' }]);

    const reading = await readOne({
      serverAddress: amp.url,
      awsRegion: REGION,
      query: 'sum by (pod) (up{job="a b"}) > 0',
      customHeaders: [['X-Scope', 'team a']],
      queryParameters: [['dedup', 'a*b(c)']],
    });

    expect(reading).toEqual({ value: 3 });
  });

  it('signs with the assumed awsRoleArn credentials', async () => {
    const before = amp.requests.length;

    const reading = await readOne({ serverAddress: amp.url, awsRegion: REGION, awsRoleArn: AMP_READER, query: QUERY });

    expect(reading).toEqual({ value: 42.5 });
    const [request] = amp.requests.slice(before);
    expect(sts.issued(request?.accessKeyId ?? '')?.roleArn).toBe(AMP_READER);
  });

  it("signs with the role of the TriggerAuthentication's podIdentity (authParams.awsRoleArn), which wins over awsRoleArn", async () => {
    const before = amp.requests.length;
    const [request] = requestsFor('checkout', [prometheusTrigger({ serverAddress: amp.url, awsRegion: REGION, awsRoleArn: 'arn:aws:iam::123456789012:role/other', query: QUERY })]);

    const [reading] = await createPrometheusReader({ http }).read([{ ...(request as NonNullable<typeof request>), authParams: { awsRoleArn: AMP_READER }, podIdentity: { provider: 'aws', roleArn: AMP_READER } }], NOW);

    expect(reading).toEqual({ value: 42.5 });
    const [seen] = amp.requests.slice(before);
    expect(sts.issued(seen?.accessKeyId ?? '')?.roleArn).toBe(AMP_READER);
  });

  it("refuses a podIdentity role for a server that is not an AMP workspace (nothing is signed for other hosts)", async () => {
    const [request] = requestsFor('checkout', [prometheusTrigger({ serverAddress: prometheus.url, query: QUERY })]);

    const [reading] = await createPrometheusReader({ http }).read([{ ...(request as NonNullable<typeof request>), authParams: { awsRoleArn: AMP_READER } }], NOW);

    expect(reading).toEqual({ error: expect.stringContaining('signs requests to Amazon Managed Service for Prometheus only') });
  });

  it("quotes AWS's refusal when the signature does not verify", async () => {
    clients.destroy();
    clients = createAwsClients({ credentials: { ...FUNCTION_ROLE, secretAccessKey: 'wrong' }, clock: () => NOW });
    http = createPrometheusHttp({ clients, clock: () => NOW, ca: amp.caPem });

    const reading = await readOne({ serverAddress: amp.url, awsRegion: REGION, query: QUERY });

    expect(reading).toEqual({ error: expect.stringContaining('HTTP 403: "The request signature we calculated does not match') });
  });

  it('is refused for a signature scoped to another region', async () => {
    const reading = await readOne({ serverAddress: amp.url, awsRegion: 'us-east-1', query: QUERY });

    expect(reading).toEqual({ error: expect.stringContaining('Credential should be scoped to a valid region') });
  });

  it('verifies the TLS certificate (an untrusted CA fails)', async () => {
    http.close();
    http = createPrometheusHttp({ clients, clock: () => NOW });

    const reading = await readOne({ serverAddress: amp.url, awsRegion: REGION, query: QUERY });

    expect(reading).toEqual({ error: expect.stringMatching(/self.signed|unable to verify|SELF_SIGNED|issuer/i) });
  });
});
