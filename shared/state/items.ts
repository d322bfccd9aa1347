/**
 * The two item kinds of the state table, as DynamoDB attribute maps, and their checked readers.
 * Both adapters store exactly these items, so the in-memory store cannot accept what DynamoDB would
 * refuse to decode. Readers throw StateCorruptError naming the object and the attribute.
 */
import { randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EngineState } from '../engine/types.js';
import { decodeState, encodeState } from './codec.js';
import { PLACEHOLDER_VERSION } from './conditions.js';
import type { ItemHead } from './conditions.js';
import { StateCorruptError } from './errors.js';
import { DECISION_SORT_KEY_PREFIX, STATE_SORT_KEY, StateAttribute } from './tableDefinition.js';
import type { DecisionRecord, ObjectId, ScaleIntent, StoredIntent, StoredState } from './types.js';

type Item = Record<string, AttributeValue>;

const DEFAULT_DECISION_TTL_SECONDS = 7 * 24 * 60 * 60; // 7 days
/** How many decisions `listDecisions` returns when the caller names no limit. */
const DEFAULT_DECISION_LIMIT = 20;

/** Keeps two decisions of the same millisecond from overwriting each other. */
const decisionSuffix = (): string => randomBytes(4).toString('hex');

const checkDecisionLimit = (limit: number): number => {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`listDecisions limit must be a positive integer, got ${limit}`);
  return limit;
};

const stateKey = (id: ObjectId): Item => ({ [StateAttribute.pk]: { S: id }, [StateAttribute.sk]: { S: STATE_SORT_KEY } });

/** A saved state: no lease attributes, so writing it whole also releases any lease. */
const stateItem = (args: { readonly id: ObjectId; readonly state: EngineState; readonly version: number; readonly now: number }): Item => ({
  ...stateKey(args.id),
  [StateAttribute.version]: { N: String(args.version) },
  [StateAttribute.state]: { S: encodeState(args.id, args.state) },
  [StateAttribute.updatedAt]: { N: String(args.now) },
});

const readString = (id: ObjectId, item: Item, name: string): string | undefined => {
  const value = item[name];
  if (value === undefined) return undefined;
  if (typeof value.S !== 'string') throw new StateCorruptError(id, name, 'must be a string (S)');
  return value.S;
};

const readNumber = (id: ObjectId, item: Item, name: string, integer: boolean): number | undefined => {
  const value = item[name];
  if (value === undefined) return undefined;
  const n = typeof value.N === 'string' ? Number(value.N) : Number.NaN;
  if (!(integer ? Number.isSafeInteger(n) : Number.isFinite(n))) {
    throw new StateCorruptError(id, name, integer ? 'must be an integer number (N)' : 'must be a finite number (N)');
  }
  return n;
};

const required = <T>(id: ObjectId, name: string, value: T | undefined): T => {
  if (value === undefined) throw new StateCorruptError(id, name, 'is missing');
  return value;
};

/** What the write rule looks at: version and lease. */
const readHead = (id: ObjectId, item: Item): ItemHead => {
  const version = required(id, StateAttribute.version, readNumber(id, item, StateAttribute.version, true));
  const leaseOwner = readString(id, item, StateAttribute.leaseOwner);
  const leaseExpiresAt = readNumber(id, item, StateAttribute.leaseExpiresAt, false);
  return { version, ...(leaseOwner === undefined ? {} : { leaseOwner }), ...(leaseExpiresAt === undefined ? {} : { leaseExpiresAt }) };
};

/** JSON has no NaN or Infinity: such input values are kept as their text, since a record only explains. */
const jsonInputs = (inputs: DecisionRecord['inputs']): Record<string, number | string> =>
  Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, typeof value === 'number' && !Number.isFinite(value) ? String(value) : value]));

/** The intent attribute: the decision record and the encoded state, as one JSON string. */
const intentAttribute = (id: ObjectId, intent: ScaleIntent): AttributeValue => ({
  S: JSON.stringify({ record: { ...intent.record, inputs: jsonInputs(intent.record.inputs) }, state: encodeState(id, intent.state) }),
});

const readIntent = (id: ObjectId, item: Item, leaseExpiresAt: number | undefined): StoredIntent | undefined => {
  const text = readString(id, item, StateAttribute.intent);
  if (text === undefined) return undefined;
  const corrupt = (rule: string, cause?: unknown) => new StateCorruptError(id, StateAttribute.intent, rule, { cause });
  let parsed: { record?: Record<string, unknown>; state?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw corrupt('is not JSON', error);
  }
  const record = parsed.record;
  const numbers = ['time', 'fromReplicas', 'toReplicas'] as const;
  if (typeof record !== 'object' || record === null || numbers.some((k) => !Number.isFinite(record[k])) || typeof record.reason !== 'string' || typeof record.message !== 'string' || typeof parsed.state !== 'string') {
    throw corrupt('must be JSON {record: {time, fromReplicas, toReplicas, reason, message, inputs}, state}');
  }
  const inputs = readInputs(id, JSON.stringify(record.inputs ?? null));
  const decision: DecisionRecord = { time: record.time as number, fromReplicas: record.fromReplicas as number, toReplicas: record.toReplicas as number, reason: record.reason, message: record.message, inputs };
  return { record: decision, state: decodeState(id, parsed.state), leaseExpiresAt };
};

