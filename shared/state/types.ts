/**
 * The state port: one item per ScaledObject holding the engine's state, written conditionally on
 * a version, plus a short lease for evaluations that are about to scale, plus decision records
 * kept with a TTL so a person can ask why a target scaled.
 */
import type { EngineState } from '../engine/types.js';
import type { StateCorruptError } from './errors.js';

/** `<cluster>/<namespace>/<name>`: unique per ScaledObject across clusters. */
type ObjectId = string;

interface StoredState {
  readonly state: EngineState;
  /** Incremented by every successful save; the next save must name it. */
  readonly version: number;
}

/** Why a target scaled: kept for `decisionTtlSeconds` (default 7 days). */
interface DecisionRecord {
  readonly time: number;
  readonly fromReplicas: number;
  readonly toReplicas: number;
  readonly reason: string;
  readonly message: string;
  /** Trigger key → value or error text, as read this evaluation. */
  readonly inputs: Readonly<Record<string, number | string>>;
}

interface StateStore {
  /**
   * Strongly consistent batch read; ids without an item are absent from the map. An item that
   * cannot be decoded maps to its StateCorruptError, so one bad item never blocks the others.
   */
  load(ids: readonly ObjectId[]): Promise<Map<ObjectId, StoredState | StateCorruptError>>;
  /**
   * Writes `state` if the stored version is still `expectedVersion` (undefined: no item yet) and no
   * other owner holds a live lease; releases `leaseOwner`'s lease in the same write. Returns the new
   * version. Throws StateConflictError otherwise.
   */
  save(id: ObjectId, state: EngineState, expectedVersion: number | undefined, options?: { readonly leaseOwner?: string; readonly now?: number }): Promise<number>;
  /**
   * Takes the lease if the version is still `expectedVersion` and no live lease is held by another
   * owner. Throws LeaseHeldError (someone else is scaling this object) or StateConflictError.
   */
  acquireLease(id: ObjectId, expectedVersion: number | undefined, owner: string, now: number, ttlMs: number): Promise<void>;
  /** Drops `owner`'s lease without touching the state (e.g. the scale call failed). No-op if not held. */
  releaseLease(id: ObjectId, owner: string): Promise<void>;
  recordDecision(id: ObjectId, record: DecisionRecord): Promise<void>;
  /** Deletes the state item (the ScaledObject is gone); decision records expire by their TTL. No-op if absent. */
  remove(id: ObjectId): Promise<void>;
  /** Newest first. */
  listDecisions(id: ObjectId, limit?: number): Promise<DecisionRecord[]>;
}

export type { DecisionRecord, ObjectId, StateStore, StoredState };
