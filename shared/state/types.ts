/**
 * The state port: one item per ScaledObject holding the engine's state, written conditionally on
 * a version, plus a short lease for evaluations that are about to scale, plus decision records
 * kept with a TTL so a person can ask why a target scaled. A scale costs two writes: the lease with
 * its intent before the PATCH, and the save after it, which writes the decision record with the
 * state, all or nothing (DynamoDB: one TransactWriteItems).
 */
import type { EngineState } from '../engine/types.js';
import type { StateCorruptError } from './errors.js';

/** `<cluster>/<namespace>/<name>`: unique per ScaledObject across clusters. */
type ObjectId = string;

interface StoredState {
  /** Undefined only for a never-saved object that carries an intent (version 0). */
  readonly state: EngineState | undefined;
  /** Incremented by every successful save; the next save must name it. */
  readonly version: number;
  /** A scale recorded before its PATCH and never saved after it (absent when there is none). */
  readonly intent?: StoredIntent;
}

/**
 * A scale about to happen, written with the lease before the PATCH: if the evaluation dies between
 * the PATCH and the save (or its PATCH timed out on our side but the server applied it), the next
 * evaluation finds it and settles it (shared/app/scaleIntent.ts), so the scale event is never lost.
 */
interface ScaleIntent {
  /** What the decision record says; `toReplicas` is the PATCH's replicas. */
  readonly record: DecisionRecord;
  /** The state to keep once the PATCH is known to have happened. */
  readonly state: EngineState;
}

interface StoredIntent extends ScaleIntent {
  /** The lease it was written with, while the item still holds one (epoch ms). */
  readonly leaseExpiresAt: number | undefined;
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

interface SaveOptions {
  /** The lease this write releases (the scale path). */
  readonly leaseOwner?: string;
  /** Decides lease expiry. Default: the store's clock. */
  readonly now?: number;
  /** Decision records written in the same atomic write as the state. */
  readonly records?: readonly DecisionRecord[];
}

interface StateStore {
  /**
   * Strongly consistent batch read; ids without an item are absent from the map. An item that
   * cannot be decoded maps to its StateCorruptError, so one bad item never blocks the others.
   */
  load(ids: readonly ObjectId[]): Promise<Map<ObjectId, StoredState | StateCorruptError>>;
  /**
   * Writes `state` if the stored version is still `expectedVersion` (undefined: no item yet) and no
   * other owner holds a live lease; releases `leaseOwner`'s lease in the same write. `records` are
   * written with it, atomically: all of them if the state is written, none if it is refused. Returns
   * the new version. Throws StateConflictError otherwise.
   */
  save(id: ObjectId, state: EngineState, expectedVersion: number | undefined, options?: SaveOptions): Promise<number>;
  /**
   * Takes the lease if the version is still `expectedVersion` and no live lease is held by another
   * owner, recording `intent` with it (the next save removes it). Throws LeaseHeldError (someone else
   * is scaling this object) or StateConflictError.
   */
  acquireLease(id: ObjectId, expectedVersion: number | undefined, owner: string, now: number, ttlMs: number, intent?: ScaleIntent): Promise<void>;
  /** Drops `owner`'s lease without touching the state or the intent (e.g. the scale call failed). No-op if not held. */
  releaseLease(id: ObjectId, owner: string): Promise<void>;
  /** A decision record on its own (history imported or seeded); evaluations write theirs with `save`. */
  recordDecision(id: ObjectId, record: DecisionRecord): Promise<void>;
  /** Deletes the state item (the ScaledObject is gone); decision records expire by their TTL. No-op if absent. */
  remove(id: ObjectId): Promise<void>;
  /** Newest first. */
  listDecisions(id: ObjectId, limit?: number): Promise<DecisionRecord[]>;
}

export type { DecisionRecord, ObjectId, SaveOptions, ScaleIntent, StateStore, StoredIntent, StoredState };
