/**
 * Everything the cluster source speaks to, over one transport per cluster: scale targets, ScaledObjects
 * (list, status, finalizers), Events and HPAs. The connector builds one per cluster and keeps it.
 */
import { createDiscovery } from './discovery.js';
import { createEventRecorder, type EventRecorder } from './events.js';
import { createHpaApi, type HpaApi } from './hpas.js';
import { createScaledObjectApi, type ScaledObjectApi } from './scaledObjects.js';
import { createScaleClient } from './scaleClient.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions, ClusterRef, ScaleClient } from './types.js';
import { createWorkloadApi, type WorkloadApi } from './workloads.js';

interface ClusterApi {
  readonly scale: ScaleClient;
  readonly scaledObjects: ScaledObjectApi;
  readonly events: EventRecorder;
  readonly hpas: HpaApi;
  /** Deployments and StatefulSets listed per namespace, in place of one scale read per object. */
  readonly workloads: WorkloadApi;
}

/** The port the cluster source needs (the real connector implements it beside `connect`). */
interface ClusterApiConnector {
  connectCluster(cluster: ClusterRef, options?: CallOptions): Promise<ClusterApi>;
}

const createClusterApi = (transport: KubeTransport, options: { readonly instance: string; readonly now?: () => number }): ClusterApi => {
  const discovery = createDiscovery(transport, options.now);
  return {
    scale: createScaleClient(transport, discovery, options.now),
    scaledObjects: createScaledObjectApi(transport),
    events: createEventRecorder(transport, { instance: options.instance, now: options.now }),
    hpas: createHpaApi(transport),
    workloads: createWorkloadApi(transport, discovery),
  };
};

export { createClusterApi };
export type { ClusterApi, ClusterApiConnector };
