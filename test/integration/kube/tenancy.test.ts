/**
 * Tenancy of the cluster source over real HTTP: ScaledObjects applied to the local Kubernetes API read
 * real queues of the local SQS (through AWS_ENDPOINT_URL_SQS) with the real trigger registry. An
 * object inside its namespace's allowance scales; one outside is refused with Ready=False naming the
 * field and the rule, and its queue is never asked; a namespace with a role reads as that role (the
 * local STS sees the AssumeRole); an object may query the in-cluster Prometheus its namespace's
 * `services` name, through the API server's service proxy, with exactly the RBAC generated from the
 * tenancy (the local API server enforces it); a ClusterTriggerAuthentication reads its Secret in `keda`
 * as its declaration and that RBAC allow, and one reading outside its declaration refuses its objects
 * unread. Time is injected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { startSqs, type LocalSqs } from '../../../dev/local/sqs.js';
import { startSts, type LocalSts } from '../../../dev/local/sts.js';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import { createRuntime } from '../../../shared/app/runtime.js';
import { runTick } from '../../../shared/app/tick.js';
import { createAuthResolver } from '../../../shared/auth/resolve.js';
import { createClusterConnector } from '../../../shared/kube/connector.js';
import type { AwsCredentials } from '../../../shared/kube/eksToken.js';
import { InMemoryStateStore } from '../../../shared/state/inMemoryStateStore.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import { createTriggerRegistry } from '../../../shared/triggers/registry.js';
import { rbacObjects } from '../../../infra/rbac.js';
import { tenancyReads, withTenancyRbac } from '../../../infra/tenancyAccess.js';
import { asBindings } from '../../helpers/kube.js';
import { runLpaAsync } from './runLpa.js';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000'; // the local SQS's account
const LPA: AwsCredentials = { accessKeyId: 'AKIDLPA', secretAccessKey: 'lpa-secret', sessionToken: 'lpa-session' };
const BASE = { accessKeyId: 'AKIDFUNCTIONROLE', secretAccessKey: 'function-role-secret' };
const SHOP_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-reader`;
const NOW = Date.parse('2026-12-02T14:40:00Z');
const ADMIN_TOKEN = 'admin-static-token-0123456789';

let kube: KubeApiHandle;
let sqs: LocalSqs;
let sts: LocalSts;
let prometheus: LocalPrometheus;
const queueUrls: Record<string, string> = {};

const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';
const QUERY = 'sum(rate(http_requests_total{service="checkout"}[2m]))';

const TENANT_KEY = 'tenant-key-must-never-leak';

const TENANTS = {
  account: ACCOUNT,
  region: REGION,
  namespaces: {
    demo: { awsResources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:demo-*`], services: [IN_CLUSTER], clusterTriggerAuthentications: ['prometheus-tenant', 'greedy'] },
    shop: { roleArn: SHOP_ROLE },
  },
  clusterTriggerAuthentications: {
    'prometheus-tenant': { secrets: ['prometheus-tenant'] },
    greedy: { secrets: ['prometheus-tenant'] },
  },
};

/** A ClusterTriggerAuthentication whose custom Prometheus header comes from a Secret in `keda`. */
const headerAuthentication = (name: string, secret: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ClusterTriggerAuthentication',
  metadata: { name },
  spec: {
    secretTargetRef: [
      { parameter: 'customAuthHeader', name: secret, key: 'header' },
      { parameter: 'customAuthValue', name: secret, key: 'value' },
    ],
  },
});

