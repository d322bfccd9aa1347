/**
 * Prometheus authModes over real HTTP(S): bearer, basic and custom headers at the local Prometheus;
 * tls against a local Prometheus that demands a client certificate from its own CA (mutual TLS, as
 * Prometheus' `client_auth_type: RequireAndVerifyClientCert`), the CA and the client certificate
 * taken from the TriggerAuthentication's parameters; in-cluster addresses through the local API
 * server's service proxy, which drops `Authorization` as kube-apiserver does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { connectScaleClient } from '../../../shared/kube/scaleClient.js';
import { createKubeAgent, type KubeAgent } from '../../../shared/kube/transport.js';
import type { ScaleClient } from '../../../shared/kube/types.js';
import type { PrometheusAuthMode } from '../../../shared/spec/triggers/prometheusAuth.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import { createPrometheusReader } from '../../../shared/triggers/prometheus.js';
import { createPrometheusHttp } from '../../../shared/triggers/prometheusHttp.js';
import { prometheusTrigger, requestsFor } from '../../unit/triggers/requests.js';

const NOW = Date.parse('2026-12-02T15:04:05Z');
const QUERY = 'sum(rate(http_requests_total[2m]))';
const TOKEN = 'scaler-static-token-0123456789';
const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';
const SECRET_TOKEN = 'tooooken-very-secret-4711';

let plain: LocalPrometheus;
let mutual: LocalPrometheus;
let client: { cert: string; key: string };
let kube: KubeApiHandle;
let agent: KubeAgent;
let cluster: ScaleClient;
const clients = createAwsClients();
const http = createPrometheusHttp({ clients });
const reader = createPrometheusReader({ http });

const readWith = async (serverAddress: string, authModes: readonly PrometheusAuthMode[] | undefined, authParams: Record<string, string>) => {
  const [request] = requestsFor('checkout', [prometheusTrigger({ serverAddress, query: QUERY, ...(authModes === undefined ? {} : { authModes }) })]);
  const [reading] = await reader.read([{ ...(request as NonNullable<typeof request>), authParams }], NOW, undefined, cluster);
  return reading;
};

beforeAll(async () => {
  [plain, mutual] = await Promise.all([startPrometheus(), startPrometheus({ tls: true })]);
  for (const prometheus of [plain, mutual]) prometheus.setVector(QUERY, [{ metric: {}, value: '42' }]);
  client = await mutual.clientCertificate('lpa-scaler');
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    staticTokens: { [TOKEN]: { username: 'lpa', groups: ['lpa-scaler'] } },
    rbac: [{ subjects: { groups: ['lpa-scaler'] }, namespace: 'monitoring', rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090'], verbs: ['get'] }] }],
    services: [{ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: plain.url }],
  });
  agent = createKubeAgent(kube.caPem);
  cluster = connectScaleClient({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN) });
});

afterAll(async () => {
  http.close();
  clients.destroy();
  await agent.close();
  await Promise.all([plain.close(), mutual.close(), kube.close()]);
});

const lastHeaders = (prometheus: LocalPrometheus) => prometheus.requests.at(-1)?.headers ?? {};

describe('authModes against a directly reached Prometheus', () => {
  it('bearer: sends Authorization: Bearer <bearerToken>', async () => {
    expect(await readWith(plain.url, ['bearer'], { bearerToken: SECRET_TOKEN })).toEqual({ value: 42 });
    expect(lastHeaders(plain).authorization).toBe(`Bearer ${SECRET_TOKEN}`);
  });

  it('bearer from the TriggerAuthentication\'s own authModes (the metadata has none), token under its alias "token"', async () => {
    expect(await readWith(plain.url, undefined, { authModes: 'bearer', token: SECRET_TOKEN })).toEqual({ value: 42 });
    expect(lastHeaders(plain).authorization).toBe(`Bearer ${SECRET_TOKEN}`);
  });

  it('basic: sends the username and password as Go SetBasicAuth does', async () => {
    expect(await readWith(plain.url, ['basic'], { username: 'user', password: 'pass' })).toEqual({ value: 42 });
    expect(lastHeaders(plain).authorization).toBe('Basic dXNlcjpwYXNz');
  });

  it('custom: sends customAuthHeader with customAuthValue', async () => {
    expect(await readWith(plain.url, ['custom'], { customAuthHeader: 'X-Api-Key', customAuthValue: SECRET_TOKEN })).toEqual({ value: 42 });
    expect(lastHeaders(plain)['x-api-key']).toBe(SECRET_TOKEN);
  });

  it('names the missing parameter, never a value, when a mode lacks its credential', async () => {
    const reading = await readWith(plain.url, ['custom'], { customAuthHeader: SECRET_TOKEN });

    expect(reading).toEqual({ error: 'shop/checkout spec.triggers[0]: customAuthHeader and customAuthValue are required by authModes "custom" (from the TriggerAuthentication)' });
  });
});

describe('authModes tls (mutual TLS)', () => {
  it("presents the client certificate and trusts the TriggerAuthentication's ca", async () => {
    const before = mutual.requests.length;

    const reading = await readWith(mutual.url, ['tls'], { ca: mutual.caPem ?? '', cert: client.cert, key: client.key });

    expect(reading).toEqual({ value: 42 });
    expect(mutual.requests.slice(before).map((r) => r.clientName)).toEqual(['lpa-scaler']);
  });

  it('is refused by the server without a client certificate (ca alone only verifies the server)', async () => {
    const reading = await readWith(mutual.url, ['custom'], { ca: mutual.caPem ?? '', customAuthHeader: 'X-A', customAuthValue: 'b' });

    expect(reading).toEqual({ error: expect.stringMatching(/GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: .*(certificate|socket hang up|ECONNRESET)/i) });
  });

  it('verifies the server: without the ca its certificate is untrusted', async () => {
    const reading = await readWith(mutual.url, ['tls'], { cert: client.cert, key: client.key });

    expect(reading).toEqual({ error: expect.stringMatching(/self.signed|unable to (verify|get local issuer)|issuer/i) });
  });

  it('refuses a client certificate for an http serverAddress', async () => {
    const reading = await readWith(plain.url, ['tls'], { cert: client.cert, key: client.key });

    expect(reading).toEqual({ error: expect.stringContaining('authModes "tls" needs an https serverAddress') });
  });

  it('keeps the key out of the message when it is unusable', async () => {
    const reading = await readWith(mutual.url, ['tls'], { ca: mutual.caPem ?? '', cert: client.cert, key: `-----BEGIN PRIVATE KEY-----\n${SECRET_TOKEN}\n-----END PRIVATE KEY-----` });

    expect(reading && 'error' in reading && reading.error).not.toContain(SECRET_TOKEN);
    expect(reading).toEqual({ error: expect.any(String) });
  });
});

describe('authModes for an in-cluster address (API server service proxy)', () => {
  it('passes custom with a non-Authorization header through the proxy', async () => {
    expect(await readWith(IN_CLUSTER, ['custom'], { customAuthHeader: 'X-Scope-OrgID', customAuthValue: 'team-a' })).toEqual({ value: 42 });
    expect(lastHeaders(plain)['x-scope-orgid']).toBe('team-a');
  });

  it.each([
    ['bearer', { bearerToken: SECRET_TOKEN }, 'removes the Authorization header'],
    ['basic', { username: 'user', password: SECRET_TOKEN }, 'removes the Authorization header'],
    ['tls', { cert: 'c', key: SECRET_TOKEN }, 'a client certificate cannot pass it'],
  ] as const)('refuses %s before sending anything, saying why', async (mode, params, why) => {
    const before = kube.requests.length;

    const reading = await readWith(IN_CLUSTER, [mode], params);

    expect(reading).toEqual({ error: expect.stringContaining(why) });
    expect(reading && 'error' in reading && reading.error).not.toContain(SECRET_TOKEN);
    expect(kube.requests.length).toBe(before);
  });

  it.each(['Authorization', 'X-Remote-User', 'X-Remote-Extra-Scopes'])('refuses custom with customAuthHeader %s (the API server would drop it)', async (header) => {
    const reading = await readWith(IN_CLUSTER, ['custom'], { customAuthHeader: header, customAuthValue: SECRET_TOKEN });

    expect(reading).toEqual({ error: expect.stringContaining('"custom" with this customAuthHeader cannot reach Prometheus') });
  });

  it('the local API server drops Authorization and the front-proxy identity headers on the proxy path, as kube-apiserver does', async () => {
    const headers: [string, string][] = [['X-Kept', 'yes'], ['X-Remote-User', 'u'], ['X-Remote-Group', 'g'], ['X-Remote-Extra-Scopes', 's']];

    const response = await cluster.proxyGet({ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090', path: `/api/v1/query?query=${encodeURIComponent(QUERY)}`, headers, timeoutMs: 3000 });

    expect(response.status).toBe(200);
    const seen = lastHeaders(plain);
    expect(['x-kept', 'authorization', 'x-remote-user', 'x-remote-group', 'x-remote-extra-scopes'].map((name) => seen[name])).toEqual(['yes', undefined, undefined, undefined, undefined]);
  });
});
