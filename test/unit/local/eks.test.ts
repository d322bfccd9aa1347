import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEksApi } from '../../../dev/local/eks.js';
import type { EksApiHandle } from '../../../dev/local/eks.js';
import { startKubeApi } from '../../../dev/local/kubeApi.js';
import type { KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { kubeClient } from './helpers.js';

let kube: KubeApiHandle;
let eks: EksApiHandle;
let client: EKSClient;

beforeAll(async () => {
  kube = await startKubeApi({ clusterName: 'demo', region: 'eu-west-1' });
  eks = await startEksApi({
    region: 'eu-west-1',
    clusters: [
      { name: 'demo', endpoint: kube.url, caData: kube.caData },
      { name: 'fresh', endpoint: 'https://127.0.0.1:1', caData: 'unused', status: 'CREATING' },
    ],
  });
  client = new EKSClient({
    region: 'eu-west-1',
    endpoint: eks.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await eks.close();
  await kube.close();
});

describe('Function: startEksApi', () => {
  it('answers DescribeCluster in a shape the SDK parses', async () => {
    // Act
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'demo' }));

    // Assess
    expect(cluster).toMatchObject({
      name: 'demo',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/demo',
      endpoint: kube.url,
      certificateAuthority: { data: kube.caData },
      status: 'ACTIVE',
      version: '1.31',
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    });
    expect(cluster?.createdAt).toBeInstanceOf(Date);
  });

  it('raises the SDK’s named ResourceNotFoundException for an unknown cluster', async () => {
    // Act
    const call = client.send(new DescribeClusterCommand({ name: 'ghost' }));

    // Assess
    await expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DescribeClusterCommand({ name: 'ghost' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: ghost.',
      clusterName: 'ghost',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('describes a CREATING cluster without endpoint or CA data', async () => {
    // Act
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'fresh' }));

    // Assess
    expect(cluster?.status).toBe('CREATING');
    expect(cluster?.endpoint).toBeUndefined();
    expect(cluster?.certificateAuthority?.data).toBeUndefined();
  });

  it('counts DescribeCluster calls', async () => {
    // Prepare
    const before = eks.calls;

    // Act
    await client.send(new DescribeClusterCommand({ name: 'demo' }));
    await client.send(new DescribeClusterCommand({ name: 'demo' }));

    // Assess
    expect(eks.calls).toBe(before + 2);
  });

  it('gives endpoint and CA data that reach the Kubernetes API with TLS verified', async () => {
    // Prepare
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'demo' }));
    const ca = Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString('utf8');
    const http = kubeClient({ ...kube, url: cluster?.endpoint ?? '', caPem: ca });

    // Act
    const reply = await http.call({ path: '/version' });
    await http.close();

    // Assess
    expect(reply.status).toBe(200);
  });
});
