import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../shared/boundedMap.js';

describe('BoundedMap', () => {
  it('drops the least recently used entry beyond its limit; a read counts as a use', () => {
    const map = new BoundedMap<string, number>(2).set('a', 1).set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3]);
  });

  it('never holds more than its limit, whatever is stored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 100 }), (limit, keys) => {
        const map = new BoundedMap<string, string>(limit);
        for (const key of keys) map.set(key, key);
        expect(map.size).toBeLessThanOrEqual(limit);
        expect(map.size).toBe(Math.min(limit, new Set(keys).size));
      }),
    );
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new BoundedMap(0)).toThrow('a BoundedMap limit must be a positive integer, got 0');
  });
});
