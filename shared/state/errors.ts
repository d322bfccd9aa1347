/**
 * Errors of the state port. Both adapters throw the same ones, so callers (and the contract tests)
 * cannot tell them apart.
 *
 * `LeaseHeldError` is a `StateConflictError`: either way the write lost to another evaluation, and
 * a caller that only checks `StateConflictError` still skips safely. Check `LeaseHeldError` first to
 * tell "someone is scaling this object right now" from "the state moved since my read".
 */
import { LpaError } from '../errors.js';
import type { ObjectId } from './types.js';

const describeVersion = (version: number | undefined): string => (version === undefined ? 'no item' : `version ${version}`);

/** The stored version is not the one the caller read (or no longer / not yet exists). */
class StateConflictError extends LpaError {
  readonly id: ObjectId;
  readonly expectedVersion: number | undefined;
  /** What was stored when the write was refused; undefined when there was no item. */
  readonly actualVersion: number | undefined;
  constructor(
    args: { readonly id: ObjectId; readonly expectedVersion: number | undefined; readonly actualVersion: number | undefined; readonly detail?: string },
    options?: ErrorOptions,
  ) {
    const detail = args.detail ?? `expected ${describeVersion(args.expectedVersion)}, found ${describeVersion(args.actualVersion)}`;
    super(`state of ${args.id} changed since it was read: ${detail}`, options);
    this.name = 'StateConflictError';
    this.id = args.id;
    this.expectedVersion = args.expectedVersion;
    this.actualVersion = args.actualVersion;
  }
}

/** Another owner holds a live lease: it is about to scale this object, so this evaluation must not. */
class LeaseHeldError extends StateConflictError {
  readonly holder: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  constructor(
    args: { readonly id: ObjectId; readonly expectedVersion: number | undefined; readonly holder: string; readonly expiresAt: number },
    options?: ErrorOptions,
  ) {
    super(
      {
        id: args.id,
        expectedVersion: args.expectedVersion,
        actualVersion: args.expectedVersion,
        detail: `lease held by ${args.holder} until ${new Date(args.expiresAt).toISOString()}`,
      },
      options,
    );
    this.name = 'LeaseHeldError';
    this.holder = args.holder;
    this.expiresAt = args.expiresAt;
  }
}

/** A stored item that does not decode (never half-decoded), or a state that would not: named by object and attribute. */
class StateCorruptError extends LpaError {
  readonly id: ObjectId;
  /** Item attribute, with a path inside it when the attribute is encoded (e.g. `state.recommendations[3]`). */
  readonly attribute: string;
  constructor(id: ObjectId, attribute: string, rule: string, options?: ErrorOptions) {
    super(`item of ${id}: attribute ${attribute} ${rule}`, options);
    this.name = 'StateCorruptError';
    this.id = id;
    this.attribute = attribute;
  }
}

/** The store itself failed (network, throttling beyond retries, permissions): names the table, the call and the object. */
class StateStoreError extends LpaError {
  readonly operation: string;
  readonly tableName: string;
  /** The object, or a count of objects for batch reads. */
  readonly subject: string;
  constructor(args: { readonly operation: string; readonly tableName: string; readonly subject: string; readonly problem: string }, options?: ErrorOptions) {
    super(`DynamoDB ${args.operation} on table ${args.tableName} for ${args.subject} failed: ${args.problem}`, options);
    this.name = 'StateStoreError';
    this.operation = args.operation;
    this.tableName = args.tableName;
    this.subject = args.subject;
  }
}

export { LeaseHeldError, StateConflictError, StateCorruptError, StateStoreError };
