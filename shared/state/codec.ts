/**
 * EngineState ↔ the `state` attribute: one JSON string, lists flattened to `[time, value, time, value, …]`
 * so an item stays a few hundred bytes (a write costs one unit per KB). Decoding checks every field
 * and names the first bad one; it never returns a half-decoded state. Encoding runs the same checks,
 * so nothing is written that a later load would refuse.
 *
 * @example
 * encodeState('prod/web/api', { recommendations: [{ time: 1000, replicas: 3 }], scaleUpEvents: [], scaleDownEvents: [], failures: {} })
 * // '{"format":1,"recommendations":[1000,3],"scaleUpEvents":[],"scaleDownEvents":[],"failures":{}}'
 */
import { Reason, type EngineState } from '../engine/types.js';
import { StateCorruptError } from './errors.js';
import { StateAttribute } from './tableDefinition.js';
import type { ObjectId } from './types.js';

/** Bumped when the layout changes; a reader refuses formats it does not know instead of guessing. */
const STATE_FORMAT = 1;

const FIELDS = new Set([
  'format',
  'lastEvaluationTime',
  'lastSyncTime',
  'hpaReason',
  'lastActiveTime',
  'firstEvaluationTime',
  'recommendations',
  'scaleUpEvents',
  'scaleDownEvents',
  'failures',
  'originalReplicas',
  'paused',
]);

type NumberKind = 'time' | 'count' | 'step';

const RULES: Readonly<Record<NumberKind, { readonly holds: (n: number) => boolean; readonly rule: string }>> = {
  time: { holds: Number.isFinite, rule: 'must be a finite number (epoch ms)' },
  count: { holds: (n) => Number.isSafeInteger(n) && n >= 0, rule: 'must be a non-negative integer' },
  step: { holds: (n) => Number.isSafeInteger(n) && n > 0, rule: 'must be a positive integer' },
};

const REASONS = new Set<Reason>(Object.values(Reason));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every check of one state, reporting against `id` and paths under the `state` attribute. */
const checker = (id: ObjectId) => {
  const fail = (path: string, rule: string): never => {
    throw new StateCorruptError(id, path === '' ? StateAttribute.state : `${StateAttribute.state}.${path}`, rule);
  };
  const number = (path: string, value: unknown, kind: NumberKind): number =>
    typeof value === 'number' && RULES[kind].holds(value) ? value : fail(path, RULES[kind].rule);
  const optionalNumber = (path: string, value: unknown, kind: NumberKind): number | undefined =>
    value === undefined ? undefined : number(path, value, kind);
  /** `[t0, v0, t1, v1, …]` → `[[t0, v0], …]`. */
  const pairs = (path: string, value: unknown, kind: NumberKind): [number, number][] => {
    if (!Array.isArray(value)) return fail(path, 'must be a list of numbers');
    if (value.length % 2 !== 0) return fail(path, 'must hold [time, value] pairs (an even count of numbers)');
    const out: [number, number][] = [];
    for (let i = 0; i < value.length; i += 2) {
      out.push([number(`${path}[${i}]`, value[i], 'time'), number(`${path}[${i + 1}]`, value[i + 1], kind)]);
    }
    return out;
  };
  const failures = (value: unknown): Record<string, number> => {
    if (!isRecord(value)) return fail('failures', 'must be an object of counts');
    return Object.fromEntries(Object.entries(value).map(([key, n]) => [key, number(`failures[${JSON.stringify(key)}]`, n, 'count')]));
  };
  const paused = (value: unknown): boolean | undefined =>
    value === undefined || typeof value === 'boolean' ? value : fail('paused', 'must be a boolean');
  const reason = (value: unknown): Reason | undefined =>
    value === undefined || REASONS.has(value as Reason) ? (value as Reason | undefined) : fail('hpaReason', 'must be one of the decision reasons');

  /** The compact object (parsed or about to be written) → EngineState, or StateCorruptError. */
  const state = (value: unknown): EngineState => {
    if (!isRecord(value)) return fail('', 'must be a JSON object');
    const unknown = Object.keys(value).find((key) => !FIELDS.has(key));
    if (unknown !== undefined) fail(unknown, `is not a field of state format ${STATE_FORMAT}`);
    if (value.format !== STATE_FORMAT) fail('format', `must be ${STATE_FORMAT} (this reader knows no other)`);
    return withoutUndefined({
      lastEvaluationTime: optionalNumber('lastEvaluationTime', value.lastEvaluationTime, 'time'),
      lastSyncTime: optionalNumber('lastSyncTime', value.lastSyncTime, 'time'),
      hpaReason: reason(value.hpaReason),
      lastActiveTime: optionalNumber('lastActiveTime', value.lastActiveTime, 'time'),
      firstEvaluationTime: optionalNumber('firstEvaluationTime', value.firstEvaluationTime, 'time'),
      recommendations: pairs('recommendations', value.recommendations, 'count').map(([time, replicas]) => ({ replicas, time })),
      scaleUpEvents: pairs('scaleUpEvents', value.scaleUpEvents, 'step').map(([time, change]) => ({ change, time })),
      scaleDownEvents: pairs('scaleDownEvents', value.scaleDownEvents, 'step').map(([time, change]) => ({ change, time })),
      failures: failures(value.failures),
      originalReplicas: optionalNumber('originalReplicas', value.originalReplicas, 'count'),
      paused: paused(value.paused),
    });
  };
  return { state };
};

/** Optional fields are absent, never present-and-undefined, so a decoded state equals the saved one exactly. */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

const encodeState = (id: ObjectId, state: EngineState): string => {
  const compact = {
    format: STATE_FORMAT,
    lastEvaluationTime: state.lastEvaluationTime,
    lastSyncTime: state.lastSyncTime,
    hpaReason: state.hpaReason,
    lastActiveTime: state.lastActiveTime,
    firstEvaluationTime: state.firstEvaluationTime,
    recommendations: state.recommendations.flatMap((r) => [r.time, r.replicas]),
    scaleUpEvents: state.scaleUpEvents.flatMap((e) => [e.time, e.change]),
    scaleDownEvents: state.scaleDownEvents.flatMap((e) => [e.time, e.change]),
    failures: state.failures,
    originalReplicas: state.originalReplicas,
    paused: state.paused,
  };
  checker(id).state(compact);
  // JSON.stringify drops the undefined optional fields.
  return JSON.stringify(compact);
};

const decodeState = (id: ObjectId, text: string): EngineState => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateCorruptError(id, StateAttribute.state, 'is not JSON', { cause: error });
  }
  return checker(id).state(parsed);
};

export { STATE_FORMAT, decodeState, encodeState };
