/**
 * The one rule every state write obeys, written twice side by side: as a DynamoDB
 * ConditionExpression (the DynamoDB adapter) and as a function (the in-memory adapter, and the
 * DynamoDB adapter's way to explain a refused write from the old item).
 *
 * A write (save or acquireLease) by `owner`, expecting `expectedVersion`, at `now` succeeds iff
 *
 *   ( attribute_not_exists(pk)          -- no item yet: only when expectedVersion is undefined
 *     OR version = :expected )          -- :expected = expectedVersion ?? 0 (0 = lease placeholder)
 *   AND ( attribute_not_exists(leaseExpiresAt)
 *         OR leaseExpiresAt <= :now     -- a lease is live while now < leaseExpiresAt
 *         OR leaseOwner = :owner )      -- only when the writer names itself: its own lease never blocks it
 *
 * A placeholder (version 0, no `state`) is what acquireLease leaves on an object that was never
 * saved; `load` does not return it, so the caller still holds `undefined` and its save matches
 * version 0. Saved items always have version >= 1.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LeaseHeldError, StateConflictError } from './errors.js';
import { StateAttribute } from './tableDefinition.js';
import type { ObjectId } from './types.js';

/** The version acquireLease gives the placeholder item of a never-saved object. */
const PLACEHOLDER_VERSION = 0;

/** The parts of a state item the rule looks at. */
interface ItemHead {
  readonly version: number;
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: number;
}

interface WriteAttempt {
  readonly id: ObjectId;
  readonly expectedVersion: number | undefined;
  readonly owner: string | undefined;
  readonly now: number;
}

const isLeaseLive = (head: ItemHead, now: number): head is ItemHead & { readonly leaseExpiresAt: number } =>
  head.leaseExpiresAt !== undefined && now < head.leaseExpiresAt;

/**
 * Why the rule refuses this write against `current` (undefined: no item), or undefined if it allows
 * it. `options` carries the `cause` (the SDK's ConditionalCheckFailedException) when explaining a refusal.
 */
const writeRefusal = (current: ItemHead | undefined, attempt: WriteAttempt, options?: ErrorOptions): StateConflictError | undefined => {
  const { id, expectedVersion, owner, now } = attempt;
  if (current === undefined) {
    return expectedVersion === undefined ? undefined : new StateConflictError({ id, expectedVersion, actualVersion: undefined }, options);
  }
  if (current.version !== (expectedVersion ?? PLACEHOLDER_VERSION)) {
    return new StateConflictError({ id, expectedVersion, actualVersion: current.version }, options);
  }
  if (isLeaseLive(current, now) && current.leaseOwner !== owner) {
    const holder = current.leaseOwner ?? '<unknown>';
    return new LeaseHeldError({ id, expectedVersion, holder, expiresAt: current.leaseExpiresAt }, options);
  }
  return undefined;
};

interface ConditionParts {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, AttributeValue>;
}

/** The rule as a ConditionExpression; every name goes through `#` placeholders (`state` is a reserved word). */
const writeCondition = (attempt: WriteAttempt): ConditionParts => {
  const version = attempt.expectedVersion === undefined ? '(attribute_not_exists(#pk) OR #version = :expected)' : '#version = :expected';
  const ownLease = attempt.owner === undefined ? '' : ' OR #leaseOwner = :owner';
  return {
    ConditionExpression: `${version} AND (attribute_not_exists(#leaseExpiresAt) OR #leaseExpiresAt <= :now${ownLease})`,
    ExpressionAttributeNames: {
      ...(attempt.expectedVersion === undefined ? { '#pk': StateAttribute.pk } : {}),
      '#version': StateAttribute.version,
      '#leaseExpiresAt': StateAttribute.leaseExpiresAt,
      ...(attempt.owner === undefined ? {} : { '#leaseOwner': StateAttribute.leaseOwner }),
    },
    ExpressionAttributeValues: {
      ':expected': { N: String(attempt.expectedVersion ?? PLACEHOLDER_VERSION) },
      ':now': { N: String(attempt.now) },
      ...(attempt.owner === undefined ? {} : { ':owner': { S: attempt.owner } }),
    },
  };
};

export { PLACEHOLDER_VERSION, writeCondition, writeRefusal };
export type { ItemHead, WriteAttempt };
