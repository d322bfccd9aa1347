/**
 * The state port in memory, for unit tests and the CLI: the same items (built and read by items.ts),
 * the same write rule (conditions.ts) and so the same errors as the DynamoDB adapter. Each call
 * checks and writes without an `await` in between, which makes it as atomic as a conditional write
 * (and a save with its decision records as atomic as DynamoDB's transaction).
 * Decision items are never expired: DynamoDB's TTL deletes lazily too, so readers must not rely on it.
 */
import type { EngineState } from '../engine/types.js';
import { PLACEHOLDER_VERSION, writeRefusal } from './conditions.js';
import type { WriteAttempt } from './conditions.js';
import { checkDecisionLimit, decisionItem, decisionSuffix, DEFAULT_DECISION_LIMIT, DEFAULT_DECISION_TTL_SECONDS, intentAttribute, loadedStates, readDecision, readHead, stateItem, stateKey } from './items.js';
import type { StateCorruptError } from './errors.js';
import type { Item } from './items.js';
import { DECISION_SORT_KEY_PREFIX, STATE_SORT_KEY, StateAttribute } from './tableDefinition.js';
import type { DecisionRecord, ObjectId, SaveOptions, ScaleIntent, StateStore, StoredState } from './types.js';

/** A table of items keyed by `pk` and `sk`, like the real one; tests put raw items into it. */
class InMemoryTable {
  readonly #items = new Map<string, Item>();

  /** Every item, e.g. to save the table to a file. */
  items(): Item[] {
    return [...this.#items.values()];
  }

  get(pk: string, sk: string): Item | undefined {
    return this.#items.get(InMemoryTable.#key(pk, sk));
  }

  delete(pk: string, sk: string): void {
    this.#items.delete(InMemoryTable.#key(pk, sk));
  }

  put(item: Item): void {
    const pk = item[StateAttribute.pk]?.S;
    const sk = item[StateAttribute.sk]?.S;
    if (pk === undefined || sk === undefined) throw new TypeError('an item needs string pk and sk attributes');
    this.#items.set(InMemoryTable.#key(pk, sk), item);
  }

  /** Items of one partition whose sort key starts with `prefix`, in descending sort-key order. */
  queryDescending(pk: string, prefix: string): Item[] {
    return [...this.#items.values()]
      .filter((item) => item[StateAttribute.pk]?.S === pk && item[StateAttribute.sk]?.S?.startsWith(prefix) === true)
      .sort((a, b) => ((a[StateAttribute.sk]?.S ?? '') < (b[StateAttribute.sk]?.S ?? '') ? 1 : -1));
  }

  // NUL cannot occur in an ObjectId (Kubernetes names), so the composite key is unambiguous.
  static #key(pk: string, sk: string): string {
    return `${pk}\u0000${sk}`;
  }
}

interface InMemoryStateStoreOptions {
  /** Epoch ms; decides lease expiry when `save` is given no `now`. Default `Date.now`. */
  readonly clock?: () => number;
  readonly decisionTtlSeconds?: number;
  /** The backing table (to seed or inspect items); a new empty one by default. */
  readonly table?: InMemoryTable;
}

class InMemoryStateStore implements StateStore {
  readonly table: InMemoryTable;
  readonly #clock: () => number;
  readonly #decisionTtlSeconds: number;

  constructor(options: InMemoryStateStoreOptions = {}) {
    this.table = options.table ?? new InMemoryTable();
    this.#clock = options.clock ?? Date.now;
    this.#decisionTtlSeconds = options.decisionTtlSeconds ?? DEFAULT_DECISION_TTL_SECONDS;
  }

  async load(ids: readonly ObjectId[]): Promise<Map<ObjectId, StoredState | StateCorruptError>> {
    return loadedStates(ids, (id) => this.table.get(id, STATE_SORT_KEY));
  }

  async save(
    id: ObjectId,
    state: EngineState,
    expectedVersion: number | undefined,
    options: SaveOptions = {},
  ): Promise<number> {
    const now = options.now ?? this.#clock();
    this.#check({ id, expectedVersion, owner: options.leaseOwner, now });
    const version = (expectedVersion ?? PLACEHOLDER_VERSION) + 1;
    // Built before any put: a record that cannot be written leaves the state unwritten too.
    const records = (options.records ?? []).map((record) => this.#decisionItem(id, record));
    this.table.put(stateItem({ id, state, version, now }));
    for (const item of records) this.table.put(item);
    return version;
  }

  async acquireLease(id: ObjectId, expectedVersion: number | undefined, owner: string, now: number, ttlMs: number, intent?: ScaleIntent): Promise<void> {
    // A never-saved object gets the placeholder (version 0, no state), as DynamoDB's if_not_exists does.
    const placeholder = (): Item => ({ ...stateKey(id), [StateAttribute.version]: { N: String(PLACEHOLDER_VERSION) } });
    this.table.put({
      ...(this.#check({ id, expectedVersion, owner, now }) ?? placeholder()),
      [StateAttribute.leaseOwner]: { S: owner },
      [StateAttribute.leaseExpiresAt]: { N: String(now + ttlMs) },
      ...(intent === undefined ? {} : { [StateAttribute.intent]: intentAttribute(id, intent) }),
    });
  }

  async releaseLease(id: ObjectId, owner: string): Promise<void> {
    const item = this.table.get(id, STATE_SORT_KEY);
    if (item?.[StateAttribute.leaseOwner]?.S !== owner) return;
    const released = { ...item };
    delete released[StateAttribute.leaseOwner];
    delete released[StateAttribute.leaseExpiresAt];
    this.table.put(released);
  }

  async remove(id: ObjectId): Promise<void> {
    this.table.delete(id, STATE_SORT_KEY);
  }

  async recordDecision(id: ObjectId, record: DecisionRecord): Promise<void> {
    this.table.put(this.#decisionItem(id, record));
  }

  async listDecisions(id: ObjectId, limit = DEFAULT_DECISION_LIMIT): Promise<DecisionRecord[]> {
    const items = this.table.queryDescending(id, DECISION_SORT_KEY_PREFIX).slice(0, checkDecisionLimit(limit));
    return items.map((item) => readDecision(id, item));
  }

  #decisionItem(id: ObjectId, record: DecisionRecord): Item {
    return decisionItem({ id, record, ttlSeconds: this.#decisionTtlSeconds, suffix: decisionSuffix() });
  }

  /** Throws what the DynamoDB adapter would; returns the current state item for the write. */
  #check(attempt: WriteAttempt): Item | undefined {
    const item = this.table.get(attempt.id, STATE_SORT_KEY);
    const refusal = writeRefusal(item === undefined ? undefined : readHead(attempt.id, item), attempt);
    if (refusal !== undefined) throw refusal;
    return item;
  }
}

export { InMemoryStateStore, InMemoryTable };
export type { InMemoryStateStoreOptions };
