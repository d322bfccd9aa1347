import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the EKS control-plane API, enough for `eks:DescribeCluster` through
 * `@aws-sdk/client-eks` (point the client's `endpoint` at `url`). It speaks restJson1 as EKS does:
 * `GET /clusters/{name}` → `{ cluster: {...} }`, errors as JSON with the `x-amzn-errortype` header,
 * so the SDK raises its named exceptions (`ResourceNotFoundException`). Signatures are not checked,
 * but an unsigned request is refused as AWS would.
 */

interface EksClusterInput {
  readonly name: string;
  /** The Kubernetes API URL, e.g. `startKubeApi(...).url`. */
  readonly endpoint: string;
  /** base64 PEM CA bundle, e.g. `startKubeApi(...).caData`. */
  readonly caData: string;
  /** Default ACTIVE. A CREATING cluster has no endpoint and no CA data yet, as on EKS. */
  readonly status?: 'ACTIVE' | 'CREATING';
}

interface EksApiOptions {
  readonly clusters: readonly EksClusterInput[];
  /** Used in ARNs. Default us-east-1. */
  readonly region?: string;
  /** Used in ARNs. Default 123456789012. */
  readonly accountId?: string;
}

interface EksApiHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** DescribeCluster requests served so far (found or not): for caching assertions. */
  readonly calls: number;
  close(): Promise<void>;
}

const KUBERNETES_VERSION = '1.31';
/** A fixed creation time keeps responses stable across runs (restJson1 timestamps are epoch seconds). */
const CREATED_AT_EPOCH_SECONDS = 1_767_225_600;

const describe = (cluster: EksClusterInput, region: string, accountId: string): Record<string, unknown> => {
  const active = (cluster.status ?? 'ACTIVE') === 'ACTIVE';
  return {
    name: cluster.name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${cluster.name}`,
    createdAt: CREATED_AT_EPOCH_SECONDS,
    version: KUBERNETES_VERSION,
    ...(active ? { endpoint: cluster.endpoint } : {}),
    roleArn: `arn:aws:iam::${accountId}:role/${cluster.name}-cluster-role`,
    resourcesVpcConfig: {
      subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      securityGroupIds: [],
      clusterSecurityGroupId: 'sg-0a1b2c3d4e5f60003',
      vpcId: 'vpc-0a1b2c3d4e5f60004',
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF` } },
    status: cluster.status ?? 'ACTIVE',
    certificateAuthority: active ? { data: cluster.caData } : {},
    platformVersion: 'eks.20',
    tags: {},
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
  };
};

const sendJson = (response: ServerResponse, status: number, body: unknown, errorType?: string): void => {
  response.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
};

/**
 * Starts the stand-in on 127.0.0.1 (random port). Close it in `afterAll`.
 *
 * @example
 * const eks = await startEksApi({ clusters: [{ name: 'demo', endpoint: kube.url, caData: kube.caData }] });
 * const client = new EKSClient({ region: 'us-east-1', endpoint: eks.url, credentials });
 */
const startEksApi = async (options: EksApiOptions): Promise<EksApiHandle> => {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  let calls = 0;

  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://eks.invalid');
    const match = /^\/clusters\/([^/]+)$/.exec(pathname);
    if (request.method !== 'GET' || match === null) {
      sendJson(response, 404, { message: 'Unknown operation' }, 'UnknownOperationException');
      return;
    }
    calls += 1;
    if (request.headers.authorization === undefined) {
      sendJson(response, 403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
      return;
    }
    const name = decodeURIComponent(match[1] ?? '');
    const cluster = options.clusters.find((candidate) => candidate.name === name);
    if (cluster === undefined) {
      const body = { clusterName: name, message: `No cluster found for name: ${name}.` };
      sendJson(response, 404, body, 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/');
      return;
    }
    sendJson(response, 200, { cluster: describe(cluster, region, accountId) });
  };

  const server = createServer((request, response) => {
    // Drain the (empty) body before answering so keep-alive connections stay usable.
    request.resume();
    request.on('end', () => serve(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};

export { startEksApi };
export type { EksApiHandle, EksApiOptions, EksClusterInput };
