import { describe, expect, it } from 'vitest';
import { parseScaleGroup } from '../../shared/app/scaleGroup.js';
import { ValidationError } from '../../shared/errors.js';
import { loadManifests, splitScaleGroup } from '../../infra/index.js';
import { queueUrl, scaledObject, sqsTrigger } from './fixtures.js';

const cluster = { name: 'demo', region: 'eu-west-1' };

/** `count` objects; `padding` characters of annotation make each one that much larger. */
const objects = (count: number, padding = 0) =>
  loadManifests(
    Array.from({ length: count }, (_, i) => {
      const manifest = scaledObject(`worker-${i}`, 'jobs', [sqsTrigger(queueUrl(`jobs-${i}`))]);
      return padding === 0 ? manifest : { ...manifest, metadata: { name: `worker-${i}`, namespace: 'jobs', annotations: { note: 'x'.repeat(padding) } } };
    }),
  ).objects;

const namesOf = (part: { scaledObjects: readonly Record<string, unknown>[] }) =>
  part.scaledObjects.map((so) => (so.metadata as { name: string }).name);

describe('Function: splitScaleGroup', () => {
  it.each([
    { count: 1, maxObjects: 50, sizes: [1] },
    { count: 5, maxObjects: 2, sizes: [2, 2, 1] },
    { count: 6, maxObjects: 3, sizes: [3, 3] },
  ])('cuts $count objects at $maxObjects per schedule into parts of $sizes', ({ count, maxObjects, sizes }) => {
    const parts = splitScaleGroup(cluster, objects(count), { maxObjects, maxBytes: 64 * 1024 });
    expect(parts.map((part) => part.scaledObjects.length)).toEqual(sizes);
  });

  it('keeps manifest order and every object exactly once', () => {
    const parts = splitScaleGroup(cluster, objects(5), { maxObjects: 2, maxBytes: 64 * 1024 });
    expect(parts.flatMap(namesOf)).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4']);
  });

  it('cuts by bytes, each part staying within the budget', () => {
    // Prepare: ~1 KB per object, 2.5 KB per part.
    const maxBytes = 2500;
    // Act
    const parts = splitScaleGroup(cluster, objects(5, 900), { maxObjects: 50, maxBytes });
    // Assess
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(maxBytes);
    expect(parts.flatMap(namesOf)).toHaveLength(5);
  });

  it('keeps the reserved bytes free for values CloudFormation fills in later', () => {
    const maxBytes = 2500;
    const parts = splitScaleGroup(cluster, objects(5, 900), { maxObjects: 50, maxBytes, reservedBytes: 1000 });
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part)) + 1000).toBeLessThanOrEqual(maxBytes);
  });

  it('names an object that alone exceeds the budget instead of emitting a schedule Scheduler would refuse', () => {
    const act = () => splitScaleGroup(cluster, objects(1, 4000), { maxObjects: 50, maxBytes: 2048 });
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(/^manifests\[0\]: is \d+ bytes as schedule input, over the budget of \d+ bytes per object \(maxScheduleInputBytes 2048\)$/);
  });

  it('produces ScaleGroup events the handlers accept as they are', () => {
    const parts = splitScaleGroup(cluster, objects(3), { maxObjects: 2, maxBytes: 64 * 1024 });
    for (const part of parts) {
      const parsed = parseScaleGroup(JSON.parse(JSON.stringify(part)));
      expect(parsed.ok && parsed.group.invalid).toEqual([]);
    }
  });
});
