/**
 * Kubernetes access from the command line, shared by `lpa doctor` and `lpa metrics`: an EKS token
 * (`--cluster`, `--region`, the default AWS credential chain) or a given `--token`, and the API
 * server from DescribeCluster or `--server` with `--ca-file` (TLS is always verified).
 */
import { staticTokenSource, type BearerTokenSource } from '../kube/bearerToken.js';
import { createClusterInfoResolver, sdkDescribeCluster, type DescribeCluster } from '../kube/clusterInfo.js';
import { TokenProvider, type CredentialsProvider } from '../kube/eksToken.js';
import type { RetryPolicy } from '../kube/retry.js';
import { createKubeAgent, createScaleClient } from '../kube/scaleClient.js';
import type { ScaleClient } from '../kube/types.js';
import type { CliIO } from './io.js';

interface ClusterAccessDeps {
  readonly credentials?: CredentialsProvider;
  readonly describeCluster?: DescribeCluster;
  readonly now?: () => number;
  readonly retry?: RetryPolicy;
}

interface ClusterAccessOptions {
  readonly cluster?: string;
  readonly region?: string;
  readonly server?: string;
  readonly caFile?: string;
  readonly token?: string;
}

/** The flags, as `parseCommandArgs` options. */
const CLUSTER_ACCESS_FLAGS = {
  cluster: { type: 'string' },
  region: { type: 'string' },
  server: { type: 'string' },
  'ca-file': { type: 'string' },
  token: { type: 'string' },
} as const;

const CLUSTER_ACCESS_HELP = `  --cluster NAME       EKS cluster: the token is made for it, DescribeCluster finds its endpoint and CA
  --region REGION      the cluster's region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --server URL         use this API server instead of DescribeCluster (any Kubernetes, e.g. a local one)
  --ca-file PEM        the CA bundle that signs --server's certificate (TLS is always verified)
  --token TOKEN        send this bearer token instead of an EKS token (then no AWS is needed)`;

const clusterAccessOptions = (values: { readonly cluster?: string; readonly region?: string; readonly server?: string; readonly 'ca-file'?: string; readonly token?: string }): ClusterAccessOptions => ({
  cluster: values.cluster,
  region: values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  server: values.server,
  caFile: values['ca-file'],
  token: values.token,
});

/** Flag combinations that cannot work, as a usage message; `undefined` when fine. */
const clusterAccessProblem = (o: ClusterAccessOptions): string | undefined => {
  if (o.server === undefined && o.caFile !== undefined) return '--ca-file goes with --server';
  if (o.server !== undefined && o.caFile === undefined) return '--server needs --ca-file: TLS is always verified';
  if (o.server === undefined && o.cluster === undefined) return 'give --cluster (EKS) or --server with --ca-file';
  if (o.token === undefined && o.cluster === undefined) return 'without --token, --cluster is needed to make an EKS token';
  if ((o.token === undefined || o.server === undefined) && o.region === undefined) return '--region (or AWS_REGION) is required for EKS';
  return undefined;
};

/** An EKS token provider for `--cluster` in `--region` (nothing is minted yet). */
const eksTokenProvider = (options: ClusterAccessOptions, deps: ClusterAccessDeps): TokenProvider =>
  new TokenProvider({ cluster: options.cluster ?? '', region: options.region ?? '', credentials: deps.credentials, now: deps.now });

/** `--token` as given, or an EKS token provider for `--cluster`. */
const tokenSourceFor = (options: ClusterAccessOptions, deps: ClusterAccessDeps): BearerTokenSource =>
  options.token !== undefined ? staticTokenSource(options.token, '--token') : eksTokenProvider(options, deps);

/** `--server` with its `--ca-file`, or the EKS cluster's endpoint and CA from DescribeCluster. */
const clusterEndpointFor = async (options: ClusterAccessOptions, deps: ClusterAccessDeps, io: CliIO): Promise<{ readonly endpoint: string; readonly caPem: string }> => {
  if (options.server !== undefined) {
    if (new URL(options.server).protocol !== 'https:') throw new Error(`--server ${options.server} must be an https URL`);
    const caPem = await io.readFile(options.caFile ?? '');
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--ca-file ${options.caFile} holds no PEM certificate`);
    return { endpoint: options.server, caPem };
  }
  return createClusterInfoResolver(deps.describeCluster ?? sdkDescribeCluster()).resolve({ name: options.cluster ?? '', region: options.region ?? '' });
};

/** A client for the whole command; `close` releases its connections. */
const connectCluster = async (options: ClusterAccessOptions, deps: ClusterAccessDeps, io: CliIO): Promise<{ readonly client: ScaleClient; close(): Promise<void> }> => {
  const tokens = tokenSourceFor(options, deps);
  const { endpoint, caPem } = await clusterEndpointFor(options, deps, io);
  const agent = createKubeAgent(caPem);
  return { client: createScaleClient({ endpoint, agent, tokens, retry: deps.retry, now: deps.now }), close: () => agent.close() };
};

export { CLUSTER_ACCESS_FLAGS, CLUSTER_ACCESS_HELP, clusterAccessOptions, clusterAccessProblem, clusterEndpointFor, connectCluster, eksTokenProvider, tokenSourceFor };
export type { ClusterAccessDeps, ClusterAccessOptions };
