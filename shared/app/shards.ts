/**
 * How a listed cluster is cut into shards (shared/app/fanOut.ts): objects in namespace/name order, so a
 * shard holds few namespaces and its target lists (one per namespace and kind) stay few; at most
 * `maxObjects` per shard, and at most `maxBytes` of event, since an asynchronous Lambda Invoke takes
 * at most 1 MB of payload (Lambda API reference, Invoke). Pure: no I/O, no clock.
 */
import type { ClusterScaledObject } from '../kube/scaledObjects.js';
import type { ClusterRef } from '../kube/types.js';
import type { ClusterSource } from './scaleGroup.js';

/** An asynchronous Invoke's payload limit (1 MB), less room for what the SDK or a proxy may add. */
const MAX_SHARD_EVENT_BYTES = 1_000_000;

/** The annotation `kubectl apply` keeps: a second copy of the spec that nothing in a shard reads. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The event of one shard: the ScaleGroup shape, its listed objects under `source.shard`. */
interface ShardEvent {
  readonly cluster: ClusterRef;
  readonly source: { readonly fromCluster: ClusterSource; readonly shard: { readonly tick: number; readonly id: string; readonly items: readonly ClusterScaledObject[] } };
}

/** The object as a shard needs it: without `kubectl apply`'s copy of itself. */
const shippable = (item: ClusterScaledObject): ClusterScaledObject => {
  const annotations = item.metadata.annotations;
  if (annotations === undefined || !(LAST_APPLIED in annotations)) return item;
  const { [LAST_APPLIED]: _, ...kept } = annotations;
  return { ...item, metadata: { ...item.metadata, annotations: kept } };
};

const byNamespaceAndName = (a: ClusterScaledObject, b: ClusterScaledObject): number => {
  const x = `${a.metadata.namespace}/${a.metadata.name}`;
  const y = `${b.metadata.namespace}/${b.metadata.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

const shardEvent = (cluster: ClusterRef, fromCluster: ClusterSource, tick: number, id: string, items: readonly ClusterScaledObject[]): ShardEvent => ({
  cluster,
  source: { fromCluster, shard: { tick, id, items } },
});

interface Sharding {
  /** Each shard's objects, in namespace/name order. */
  readonly shards: ClusterScaledObject[][];
  /** Objects whose event alone would exceed `maxBytes`: the lister evaluates them itself. */
  readonly oversize: ClusterScaledObject[];
}

/**
 * Fills shards in namespace/name order, starting a new one when the next object would pass
 * `maxObjects` or the event would pass `maxBytes` (JSON, UTF-8; `envelopeBytes` is the event
 * without objects).
 */
const shardsOf = (items: readonly ClusterScaledObject[], limits: { readonly maxObjects: number; readonly maxBytes: number; readonly envelopeBytes: number }): Sharding => {
  const shards: ClusterScaledObject[][] = [];
  const oversize: ClusterScaledObject[] = [];
  let current: ClusterScaledObject[] = [];
  let bytes = limits.envelopeBytes;
  for (const item of [...items].map(shippable).sort(byNamespaceAndName)) {
    // +1: the comma between items.
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (limits.envelopeBytes + size > limits.maxBytes) {
      oversize.push(item);
      continue;
    }
    if (current.length >= limits.maxObjects || bytes + size > limits.maxBytes) {
      shards.push(current);
      current = [];
      bytes = limits.envelopeBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) shards.push(current);
  return { shards, oversize };
};

/** Halves a shard (an Invoke refused its size after all): ids `3` → `3.0`, `3.1`. */
const halves = (id: string, items: readonly ClusterScaledObject[]): Array<[string, ClusterScaledObject[]]> => {
  const middle = Math.ceil(items.length / 2);
  return [
    [`${id}.0`, items.slice(0, middle)],
    [`${id}.1`, items.slice(middle)],
  ];
};

export { MAX_SHARD_EVENT_BYTES, halves, shardEvent, shardsOf };
export type { ShardEvent, Sharding };
