/** The Kubernetes port: only the calls LPA makes (DESIGN.md §4). */
import type { PodSet } from '../engine/podObjects.js';

/**
 * Which cluster to talk to. Its endpoint and CA never come with it (an event could otherwise send the
 * cluster's token anywhere): they come from the function's configuration or from DescribeCluster.
 */
interface ClusterRef {
  readonly name: string;
  readonly region: string;
}

/** A cluster whose endpoint and CA the function's configuration gives (LPA_CLUSTERS): no DescribeCluster. */
interface ConfiguredCluster extends ClusterRef {
  /** https URL of the API server. */
  readonly endpoint: string;
  /** base64 of the PEM CA bundle, as DescribeCluster returns it. */
  readonly caData: string;
}

/** The scale subresource, as far as LPA reads it. */
interface Scale {
  readonly specReplicas: number;
  readonly statusReplicas: number;
  /** `status.selector` (label selector string), for listing pods when a Value target needs ready pods. */
  readonly selector?: string;
}

/** Every call takes a signal: aborting it ends the call (and its retries) with a KubeConnectionError. */
interface CallOptions {
  readonly signal?: AbortSignal;
}

/** A GET through the API server's service proxy: `/api/v1/namespaces/{ns}/services/{proxyName}/proxy{path}`. */
interface ServiceProxyRequest extends CallOptions {
  readonly namespace: string;
  /** `<scheme>:<service>:<port>`, exactly as RBAC `resourceNames` must list it. */
  readonly proxyName: string;
  /** Path and query under the Service, starting with `/`. */
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
}

/** The Service's own answer, whatever its status; the API server's own refusals are thrown as `KubeApiError`s. */
interface ProxiedResponse {
  readonly status: number;
  readonly body: string;
}

/** Reaches in-cluster Services (e.g. Prometheus) from outside the cluster, with the client's TLS and token. */
interface ServiceProxy {
  proxyGet(request: ServiceProxyRequest): Promise<ProxiedResponse>;
}

interface ScaleClient extends ServiceProxy {
  /** GET /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale */
  getScale(namespace: string, name: string, options?: CallOptions): Promise<Scale>;
  /** PATCH …/scale, merge-patch `{"spec":{"replicas":n}}`; `dryRun` adds `?dryRun=All` (nothing changes). */
  patchScale(namespace: string, name: string, replicas: number, options?: CallOptions & { readonly dryRun?: boolean }): Promise<Scale>;
  /** Pods matching the selector that are Running with condition Ready=True (Value targets only). */
  countReadyPods(namespace: string, selector: string, options?: CallOptions): Promise<number>;
  /** GET /api/v1/namespaces/{ns}/secrets/{name}: its `data`, base64-decoded. Values are secret: never log them. */
  getSecret(namespace: string, name: string, options?: CallOptions): Promise<Readonly<Record<string, string>>>;
  /**
   * GET a keda.sh/v1alpha1 TriggerAuthentication (namespaced) or ClusterTriggerAuthentication
   * (`namespace` undefined) by name: the object as JSON, `undefined` when it does not exist.
   */
  getTriggerAuthentication(kind: 'TriggerAuthentication' | 'ClusterTriggerAuthentication', namespace: string | undefined, name: string, options?: CallOptions): Promise<unknown>;
  /** The pods matching the selector and their `metrics.k8s.io` PodMetrics (cpu/memory triggers): two list calls. */
  readPodSet(namespace: string, selector: string, options?: CallOptions): Promise<PodSet>;
}

/** Builds (and caches) a ScaleClient for a cluster: endpoint/CA lookup, token minting and refresh. */
interface ClusterConnector {
  /** The signal bounds the cluster lookup (DescribeCluster), not the client's later calls. */
  connect(cluster: ClusterRef, options?: CallOptions): Promise<ScaleClient>;
}

export type { CallOptions, ClusterConnector, ClusterRef, ConfiguredCluster, ProxiedResponse, Scale, ScaleClient, ServiceProxy, ServiceProxyRequest };
