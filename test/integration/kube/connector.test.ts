/**
 * The ClusterConnector end to end over real HTTP(S) on loopback: DescribeCluster on the local EKS
 * stand-in (reached through AWS_ENDPOINT_URL_EKS, as the SDK's endpoint configuration allows), then
 * the local Kubernetes API, which verifies our EKS tokens as aws-iam-authenticator does and enforces RBAC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEksApi } from '../../../dev/local/eks.js';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { createClusterConnector, type ClusterConnectorDeps } from '../../../shared/kube/connector.js';
import type { AwsCredentials } from '../../../shared/kube/eksToken.js';
import {
  ClusterLookupError,
  KubeConnectionError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeUnauthorizedError,
} from '../../../shared/kube/errors.js';
import { makeCa } from '../../unit/kube/httpsStub.js';

const REGION = 'eu-west-1';
const SCALER: AwsCredentials = { accessKeyId: 'AKIDSCALER', secretAccessKey: 'scaler-secret', sessionToken: 'scaler-session' };
const READER: AwsCredentials = { accessKeyId: 'AKIDREADER', secretAccessKey: 'reader-secret', sessionToken: 'reader-session' };
const STALE: AwsCredentials = { accessKeyId: 'AKIDREVOKED', secretAccessKey: 'old', sessionToken: 'old' };
const SECOND = 1000;

let now = Date.parse('2026-11-23T10:00:00Z');
const clock = () => now;
let kube: KubeApiHandle;
let eks: Awaited<ReturnType<typeof startEksApi>>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: REGION,
    now: clock,
    identities: [
      { ...SCALER, sessionToken: SCALER.sessionToken, username: 'lpa-scaler', groups: ['lpa-scalers'] },
      { ...READER, sessionToken: READER.sessionToken, username: 'lpa-reader', groups: ['lpa-readers'] },
    ],
    rbac: [
      {
        subjects: { groups: ['lpa-scalers'] },
        namespace: 'demo',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        ],
      },
      { subjects: { groups: ['lpa-readers'] }, namespace: 'demo', rules: [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] }] },
    ],
  });
  kube.cluster.addDeployment({ namespace: 'demo', name: 'worker', replicas: 1, startupDelayMs: 30 * SECOND });
  eks = await startEksApi({
    region: REGION,
    clusters: [
      { name: 'demo', endpoint: kube.url, caData: kube.caData },
      { name: 'building', endpoint: kube.url, caData: kube.caData, status: 'CREATING' },
    ],
  });
  // The SDK's service-specific endpoint setting, and credentials so it signs DescribeCluster (never IMDS).
  Object.assign(process.env, { AWS_ENDPOINT_URL_EKS: eks.url, AWS_ACCESS_KEY_ID: 'AKIDEKS', AWS_SECRET_ACCESS_KEY: 'eks-secret' });
});

afterAll(async () => {
  process.env = savedEnv;
  await eks.close();
  await kube.close();
});

/** A connector with the clock shared with the API server and sleeps recorded, not waited. */
const connector = (credentials: () => Promise<AwsCredentials>, deps: ClusterConnectorDeps = {}) => {
  const sleeps: number[] = [];
  const c = createClusterConnector({
    credentials,
    now: clock,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...deps,
  });
  return { connector: c, sleeps };
};
const scaler = async () => SCALER;