/** The saved state (with its intent, if any), or undefined for a bare lease placeholder (never saved: the caller still holds `undefined`). */
const readStoredState = (id: ObjectId, item: Item): StoredState | undefined => {
  const { version, leaseExpiresAt } = readHead(id, item);
  const text = readString(id, item, StateAttribute.state);
  const intent = readIntent(id, item, leaseExpiresAt);
  const withIntent = intent === undefined ? {} : { intent };
  if (text === undefined && version === PLACEHOLDER_VERSION) return intent === undefined ? undefined : { state: undefined, version, ...withIntent };
  return { state: decodeState(id, required(id, StateAttribute.state, text)), version, ...withIntent };
};

/**
 * A decision record. `expiresAt` is in epoch SECONDS (DynamoDB TTL). Non-finite input values are
 * stored as their text ('NaN'), since JSON has no such numbers and the record only explains.
 */
const decisionItem = (args: { readonly id: ObjectId; readonly record: DecisionRecord; readonly ttlSeconds: number; readonly suffix: string }): Item => {
  const { id, record } = args;
  if (!Number.isFinite(record.time)) throw new StateCorruptError(id, StateAttribute.time, 'must be a finite number (epoch ms)');
  const inputs = jsonInputs(record.inputs);
  return {
    [StateAttribute.pk]: { S: id },
    [StateAttribute.sk]: { S: `${DECISION_SORT_KEY_PREFIX}${new Date(record.time).toISOString()}#${args.suffix}` },
    [StateAttribute.time]: { N: String(record.time) },
    [StateAttribute.fromReplicas]: { N: String(record.fromReplicas) },
    [StateAttribute.toReplicas]: { N: String(record.toReplicas) },
    [StateAttribute.reason]: { S: record.reason },
    [StateAttribute.message]: { S: record.message },
    [StateAttribute.inputs]: { S: JSON.stringify(inputs) },
    [StateAttribute.expiresAt]: { N: String(Math.floor(record.time / 1000) + args.ttlSeconds) },
  };
};

const readInputs = (id: ObjectId, text: string): Record<string, number | string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateCorruptError(id, StateAttribute.inputs, 'is not JSON', { cause: error });
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
  if (entries === undefined || entries.some(([, value]) => typeof value !== 'number' && typeof value !== 'string')) {
    throw new StateCorruptError(id, StateAttribute.inputs, 'must be a JSON object of numbers and strings');
  }
  return Object.fromEntries(entries) as Record<string, number | string>;
};

const readDecision = (id: ObjectId, item: Item): DecisionRecord => ({
  time: required(id, StateAttribute.time, readNumber(id, item, StateAttribute.time, false)),
  fromReplicas: required(id, StateAttribute.fromReplicas, readNumber(id, item, StateAttribute.fromReplicas, true)),
  toReplicas: required(id, StateAttribute.toReplicas, readNumber(id, item, StateAttribute.toReplicas, true)),
  reason: required(id, StateAttribute.reason, readString(id, item, StateAttribute.reason)),
  message: required(id, StateAttribute.message, readString(id, item, StateAttribute.message)),
  inputs: readInputs(id, required(id, StateAttribute.inputs, readString(id, item, StateAttribute.inputs))),
});

export {
  DEFAULT_DECISION_LIMIT,
  DEFAULT_DECISION_TTL_SECONDS,
  checkDecisionLimit,
  decisionItem,
  decisionSuffix,
  intentAttribute,
  readDecision,
  readHead,
  readStoredState,
  stateItem,
  stateKey,
};
export type { Item };

/** `load`'s view of one item: decoded, absent (placeholder), or the reason it cannot be read. */
const loadStoredState = (id: ObjectId, item: Item | undefined): StoredState | StateCorruptError | undefined => {
  if (item === undefined) return undefined;
  try {
    return readStoredState(id, item);
  } catch (error) {
    if (error instanceof StateCorruptError) return error;
    throw error;
  }
};

/** Both adapters' `load` result: every id with an item, decoded or with its corruption. */
const loadedStates = (ids: Iterable<ObjectId>, itemOf: (id: ObjectId) => Item | undefined): Map<ObjectId, StoredState | StateCorruptError> => {
  const found = new Map<ObjectId, StoredState | StateCorruptError>();
  for (const id of ids) {
    const stored = loadStoredState(id, itemOf(id));
    if (stored !== undefined) found.set(id, stored);
  }
  return found;
};

export { loadedStates };
