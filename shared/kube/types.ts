/** The Kubernetes port: only the calls LPA makes (DESIGN.md §4). */
import type { PodSet } from '../engine/podObjects.js';

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

/** Every call takes a signal: aborting it ends the call (and its retries) with a KubeConnectionError. */
interface CallOptions {
  readonly signal?: AbortSignal;
}

interface ScaleClient {
  /** GET /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale */
  getScale(namespace: string, name: string, options?: CallOptions): Promise<Scale>;
  /** PATCH …/scale, merge-patch `{"spec":{"replicas":n}}`; `dryRun` adds `?dryRun=All` (nothing changes). */
  patchScale(namespace: string, name: string, replicas: number, options?: CallOptions & { readonly dryRun?: boolean }): Promise<Scale>;
  /** Pods matching the selector that are Running with condition Ready=True (Value targets only). */
  countReadyPods(namespace: string, selector: string, options?: CallOptions): Promise<number>;
  /** The pods matching the selector and their `metrics.k8s.io` PodMetrics (cpu/memory triggers): two list calls. */
  readPodSet(namespace: string, selector: string, options?: CallOptions): Promise<PodSet>;
}

/** Builds (and caches) a ScaleClient for a cluster: endpoint/CA lookup, token minting and refresh. */
interface ClusterConnector {
  /** The signal bounds the cluster lookup (DescribeCluster), not the client's later calls. */
  connect(cluster: ClusterRef, options?: CallOptions): Promise<ScaleClient>;
}

export type { CallOptions, ClusterConnector, ClusterRef, Scale, ScaleClient };
