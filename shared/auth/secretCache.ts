/**
 * Secret values kept per Lambda container for a short time, so a tick every minute does not call
 * Secrets Manager or the Kubernetes API once per trigger, yet a rotated secret is picked up within
 * the TTL. Bounded: the least recently stored entry goes first. Failures are never cached (the
 * next tick asks again), and concurrent callers of the same key share one request.
 *
 * The values live only here and in the TriggerRequests of one tick: never logged, never in a
 * decision record or an error message.
 */

/** Short enough that a rotation lands within two ticks, long enough to spare the APIs. */
const DEFAULT_SECRET_TTL_MS = 2 * 60 * 1000; // 2 minutes
const DEFAULT_MAX_ENTRIES = 1_000;

interface SecretCacheOptions {
  readonly clock: () => number;
  /** @default 2 minutes */
  readonly ttlMs?: number;
  /** @default 1000 */
  readonly maxEntries?: number;
}

interface SecretCache {
  /** The fresh cached value of `key`, else `load()`'s (stored when it resolves). */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  readonly size: number;
}

interface Entry {
  readonly value?: unknown;
  readonly expiresAt: number;
}

/**
 * @example
 * const cache = createSecretCache({ clock: Date.now });
 * const data = await cache.get(`k8s/${namespace}/${name}`, () => kube.getSecret(namespace, name));
 */
const createSecretCache = ({ clock, ttlMs = DEFAULT_SECRET_TTL_MS, maxEntries = DEFAULT_MAX_ENTRIES }: SecretCacheOptions): SecretCache => {
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<unknown>>();

  const store = (key: string, value: unknown): void => {
    entries.delete(key);
    entries.set(key, { value, expiresAt: clock() + ttlMs });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  return {
    get: <T>(key: string, load: () => Promise<T>): Promise<T> => {
      const entry = entries.get(key);
      if (entry !== undefined && clock() < entry.expiresAt) return Promise.resolve(entry.value as T);
      if (entry !== undefined) entries.delete(key);
      const inFlight = pending.get(key);
      if (inFlight !== undefined) return inFlight as Promise<T>;
      const loading = load()
        .then((value) => {
          store(key, value);
          return value;
        })
        .finally(() => pending.delete(key));
      pending.set(key, loading);
      return loading;
    },
    get size() {
      return entries.size;
    },
  };
};

export { DEFAULT_MAX_ENTRIES, DEFAULT_SECRET_TTL_MS, createSecretCache };
export type { SecretCache, SecretCacheOptions };
