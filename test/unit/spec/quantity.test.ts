import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isQuantity, milliValue, quantityNumber } from '../../../shared/spec/quantity.js';

describe('Function: quantityNumber', () => {
  it.each([
    { comment: 'a decimal', input: '0.05', expected: 0.05 },
    { comment: 'milli', input: '50m', expected: 0.05 },
    { comment: 'an exponent', input: '1e-1', expected: 0.1 },
    { comment: 'kilo', input: '2k', expected: 2000 },
    { comment: 'binary', input: '1Ki', expected: 1024 },
    { comment: 'a fractional binary', input: '1.5Gi', expected: 1.5 * 2 ** 30 },
    { comment: 'exa (E alone is a suffix, not an exponent)', input: '1E', expected: 1e18 },
    { comment: 'not a quantity', input: '5%', expected: undefined },
  ])('reads $comment', ({ input, expected }) => {
    expect(quantityNumber(input)).toBe(expected);
  });
});

// Expected values are resource.MustParse(input).MilliValue() in Go.
describe('Function: milliValue', () => {
  it.each([
    { comment: "metrics-server's nanocores, rounded up", input: '299276543n', expected: 300n },
    { comment: 'one nanocore is one millicore', input: '1n', expected: 1n },
    { comment: 'exact nanocores', input: '250000000n', expected: 250n },
    { comment: 'microcores', input: '1500u', expected: 2n },
    { comment: 'millicores', input: '500m', expected: 500n },
    { comment: 'cores', input: '2', expected: 2000n },
    { comment: 'a decimal', input: '1.0', expected: 1000n },
    { comment: 'a decimal with a fraction of a milli', input: '0.0001', expected: 1n },
    { comment: 'kibibytes (metrics-server memory)', input: '23456Ki', expected: 23456n * 1024n * 1000n },
    { comment: 'mebibytes', input: '256Mi', expected: 256n * 1024n ** 2n * 1000n },
    { comment: 'gibibytes beyond 2^53 milli-bytes', input: '64Gi', expected: 64n * 1024n ** 3n * 1000n },
    { comment: 'tebibytes', input: '2Ti', expected: 2n * 1024n ** 4n * 1000n },
    { comment: 'decimal kilo', input: '1k', expected: 1_000_000n },
    { comment: 'mega', input: '3M', expected: 3_000_000_000n },
    { comment: 'giga', input: '1G', expected: 1_000_000_000_000n },
    { comment: 'a positive exponent', input: '1e3', expected: 1_000_000n },
    { comment: 'an upper-case exponent', input: '5E2', expected: 500_000n },
    { comment: 'a negative exponent rounded up', input: '1e-4', expected: 1n },
    { comment: 'zero', input: '0', expected: 0n },
    { comment: 'surrounding blanks', input: ' 100m ', expected: 100n },
  ])('reads $comment', ({ input, expected }) => {
    expect(milliValue(input)).toBe(expected);
  });

  it.each(['', 'abc', '5%', '1.2.3', '10 m', 'm', '1e400', '0x10', '1KiB', '1constructor', '12toString'])('refuses %j', (input) => {
    expect(milliValue(input)).toBeUndefined();
    expect(isQuantity(input)).toBe(false);
  });
});

describe('Property: milliValue is exact for every integer form the API writes', () => {
  const scale: Record<string, [bigint, bigint]> = { n: [1n, 1_000_000n], u: [1n, 1_000n], m: [1n, 1n], '': [1000n, 1n], k: [1_000_000n, 1n], M: [1_000_000_000n, 1n], Ki: [1_024_000n, 1n], Mi: [1_048_576_000n, 1n], Gi: [1_073_741_824_000n, 1n] };
  it('equals ceil(digits × unit ÷ divisor) computed with BigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.constantFrom(...Object.keys(scale)), (digits, suffix) => {
        const [multiplier, divisor] = scale[suffix] as [bigint, bigint];
        const expected = (digits * multiplier + divisor - 1n) / divisor;
        expect(milliValue(`${digits}${suffix}`)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
