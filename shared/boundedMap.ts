/**
 * A Map that keeps at most `limit` entries, dropping the least recently used. The caches a Lambda
 * container keeps across invocations (SDK clients per AWS target, assumed-role credentials, queue
 * URLs) are keyed by what events carry, so they must not grow without bound in a long-lived container.
 */
class BoundedMap<K, V> {
  readonly #limit: number;
  readonly #entries = new Map<K, V>();

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a BoundedMap limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    // A Map iterates in insertion order: the first key is the least recently used.
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  values(): IterableIterator<V> {
    return this.#entries.values();
  }

  clear(): void {
    this.#entries.clear();
  }
}

export { BoundedMap };
