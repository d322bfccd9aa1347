/**
 * The state table's layout, in one place so the DynamoDB adapter, the CDK construct and the local
 * dynalite starter cannot drift apart.
 *
 * One table, one partition per ScaledObject (`pk` = `<cluster>/<namespace>/<name>`):
 * - `sk = "state"`: the engine state, its `version` and the scaling lease;
 * - `sk = "decision#<ISO time>#<random>"`: why the target scaled, expired by DynamoDB TTL via `expiresAt`.
 * The ISO time in the sort key makes a reverse Query return decisions newest first; the random
 * suffix keeps two decisions of the same millisecond apart.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute names of both item kinds. */
const StateAttribute = {
  pk: 'pk',
  sk: 'sk',
  // state item
  version: 'version',
  state: 'state',
  leaseOwner: 'leaseOwner',
  /** Epoch milliseconds; the lease is live while `now < leaseExpiresAt`. */
  leaseExpiresAt: 'leaseExpiresAt',
  /** Epoch milliseconds of the last save. */
  updatedAt: 'updatedAt',
  /** A scale recorded with the lease before its PATCH (JSON); every save removes it. */
  intent: 'intent',
  // decision item
  time: 'time',
  fromReplicas: 'fromReplicas',
  toReplicas: 'toReplicas',
  reason: 'reason',
  message: 'message',
  inputs: 'inputs',
  /** Epoch SECONDS, as DynamoDB TTL requires; set on decision items only. */
  expiresAt: 'expiresAt',
} as const;

const STATE_SORT_KEY = 'state';
const DECISION_SORT_KEY_PREFIX = 'decision#';

/**
 * Key schema and TTL attribute. Key types use DynamoDB's letters, which are also the values of
 * CDK's `AttributeType` enum (`AttributeType.STRING === 'S'`).
 */
const stateTableDefinition = {
  partitionKey: { name: StateAttribute.pk, type: 'S' },
  sortKey: { name: StateAttribute.sk, type: 'S' },
  timeToLiveAttribute: StateAttribute.expiresAt,
  billingMode: 'PAY_PER_REQUEST',
} as const;

/** The CreateTable request for this layout (used by the local starter; CDK builds its own from the definition). */
const createStateTableInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: [
    { AttributeName: stateTableDefinition.partitionKey.name, AttributeType: stateTableDefinition.partitionKey.type },
    { AttributeName: stateTableDefinition.sortKey.name, AttributeType: stateTableDefinition.sortKey.type },
  ],
  KeySchema: [
    { AttributeName: stateTableDefinition.partitionKey.name, KeyType: 'HASH' },
    { AttributeName: stateTableDefinition.sortKey.name, KeyType: 'RANGE' },
  ],
  BillingMode: stateTableDefinition.billingMode,
});

export { DECISION_SORT_KEY_PREFIX, STATE_SORT_KEY, StateAttribute, createStateTableInput, stateTableDefinition };
