/**
 * IAM-style matching of the tenancy allowances (shared/access/tenancy.ts): what a pattern admits is
 * exactly what IAM would, whatever characters ARNs and patterns hold (regex metacharacters included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../shared/access/tenancy.js';

/** Text without the two wildcards, regex metacharacters included. */
const literal = fc.string({ unit: fc.constantFrom(...'ab:/.-_+()[]{}^$|\\01'.split('')), maxLength: 12 });
const char = fc.constantFrom(...'ab:/.-*?'.split(''));

describe('Property: tenancy patterns match as IAM does', () => {
  it('a pattern without wildcards matches itself and nothing else', () => {
    fc.assert(
      fc.property(literal, literal, (a, b) => {
        expect([matchesPattern(a, a), matchesPattern(a, b)]).toEqual([true, a === b]);
      }),
    );
  });

  it('prefix* matches every extension of prefix, and only texts that start with it', () => {
    fc.assert(
      fc.property(literal, literal, literal, (prefix, suffix, other) => {
        expect([matchesPattern(`${prefix}*`, `${prefix}${suffix}`), matchesPattern(`${prefix}*`, other)]).toEqual([true, other.startsWith(prefix)]);
      }),
    );
  });

  it('prefix? matches prefix and one more character, whatever it is, and nothing shorter or longer', () => {
    fc.assert(
      fc.property(literal, char, literal, (prefix, one, other) => {
        const expected = other.length === prefix.length + 1 && other.startsWith(prefix);
        expect([matchesPattern(`${prefix}?`, `${prefix}${one}`), matchesPattern(`${prefix}?`, prefix), matchesPattern(`${prefix}?`, other)]).toEqual([true, false, expected]);
      }),
    );
  });

  it('agrees with the regular expression IAM\'s rule spells, for any pattern of *, ? and literals', () => {
    const reference = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '.'), maxLength: 10 }), fc.string({ unit: fc.constantFrom('a', 'b', '.', '\n'), maxLength: 12 }), (pattern, value) => {
        expect(matchesPattern(pattern, value)).toBe(reference(pattern, value));
      }),
      { numRuns: 2000 },
    );
  });
});
