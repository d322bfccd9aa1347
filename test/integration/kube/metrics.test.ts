/**
 * `lpa metrics` as a user runs it: the real binary against the local Kubernetes API (static token,
 * RBAC) and the local Prometheus, a Prometheus reached directly and one through the service proxy,
 * and a cron trigger (read in-process): every type through the one trigger registry.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { startPrometheus, type LocalPrometheus } from '../../../dev/local/prometheus.js';
import { startSqs, type LocalSqs } from '../../../dev/local/sqs.js';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { runLpaAsync } from './runLpa.js';

const TOKEN = 'metrics-static-token-0123456789';
const OTHER_TOKEN = 'no-proxy-static-token-0123456789';
const RPS = 'sum(rate(http_requests_total{service="checkout"}[2m]))';
const LATENCY = 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))';

let prometheus: LocalPrometheus;
let sqs: LocalSqs;
let kube: KubeApiHandle;
let dir: string;
let caFile: string;
let manifestFile: string;

const manifest = (directUrl: string): string => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: checkout, namespace: shop }
spec:
  scaleTargetRef: { name: checkout }
  triggers:
    - type: prometheus
      name: rps
      metadata:
        serverAddress: http://prometheus-server.monitoring.svc.cluster.local:9090
        metricName: http_requests_total
        query: '${RPS}'
        threshold: "100"
        activationThreshold: "5"
    - type: prometheus
      metadata:
        serverAddress: ${directUrl}
        query: '${LATENCY}'
        threshold: "0.5"
    - type: cron
      name: office-hours
      metadata: { timezone: UTC, start: "0 0 1 1 *", end: "1 0 1 1 *", desiredReplicas: "4" }
`;

const kubeFlags = (token = TOKEN) => ['--server', kube.url, '--ca-file', caFile, '--token', token];

beforeAll(async () => {
  [prometheus, sqs] = await Promise.all([startPrometheus(), startSqs({ region: 'eu-west-1' })]);
  prometheus.setVector(RPS, [{ metric: {}, value: '450' }]);
  prometheus.setVector(LATENCY, [{ metric: {}, value: '0.25' }]);
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    staticTokens: { [TOKEN]: { username: 'lpa', groups: ['lpa-scaler'] }, [OTHER_TOKEN]: { username: 'other', groups: ['no-proxy'] } },
    rbac: [
      { subjects: { groups: ['lpa-scaler', 'no-proxy'] }, namespace: 'shop', rules: [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] }] },
      { subjects: { groups: ['lpa-scaler'] }, namespace: 'monitoring', rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090'], verbs: ['get'] }] },
    ],
    services: [{ namespace: 'monitoring', name: 'prometheus-server', ports: [{ port: 9090 }], url: prometheus.url }],
  });
  kube.cluster.addDeployment({ namespace: 'shop', name: 'checkout', replicas: 2 });
  dir = mkdtempSync(join(tmpdir(), 'lpa-metrics-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, kube.caPem);
  manifestFile = join(dir, 'checkout.yaml');
  writeFileSync(manifestFile, manifest(prometheus.url));
});

afterAll(async () => {
  await Promise.all([kube.close(), prometheus.close(), sqs.close()]);
});

describe('lpa metrics', () => {
  it('prints one row per trigger with value, target, activation, activity and the HPA proposal, and exits 0', async () => {
    const result = await runLpaAsync(['metrics', manifestFile, ...kubeFlags()]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'SCALEDOBJECT TRIGGER TYPE VALUE TARGET ACTIVATION ACTIVE REPLICAS (NOW → HPA)',
      'shop/checkout rps prometheus 450 100 5 yes 2 → 5',
      'shop/checkout 1 prometheus 0.25 0.5 0 yes 2 → 1',
      'shop/checkout office-hours cron 0 1 0 no 2 → 0',
      '3 trigger(s) of 1 ScaledObject(s) read.',
      '',
    ]);
  });

  it('prints the documented JSON array with --json', async () => {
    const result = await runLpaAsync(['metrics', manifestFile, '--json', ...kubeFlags()]);

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { scaledObject: 'shop/checkout', trigger: 'rps', type: 'prometheus', value: 450, error: null, target: 100, activationTarget: 5, active: true, currentReplicas: 2, proposedReplicas: 5 },
      { scaledObject: 'shop/checkout', trigger: '1', type: 'prometheus', value: 0.25, error: null, target: 0.5, activationTarget: 0, active: true, currentReplicas: 2, proposedReplicas: 1 },
      { scaledObject: 'shop/checkout', trigger: 'office-hours', type: 'cron', value: 0, error: null, target: 1, activationTarget: 0, active: false, currentReplicas: 2, proposedReplicas: 0 },
    ]);
  });

  it('shows a failed read with its error and exits 1', async () => {
    prometheus.setError(LATENCY, 'execution', 'query processing would load too many samples into memory');
    try {
      const result = await runLpaAsync(['metrics', manifestFile, '--json', ...kubeFlags()]);

      expect(result.status).toBe(1);
      expect(JSON.parse(result.stdout)[1]).toMatchObject({
        value: null,
        active: false,
        error: expect.stringContaining('Prometheus answered HTTP 422: execution: "query processing would load too many samples into memory"'),
      });
    } finally {
      prometheus.setVector(LATENCY, [{ metric: {}, value: '0.25' }]);
    }
  });

  it('names the services/proxy rule to add when RBAC refuses the in-cluster Prometheus', async () => {
    const result = await runLpaAsync(['metrics', manifestFile, ...kubeFlags(OTHER_TOKEN)]);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('error: shop/checkout spec.triggers[0] "rps": RBAC does not allow "get" on "services/proxy"');
    expect(result.stdout).toContain('resourceNames: ["http:prometheus-server:9090"]');
  });

  it('reads without a cluster, showing no replicas and saying why the in-cluster address failed', async () => {
    const result = await runLpaAsync(['metrics', manifestFile]);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('no cluster is connected');
    expect(result.stdout).toMatch(/shop\/checkout\s+1\s+prometheus\s+0\.25\s+0\.5\s+0\s+yes\s+-/);
  });

  it('reads an AWS trigger with the default credential chain, through the same registry', async () => {
    const queueUrl = (await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl as string;
    await sqs.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: 7 }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` })) }));
    const file = join(dir, 'orders.yaml');
    writeFileSync(
      file,
      `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: orders, namespace: shop }
spec:
  scaleTargetRef: { name: checkout }
  triggers:
    - type: aws-sqs-queue
      metadata: { queueURL: "${queueUrl}", queueLength: "2", awsRegion: eu-west-1, awsEndpoint: "${sqs.endpoint}" }
`,
    );
    const env = { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_REGION: 'eu-west-1' };

    const refused = await runLpaAsync(['metrics', file, '--json'], env);
    const result = await runLpaAsync(['metrics', file, '--json', '--trust-aws-endpoint', 'http://127.0.0.1', ...kubeFlags()], env);

    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('awsEndpoint');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { scaledObject: 'shop/orders', trigger: '0', type: 'aws-sqs-queue', value: 7, error: null, target: 2, activationTarget: 0, active: true, currentReplicas: 2, proposedReplicas: 4 },
    ]);
  });

  it('exits 2 on a usage error', async () => {
    const result = await runLpaAsync(['metrics', manifestFile, '--server', kube.url]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--server needs --ca-file: TLS is always verified');
  });
});
