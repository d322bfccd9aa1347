/**
 * `lpa doctor` and `lpa token` as a user runs them: the real binary against the local Kubernetes API
 * (and the local EKS stand-in for DescribeCluster), checking output, exit codes, that nothing is
 * changed, and that the token never shows up in what is printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEksApi } from '../../../dev/local/eks.js';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { createKubeAgent, createScaleClient } from '../../../shared/kube/scaleClient.js';
import { runLpaAsync } from './runLpa.js';

const REGION = 'eu-west-1';
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIDSCALER', AWS_SECRET_ACCESS_KEY: 'scaler-secret', AWS_SESSION_TOKEN: 'scaler-session' };
const READER_TOKEN = 'reader-static-token-0123456789';
const SCALER_TOKEN = 'scaler-static-token-0123456789';
/** The Role `lpa rbac` writes where no target has a Value metric: no pods. */
const NO_PODS_TOKEN = 'no-pods-static-token-0123456789';

let kube: KubeApiHandle;
let eks: Awaited<ReturnType<typeof startEksApi>>;
let caFile: string;

beforeAll(async () => {
  // Real clock: the binary signs tokens with the time of day.
  kube = await startKubeApi({
    clusterName: 'demo',
    region: REGION,
    identities: [{ accessKeyId: AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: AWS_ENV.AWS_SECRET_ACCESS_KEY, sessionToken: AWS_ENV.AWS_SESSION_TOKEN, username: 'lpa-scaler', groups: ['lpa-scalers'] }],
    staticTokens: {
      [READER_TOKEN]: { username: 'reader', groups: ['lpa-readers'] },
      [SCALER_TOKEN]: { username: 'scaler', groups: ['lpa-scalers'] },
      [NO_PODS_TOKEN]: { username: 'no-pods', groups: ['lpa-no-pods'] },
    },
    rbac: [
      {
        subjects: { groups: ['lpa-scalers'] },
        namespace: 'demo',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        ],
      },
      { subjects: { groups: ['lpa-no-pods'] }, namespace: 'demo', rules: [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] }] },
      {
        subjects: { groups: ['lpa-readers'] },
        namespace: 'demo',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        ],
      },
    ],
  });
  kube.cluster.addDeployment({ namespace: 'demo', name: 'worker', replicas: 2 });
  eks = await startEksApi({ region: REGION, clusters: [{ name: 'demo', endpoint: kube.url, caData: kube.caData }] });
  caFile = join(mkdtempSync(join(tmpdir(), 'lpa-doctor-')), 'ca.pem');
  writeFileSync(caFile, kube.caPem);
});

afterAll(async () => {
  await eks.close();
  await kube.close();
});

