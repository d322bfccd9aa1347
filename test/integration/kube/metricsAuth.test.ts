/**
 * `lpa metrics` resolves authenticationRefs as a tick does (the real binary against the local
 * Kubernetes API, Secrets Manager and Prometheus): a TriggerAuthentication in the given file with a
 * secretTargetRef read from the cluster by name, one with awsSecretManager needing no cluster, one
 * only in the cluster read by name; without cluster access a Secret read fails on its row alone.
 * In process (New Relic's endpoint is not a CLI flag): seed 004's new-relic row through the same
 * resolver against the local NerdGraph. No secret value appears in the output.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { startNerdGraph, type LocalNerdGraph } from '../../../dev/local/newRelic.js';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { startSecretsManager, type LocalSecretsManager } from '../../../dev/local/secretsManager.js';
import { readTriggerMetrics } from '../../../shared/app/triggerMetrics.js';
import { createAuthResolver } from '../../../shared/auth/resolve.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { connectScaleClient } from '../../../shared/kube/scaleClient.js';
import { createKubeAgent } from '../../../shared/kube/transport.js';
import { loadDocuments, type ScaledObject, type TriggerAuthentication } from '../../../shared/spec/index.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import { createTriggerRegistry } from '../../../shared/triggers/registry.js';
import { runLpaAsync } from './runLpa.js';

const TOKEN = 'metrics-auth-static-token-0123456789';
const BEARER = 'prometheus-bearer-must-never-leak';
const MANAGED = 'managed-key-must-never-leak';
const QUERY = 'sum(rate(http_requests_total[2m]))';

let prometheus: LocalPrometheus;
let secretsManager: LocalSecretsManager;
let nerdGraph: LocalNerdGraph;
let kube: KubeApiHandle;
let dir: string;
let caFile: string;

const objectWith = (name: string, authModes: string, ref: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: ${name}, namespace: shop }
spec:
  scaleTargetRef: { name: checkout }
  triggers:
    - type: prometheus
      metadata: { serverAddress: '${prometheus.url}', query: '${QUERY}', threshold: "10", authModes: ${authModes} }
      authenticationRef: { name: ${ref} }
`;

const fileOf = (name: string, documents: readonly string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, documents.join('---\n'));
  return path;
};

const bearerFromSecret = `apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: { name: prom-bearer, namespace: shop }
spec:
  secretTargetRef: [{ parameter: bearerToken, name: prom-token, key: token }]
`;

const customFromManager = `apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: { name: prom-managed, namespace: shop }
spec:
  awsSecretManager:
    podIdentity: { provider: aws }
    region: eu-west-1
    secrets: [{ parameter: customAuthValue, name: prom/key }]
  secretTargetRef: []
`;

const withCluster = () => ['--server', kube.url, '--ca-file', caFile, '--token', TOKEN];
const awsEnv = () => ({ AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint, AWS_ACCESS_KEY_ID: 'AKIDCLIUSER', AWS_SECRET_ACCESS_KEY: 'cli-user-secret', AWS_REGION: 'eu-west-1' });

beforeAll(async () => {
  [prometheus, secretsManager, nerdGraph] = await Promise.all([startPrometheus(), startSecretsManager('eu-west-1'), startNerdGraph()]);
  prometheus.setVector(QUERY, [{ metric: {}, value: '30' }]);
  secretsManager.put('prom/key', MANAGED);
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    staticTokens: { [TOKEN]: { username: 'lpa', groups: ['lpa-scaler'] } },
    rbac: [
      {
        subjects: { groups: ['lpa-scaler'] },
        namespace: 'shop',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['prom-token'] },
          { apiGroups: ['keda.sh'], resources: ['triggerauthentications'], verbs: ['get'], resourceNames: ['prom-in-cluster'] },
        ],
      },
      {
        subjects: { groups: ['lpa-scaler'] },
        namespace: 'default',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['keda-new-relic-secret'] },
        ],
      },
    ],
  });
  kube.cluster.addDeployment({ namespace: 'shop', name: 'checkout', replicas: 2 });
  kube.cluster.putObject('', 'secrets', 'shop', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prom-token' }, stringData: { token: BEARER } });
  kube.cluster.putObject('keda.sh', 'triggerauthentications', 'shop', {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: 'prom-in-cluster' },
    spec: { secretTargetRef: [{ parameter: 'bearerToken', name: 'prom-token', key: 'token' }] },
  });
  dir = mkdtempSync(join(tmpdir(), 'lpa-metrics-auth-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, kube.caPem);
});

afterAll(async () => {
  await Promise.all([kube.close(), prometheus.close(), secretsManager.close(), nerdGraph.close()]);
});

const rowsOf = (stdout: string) => JSON.parse(stdout) as { value: number | null; error: string | null }[];

describe('lpa metrics with authenticationRef', () => {
  it('reads a Secret named by a TriggerAuthentication in the file from the cluster, and sends the bearer token', async () => {
    const file = fileOf('bearer.yaml', [objectWith('checkout', 'bearer', 'prom-bearer'), bearerFromSecret]);

    const result = await runLpaAsync(['metrics', file, '--json', ...withCluster()]);

    expect(rowsOf(result.stdout).map((r) => [r.value, r.error])).toEqual([[30, null]]);
    expect(result.status).toBe(0);
    expect(prometheus.requests.at(-1)?.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(result.stdout + result.stderr).not.toContain(BEARER);
  });

  it('reads an awsSecretManager value with the AWS credential chain, without cluster access', async () => {
    const file = fileOf('managed.yaml', [objectWith('checkout', 'custom', 'prom-managed'), customFromManager.replace('secrets: [{', 'secrets: [{ parameter: customAuthHeader, name: prom/header }, {')]);
    secretsManager.put('prom/header', 'X-Api-Key');

    const result = await runLpaAsync(['metrics', file, '--json'], awsEnv());

    expect(rowsOf(result.stdout).map((r) => [r.value, r.error])).toEqual([[30, null]]);
    expect(prometheus.requests.at(-1)?.headers['x-api-key']).toBe(MANAGED);
    expect(result.stdout + result.stderr).not.toContain(MANAGED);
  });

  it('reads a TriggerAuthentication that is only in the cluster by name', async () => {
    const file = fileOf('in-cluster.yaml', [objectWith('checkout', 'bearer', 'prom-in-cluster')]);

    const result = await runLpaAsync(['metrics', file, '--json', ...withCluster()]);

    expect(rowsOf(result.stdout).map((r) => [r.value, r.error])).toEqual([[30, null]]);
  });

  it('fails only the row whose Secret needs a cluster when none is given, naming the Secret', async () => {
    const file = fileOf('no-cluster.yaml', [objectWith('checkout', 'bearer', 'prom-bearer'), bearerFromSecret, objectWith('other', 'custom', 'prom-managed'), customFromManager.replace('secrets: [{', 'secrets: [{ parameter: customAuthHeader, name: prom/header }, {')]);

    const result = await runLpaAsync(['metrics', file, '--json'], awsEnv());

    expect(result.status).toBe(1);
    expect(rowsOf(result.stdout).map((r) => [r.value, r.error])).toEqual([
      [null, expect.stringContaining('TriggerAuthentication shop/prom-bearer: secretTargetRef[0] (parameter "bearerToken"): Secret shop/prom-token cannot be read: no cluster is connected')],
      [30, null],
    ]);
  });
});

describe('readTriggerMetrics with authenticationRef (in process: New Relic, seed 004)', () => {
  const NR_KEY = 'NRAK-SEED004-MUST-NEVER-LEAK';
  const ACCOUNT = 1234567;

  it("reads seed 004's new-relic row with the account and key its TriggerAuthentication takes from the Secret", async () => {
    // Prepare: seed 004 as rendered (namespace default); the Secret in the local cluster; the NRQL answered by the local NerdGraph.
    const objects: ScaledObject[] = [];
    const authentications: TriggerAuthentication[] = [];
    for (const { result } of loadDocuments(readFileSync('test/fixtures/manifests/seeds/004_2c7a966543893124-1.yaml', 'utf8'), 'seed004.yaml')) {
      if ('skipped' in result || !result.ok) continue;
      if ('authentication' in result) authentications.push(result.triggerAuthentication);
      else objects.push(result.scaledObject);
    }
    const nrql = (objects[0]?.spec.triggers[0]?.metadata as { nrql: string }).nrql;
    kube.cluster.putObject('', 'secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keda-new-relic-secret' }, stringData: { apiKey: NR_KEY, account: String(ACCOUNT), region: 'US' } });
    kube.cluster.addDeployment({ namespace: 'default', name: 'example-app', replicas: 1 });
    nerdGraph.addKey(NR_KEY, [ACCOUNT]);
    nerdGraph.setResults(ACCOUNT, nrql, [{ 'rate.count': 140 }]);
    const agent = createKubeAgent(kube.caPem);
    const clients = createAwsClients();
    try {
      const cluster = connectScaleClient({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN) });

      // Act
      const rows = await readTriggerMetrics(objects, {
        triggers: createTriggerRegistry({ clients, endpoints: { newRelic: nerdGraph.endpoints } }),
        cluster,
        now: Date.parse('2026-12-02T15:00:00Z'),
        authentications,
        auth: createAuthResolver({ secretsManager: (target) => clients.secretsManager(target), clock: () => 0 }),
      });

      // Assess
      // 140 at 70 per replica from 1 replica → 2.
      expect(rows.map((r) => [r.type, r.value, r.error, r.proposedReplicas])).toEqual([['new-relic', 140, null, 2]]);
      expect(JSON.stringify(rows)).not.toContain(NR_KEY);
    } finally {
      clients.destroy();
      await agent.close();
    }
  });
});
