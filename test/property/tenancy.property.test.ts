/**
 * IAM-style matching of the tenancy allowances (shared/access/tenancy.ts): what a pattern admits is
 * exactly what IAM would, whatever characters ARNs and patterns hold (regex metacharacters included);
 * an in-cluster Service allowance admits every spelling of that Service and no other Service.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowanceOf, matchesPattern, tenancyProblems } from '../../shared/access/tenancy.js';
import { touchesOf } from '../../shared/access/touches.js';
import { parseScaledObject } from '../../shared/spec/parse.js';

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

describe('Property: an in-cluster Service allowance', () => {
  const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
  const spelling = fc.constantFrom((svc: string, ns: string) => `${svc}.${ns}`, (svc: string, ns: string) => `${svc}.${ns}.svc`, (svc: string, ns: string) => `${svc}.${ns}.svc.cluster.local`);
  const problems = (serverAddress: string, allowed: string): string[] => {
    const parsed = parseScaledObject({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'w', namespace: 'shop' },
      spec: { scaleTargetRef: { name: 'w' }, triggers: [{ type: 'prometheus', metadata: { serverAddress, query: 'up', threshold: '1' } }] },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return tenancyProblems(touchesOf(parsed.scaledObject), allowanceOf({ namespaces: { shop: { services: [allowed] } } }, 'shop'), 'shop');
  };

  it('admits the Service however its address is spelled, and refuses it on any other port', () => {
    fc.assert(
      fc.property(label, label, fc.integer({ min: 1, max: 65534 }), fc.constantFrom('http', 'https'), spelling, spelling, (svc, ns, port, scheme, read, allow) => {
        const allowed = `${scheme}://${allow(svc, ns)}:${port}`;
        expect([problems(`${scheme}://${read(svc, ns)}:${port}`, allowed), problems(`${scheme}://${read(svc, ns)}:${port + 1}`, allowed).length]).toEqual([[], 1]);
      }),
      { numRuns: 200 },
    );
  });
});