beforeAll(async () => {
  prometheus = await startPrometheus();
  [kube, sqs, sts] = await Promise.all([
    startKubeApi({
      clusterName: 'demo',
      region: REGION,
      now: () => NOW,
      identities: [{ ...LPA, username: 'lpa', groups: ['lpa-scaler'] }],
      staticTokens: { [ADMIN_TOKEN]: { username: 'admin', groups: ['system:masters'] } },
      // Exactly what the construct and `lpa rbac --from-cluster --tenants` generate for these tenants.
      rbac: asBindings(rbacObjects(withTenancyRbac({ targets: [], fromCluster: { namespaces: ['demo', 'shop'] } }, tenancyReads(TENANTS, ['demo', 'shop'])))),
      services: [{ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: prometheus.url }],
    }),
    startSqs({ region: REGION }),
    startSts({ clock: () => NOW }),
  ]);
  for (const name of ['demo-orders', 'payroll', 'shop-jobs']) {
    queueUrls[name] = (await sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
    for (let i = 0; i < 6; i += 1) await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrls[name], MessageBody: `m${i}` }));
  }
  for (const secret of ['prometheus-tenant', 'payroll-keys']) {
    kube.cluster.putObject('', 'secrets', 'keda', { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret }, stringData: { header: 'X-Scope-OrgID', value: TENANT_KEY } });
  }
  kube.cluster.putObject('keda.sh', 'clustertriggerauthentications', '', headerAuthentication('prometheus-tenant', 'prometheus-tenant'));
  kube.cluster.putObject('keda.sh', 'clustertriggerauthentications', '', headerAuthentication('greedy', 'payroll-keys'));
  vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqs.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.endpoint);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([kube.close(), sqs.close(), sts.close(), prometheus.close()]);
});

beforeEach(() => sts.reset());

const apply = (namespace: string, name: string, queue: string, authenticationRef?: { name: string }) => {
  kube.cluster.addDeployment({ namespace, name, replicas: 1 });
  kube.cluster.objects.applyScaledObject({
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { name },
      pollingInterval: 60,
      maxReplicaCount: 10,
      triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: queueUrls[queue], queueLength: '2', awsRegion: REGION }, ...(authenticationRef === undefined ? {} : { authenticationRef }) }],
    },
  });
};

/** `clusterAuthentication`: the ClusterTriggerAuthentication its custom header comes from. */
const applyPrometheus = (namespace: string, name: string, query = QUERY, clusterAuthentication?: string) => {
  const auth = clusterAuthentication === undefined ? {} : { authenticationRef: { name: clusterAuthentication, kind: 'ClusterTriggerAuthentication' } };
  const metadata = { serverAddress: IN_CLUSTER, query, threshold: '100', ...(clusterAuthentication === undefined ? {} : { authModes: 'custom' }) };
  kube.cluster.addDeployment({ namespace, name, replicas: 1 });
  kube.cluster.objects.applyScaledObject({
    metadata: { name, namespace },
    spec: { scaleTargetRef: { name }, pollingInterval: 60, maxReplicaCount: 10, triggers: [{ type: 'prometheus', metadata, ...auth }] },
  });
};

