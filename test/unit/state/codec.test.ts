import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../../shared/engine/types.js';
import { decodeState, encodeState } from '../../../shared/state/codec.js';
import { StateCorruptError } from '../../../shared/state/errors.js';

const ID = 'prod/payments/worker';

/** Integral and fractional epoch ms; zero only as an integer (JSON cannot keep -0, and no clock produces it). */
const time = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double({ min: 1, max: 4_102_444_800_000, noNaN: true }));
const count = fc.nat({ max: 10_000 });
const step = fc.integer({ min: 1, max: 10_000 });

const engineState: fc.Arbitrary<EngineState> = fc.record(
  {
    lastEvaluationTime: time,
    lastSyncTime: time,
    hpaReason: fc.constantFrom('ScaleUpLimit' as const, 'DesiredWithinRange' as const),
    lastActiveTime: time,
    firstEvaluationTime: time,
    recommendations: fc.array(fc.record({ replicas: count, time }, { noNullPrototype: true })),
    scaleUpEvents: fc.array(fc.record({ change: step, time }, { noNullPrototype: true })),
    scaleDownEvents: fc.array(fc.record({ change: step, time }, { noNullPrototype: true })),
    failures: fc.dictionary(fc.string(), count, { noNullPrototype: true }),
    originalReplicas: count,
    paused: fc.boolean(),
  },
  { requiredKeys: ['recommendations', 'scaleUpEvents', 'scaleDownEvents', 'failures'], noNullPrototype: true },
);

const EMPTY: EngineState = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures: {} };

/** A valid stored document with one field replaced. */
const storedWith = (field: string, value: unknown): string =>
  JSON.stringify({ format: 1, recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures: {}, [field]: value });

const corruptError = (run: () => unknown): StateCorruptError => {
  try {
    run();
  } catch (error) {
    if (error instanceof StateCorruptError) return error;
    throw error;
  }
  throw new Error('expected a StateCorruptError');
};

describe('Function: encodeState / decodeState', () => {
  it('round-trips every engine state exactly', () => {
    fc.assert(
      fc.property(engineState, (state) => {
        expect(decodeState(ID, encodeState(ID, state))).toStrictEqual(state);
      }),
    );
  });

  it('stores lists as flat [time, value] pairs and omits absent optional fields', () => {
    // Act
    const text = encodeState(ID, { ...EMPTY, recommendations: [{ time: 1000, replicas: 3 }], scaleDownEvents: [{ time: 2000, change: 1 }] });

    // Assess
    expect(text).toBe('{"format":1,"recommendations":[1000,3],"scaleUpEvents":[],"scaleDownEvents":[2000,1],"failures":{}}');
  });

  it('refuses any other JSON with a StateCorruptError naming the object, never another error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const error = corruptError(() => decodeState(ID, JSON.stringify(value)));
        expect(error.id).toBe(ID);
      }),
    );
  });

  it.each([
    { comment: 'not JSON', text: '{"format":1,', attribute: 'state' },
    { comment: 'not an object', text: '[]', attribute: 'state' },
    { comment: 'unknown format', text: storedWith('format', 2), attribute: 'state.format' },
    { comment: 'unknown field', text: storedWith('lastScaleTime', 5), attribute: 'state.lastScaleTime' },
    { comment: 'odd pair list', text: storedWith('recommendations', [1000, 3, 2000]), attribute: 'state.recommendations' },
    { comment: 'list of objects', text: storedWith('recommendations', [{ time: 1, replicas: 1 }]), attribute: 'state.recommendations' },
    { comment: 'negative replicas', text: storedWith('recommendations', [1000, -1]), attribute: 'state.recommendations[1]' },
    { comment: 'text time', text: storedWith('scaleUpEvents', ['noon', 1]), attribute: 'state.scaleUpEvents[0]' },
    { comment: 'zero step', text: storedWith('scaleDownEvents', [1000, 0]), attribute: 'state.scaleDownEvents[1]' },
    { comment: 'fractional failure count', text: storedWith('failures', { queue: 1.5 }), attribute: 'state.failures["queue"]' },
    { comment: 'failures not an object', text: storedWith('failures', [1]), attribute: 'state.failures' },
    { comment: 'missing failures', text: '{"format":1,"recommendations":[],"scaleUpEvents":[],"scaleDownEvents":[]}', attribute: 'state.failures' },
    { comment: 'null time', text: storedWith('lastActiveTime', null), attribute: 'state.lastActiveTime' },
    { comment: 'text paused', text: storedWith('paused', 'yes'), attribute: 'state.paused' },
    { comment: 'negative originalReplicas', text: storedWith('originalReplicas', -2), attribute: 'state.originalReplicas' },
  ])('names $attribute when decoding $comment', ({ text, attribute }) => {
    // Act
    const error = corruptError(() => decodeState(ID, text));

    // Assess
    expect(error).toMatchObject({ name: 'StateCorruptError', id: ID, attribute });
    expect(error.message).toContain(ID);
    expect(error.message).toContain(attribute);
  });

  it('keeps the JSON parser error as the cause', () => {
    expect(corruptError(() => decodeState(ID, '{')).cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    { comment: 'NaN time', state: { ...EMPTY, lastEvaluationTime: Number.NaN }, attribute: 'state.lastEvaluationTime' },
    { comment: 'infinite time', state: { ...EMPTY, recommendations: [{ time: Number.POSITIVE_INFINITY, replicas: 1 }] }, attribute: 'state.recommendations[0]' },
    { comment: 'fractional replicas', state: { ...EMPTY, recommendations: [{ time: 1, replicas: 1.5 }] }, attribute: 'state.recommendations[1]' },
  ])('refuses to encode a state a load would refuse: $comment', ({ state, attribute }) => {
    expect(corruptError(() => encodeState(ID, state))).toMatchObject({ id: ID, attribute });
  });
});
