import { describe, expect, it } from 'vitest';
import { createSecretCache } from '../../../shared/auth/secretCache.js';

const counter = () => {
  let calls = 0;
  return { load: async () => `value-${++calls}`, calls: () => calls };
};

describe('createSecretCache', () => {
  it('serves a value from the cache until the TTL has passed, then loads it again', async () => {
    // Prepare
    let now = 0;
    const cache = createSecretCache({ clock: () => now, ttlMs: 1000 });
    const source = counter();

    // Act
    const first = await cache.get('k', source.load);
    now = 999;
    const cached = await cache.get('k', source.load);
    now = 1000;
    const reloaded = await cache.get('k', source.load);

    // Assess
    expect([first, cached, reloaded]).toEqual(['value-1', 'value-1', 'value-2']);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    // Prepare
    const cache = createSecretCache({ clock: () => 0 });
    const source = counter();

    // Act
    const values = await Promise.all([cache.get('k', source.load), cache.get('k', source.load)]);

    // Assess
    expect(values).toEqual(['value-1', 'value-1']);
    expect(source.calls()).toBe(1);
  });

  it('does not cache a failure', async () => {
    // Prepare
    const cache = createSecretCache({ clock: () => 0 });

    // Act
    const failed = await cache.get('k', () => Promise.reject(new Error('AccessDenied'))).catch((error: Error) => error.message);
    const value = await cache.get('k', async () => 'ok');

    // Assess
    expect([failed, value]).toEqual(['AccessDenied', 'ok']);
  });

  it('holds at most maxEntries, evicting the oldest first', async () => {
    // Prepare
    const cache = createSecretCache({ clock: () => 0, maxEntries: 2 });
    const source = counter();

    // Act
    for (const key of ['a', 'b', 'c']) await cache.get(key, source.load);
    const a = await cache.get('a', source.load);

    // Assess
    expect(cache.size).toBe(2);
    expect(a).toBe('value-4');
  });
});
