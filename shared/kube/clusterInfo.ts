/**
 * Where a cluster's API server is and which CA signs its certificate: from the function's
 * configuration (LPA_CLUSTERS) when it names the cluster, else from `eks:DescribeCluster`, cached for
 * the life of the container (an EKS endpoint and CA do not change while the cluster exists). Never
 * from the event: the bearer token is valid for the cluster, so it must only go to the cluster's own
 * API server. The SDK client honours the standard endpoint configuration (`AWS_ENDPOINT_URL_EKS`),
 * which is how tests reach a local stand-in. `@aws-sdk/client-eks` is imported by the first
 * DescribeCluster, so a container whose clusters are all configured never loads it.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { loadEks } from '../aws/sdk.js';
import { ClusterLookupError } from './errors.js';
import type { ClusterRef, ConfiguredCluster } from './types.js';

interface ClusterInfo {
  /** https URL of the API server, without a trailing slash. */
  readonly endpoint: string;
  /** The cluster CA bundle (PEM) that the API server certificate must verify against. */
  readonly caPem: string;
  readonly source: 'Configuration' | 'DescribeCluster';
}

/** The fields of `DescribeCluster`'s `cluster` that we read. */
interface DescribedCluster {
  readonly status?: string;
  readonly endpoint?: string;
  readonly certificateAuthority?: { readonly data?: string };
}

/** The narrow EKS port; `undefined` when the response has no cluster. */
type DescribeCluster = (name: string, region: string, signal?: AbortSignal) => Promise<DescribedCluster | undefined>;

/**
 * States in which the API server answers. UPDATING is a control-plane upgrade or config change:
 * EKS keeps the endpoint serving, and refusing it would stop scaling for the whole upgrade.
 */
const SERVING_STATUSES = new Set(['ACTIVE', 'UPDATING']);

/** DescribeCluster through the SDK, one client per region, built on first use. Default client: `new EKSClient({ region })`. */
const sdkDescribeCluster = (clientFor?: (region: string) => EKSClient): DescribeCluster => {
  const clients = new Map<string, EKSClient>();
  return async (name, region, signal) => {
    const sdk = await loadEks();
    let client = clients.get(region);
    if (client === undefined) {
      client = clientFor?.(region) ?? new sdk.EKSClient({ region });
      clients.set(region, client);
    }
    return (await client.send(new sdk.DescribeClusterCommand({ name }), { abortSignal: signal })).cluster;
  };
};

const clusterLabel = (ref: ClusterRef): string => `EKS cluster "${ref.name}" (${ref.region})`;

const checkEndpoint = (endpoint: string, where: string): string => {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new ClusterLookupError(`${where}: endpoint "${endpoint}" is not a URL`, { cause: error });
  }
  if (url.protocol !== 'https:') throw new ClusterLookupError(`${where}: endpoint "${endpoint}" must use https`);
  return endpoint.replace(/\/+$/, '');
};

/** caData is base64 of a PEM bundle, as DescribeCluster returns `certificateAuthority.data`. */
const decodeCaData = (caData: string, where: string): string => {
  const pem = Buffer.from(caData, 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ClusterLookupError(`${where}: caData is not base64 of a PEM certificate bundle`);
  }
  return pem;
};

const fromConfiguration = (cluster: ConfiguredCluster): ClusterInfo => {
  const where = `${clusterLabel(cluster)} in the function's configuration (LPA_CLUSTERS)`;
  return { endpoint: checkEndpoint(cluster.endpoint, where), caPem: decodeCaData(cluster.caData, where), source: 'Configuration' };
};

const describe = async (ref: ClusterRef, describeCluster: DescribeCluster, signal: AbortSignal | undefined): Promise<ClusterInfo> => {
  const where = clusterLabel(ref);
  let cluster: DescribedCluster | undefined;
  try {
    cluster = await describeCluster(ref.name, ref.region, signal);
  } catch (error) {
    const e = error as Error;
    const hint = e.name === 'AccessDeniedException' ? ' (the role needs eks:DescribeCluster on this cluster)' : '';
    throw new ClusterLookupError(`${where}: DescribeCluster failed: ${e.name}: ${e.message}${hint}`, { cause: error });
  }
  if (cluster === undefined) throw new ClusterLookupError(`${where}: DescribeCluster returned no cluster`);
  if (cluster.status === undefined || !SERVING_STATUSES.has(cluster.status)) {
    throw new ClusterLookupError(`${where} is ${cluster.status ?? 'in an unknown state'}, not ACTIVE: its API server cannot be used`);
  }
  if (cluster.endpoint === undefined || cluster.endpoint === '') {
    throw new ClusterLookupError(`${where}: DescribeCluster returned no endpoint`);
  }
  const caData = cluster.certificateAuthority?.data;
  if (caData === undefined || caData === '') {
    throw new ClusterLookupError(`${where}: DescribeCluster returned no certificateAuthority.data`);
  }
  return { endpoint: checkEndpoint(cluster.endpoint, where), caPem: decodeCaData(caData, where), source: 'DescribeCluster' };
};

interface ClusterInfoResolver {
  /** `signal` bounds a DescribeCluster this call starts (a failed lookup is not cached). */
  resolve(ref: ClusterRef, signal?: AbortSignal): Promise<ClusterInfo>;
}

const keyOf = (ref: ClusterRef): string => `${ref.region}/${ref.name}`;

/**
 * Resolves and caches cluster info per (name, region): `configured` clusters as given, others with
 * DescribeCluster; a failed lookup is not cached, so the next tick retries.
 */
const createClusterInfoResolver = (describeCluster: DescribeCluster = sdkDescribeCluster(), configured: readonly ConfiguredCluster[] = []): ClusterInfoResolver => {
  const given = new Map(configured.map((cluster) => [keyOf(cluster), cluster]));
  const cache = new Map<string, Promise<ClusterInfo>>();
  return {
    resolve: async (ref, signal) => {
      const key = keyOf(ref);
      const known = given.get(key);
      if (known !== undefined) return fromConfiguration(known);
      let pending = cache.get(key);
      if (pending === undefined) {
        pending = describe(ref, describeCluster, signal);
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
  };
};

export { createClusterInfoResolver, sdkDescribeCluster };
export type { ClusterInfo, ClusterInfoResolver, DescribeCluster, DescribedCluster };
