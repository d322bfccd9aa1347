/**
 * LPA's finalizer on the ScaledObjects it manages from the cluster (DESIGN.md §1, KEDA's
 * `scaledobject_finalizer.go`): added once to each object LPA evaluates, so deleting the object waits
 * for LPA to restore `originalReplicaCount` (when `advanced.restoreToOriginalReplicaCount` is set) and
 * drop its state item; then LPA removes the finalizer and Kubernetes deletes the object.
 */
import { errorMessage } from '../errors.js';
import type { ClusterApi } from '../kube/clusterApi.js';
import type { ClusterScaledObject } from '../kube/scaledObjects.js';
import type { CallOptions } from '../kube/types.js';
import { parseScaledObject } from '../spec/parse.js';
import type { StateStore } from '../state/types.js';
import { StateCorruptError } from '../state/errors.js';
import { failedReport, type ObjectReport } from './objectReport.js';

/** LPA's finalizer (KEDA's is `finalizer.keda.sh`; both may sit on one object). */
const LPA_FINALIZER = 'finalizer.lambda-pod-autoscaler.dev';

const hasFinalizer = (item: ClusterScaledObject): boolean => (item.metadata.finalizers ?? []).includes(LPA_FINALIZER);

/**
 * Adds LPA's finalizer if missing, and returns the object as it now is (its new resourceVersion is
 * what the status write must name); a failure is returned as text for the report, never thrown.
 */
const ensureFinalizer = async (api: ClusterApi, item: ClusterScaledObject, options?: CallOptions): Promise<{ item: ClusterScaledObject; problem?: string }> => {
  if (hasFinalizer(item)) return { item };
  try {
    return { item: await api.scaledObjects.setFinalizers(item, [...(item.metadata.finalizers ?? []), LPA_FINALIZER], options) };
  } catch (error) {
    return { item, problem: `finalizer not added: ${errorMessage(error)}` };
  }
};

interface FinalizeDeps {
  readonly stateStore: StateStore;
}

/**
 * A ScaledObject being deleted that carries LPA's finalizer: restore, forget, release. Anything that
 * fails leaves the finalizer in place, so the next tick tries again (the object stays Terminating).
 */
const finalize = async (api: ClusterApi, item: ClusterScaledObject, id: string, deps: FinalizeDeps, options?: CallOptions): Promise<ObjectReport> => {
  const label = `${item.metadata.namespace}/${item.metadata.name}`;
  try {
    const parsed = parseScaledObject({ ...item, apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' }, { source: `scaledobjects.keda.sh ${label}` });
    let restored = '';
    if (parsed.ok && parsed.scaledObject.spec.advanced.restoreToOriginalReplicaCount) {
      const stored = (await deps.stateStore.load([id])).get(id);
      if (stored instanceof StateCorruptError) throw stored;
      // A first scale that was never saved keeps its original count only in the recorded intent.
      const original = stored?.state?.originalReplicas ?? stored?.intent?.state.originalReplicas;
      if (original !== undefined) {
        await api.scale.patchScale(item.metadata.namespace, parsed.scaledObject.spec.scaleTargetRef, original, options);
        restored = `; restored ${parsed.scaledObject.spec.scaleTargetRef.name} to its original ${original} replicas`;
      }
    }
    await deps.stateStore.remove(id);
    await api.scaledObjects.setFinalizers(item, (item.metadata.finalizers ?? []).filter((f) => f !== LPA_FINALIZER), options);
    return { id, outcome: 'unchanged', reason: 'ScaledObjectDeleted', message: `ScaledObject was deleted${restored}; LPA's state and finalizer removed`, stateWritten: true };
  } catch (error) {
    return failedReport(id, 'failed', 'FailedFinalize', `could not finish deleting ${label} (its finalizer stays until this succeeds): ${errorMessage(error)}`);
  }
};

export { LPA_FINALIZER, ensureFinalizer, finalize, hasFinalizer };
