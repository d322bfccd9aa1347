import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TriggerReadError } from '../../shared/triggers/errors.js';
import { prometheusValue } from '../../shared/triggers/prometheusQuery.js';

/** A sample as Prometheus writes it: Go's FormatFloat of any float64, NaN and ±Inf included. */
const sample = fc.double().map((v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v)));
const vectorOf = (values: readonly string[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [1764687845.1, v] })) } });

describe('Property: prometheusValue', () => {
  it('never hands the engine NaN or ±Inf, and with ignoreNullValues never fails on one series', () => {
    fc.assert(
      fc.property(sample, (value) => {
        const read = prometheusValue(200, vectorOf([value]), { query: 'q', ignoreNullValues: true });
        expect(Number.isFinite(read)).toBe(true);
        expect(read).toBe(Number.isFinite(Number(value)) ? Number(value) : 0);
      }),
    );
  });

  it('fails with a TriggerReadError, never a crash, on any status, body or series count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.array(sample, { maxLength: 3 }).map(vectorOf), fc.json()), fc.boolean(), (status, body, ignoreNullValues) => {
        try {
          const read = prometheusValue(status, body, { query: 'q', ignoreNullValues });
          expect(Number.isFinite(read)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(TriggerReadError);
        }
      }),
    );
  });
});