const run = async () => {
  const connector = createClusterConnector({
    credentials: async () => LPA,
    now: () => NOW,
    sleep: async () => undefined,
    random: () => 0,
    clusters: [{ name: 'demo', region: REGION, endpoint: kube.url, caData: kube.caData }],
  });
  const clients = createAwsClients({ credentials: BASE, clock: () => NOW });
  try {
    const parsed = parseScaleGroup({ cluster: { name: 'demo', region: REGION }, source: { fromCluster: { namespaces: ['demo', 'shop'], tenants: TENANTS } } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return await runTick(parsed.group, {
      stateStore: new InMemoryStateStore({ clock: () => NOW }),
      connector,
      clusterApi: connector,
      triggers: createTriggerRegistry({ clients }),
      auth: createAuthResolver({ secretsManager: (target) => clients.secretsManager(target), clock: () => NOW, defaultRegion: REGION }),
      now: () => NOW,
      owner: 'test',
      sleepUntil: async () => undefined,
    });
  } finally {
    clients.destroy();
    await connector.close();
  }
};

const ready = (namespace: string, name: string) =>
  ((kube.cluster.objects.get('keda.sh/scaledobjects', namespace, name)?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === 'Ready',
  );

describe('Integration: tenancy of the cluster source', () => {
  it('scales an allowed object and refuses one outside its namespace\'s allowance without reading its queue', async () => {
    // Prepare
    apply('demo', 'allowed', 'demo-orders');
    apply('demo', 'outside', 'payroll');
    const readsBefore = sqs.count('GetQueueAttributes');

    // Act
    const reports = await run();

    // Assess
    expect(kube.cluster.deployment('demo', 'allowed').specReplicas).toBe(3);
    expect(kube.cluster.deployment('demo', 'outside').specReplicas).toBe(1);
    expect(ready('demo', 'outside')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ScaledObjectCheckFailed',
      message: `ScaledObject reads outside what its namespace is allowed: spec.triggers[0].metadata.queueURL: arn:aws:sqs:${REGION}:${ACCOUNT}:payroll is not allowed for namespace demo (tenants.namespaces.demo: awsResources arn:aws:sqs:${REGION}:${ACCOUNT}:demo-*)`,
    });
    expect(reports.find((r) => r.id === 'demo/demo/outside')).toMatchObject({ outcome: 'invalid', reason: 'NotAllowed' });
    // demo-orders only: payroll is never asked.
    expect(sqs.count('GetQueueAttributes') - readsBefore).toBe(1);
  });

  it('reads a namespace with a role as that role, assumed with the functions\' credentials', async () => {
    // Prepare
    apply('shop', 'jobs', 'shop-jobs');

    // Act
    await run();

    // Assess
    expect(kube.cluster.deployment('shop', 'jobs').specReplicas).toBe(3);
    expect(sts.calls.map((c) => [c.roleArn, c.callerAccessKeyId])).toEqual([[SHOP_ROLE, BASE.accessKeyId]]);
  });

  it('reads an object of a role namespace that references a TriggerAuthentication (fetched, checked) as the namespace\'s role', async () => {
    // Prepare
    kube.cluster.putObject('keda.sh', 'triggerauthentications', 'shop', { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'identity', namespace: 'shop' }, spec: { podIdentity: { provider: 'aws' } } });
    apply('shop', 'ta-jobs', 'shop-jobs', { name: 'identity' });

    // Act
    await run();

    // Assess
    expect(kube.cluster.deployment('shop', 'ta-jobs').specReplicas).toBe(3);
    expect(sts.calls.map((c) => c.roleArn)).toEqual([SHOP_ROLE]);
  });

  it('refuses an object whose TriggerAuthentication names a Secret its namespace may not read, and never reads it', async () => {
    // Prepare
    const keys = { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'keys', namespace: 'demo' }, spec: { secretTargetRef: [{ parameter: 'apiKey', name: 'payroll-keys', key: 'key' }] } };
    kube.cluster.putObject('keda.sh', 'triggerauthentications', 'demo', keys);
    apply('demo', 'with-keys', 'demo-orders', { name: 'keys' });

    // Act
    await run();

    // Assess
    expect(ready('demo', 'with-keys')?.message).toBe(
      'ScaledObject reads outside what its namespace is allowed: spec.triggers[0].authenticationRef.spec.secretTargetRef[0].name: Secret demo/payroll-keys is not allowed for namespace demo (tenants.namespaces.demo: secrets none)',
    );
    expect(kube.requests.some((r) => r.path.includes('/secrets/payroll-keys'))).toBe(false);
  });

  it('reads the in-cluster Prometheus its namespace\'s services name through the service proxy, with the generated RBAC, and scales on it', async () => {
    // Prepare: 450 at 100 per replica wants 5; the first step from 1 may go to 4.
    prometheus.setVector(QUERY, [{ metric: {}, value: '450' }]);
    applyPrometheus('demo', 'checkout');
    const before = prometheus.requests.length;

    // Act
    await run();

    // Assess
    expect(kube.cluster.deployment('demo', 'checkout').specReplicas).toBe(4);
    expect(ready('demo', 'checkout')?.status).toBe('True');
    expect(prometheus.requests.length - before).toBe(1);
    expect(kube.requests.some((r) => r.path.startsWith('/api/v1/namespaces/monitoring/services/http:prometheus-server:9090/proxy/api/v1/query?') && r.status === 200 && r.username === 'lpa')).toBe(true);
  });

  it('refuses an in-cluster Prometheus its namespace\'s services do not name, and never asks the proxy', async () => {
    // Prepare
    const shopQuery = 'sum(rate(http_requests_total{service="shop"}[2m]))';
    applyPrometheus('shop', 'shop-checkout', shopQuery);

    // Act
    await run();

    // Assess
    expect(ready('shop', 'shop-checkout')?.message).toBe(
      `ScaledObject reads outside what its namespace is allowed: spec.triggers[0].metadata.serverAddress: ${IN_CLUSTER} (Service monitoring/http:prometheus-server:9090) is not allowed for namespace shop (tenants.namespaces.shop: services none; an in-cluster address is read through the API server's service proxy, so endpoints do not cover it)`,
    );
    expect(prometheus.requests.filter((r) => r.params.query === shopQuery)).toEqual([]);
  });

  it('reads a ClusterTriggerAuthentication\'s Secret in keda as its declaration and the generated RBAC allow, and sends its header', async () => {
    // Prepare
    const query = 'sum(rate(http_requests_total{service="tenant"}[2m]))';
    prometheus.setVector(query, [{ metric: {}, value: '300' }]);
    applyPrometheus('demo', 'tenant-checkout', query, 'prometheus-tenant');

    // Act
    await run();

    // Assess: 300 at 100 per replica wants 3.
    expect(kube.cluster.deployment('demo', 'tenant-checkout').specReplicas).toBe(3);
    expect(prometheus.requests.filter((r) => r.params.query === query).map((r) => r.headers['x-scope-orgid'])).toEqual([TENANT_KEY]);
    expect(kube.requests.some((r) => r.path === '/api/v1/namespaces/keda/secrets/prometheus-tenant' && r.status === 200 && r.username === 'lpa')).toBe(true);
  });

  it('refuses the objects using a ClusterTriggerAuthentication that reads outside its declaration, and never reads that Secret', async () => {
    // Prepare
    const query = 'sum(rate(http_requests_total{service="greedy"}[2m]))';
    applyPrometheus('demo', 'greedy-checkout', query, 'greedy');

    // Act
    await run();

    // Assess
    const refusal = (i: number) =>
      `spec.triggers[0].authenticationRef.spec.secretTargetRef[${i}].name: Secret keda/payroll-keys is not allowed for ClusterTriggerAuthentication greedy (tenants.clusterTriggerAuthentications.greedy: secrets prometheus-tenant)`;
    expect(ready('demo', 'greedy-checkout')?.message).toBe(`ScaledObject reads outside what its namespace is allowed: ${refusal(0)}; ${refusal(1)}`);
    expect(kube.requests.some((r) => r.path.includes('/secrets/payroll-keys'))).toBe(false);
    expect(prometheus.requests.filter((r) => r.params.query === query)).toEqual([]);
  });

  it('lpa run --from-cluster --tenants FILE holds the objects to the file\'s allowances', async () => {
    // Prepare: namespace demo may read billing-* only, so neither of its queues.
    apply('demo', 'run-outside', 'demo-orders');
    const dir = mkdtempSync(join(tmpdir(), 'lpa-tenants-'));
    writeFileSync(join(dir, 'ca.pem'), kube.caPem);
    writeFileSync(join(dir, 'tenants.yaml'), `account: "${ACCOUNT}"\nnamespaces:\n  demo:\n    awsResources: [arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*]\n`);
    const readsBefore = sqs.count('GetQueueAttributes');

    // Act
    const args = ['run', '--once', '--dry-run', '--server', kube.url, '--ca-file', join(dir, 'ca.pem'), '--token', ADMIN_TOKEN, '--from-cluster', '--namespace', 'demo', '--tenants', join(dir, 'tenants.yaml')];
    const result = await runLpaAsync(args, { AWS_REGION: REGION, AWS_ACCESS_KEY_ID: BASE.accessKeyId, AWS_SECRET_ACCESS_KEY: BASE.secretAccessKey, AWS_ENDPOINT_URL_SQS: sqs.endpoint });

    // Assess
    const line = result.stdout.split('\n').find((l) => l.startsWith('local/demo/run-outside '));
    expect(line).toBe(
      `local/demo/run-outside  invalid  NotAllowed  ScaledObject reads outside what its namespace is allowed: spec.triggers[0].metadata.queueURL: arn:aws:sqs:${REGION}:${ACCOUNT}:demo-orders is not allowed for namespace demo (tenants.namespaces.demo: awsResources arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*)`,
    );
    expect(sqs.count('GetQueueAttributes')).toBe(readsBefore);
  });
});

