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

interface ScaleClient {
  /** GET /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale */
  getScale(namespace: string, name: string): Promise<Scale>;
  /** PATCH …/scale, merge-patch `{"spec":{"replicas":n}}`; `dryRun` adds `?dryRun=All` (nothing changes). */
  patchScale(namespace: string, name: string, replicas: number, options?: { readonly dryRun?: boolean }): Promise<Scale>;
  /** Pods matching the selector that are Running with condition Ready=True (Value targets only). */
  countReadyPods(namespace: string, selector: string): Promise<number>;
  /** The pods matching the selector and their `metrics.k8s.io` PodMetrics (cpu/memory triggers): two list calls. */
  readPodSet(namespace: string, selector: string): Promise<PodSet>;
}

/** Builds (and caches) a ScaleClient for a cluster: endpoint/CA lookup, token minting and refresh. */
interface ClusterConnector {
  connect(cluster: ClusterRef): Promise<ScaleClient>;
}

export type { ClusterConnector, ClusterRef, Scale, ScaleClient };
