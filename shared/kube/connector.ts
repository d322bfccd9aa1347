/**
 * The `ClusterConnector` adapter: build once per container, call `connect` per ScaleGroup.
 * It keeps one TLS agent per (endpoint, CA) so connections are reused across ticks of a warm
 * Lambda, and one TokenProvider per (cluster, region) so a token is minted once per ~14 minutes.
 */
import { createClusterInfoResolver, sdkDescribeCluster, type DescribeCluster } from './clusterInfo.js';
import { TokenProvider, type CredentialsProvider } from './eksToken.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { createKubeAgent, createScaleClient, type KubeAgent } from './scaleClient.js';
import type { ClusterConnector, ConfiguredCluster, ScaleClient } from './types.js';

interface ClusterConnectorDeps {
  /** Default: the SDK's Node provider chain. */
  readonly credentials?: CredentialsProvider;
  /** Milliseconds since the epoch (token expiry, `Retry-After` dates). Default `Date.now`. */
  readonly now?: () => number;
  /** Waits between retries. Default: a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Backoff jitter, uniform in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Default: `DescribeCluster` through `@aws-sdk/client-eks` (honours `AWS_ENDPOINT_URL_EKS`). */
  readonly describeCluster?: DescribeCluster;
  /** Clusters whose endpoint and CA the function's configuration gives (LPA_CLUSTERS): no DescribeCluster for them. */
  readonly clusters?: readonly ConfiguredCluster[];
  /** Per-request timeout. Default 5 s. */
  readonly timeoutMs?: number;
  /** Attempts and delays; `sleep`/`random` above override the policy's. */
  readonly retry?: Pick<RetryPolicy, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
}

/** A connector that can also release its connections (CLI commands and tests; a Lambda never needs to). */
interface ClosableClusterConnector extends ClusterConnector {
  close(): Promise<void>;
}

const createClusterConnector = (deps: ClusterConnectorDeps = {}): ClosableClusterConnector => {
  const resolver = createClusterInfoResolver(deps.describeCluster ?? sdkDescribeCluster(), deps.clusters);
  const retry: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...deps.retry,
    sleep: deps.sleep ?? DEFAULT_RETRY_POLICY.sleep,
    random: deps.random ?? DEFAULT_RETRY_POLICY.random,
  };
  const agents = new Map<string, KubeAgent>();
  const tokens = new Map<string, TokenProvider>();
  const clients = new Map<string, ScaleClient>();

  return {
    connect: async (cluster, options) => {
      const info = await resolver.resolve(cluster, options?.signal);
      const agentKey = `${info.endpoint}\n${info.caPem}`;
      const tokenKey = `${cluster.region}/${cluster.name}`;
      const clientKey = `${agentKey}\n${tokenKey}`;
      const existing = clients.get(clientKey);
      if (existing !== undefined) return existing;

      let agent = agents.get(agentKey);
      if (agent === undefined) {
        agent = createKubeAgent(info.caPem);
        agents.set(agentKey, agent);
      }
      let tokenProvider = tokens.get(tokenKey);
      if (tokenProvider === undefined) {
        tokenProvider = new TokenProvider({ cluster: cluster.name, region: cluster.region, credentials: deps.credentials, now: deps.now });
        tokens.set(tokenKey, tokenProvider);
      }
      const client = createScaleClient({
        endpoint: info.endpoint,
        agent,
        tokens: tokenProvider,
        timeoutMs: deps.timeoutMs,
        retry,
        now: deps.now,
      });
      clients.set(clientKey, client);
      return client;
    },
    close: async () => {
      const open = [...agents.values()];
      agents.clear();
      clients.clear();
      await Promise.all(open.map((agent) => agent.close()));
    },
  };
};

export { createClusterConnector };
export type { ClosableClusterConnector, ClusterConnectorDeps };
