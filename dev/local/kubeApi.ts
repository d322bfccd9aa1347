/**
 * The loopback Kubernetes API for integration tests and `npm start`: one entry point, the parts live in
 * `./kube/` (token verification, RBAC, the simulated cluster, the HTTPS server).
 */
export { startKubeApi } from './kube/server.js';
export { KubeSimulationError, SimulatedCluster } from './kube/cluster.js';
export type { KubeApiHandle, KubeApiOptions, RequestLogEntry } from './kube/server.js';
export type {
  AddDeploymentInput,
  DeploymentChange,
  DeploymentSnapshot,
  FailureInjection,
  ScaleChange,
} from './kube/cluster.js';
export type { PolicyRule, RbacBinding } from './kube/rbac.js';
export type { LocalService } from './kube/serviceProxy.js';
export type { AwsIdentity, KubeUser } from './kube/tokenVerifier.js';
