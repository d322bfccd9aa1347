/** The Kubernetes adapter's public surface: the port (types.ts) and what implements it. */
export { BearerToken, staticTokenSource } from './bearerToken.js';
export { createClusterInfoResolver, sdkDescribeCluster } from './clusterInfo.js';
export { createClusterConnector } from './connector.js';
export { EksToken, TokenProvider, mintEksToken } from './eksToken.js';
export {
  ClusterLookupError,
  EksTokenError,
  KubeApiError,
  KubeConnectionError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeResponseError,
  KubeUnauthorizedError,
} from './errors.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export { createKubeAgent, createScaleClient } from './scaleClient.js';
export type { BearerTokenSource } from './bearerToken.js';
export type { ClusterInfo, DescribeCluster } from './clusterInfo.js';
export type { ClosableClusterConnector, ClusterConnectorDeps } from './connector.js';
export type { AwsCredentials, CredentialsProvider, TokenProviderOptions } from './eksToken.js';
export type { RbacRule } from './errors.js';
export type { RetryPolicy } from './retry.js';
export type { ScaleClientOptions } from './scaleClient.js';
export type { ClusterConnector, ClusterRef, Scale, ScaleClient } from './types.js';
