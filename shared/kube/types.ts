/** The Kubernetes port: only the calls LPA makes (DESIGN.md §4). */

/** Which cluster to talk to; endpoint and CA come from DescribeCluster when absent. */
interface ClusterRef {
  readonly name: string;
  readonly region: string;
  /** https URL of the API server. */
  readonly endpoint?: string;
  /** base64 of the PEM CA bundle, as DescribeCluster returns it. */
  readonly caData?: string;
}

/** The scale subresource, as far as LPA reads it. */
interface Scale {
  readonly specReplicas: number;
  readonly statusReplicas: number;
  /** `status.selector` (label selector string), for listing pods when a Value target needs ready pods. */
  readonly selector?: string;
}

/** A GET through the API server's service proxy: `/api/v1/namespaces/{ns}/services/{proxyName}/proxy{path}`. */
interface ServiceProxyRequest {
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
  getScale(namespace: string, name: string): Promise<Scale>;
  /** PATCH …/scale, merge-patch `{"spec":{"replicas":n}}`; `dryRun` adds `?dryRun=All` (nothing changes). */
  patchScale(namespace: string, name: string, replicas: number, options?: { readonly dryRun?: boolean }): Promise<Scale>;
  /** Pods matching the selector that are Running with condition Ready=True (Value targets only). */
  countReadyPods(namespace: string, selector: string): Promise<number>;
}

/** Builds (and caches) a ScaleClient for a cluster: endpoint/CA lookup, token minting and refresh. */
interface ClusterConnector {
  connect(cluster: ClusterRef): Promise<ScaleClient>;
}

export type { ClusterConnector, ClusterRef, ProxiedResponse, Scale, ScaleClient, ServiceProxy, ServiceProxyRequest };
