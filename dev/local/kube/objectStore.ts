import { randomUUID } from 'node:crypto';
import type { SimulatedCluster } from './cluster.js';

/**
 * Objects the local API stores as JSON (ScaledObjects and other custom resources, events, HPAs): a
 * resourceVersion from the cluster's one revision counter per write, uid and creationTimestamp on
 * create, finalizers and `deletionTimestamp` honoured on delete (team notes `kube-api-responses-keda.md`
 * §4, §6, §8, §10). Nothing garbage-collects, as on the recorded server.
 */

type Json = Record<string, unknown>;

/** `group/resource`, e.g. `keda.sh/scaledobjects`, `events.k8s.io/events`, `autoscaling/horizontalpodautoscalers`. */
type StoredResource = string;

interface StoredObject {
  readonly resource: StoredResource;
  /** The whole object as stored; `metadata` always has name, namespace, uid, resourceVersion, creationTimestamp. */
  object: Json;
}

const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const metadataOf = (object: Json): Json => (object.metadata ?? {}) as Json;

class ObjectStore {
  readonly #cluster: SimulatedCluster;
  readonly #objects = new Map<string, StoredObject>();
  /** Every create/update/delete, for tests that assert what was written (dry runs excluded). */
  readonly writes: { readonly verb: string; readonly resource: StoredResource; readonly namespace: string; readonly name: string; readonly subresource?: string }[] = [];

  constructor(cluster: SimulatedCluster) {
    this.#cluster = cluster;
  }

  static key(resource: StoredResource, namespace: string, name: string): string {
    return `${resource}/${namespace}/${name}`;
  }

  get(resource: StoredResource, namespace: string, name: string): Json | undefined {
    return this.#objects.get(ObjectStore.key(resource, namespace, name))?.object;
  }

  /** Objects of a resource, in one namespace or all (`undefined`), ordered by namespace/name as etcd lists them. */
  list(resource: StoredResource, namespace: string | undefined): Json[] {
    return [...this.#objects.values()]
      .filter((o) => o.resource === resource && (namespace === undefined || metadataOf(o.object).namespace === namespace))
      .map((o) => o.object)
      .sort((a, b) => {
        const [ma, mb] = [metadataOf(a), metadataOf(b)];
        return `${String(ma.namespace)}/${String(ma.name)}`.localeCompare(`${String(mb.namespace)}/${String(mb.name)}`);
      });
  }

  /** Stores a new object; the caller checked it does not exist. */
  create(resource: StoredResource, namespace: string, object: Json, extraMetadata: Json = {}): Json {
    const metadata = metadataOf(object);
    const stored: Json = {
      ...object,
      metadata: {
        ...metadata,
        namespace,
        uid: randomUUID(),
        resourceVersion: String(this.#cluster.nextRevision()),
        creationTimestamp: timestamp(this.#cluster.now()),
        ...extraMetadata,
      },
    };
    this.#objects.set(ObjectStore.key(resource, namespace, String(metadata.name)), { resource, object: stored });
    this.writes.push({ verb: 'create', resource, namespace, name: String(metadata.name) });
    return stored;
  }

  /** Replaces a stored object with a new resourceVersion; no-op updates keep the old one, as kube does. */
  update(resource: StoredResource, namespace: string, name: string, object: Json, subresource?: string): Json {
    const entry = this.#objects.get(ObjectStore.key(resource, namespace, name));
    if (entry === undefined) throw new Error(`no ${resource} ${namespace}/${name}`);
    if (JSON.stringify(entry.object) === JSON.stringify(object)) return entry.object;
    entry.object = { ...object, metadata: { ...metadataOf(object), resourceVersion: String(this.#cluster.nextRevision()) } };
    this.writes.push({ verb: 'update', resource, namespace, name, ...(subresource === undefined ? {} : { subresource }) });
    return entry.object;
  }

  /**
   * A ScaledObject as `kubectl apply` creates it (keda.sh/v1alpha1, no status): the CRD's schema default
   * `fallback.behavior: static` filled in, generation 1. Returns the stored object (uid, resourceVersion).
   */
  applyScaledObject(manifest: Json): Json {
    const metadata = metadataOf(manifest);
    const namespace = String(metadata.namespace ?? 'default');
    const spec = (manifest.spec ?? {}) as Json;
    const fallback = spec.fallback === undefined ? {} : { fallback: { behavior: 'static', ...(spec.fallback as Json) } };
    const { status: _, ...rest } = manifest;
    return this.create('keda.sh/scaledobjects', namespace, { ...rest, apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', spec: { ...spec, ...fallback } }, { generation: 1 });
  }

  /** An autoscaling/v2 HPA on a target, with the status an HPA has when no controller runs (recorded). */
  addHpa(namespace: string, name: string, scaleTargetRef: { apiVersion: string; kind: string; name: string }, desiredReplicas = 0): Json {
    return this.create(
      'autoscaling/horizontalpodautoscalers',
      namespace,
      { metadata: { name }, spec: { scaleTargetRef: { kind: scaleTargetRef.kind, name: scaleTargetRef.name, apiVersion: scaleTargetRef.apiVersion }, minReplicas: 1, maxReplicas: 10 }, status: { desiredReplicas, currentMetrics: null } },
    );
  }

  remove(resource: StoredResource, namespace: string, name: string): void {
    this.#objects.delete(ObjectStore.key(resource, namespace, name));
    this.writes.push({ verb: 'delete', resource, namespace, name });
  }
}

export { ObjectStore, metadataOf, timestamp };
export type { Json, StoredResource };
