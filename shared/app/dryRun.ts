/**
 * Dry run as adapters (`lpa run --dry-run`): the same use case, with ports that change nothing. Scale
 * PATCHes go as server-side dry runs (`?dryRun=All`: validated by the API server, never stored), and
 * status, events and finalizers are not written at all.
 */
import type { ClusterApi } from '../kube/clusterApi.js';
import type { ScaleClient } from '../kube/types.js';

const dryRunScaleClient = (client: ScaleClient): ScaleClient => ({
  ...client,
  patchScale: (namespace, target, replicas, options) => client.patchScale(namespace, target, replicas, { ...options, dryRun: true }),
});

const dryRunClusterApi = (api: ClusterApi): ClusterApi => ({
  scale: dryRunScaleClient(api.scale),
  scaledObjects: { ...api.scaledObjects, writeStatus: async () => 'unchanged', setFinalizers: async (item) => item },
  events: { record: async () => undefined },
  hpas: api.hpas,
  workloads: api.workloads,
});

export { dryRunClusterApi, dryRunScaleClient };