describe('Integration: a cluster object namespace other than keda', () => {
  it('reads a ClusterTriggerAuthentication\'s Secret where the runtime is told, as the RBAC generated for that namespace allows', async () => {
    // Prepare: KEDA installed in keda-system; the RBAC is what the construct makes with clusterObjectNamespace keda-system.
    const tenants = { namespaces: { demo: TENANTS.namespaces.demo }, clusterTriggerAuthentications: { 'prometheus-tenant': { secrets: ['prometheus-tenant'] } } };
    const cluster = await startKubeApi({
      clusterName: 'demo',
      region: REGION,
      now: () => NOW,
      identities: [{ ...LPA, username: 'lpa', groups: ['lpa-scaler'] }],
      rbac: asBindings(rbacObjects(withTenancyRbac({ targets: [], fromCluster: { namespaces: ['demo'] } }, tenancyReads(tenants, ['demo'], 'keda-system')))),
      services: [{ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: prometheus.url }],
    });
    cluster.cluster.putObject('', 'secrets', 'keda-system', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prometheus-tenant' }, stringData: { header: 'X-Scope-OrgID', value: TENANT_KEY } });
    cluster.cluster.putObject('keda.sh', 'clustertriggerauthentications', '', headerAuthentication('prometheus-tenant', 'prometheus-tenant'));
    const query = 'sum(rate(http_requests_total{service="moved"}[2m]))';
    prometheus.setVector(query, [{ metric: {}, value: '300' }]);
    cluster.cluster.addDeployment({ namespace: 'demo', name: 'moved', replicas: 1 });
    cluster.cluster.objects.applyScaledObject({
      metadata: { name: 'moved', namespace: 'demo' },
      spec: {
        scaleTargetRef: { name: 'moved' },
        pollingInterval: 60,
        maxReplicaCount: 10,
        triggers: [{ type: 'prometheus', metadata: { serverAddress: IN_CLUSTER, query, threshold: '100', authModes: 'custom' }, authenticationRef: { name: 'prometheus-tenant', kind: 'ClusterTriggerAuthentication' } }],
      },
    });
    const runtime = createRuntime(
      { tableName: 'unused', clusters: [{ name: 'demo', region: REGION, endpoint: cluster.url, caData: cluster.caData }], clusterObjectNamespace: 'keda-system' },
      { aws: { credentials: BASE, clock: () => NOW }, kube: { credentials: async () => LPA, now: () => NOW, sleep: async () => undefined, random: () => 0 }, stateStore: new InMemoryStateStore({ clock: () => NOW }) },
    );
    const parsed = parseScaleGroup({ cluster: { name: 'demo', region: REGION }, source: { fromCluster: { namespaces: ['demo'], tenants } } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

    // Act
    try {
      await runTick(parsed.group, { ...runtime, now: () => NOW, owner: 'test', sleepUntil: async () => undefined });
    } finally {
      await runtime.close();
      await cluster.close();
    }

    // Assess: 300 at 100 per replica wants 3, with the header from keda-system's Secret.
    expect(cluster.cluster.deployment('demo', 'moved').specReplicas).toBe(3);
    expect(prometheus.requests.filter((r) => r.params.query === query).map((r) => r.headers['x-scope-orgid'])).toEqual([TENANT_KEY]);
    expect(cluster.requests.filter((r) => r.path.includes('/secrets/')).map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v1/namespaces/keda-system/secrets/prometheus-tenant 200']);
  });
});
