import { describe, expect, it } from 'vitest';
import { createClusterInfoResolver, type DescribeCluster, type DescribedCluster } from '../../../shared/kube/clusterInfo.js';
import { ClusterLookupError } from '../../../shared/kube/errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const CA_DATA = Buffer.from(PEM).toString('base64');
const ACTIVE: DescribedCluster = { status: 'ACTIVE', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', certificateAuthority: { data: CA_DATA } };

/** A DescribeCluster fake that records (name, region) per call. */
const fakeEks = (answer: (name: string, region: string) => Promise<DescribedCluster | undefined>) => {
  const calls: string[] = [];
  const describeCluster: DescribeCluster = async (name, region) => {
    calls.push(`${region}/${name}`);
    return answer(name, region);
  };
  return { describeCluster, calls };
};

describe('Function: createClusterInfoResolver', () => {
  it('takes endpoint and CA from DescribeCluster and decodes the CA to PEM', async () => {
    const eks = fakeEks(async () => ACTIVE);
    const info = await createClusterInfoResolver(eks.describeCluster).resolve({ name: 'demo', region: 'eu-west-1' });
    expect(info).toEqual({ endpoint: ACTIVE.endpoint, caPem: PEM, source: 'DescribeCluster' });
  });

  it('describes a cluster once per (name, region)', async () => {
    // Prepare
    const eks = fakeEks(async () => ACTIVE);
    const resolver = createClusterInfoResolver(eks.describeCluster);
    // Act
    await Promise.all([resolver.resolve({ name: 'demo', region: 'eu-west-1' }), resolver.resolve({ name: 'demo', region: 'eu-west-1' })]);
    await resolver.resolve({ name: 'demo', region: 'eu-west-1' });
    await resolver.resolve({ name: 'demo', region: 'us-east-1' });
    await resolver.resolve({ name: 'other', region: 'eu-west-1' });
    // Assess
    expect(eks.calls).toEqual(['eu-west-1/demo', 'us-east-1/demo', 'eu-west-1/other']);
  });

  it('uses the endpoint and CA of the function’s configuration for that cluster, without calling EKS', async () => {
    const eks = fakeEks(async () => ACTIVE);
    const resolver = createClusterInfoResolver(eks.describeCluster, [{ name: 'demo', region: 'eu-west-1', endpoint: 'https://127.0.0.1:6443/', caData: CA_DATA }]);
    const info = await resolver.resolve({ name: 'demo', region: 'eu-west-1' });
    expect(info).toEqual({ endpoint: 'https://127.0.0.1:6443', caPem: PEM, source: 'Configuration' });
    expect(eks.calls).toEqual([]);
  });

  it('describes a cluster the configuration does not name (same name, other region)', async () => {
    const eks = fakeEks(async () => ACTIVE);
    const resolver = createClusterInfoResolver(eks.describeCluster, [{ name: 'demo', region: 'eu-west-1', endpoint: 'https://127.0.0.1:6443', caData: CA_DATA }]);
    expect(await resolver.resolve({ name: 'demo', region: 'us-east-1' })).toMatchObject({ source: 'DescribeCluster' });
    expect(eks.calls).toEqual(['us-east-1/demo']);
  });

  it('retries a failed lookup on the next call instead of caching the failure', async () => {
    let first = true;
    const eks = fakeEks(async () => {
      if (first) {
        first = false;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return ACTIVE;
    });
    const resolver = createClusterInfoResolver(eks.describeCluster);
    await expect(resolver.resolve({ name: 'demo', region: 'eu-west-1' })).rejects.toThrow('ThrottlingException: Rate exceeded');
    await expect(resolver.resolve({ name: 'demo', region: 'eu-west-1' })).resolves.toMatchObject({ source: 'DescribeCluster' });
    expect(eks.calls).toHaveLength(2);
  });

  it('accepts an UPDATING cluster: EKS keeps the API server serving during upgrades', async () => {
    const eks = fakeEks(async () => ({ ...ACTIVE, status: 'UPDATING' }));
    await expect(createClusterInfoResolver(eks.describeCluster).resolve({ name: 'demo', region: 'eu-west-1' })).resolves.toMatchObject({
      endpoint: ACTIVE.endpoint,
    });
  });

  it.each([
    { comment: 'a CREATING cluster', cluster: { status: 'CREATING' }, message: 'EKS cluster "demo" (eu-west-1) is CREATING, not ACTIVE' },
    { comment: 'a cluster without status', cluster: { endpoint: ACTIVE.endpoint }, message: 'is in an unknown state, not ACTIVE' },
    { comment: 'no cluster in the answer', cluster: undefined, message: 'DescribeCluster returned no cluster' },
    { comment: 'no endpoint', cluster: { ...ACTIVE, endpoint: undefined }, message: 'DescribeCluster returned no endpoint' },
    { comment: 'no CA data', cluster: { ...ACTIVE, certificateAuthority: {} }, message: 'returned no certificateAuthority.data' },
    { comment: 'CA data that is not a PEM', cluster: { ...ACTIVE, certificateAuthority: { data: 'bm90IGEgY2VydA==' } }, message: 'caData is not base64 of a PEM' },
    { comment: 'a plain-http endpoint', cluster: { ...ACTIVE, endpoint: 'http://ABC.eks.amazonaws.com' }, message: 'must use https' },
  ])('fails naming the cluster for $comment', async ({ cluster, message }) => {
    const eks = fakeEks(async () => cluster as DescribedCluster | undefined);
    const resolving = createClusterInfoResolver(eks.describeCluster).resolve({ name: 'demo', region: 'eu-west-1' });
    await expect(resolving).rejects.toBeInstanceOf(ClusterLookupError);
    await expect(resolving).rejects.toThrow('EKS cluster "demo" (eu-west-1)');
    await expect(resolving).rejects.toThrow(message);
  });

  it('says which permission is missing when DescribeCluster is denied, keeping the cause', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: eks:DescribeCluster'), { name: 'AccessDeniedException' });
    const eks = fakeEks(async () => {
      throw denied;
    });
    const error = await createClusterInfoResolver(eks.describeCluster).resolve({ name: 'demo', region: 'eu-west-1' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('the role needs eks:DescribeCluster on this cluster');
    expect((error as Error).cause).toBe(denied);
  });

  it.each([
    { comment: 'an http endpoint', configured: { endpoint: 'http://127.0.0.1:6443', caData: CA_DATA }, message: 'must use https' },
    { comment: 'CA data that is not a PEM', configured: { endpoint: 'https://127.0.0.1:6443', caData: 'bm90IGEgY2VydA==' }, message: 'caData is not base64 of a PEM' },
  ])('refuses a configured cluster with $comment, naming where it came from', async ({ configured, message }) => {
    const eks = fakeEks(async () => ACTIVE);
    const resolving = createClusterInfoResolver(eks.describeCluster, [{ name: 'demo', region: 'eu-west-1', ...configured }]).resolve({ name: 'demo', region: 'eu-west-1' });
    await expect(resolving).rejects.toThrow(`EKS cluster "demo" (eu-west-1) in the function's configuration (LPA_CLUSTERS): `);
    await expect(resolving).rejects.toThrow(message);
    expect(eks.calls).toEqual([]);
  });
});