describe('CLI: lpa doctor', () => {
  it('prints the RBAC rule to add when patch is not allowed, changes nothing, and exits 1', async () => {
    // Act
    const result = await runLpaAsync(['doctor', '--namespace', 'demo', '--deployment', 'worker', '--server', kube.url, '--ca-file', caFile, '--token', READER_TOKEN]);
    // Assess
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      '✓ token        given with --token; the API server judges it below',
      `✓ cluster      ${kube.url}, TLS verified against ${caFile}`,
      '✓ get scale    deployment demo/worker: spec.replicas 2, status.replicas 2, selector "app=worker"',
      '✗ patch scale  RBAC refuses "patch" on "deployments/scale" in namespace "demo"; add to the Role bound to LPA\'s group:',
      '    - apiGroups: ["apps"]',
      '      resources: ["deployments/scale"]',
      '      verbs: ["patch"]',
      '✓ list pods    2 ready pod(s) match "app=worker" (read for metricType Value)',
      '1 check(s) failed: LPA cannot yet scale deployment demo/worker.',
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(`${result.stdout}${result.stderr}`).not.toContain(READER_TOKEN);
    expect(kube.cluster.deployment('demo', 'worker').specReplicas).toBe(2);
  });

  it('passes when pods may not be listed: only targets with a Value metric need that', async () => {
    const result = await runLpaAsync(['doctor', '--namespace', 'demo', '--deployment', 'worker', '--server', kube.url, '--ca-file', caFile, '--token', NO_PODS_TOKEN]);
    expect(result.stdout.trimEnd().split('\n').slice(4)).toEqual([
      '- list pods    skipped: not granted, which is right unless a trigger of this target has metricType Value (then add pods list; lpa rbac does)',
      'LPA can scale deployment demo/worker.',
    ]);
    expect(result.status).toBe(0);
  });

  it('passes every check through EKS (token from the AWS chain, DescribeCluster) and only dry-runs the PATCH', async () => {
    const writesBefore = kube.cluster.patchCount('demo', 'worker');
    const logStart = kube.requests.length;
    // Act
    const result = await runLpaAsync(['doctor', '--namespace', 'demo', '--deployment', 'worker', '--cluster', 'demo', '--region', REGION], {
      ...AWS_ENV,
      AWS_ENDPOINT_URL_EKS: eks.url,
    });
    // Assess
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ token {8}signed for EKS cluster "demo" \(eu-west-1\), valid until \d{4}-\d\d-\d\dT[\d:.]+Z; no AWS call needed$/);
    expect(lines.slice(1)).toEqual([
      `✓ cluster      EKS cluster "demo" (eu-west-1) serves at ${kube.url}; TLS verified against its CA`,
      '✓ get scale    deployment demo/worker: spec.replicas 2, status.replicas 2, selector "app=worker"',
      '✓ patch scale  dry run of replicas 2 accepted; nothing was changed',
      '✓ list pods    2 ready pod(s) match "app=worker" (read for metricType Value)',
      'LPA can scale deployment demo/worker.',
    ]);
    expect(result.status).toBe(0);
    expect(kube.cluster.patchCount('demo', 'worker')).toBe(writesBefore);
    expect(kube.requests.slice(logStart).find((r) => r.method === 'PATCH')?.path).toContain('dryRun=All');
    expect(result.stdout + result.stderr).not.toContain('k8s-aws-v1.');
  });

  it('reports a refused token on the first API check and skips the rest', async () => {
    const result = await runLpaAsync(['doctor', '--namespace', 'demo', '--deployment', 'worker', '--server', kube.url, '--ca-file', caFile, '--token', 'not-a-known-token']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(result.status).toBe(1);
    expect(lines[2]).toContain('✗ get scale    get deployments/scale of deployment demo/worker: the API server refused the bearer token (401 Unauthorized)');
    expect(lines.slice(3, 5)).toEqual([
      '- patch scale  skipped: needs the current replicas from get scale',
      '- list pods    skipped: needs the selector from get scale',
    ]);
    expect(result.stdout).not.toContain('not-a-known-token');
  });

  it.each([
    {
      comment: '--server without --ca-file',
      args: ['--namespace', 'demo', '--deployment', 'worker', '--server', 'https://127.0.0.1:1'],
      message: '--server needs --ca-file: TLS is always verified',
    },
    { comment: 'no --deployment', args: ['--namespace', 'demo', '--cluster', 'demo', '--region', REGION], message: '--namespace and --deployment are required' },
  ])('exits 2 on $comment', async ({ args, message }) => {
    const result = await runLpaAsync(['doctor', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`lpa doctor: ${message}`);
  });
});

describe('CLI: lpa token', () => {
  it('prints an ExecCredential whose token the Kubernetes API accepts, and nothing on standard error', async () => {
    // Act
    const result = await runLpaAsync(['token', '--cluster', 'demo', '--region', REGION], AWS_ENV);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const credential = JSON.parse(result.stdout) as { kind: string; apiVersion: string; status: { token: string; expirationTimestamp: string } };
    expect(credential.kind).toBe('ExecCredential');
    expect(credential.apiVersion).toBe('client.authentication.k8s.io/v1beta1');
    expect(credential.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const agent = createKubeAgent(kube.caPem);
    try {
      const client = createScaleClient({ endpoint: kube.url, agent, tokens: staticTokenSource(credential.status.token) });
      expect((await client.getScale('demo', 'worker')).specReplicas).toBe(2);
    } finally {
      await agent.close();
    }
  });
});
