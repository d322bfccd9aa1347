/**
 * The state port on DynamoDB (table layout: tableDefinition.ts). Every state write is conditional:
 *
 * - save          PutItem of the whole state item (version = expected + 1, no lease attributes, so
 *                 the caller's lease goes with the same write), under the write rule of conditions.ts:
 *                   (attribute_not_exists(pk) OR version = :expected)      -- first form: expectedVersion undefined
 *                   AND (attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt <= :now OR leaseOwner = :owner)
 *                 With decision records: one TransactWriteItems of that Put and a Put per record, so
 *                 the records exist exactly when the state was written (a scale: lease, PATCH, this
 *                 one call). A cancellation by the condition is read as the PutItem's refusal; a
 *                 TransactionConflict (another write on the item at that moment) is a StateConflictError.
 * - acquireLease  UpdateItem SET leaseOwner, leaseExpiresAt (and version = 0 on a never-saved object:
 *                 the placeholder), under the same rule.
 * - releaseLease  UpdateItem REMOVE leaseOwner, leaseExpiresAt, if leaseOwner = :owner; a refusal is
 *                 the documented no-op.
 *
 * A refused write asks for the old item (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`) and runs
 * the same rule in code on it to say why: LeaseHeldError (another owner's live lease) or
 * StateConflictError (the version moved). DynamoDB omits the old item when there was none, and
 * dynalite never returns it, so without it the adapter reads the item (strongly consistent) instead.
 * Every other SDK error is rethrown as StateStoreError naming table, operation and object, with `cause`.
 *
 * `@aws-sdk/client-dynamodb` is imported, and the store's own client built, by the first call:
 * constructing the store at Lambda init then costs nothing (the import alone is ~100 ms).
 */
import type {
  BatchGetItemCommandInput,
  DynamoDBClient,
  DynamoDBClientConfig,
  GetItemCommandInput,
  PutItemCommandInput,
  QueryCommandInput,
  TransactWriteItemsCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { loadDynamoDb, type DynamoDbSdk } from '../aws/sdk.js';
import type { EngineState } from '../engine/types.js';
import { PLACEHOLDER_VERSION, writeCondition, writeRefusal } from './conditions.js';
import type { WriteAttempt } from './conditions.js';
import { StateConflictError, StateStoreError, type StateCorruptError } from './errors.js';
import { checkDecisionLimit, decisionItem, decisionSuffix, DEFAULT_DECISION_LIMIT, DEFAULT_DECISION_TTL_SECONDS, intentAttribute, loadedStates, readDecision, readHead, stateItem, stateKey } from './items.js';
import type { Item } from './items.js';
import { DECISION_SORT_KEY_PREFIX, StateAttribute } from './tableDefinition.js';
import type { DecisionRecord, ObjectId, SaveOptions, ScaleIntent, StateStore, StoredState } from './types.js';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX_KEYS = 100;
/** UnprocessedKeys (throttling) are retried this many times, waiting 50, 100, 200, 400, 800 ms. */
const BATCH_GET_MAX_ATTEMPTS = 6;
const BATCH_GET_BASE_DELAY_MS = 50;

type DynamoDbStateStoreOptions = {
  readonly tableName: string;
  /** How long decision records live (DynamoDB TTL). Default 7 days. */
  readonly decisionTtlSeconds?: number;
  /** Epoch ms; decides lease expiry when `save` is given no `now`. Default `Date.now`. */
  readonly clock?: () => number;
  /** Waits between UnprocessedKeys retries; injected so tests never sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
} & (
  | { readonly client: DynamoDBClient; readonly clientConfig?: never }
  | { readonly clientConfig?: DynamoDBClientConfig; readonly client?: never }
);

/** One SDK call, given the loaded module (for its command classes) and the client. */
type Call<Output> = (sdk: DynamoDbSdk, client: DynamoDBClient) => Promise<Output>;

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** By name, not instanceof: the Lambda runtime's SDK and a bundled one are different classes. */
const isConditionFailure = (error: unknown): error is Error & { readonly Item?: Item } =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Item;
}

/** A cancelled transaction's reason for its first item (the conditional state write), if that is why. */
const stateItemCancellation = (error: unknown): CancellationReason | undefined => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { readonly CancellationReasons?: readonly CancellationReason[] }).CancellationReasons;
  return reasons?.[0];
};