describe('Integration: ClusterConnector against the local EKS and Kubernetes APIs', () => {
  it('finds the cluster with DescribeCluster once, then reads the scale subresource', async () => {
    const { connector: c } = connector(scaler);
    try {
      const callsBefore = eks.calls;
      const client = await c.connect({ name: 'demo', region: REGION });
      const again = await c.connect({ name: 'demo', region: REGION });
      expect(again).toBe(client);
      expect(eks.calls - callsBefore).toBe(1);
      expect(await client.getScale('demo', 'worker')).toEqual({ specReplicas: 1, statusReplicas: 1, selector: 'app=worker' });
    } finally {
      await c.close();
    }
  });

  it('patches replicas, and a dry run changes nothing', async () => {
    const { connector: c } = connector(scaler, { clusters: [{ name: 'demo', region: REGION, endpoint: kube.url, caData: kube.caData }] });
    try {
      const client = await c.connect({ name: 'demo', region: REGION });
      const writesBefore = kube.cluster.patchCount('demo', 'worker');
      // Act: dry run first, then the real patch.
      const dry = await client.patchScale('demo', 'worker', 7, { dryRun: true });
      expect(dry.specReplicas).toBe(7);
      expect(kube.cluster.deployment('demo', 'worker').specReplicas).toBe(1);
      const real = await client.patchScale('demo', 'worker', 3);
      // Assess
      expect(real.specReplicas).toBe(3);
      expect(kube.cluster.deployment('demo', 'worker').specReplicas).toBe(3);
      expect(kube.cluster.patchCount('demo', 'worker') - writesBefore).toBe(1);
      expect(kube.cluster.deployment('demo', 'worker').history.at(-1)?.by).toBe('lpa-scaler');
    } finally {
      await c.close();
    }
  });

  it('counts only pods that are Running and Ready', async () => {
    const { connector: c } = connector(scaler);
    try {
      const client = await c.connect({ name: 'demo', region: REGION });
      kube.cluster.setReplicas('demo', 'worker', 4);
      const readyNow = await client.countReadyPods('demo', 'app=worker');
      now += 30 * SECOND;
      const readyLater = await client.countReadyPods('demo', 'app=worker');
      expect(kube.cluster.deployment('demo', 'worker').readyReplicas).toBe(readyLater);
      expect(readyNow).toBeLessThan(4);
      expect(readyLater).toBe(4);
    } finally {
      await c.close();
    }
  });

  it('re-mints once after a 401 and succeeds with the new token', async () => {
    // Prepare: the first credentials were revoked; the provider hands out fresh ones next.
    const handedOut = [STALE, SCALER];
    let calls = 0;
    const { connector: c } = connector(async () => handedOut[Math.min(calls++, 1)] ?? SCALER);
    const logStart = kube.requests.length;
    try {
      // Act
      const scale = await (await c.connect({ name: 'demo', region: REGION })).getScale('demo', 'worker');
      // Assess
      expect(scale.selector).toBe('app=worker');
      expect(calls).toBe(2);
      const log = kube.requests.slice(logStart);
      expect(log.map((r) => r.status)).toEqual([401, 200]);
      expect(log[0]?.authError).toContain('InvalidClientTokenId');
    } finally {
      await c.close();
    }
  });

  it('fails with KubeUnauthorizedError when the token is for another cluster', async () => {
    // A configured cluster "other" that points at demo's API server: the token is minted for "other".
    const { connector: c } = connector(scaler, { clusters: [{ name: 'other', region: REGION, endpoint: kube.url, caData: kube.caData }] });
    try {
      const client = await c.connect({ name: 'other', region: REGION });
      const error = await client.getScale('demo', 'worker').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeUnauthorizedError);
      expect(kube.requests.at(-1)?.authError).toContain('SignatureDoesNotMatch');
    } finally {
      await c.close();
    }
  });

  it('names the verb and resource RBAC refused on 403', async () => {
    const { connector: c } = connector(async () => READER);
    try {
      const client = await c.connect({ name: 'demo', region: REGION });
      const error = await client.patchScale('demo', 'worker', 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeForbiddenError);
      expect((error as KubeForbiddenError).rule).toEqual({ verb: 'patch', resource: 'deployments/scale', apiGroup: 'apps', namespace: 'demo' });
      expect((error as Error).message).toContain('RBAC does not allow "patch" on "deployments/scale" in API group "apps" in namespace "demo"');
    } finally {
      await c.close();
    }
  });

  it('names the deployment on 404', async () => {
    const { connector: c } = connector(scaler);
    try {
      const error = await (await c.connect({ name: 'demo', region: REGION })).getScale('demo', 'ghost').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeNotFoundError);
      expect((error as Error).message).toContain('deployment demo/ghost not found');
    } finally {
      await c.close();
    }
  });

  it.each([
    { comment: '503 twice', status: 503 as const, count: 2, retryAfterSeconds: undefined, sleeps: [100, 200] },
    { comment: '409 once', status: 409 as const, count: 1, retryAfterSeconds: undefined, sleeps: [100] },
    { comment: '429 with Retry-After: 1', status: 429 as const, count: 1, retryAfterSeconds: 1, sleeps: [1000] },
  ])('retries a PATCH after $comment, without waiting for real', async ({ status, count, retryAfterSeconds, sleeps: expected }) => {
    const { connector: c, sleeps } = connector(scaler);
    try {
      const client = await c.connect({ name: 'demo', region: REGION });
      kube.cluster.injectFailures({ status, count, method: 'PATCH', ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
      const result = await client.patchScale('demo', 'worker', 5);
      expect(result.specReplicas).toBe(5);
      expect(sleeps).toEqual(expected);
    } finally {
      await c.close();
    }
  });

  it('refuses the API server when the CA is not the one that signed it', async () => {
    const wrongCa = Buffer.from((await makeCa()).caPem).toString('base64');
    const { connector: c } = connector(scaler, { clusters: [{ name: 'demo', region: REGION, endpoint: kube.url, caData: wrongCa }] });
    try {
      const client = await c.connect({ name: 'demo', region: REGION });
      const error = await client.getScale('demo', 'worker').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeConnectionError);
      expect(error).toMatchObject({ reason: 'TLSVerificationFailed', retryable: false });
    } finally {
      await c.close();
    }
  });

  it.each([
    { comment: 'an unknown cluster', name: 'missing', message: 'EKS cluster "missing" (eu-west-1): DescribeCluster failed: ResourceNotFoundException' },
    { comment: 'a cluster still CREATING', name: 'building', message: 'EKS cluster "building" (eu-west-1) is CREATING, not ACTIVE' },
  ])('fails with ClusterLookupError for $comment', async ({ name, message }) => {
    const { connector: c } = connector(scaler);
    try {
      const error = await c.connect({ name, region: REGION }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterLookupError);
      expect((error as Error).message).toContain(message);
    } finally {
      await c.close();
    }
  });
});
