/**
 * In-cluster Prometheus through the API server's service proxy, over real HTTPS: the prometheus
 * reader on LPA's Kubernetes client → the local Kubernetes API (token, RBAC with resourceNames) →
 * the local Prometheus stand-in registered as Service monitoring/prometheus-server:9090.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { createKubeAgent, createScaleClient, type KubeAgent } from '../../../shared/kube/scaleClient.js';
import type { ScaleClient } from '../../../shared/kube/types.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import { createPrometheusReader } from '../../../shared/triggers/prometheus.js';
import { createPrometheusHttp } from '../../../shared/triggers/prometheusHttp.js';
import { prometheusTrigger, requestsFor } from '../../unit/triggers/requests.js';

const NOW = Date.parse('2026-12-02T15:04:05Z');
const TOKEN = 'scaler-static-token-0123456789';
const QUERY = 'sum(rate(http_requests_total{namespace="shop"}[2m]))';
const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';

let prometheus: LocalPrometheus;
let kube: KubeApiHandle;
let agent: KubeAgent;
let client: ScaleClient;
const clients = createAwsClients();
const http = createPrometheusHttp({ clients });
const reader = createPrometheusReader({ http });

const read = async (serverAddress: string, query = QUERY) => (await reader.read(requestsFor('checkout', [prometheusTrigger({ serverAddress, query })]), NOW, undefined, client))[0];

beforeAll(async () => {
  prometheus = await startPrometheus();
  prometheus.setVector(QUERY, [{ metric: {}, value: '17' }]);
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    staticTokens: { [TOKEN]: { username: 'lpa', groups: ['lpa-scaler'] } },
    rbac: [
      {
        subjects: { groups: ['lpa-scaler'] },
        namespace: 'monitoring',
        rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090'], verbs: ['get'] }],
      },
    ],
    services: [
      { namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090, name: 'http' }], url: prometheus.url },
      { namespace: 'monitoring', name: 'thanos-query', ports: [{ port: 9090 }], url: prometheus.url },
    ],
  });
  agent = createKubeAgent(kube.caPem);
  client = createScaleClient({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN) });
});

afterAll(async () => {
  http.close();
  clients.destroy();
  await agent.close();
  await Promise.all([kube.close(), prometheus.close()]);
});

describe('Service proxy (in-cluster Prometheus)', () => {
  it("reads a KEDA user's in-cluster serverAddress unchanged, through the API server", async () => {
    const before = kube.requests.length;

    expect(await read(IN_CLUSTER)).toEqual({ value: 17 });
    expect(kube.requests.slice(before).map((r) => [r.path.split('?')[0], r.status])).toEqual([
      ['/api/v1/namespaces/monitoring/services/http:prometheus-server:9090/proxy/api/v1/query', 200],
    ]);
  });

  it('sends the query string and custom headers on to Prometheus, but never the bearer token', async () => {
    const before = prometheus.requests.length;
    const trigger = prometheusTrigger({ serverAddress: IN_CLUSTER, query: QUERY, customHeaders: [['X-Scope-OrgID', 'shop']] });

    await reader.read(requestsFor('checkout', [trigger]), NOW, undefined, client);

    const [seen] = prometheus.requests.slice(before);
    expect(seen?.params).toEqual({ query: QUERY, time: '2026-12-02T15:04:05Z' });
    expect(seen?.headers).toMatchObject({ 'x-scope-orgid': 'shop' });
    expect(seen?.headers.authorization).toBeUndefined();
  });

  it("quotes Prometheus' error body that the proxy passes through", async () => {
    prometheus.setError('rate(x[', 'bad_data', 'invalid parameter "query": 1:8: parse error: unexpected end of input');

    expect(await read(IN_CLUSTER, 'rate(x[')).toEqual({ error: expect.stringContaining('Prometheus answered HTTP 400: bad_data: "invalid parameter') });
  });

  it('names the services/proxy rule with its resourceNames when RBAC refuses another Service', async () => {
    const reading = await read('http://thanos-query.monitoring.svc:9090');

    expect(reading).toEqual({ error: expect.stringContaining('RBAC does not allow "get" on "services/proxy" in the core API group in namespace "monitoring"') });
    expect(reading).toEqual({ error: expect.stringContaining('resourceNames: ["http:thanos-query:9090"]') });
  });

  it('reaches the same Service, under the same RBAC name, from the short <svc>.<ns> form', async () => {
    expect(await read('http://prometheus-server.monitoring:9090/')).toEqual({ value: 17 });
  });

  it('reports a Service without ready endpoints as the API server words it', async () => {
    kube.services.add({ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: prometheus.url, ready: false });
    try {
      expect(await read(IN_CLUSTER)).toEqual({ error: expect.stringContaining('HTTP 503 ServiceUnavailable; the server said: no endpoints available for service "prometheus-server"') });
    } finally {
      kube.services.add({ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: prometheus.url });
    }
  });

  it('says that an in-cluster address needs a connected cluster', async () => {
    const [reading] = await reader.read(requestsFor('checkout', [prometheusTrigger({ serverAddress: IN_CLUSTER, query: QUERY })]), NOW);

    expect(reading).toEqual({
      error: expect.stringContaining('is an in-cluster Service, reached through the Kubernetes API, and no cluster is connected'),
    });
  });
});
