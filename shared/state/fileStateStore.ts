/**
 * The state port in a local JSON file, for `lpa run` outside AWS: the in-memory adapter's items and
 * write rules (versions, leases: the same as DynamoDB's), saved after every write with an atomic
 * replace (write a temporary file, then rename), so a crash never leaves a half-written file.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EngineState } from '../engine/types.js';
import { LpaError } from '../errors.js';
import type { StateCorruptError } from './errors.js';
import { InMemoryStateStore, InMemoryTable } from './inMemoryStateStore.js';
import type { Item } from './items.js';
import type { DecisionRecord, ObjectId, SaveOptions, StateStore, StoredState } from './types.js';

const FORMAT = 'lpa-state/1';

/** Reads the file's items; a missing file is an empty table, anything else unreadable is an error naming the file. */
const loadTable = (path: string): InMemoryTable => {
  const table = new InMemoryTable();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return table;
    throw error;
  }
  const document = JSON.parse(text) as { format?: unknown; items?: unknown };
  if (document.format !== FORMAT || !Array.isArray(document.items)) {
    throw new LpaError(`${path}: not an LPA state file (expected {"format":"${FORMAT}","items":[…]})`);
  }
  for (const item of document.items as Item[]) table.put(item);
  return table;
};

class FileStateStore implements StateStore {
  readonly #path: string;
  readonly #table: InMemoryTable;
  readonly #inner: InMemoryStateStore;

  constructor(path: string, options: { readonly clock?: () => number } = {}) {
    this.#path = path;
    this.#table = loadTable(path);
    this.#inner = new InMemoryStateStore({ table: this.#table, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  }

  #persist(): void {
    const temporary = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, items: this.#table.items() })}\n`);
    renameSync(temporary, this.#path);
  }

  async #write<T>(operation: Promise<T>): Promise<T> {
    const result = await operation;
    this.#persist();
    return result;
  }

  load(ids: readonly ObjectId[]): Promise<Map<ObjectId, StoredState | StateCorruptError>> {
    return this.#inner.load(ids);
  }

  save(id: ObjectId, state: EngineState, expectedVersion: number | undefined, options?: SaveOptions): Promise<number> {
    return this.#write(this.#inner.save(id, state, expectedVersion, options));
  }

  acquireLease(id: ObjectId, expectedVersion: number | undefined, owner: string, now: number, ttlMs: number): Promise<void> {
    return this.#write(this.#inner.acquireLease(id, expectedVersion, owner, now, ttlMs));
  }

  releaseLease(id: ObjectId, owner: string): Promise<void> {
    return this.#write(this.#inner.releaseLease(id, owner));
  }

  recordDecision(id: ObjectId, record: DecisionRecord): Promise<void> {
    return this.#write(this.#inner.recordDecision(id, record));
  }

  remove(id: ObjectId): Promise<void> {
    return this.#write(this.#inner.remove(id));
  }

  listDecisions(id: ObjectId, limit?: number): Promise<DecisionRecord[]> {
    return this.#inner.listDecisions(id, limit);
  }
}

export { FileStateStore };