class DynamoDbStateStore implements StateStore {
  #client: DynamoDBClient | undefined;
  readonly #clientConfig: DynamoDBClientConfig;
  readonly #tableName: string;
  readonly #decisionTtlSeconds: number;
  readonly #clock: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: DynamoDbStateStoreOptions) {
    this.#client = options.client;
    this.#clientConfig = options.clientConfig ?? {};
    this.#tableName = options.tableName;
    this.#decisionTtlSeconds = options.decisionTtlSeconds ?? DEFAULT_DECISION_TTL_SECONDS;
    this.#clock = options.clock ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async load(ids: readonly ObjectId[]): Promise<Map<ObjectId, StoredState | StateCorruptError>> {
    // BatchGetItem refuses duplicate keys in one request.
    const unique = [...new Set(ids)];
    const chunks: ObjectId[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX_KEYS) chunks.push(unique.slice(i, i + BATCH_GET_MAX_KEYS));
    const byId = new Map<string, Item>();
    for (const items of await Promise.all(chunks.map((chunk) => this.#batchGet(chunk)))) {
      for (const item of items) byId.set(item[StateAttribute.pk]?.S ?? '', item);
    }
    return loadedStates(unique, (id) => byId.get(id));
  }

  async save(
    id: ObjectId,
    state: EngineState,
    expectedVersion: number | undefined,
    options: SaveOptions = {},
  ): Promise<number> {
    const attempt: WriteAttempt = { id, expectedVersion, owner: options.leaseOwner, now: options.now ?? this.#clock() };
    const version = (expectedVersion ?? PLACEHOLDER_VERSION) + 1;
    const put = {
      TableName: this.#tableName,
      Item: stateItem({ id, state, version, now: attempt.now }),
      ...writeCondition(attempt),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    } as const satisfies PutItemCommandInput;
    const records = options.records ?? [];
    if (records.length === 0) {
      await this.#conditionalWrite('PutItem', attempt, (sdk, client) => client.send(new sdk.PutItemCommand(put)));
      return version;
    }
    const input: TransactWriteItemsCommandInput = {
      TransactItems: [{ Put: put }, ...records.map((record) => ({ Put: { TableName: this.#tableName, Item: this.#decisionItem(id, record) } }))],
    };
    await this.#conditionalWrite('TransactWriteItems', attempt, (sdk, client) => client.send(new sdk.TransactWriteItemsCommand(input)));
    return version;
  }

  async acquireLease(id: ObjectId, expectedVersion: number | undefined, owner: string, now: number, ttlMs: number, intent?: ScaleIntent): Promise<void> {
    const attempt: WriteAttempt = { id, expectedVersion, owner, now };
    const condition = writeCondition(attempt);
    // `:expected` is 0 when expectedVersion is undefined: that is the placeholder's version.
    const placeholder = expectedVersion === undefined ? ', #version = if_not_exists(#version, :expected)' : '';
    const withIntent = intent === undefined ? '' : ', #intent = :intent';
    const input: UpdateItemCommandInput = {
      TableName: this.#tableName,
      Key: stateKey(id),
      UpdateExpression: `SET #leaseOwner = :owner, #leaseExpiresAt = :leaseExpiresAt${placeholder}${withIntent}`,
      ConditionExpression: condition.ConditionExpression,
      ExpressionAttributeNames: {
        ...condition.ExpressionAttributeNames,
        '#leaseOwner': StateAttribute.leaseOwner,
        ...(intent === undefined ? {} : { '#intent': StateAttribute.intent }),
      },
      ExpressionAttributeValues: {
        ...condition.ExpressionAttributeValues,
        ':owner': { S: owner },
        ':leaseExpiresAt': { N: String(now + ttlMs) },
        ...(intent === undefined ? {} : { ':intent': intentAttribute(id, intent) }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    await this.#conditionalWrite('UpdateItem', attempt, (sdk, client) => client.send(new sdk.UpdateItemCommand(input)));
  }

  async releaseLease(id: ObjectId, owner: string): Promise<void> {
    const input: UpdateItemCommandInput = {
      TableName: this.#tableName,
      Key: stateKey(id),
      UpdateExpression: 'REMOVE #leaseOwner, #leaseExpiresAt',
      ConditionExpression: '#leaseOwner = :owner',
      ExpressionAttributeNames: { '#leaseOwner': StateAttribute.leaseOwner, '#leaseExpiresAt': StateAttribute.leaseExpiresAt },
      ExpressionAttributeValues: { ':owner': { S: owner } },
    };
    try {
      await this.#call((sdk, client) => client.send(new sdk.UpdateItemCommand(input)));
    } catch (error) {
      if (isConditionFailure(error)) return; // not held by `owner`: nothing to release
      throw this.#failure('UpdateItem', id, error);
    }
  }

  async remove(id: ObjectId): Promise<void> {
    await this.#send('DeleteItem', id, (sdk, client) => client.send(new sdk.DeleteItemCommand({ TableName: this.#tableName, Key: stateKey(id) })));
  }

  async recordDecision(id: ObjectId, record: DecisionRecord): Promise<void> {
    const item = this.#decisionItem(id, record);
    await this.#send('PutItem', id, (sdk, client) => client.send(new sdk.PutItemCommand({ TableName: this.#tableName, Item: item })));
  }

  async listDecisions(id: ObjectId, limit = DEFAULT_DECISION_LIMIT): Promise<DecisionRecord[]> {
    checkDecisionLimit(limit);
    const items: Item[] = [];
    let startKey: Item | undefined;
    // A page ends at 1 MB: keep reading until `limit` records or the partition's end.
    do {
      const input: QueryCommandInput = {
        TableName: this.#tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': StateAttribute.pk, '#sk': StateAttribute.sk },
        ExpressionAttributeValues: { ':pk': { S: id }, ':prefix': { S: DECISION_SORT_KEY_PREFIX } },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      };
      const page = await this.#send('Query', id, (sdk, client) => client.send(new sdk.QueryCommand(input)));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < limit);
    return items.map((item) => readDecision(id, item));
  }

  /** One BatchGetItem chunk, retrying UnprocessedKeys with exponential backoff. */
  async #batchGet(ids: readonly ObjectId[]): Promise<Item[]> {
    const subject = `${ids.length} objects (${ids[0]}, …)`;
    const found: Item[] = [];
    let pending: Item[] = ids.map(stateKey);
    for (let attempt = 1; ; attempt += 1) {
      const input: BatchGetItemCommandInput = { RequestItems: { [this.#tableName]: { Keys: pending, ConsistentRead: true } } };
      const output = await this.#send('BatchGetItem', subject, (sdk, client) => client.send(new sdk.BatchGetItemCommand(input)));
      found.push(...(output.Responses?.[this.#tableName] ?? []));
      pending = output.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      if (pending.length === 0) return found;
      if (attempt === BATCH_GET_MAX_ATTEMPTS) {
        const problem = `${pending.length} keys still unprocessed after ${attempt} attempts (table throttled)`;
        throw new StateStoreError({ operation: 'BatchGetItem', tableName: this.#tableName, subject, problem });
      }
      await this.#sleep(BATCH_GET_BASE_DELAY_MS * 2 ** (attempt - 1));
    }
  }

  #decisionItem(id: ObjectId, record: DecisionRecord): Item {
    return decisionItem({ id, record, ttlSeconds: this.#decisionTtlSeconds, suffix: decisionSuffix() });
  }

  /**
   * A write under the rule: a refusal becomes LeaseHeldError / StateConflictError, anything else
   * StateStoreError. For a transaction, its state item's reason decides.
   */
  async #conditionalWrite(operation: string, attempt: WriteAttempt, write: Call<unknown>): Promise<void> {
    try {
      await this.#call(write);
    } catch (error) {
      const cancelled = stateItemCancellation(error);
      if (cancelled?.Code === 'TransactionConflict') {
        const detail = 'another write to the item was in progress (TransactionConflict)';
        throw new StateConflictError({ id: attempt.id, expectedVersion: attempt.expectedVersion, actualVersion: undefined, detail }, { cause: error });
      }
      const refused = isConditionFailure(error) ? error : cancelled?.Code === 'ConditionalCheckFailed' ? cancelled : undefined;
      if (refused === undefined) throw this.#failure(operation, attempt.id, error);
      const old = refused.Item ?? (await this.#getStateItem(attempt.id));
      const head = old === undefined ? undefined : readHead(attempt.id, old);
      throw (
        writeRefusal(head, attempt, { cause: error }) ??
        new StateConflictError(
          {
            id: attempt.id,
            expectedVersion: attempt.expectedVersion,
            actualVersion: head?.version,
            detail: 'the item changed between the refused write and the re-read',
          },
          { cause: error },
        )
      );
    }
  }

  async #getStateItem(id: ObjectId): Promise<Item | undefined> {
    const input: GetItemCommandInput = { TableName: this.#tableName, Key: stateKey(id), ConsistentRead: true };
    return (await this.#send('GetItem', id, (sdk, client) => client.send(new sdk.GetItemCommand(input)))).Item;
  }

  /** Loads the SDK and builds the store's own client on the first call (an injected client is used as is). */
  async #call<Output>(call: Call<Output>): Promise<Output> {
    const sdk = await loadDynamoDb();
    this.#client ??= new sdk.DynamoDBClient(this.#clientConfig);
    return call(sdk, this.#client);
  }

  async #send<Output>(operation: string, subject: string, call: Call<Output>): Promise<Output> {
    try {
      return await this.#call(call);
    } catch (error) {
      throw this.#failure(operation, subject, error);
    }
  }

  #failure(operation: string, subject: string, error: unknown): StateStoreError {
    return new StateStoreError({ operation, tableName: this.#tableName, subject, problem: errorText(error) }, { cause: error });
  }
}

export { DynamoDbStateStore };
export type { DynamoDbStateStoreOptions };
