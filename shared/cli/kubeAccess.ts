/**
 * The connection flags CLI commands that talk to a cluster share: `--cluster NAME --region R` (EKS:
 * DescribeCluster, an EKS token from the AWS chain) or `--server URL --ca-file PEM` (any Kubernetes),
 * optionally `--token T`. TLS is always verified.
 */
import { staticTokenSource } from '../kube/bearerToken.js';
import { createClusterInfoResolver, sdkDescribeCluster } from '../kube/clusterInfo.js';
import { TokenProvider } from '../kube/eksToken.js';
import { createKubeAgent, createKubeTransport, type KubeAgent, type KubeTransport } from '../kube/transport.js';
import type { CliIO } from './io.js';

const ACCESS_OPTIONS = {
  cluster: { type: 'string' },
  region: { type: 'string' },
  server: { type: 'string' },
  'ca-file': { type: 'string' },
  token: { type: 'string' },
} as const;

const ACCESS_HELP = `  --cluster NAME       EKS cluster: the token is made for it, DescribeCluster finds its endpoint and CA
  --region REGION      the cluster's region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --server URL         use this API server instead of DescribeCluster (any Kubernetes)
  --ca-file PEM        the CA bundle that signs --server's certificate (TLS is always verified)
  --token TOKEN        send this bearer token instead of an EKS token`;

interface AccessFlags {
  readonly cluster?: string;
  readonly region?: string;
  readonly server?: string;
  readonly 'ca-file'?: string;
  readonly token?: string;
}

interface KubeAccess {
  readonly transport: KubeTransport;
  close(): Promise<void>;
}

/** A usage problem with the flags, or undefined. */
const accessProblem = (flags: AccessFlags): string | undefined => {
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (flags.server === undefined && flags.cluster === undefined) return 'give --cluster (EKS) or --server with --ca-file';
  if ((flags.server === undefined) !== (flags['ca-file'] === undefined)) return '--server and --ca-file go together: TLS is always verified';
  if (flags.token === undefined && flags.cluster === undefined) return 'without --token, --cluster is needed to make an EKS token';
  if ((flags.token === undefined || flags.server === undefined) && region === undefined) return '--region (or AWS_REGION) is required for EKS';
  return undefined;
};

const connectWithFlags = async (flags: AccessFlags, io: CliIO): Promise<KubeAccess> => {
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '';
  const tokens = flags.token !== undefined ? staticTokenSource(flags.token, '--token') : new TokenProvider({ cluster: flags.cluster ?? '', region });
  let endpoint: string;
  let caPem: string;
  if (flags.server !== undefined) {
    endpoint = flags.server;
    caPem = await io.readFile(flags['ca-file'] ?? '');
  } else {
    ({ endpoint, caPem } = await createClusterInfoResolver(sdkDescribeCluster()).resolve({ name: flags.cluster ?? '', region }));
  }
  const agent: KubeAgent = createKubeAgent(caPem);
  return { transport: createKubeTransport({ endpoint, agent, tokens }), close: () => agent.close() };
};

export { ACCESS_HELP, ACCESS_OPTIONS, accessProblem, connectWithFlags };
export type { AccessFlags, KubeAccess };
