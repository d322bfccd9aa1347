/** How a listed cluster is cut into shards: caps on objects and bytes, order, and what cannot be sent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { halves, shardsOf } from '../../../shared/app/shards.js';
import type { ClusterScaledObject } from '../../../shared/kube/scaledObjects.js';

const item = (namespace: string, name: string, annotations?: Record<string, string>): ClusterScaledObject => ({
  metadata: { namespace, name, uid: `uid-${namespace}-${name}`, resourceVersion: '1', ...(annotations === undefined ? {} : { annotations }) },
  spec: { scaleTargetRef: { name } },
});
const bytes = (x: unknown): number => Buffer.byteLength(JSON.stringify(x)) + 1;
const names = (shards: readonly ClusterScaledObject[][]) => shards.map((s) => s.map((i) => `${i.metadata.namespace}/${i.metadata.name}`));

describe('shardsOf', () => {
  it('fills shards in namespace/name order up to maxObjects', () => {
    const items = [item('b', 'x'), item('a', 'y'), item('a', 'x'), item('b', 'a'), item('c', 'z')];
    expect(names(shardsOf(items, { maxObjects: 2, maxBytes: 1e6, envelopeBytes: 100 }).shards)).toEqual([['a/x', 'a/y'], ['b/a', 'b/x'], ['c/z']]);
  });

  it('starts a new shard before the event would pass maxBytes', () => {
    const items = [item('a', '1'), item('a', '2'), item('a', '3')];
    const one = bytes(items[0]);
    expect(names(shardsOf(items, { maxObjects: 10, maxBytes: 100 + 2 * one, envelopeBytes: 100 }).shards)).toEqual([['a/1', 'a/2'], ['a/3']]);
  });

  it('keeps back an object whose event alone would pass maxBytes (the lister evaluates it)', () => {
    const { shards, oversize } = shardsOf([item('a', 'big', { note: 'x'.repeat(500) }), item('a', 'small')], { maxObjects: 10, maxBytes: 400, envelopeBytes: 100 });
    expect(names(shards)).toEqual([['a/small']]);
    expect(oversize.map((i) => i.metadata.name)).toEqual(['big']);
  });

  it('drops kubectl’s last-applied copy of the object, and nothing else', () => {
    const { shards } = shardsOf([item('a', 'x', { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{}}', 'autoscaling.keda.sh/paused': 'true' })], { maxObjects: 1, maxBytes: 1e6, envelopeBytes: 0 });
    expect(shards[0]?.[0]?.metadata.annotations).toEqual({ 'autoscaling.keda.sh/paused': 'true' });
  });

  it('partitions the objects: each in exactly one shard or kept back, every shard within both caps', () => {
    const itemArb = fc.record({ namespace: fc.constantFrom('a', 'b', 'c'), name: fc.string({ minLength: 1, maxLength: 8 }), pad: fc.nat(300) });
    fc.assert(
      fc.property(fc.uniqueArray(itemArb, { selector: (i) => `${i.namespace}/${i.name}`, maxLength: 60 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 150, max: 2000 }), (specs, maxObjects, maxBytes) => {
        const items = specs.map((s) => item(s.namespace, s.name, { pad: 'x'.repeat(s.pad) }));
        const envelopeBytes = 100;
        const { shards, oversize } = shardsOf(items, { maxObjects, maxBytes, envelopeBytes });
        const out = [...shards.flat(), ...oversize].map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
        expect(out).toEqual(items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort());
        for (const shard of shards) {
          expect(shard.length).toBeGreaterThan(0);
          expect(shard.length).toBeLessThanOrEqual(maxObjects);
          expect(envelopeBytes + shard.reduce((sum, i) => sum + bytes(i), 0)).toBeLessThanOrEqual(maxBytes);
        }
      }),
    );
  });
});

describe('halves', () => {
  it('splits a shard in two, named after it', () => {
    expect(halves('3', [item('a', '1'), item('a', '2'), item('a', '3')]).map(([id, items]) => [id, items.length])).toEqual([['3.0', 2], ['3.1', 1]]);
  });
});
