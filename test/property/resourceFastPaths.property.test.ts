/**
 * The Resource path's fast paths (shared/engine/podObjects.ts, resourceReplicas.ts) pinned to what
 * they replace: `Date.parse` for API times, the Go-duration grammar's general path for plain
 * seconds, BigInt division for the sums' quotients.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseTime } from '../../shared/engine/podObjects.js';
import { exactQuotient } from '../../shared/engine/resourceReplicas.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('Property: parseTime is Date.parse', () => {
  it('for every string of the API form YYYY-MM-DDTHH:MM:SSZ, fields in range or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 29 }),
        fc.integer({ min: 0, max: 69 }),
        fc.integer({ min: 0, max: 69 }),
        (year, month, day, hour, minute, second) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}Z`;
          expect(parseTime(text)).toBe(Date.parse(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each(['2026-12-02T10:00:00.123456Z', '2026-12-02T10:00:00+01:00', '2026-12-02t10:00:00z', '2026-12-02 10:00:00Z', '2026-1a-02T10:00:00Z', 'not a time', ''])(
    'for %j, another form',
    (text) => {
      expect(parseTime(text)).toBe(Date.parse(text));
    },
  );
});

describe('Property: parseGoDuration reads plain seconds as its general grammar does', () => {
  it('"<n>s" and "<n>.<f>s" equal the same seconds after a zero minutes part', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }), (whole, fraction) => {
        const seconds = fraction === undefined ? `${whole}s` : `${whole}.${fraction}s`;
        expect(parseGoDuration(seconds)).toBe(parseGoDuration(`0m${seconds}`));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    { text: '.5s', expected: 500 },
    { text: '5.s', expected: 5000 },
    { text: '1ms', expected: 1 },
    { text: '1.5us', expected: 0.0015 },
    { text: 's', expected: undefined },
    { text: '.s', expected: undefined },
    { text: '1..5s', expected: undefined },
  ])('reads $text as Go does (ms: $expected)', ({ text, expected }) => {
    expect(parseGoDuration(text)).toBe(expected);
  });
});

describe('Property: exactQuotient is int64 division wherever it answers', () => {
  it('equals BigInt division for non-negative integers, and leaves a + b beyond 2^53 to BigInt', () => {
    const MAX = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX }), fc.bigInt({ min: 1n, max: MAX }), (a, b) => {
        const quotient = exactQuotient(Number(a), Number(b));
        expect(quotient === undefined ? a + b > MAX : BigInt(quotient) === a / b).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
