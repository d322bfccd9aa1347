import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormulaError } from '../../shared/errors.js';
import { compileFormula } from '../../shared/spec/formula.js';

const TRIGGERS = ['a', 'b', 'c'];

/** Any float64 a metric can carry, or nil for a trigger in fallback. */
const binding = fc.oneof(fc.double(), fc.constant(null));
const env = fc.record({ a: binding, b: binding, c: binding });

/** Random formulas from the supported grammar (many do not type-check: that must be a FormulaError too). */
const formula: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc.oneof(
    fc.constantFrom('a', 'b', 'c', 'nil', 'true', 'false', '0', '1', '2.5', '.5', '1e3', '0x1F', '#'),
    fc.integer({ min: -100, max: 100 }).map(String),
  );
  if (depth <= 1) return leaf;
  const sub = formula(depth - 1);
  const operator = fc.constantFrom(
    '+', '-', '*', '/', '%', '**', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'and', 'or', '??', 'in',
  );
  const fn = fc.constantFrom('max', 'min', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'sum', 'mean', 'median', 'len');
  const predicate = fc.constantFrom('count', 'all', 'any', 'none', 'one', 'filter', 'map', 'find', 'sum');
  return fc.oneof(
    leaf,
    fc.tuple(sub, operator, sub).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(fc.constantFrom('-', '+', '!', 'not '), sub).map(([op, x]) => `${op}${x}`),
    fc.tuple(sub, sub, sub).map(([t, x, y]) => `${t} ? ${x} : ${y}`),
    fc.tuple(sub, sub, sub).map(([t, x, y]) => `if ${t} { ${x} } else { ${y} }`),
    sub.map((x) => `(${x})`),
    fc.array(sub, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(fn, fc.array(sub, { maxLength: 3 })).map(([name, xs]) => `${name}(${xs.join(', ')})`),
    fc.tuple(predicate, sub, sub).map(([name, xs, body]) => `${name}(${xs}, {${body}})`),
  );
});

describe('compileFormula properties', () => {
  it('a + b is float64 addition', () => {
    const sum = compileFormula('a + b', TRIGGERS);
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => {
        expect(sum.evaluate({ a, b })).toBe(a + b);
      }),
    );
  });

  it('- and * are left-associative and * binds tighter, as in float64 arithmetic', () => {
    const left = compileFormula('a - b - c', TRIGGERS);
    const mixed = compileFormula('a * b + c', TRIGGERS);
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), (a, b, c) => {
        expect(left.evaluate({ a, b, c })).toBe(a - b - c);
        expect(mixed.evaluate({ a, b, c })).toBe(a * b + c);
      }),
    );
  });

  it('comparisons chain: a < b < c is a < b && b < c', () => {
    const chain = compileFormula('a < b < c ? 1 : 0', TRIGGERS);
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), (a, b, c) => {
        expect(chain.evaluate({ a, b, c })).toBe(a < b && b < c ? 1 : 0);
      }),
    );
  });

  it('min(a, b) <= max(a, b), and ?? picks the first non-nil value', () => {
    const spread = compileFormula('max(a, b) - min(a, b)', TRIGGERS);
    const coalesce = compileFormula('a ?? b ?? c', TRIGGERS);
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e300, max: 1e300 }), fc.double({ noNaN: true, min: -1e300, max: 1e300 }), (a, b) => {
        expect(spread.evaluate({ a, b })).toBeGreaterThanOrEqual(0);
      }),
    );
    fc.assert(
      fc.property(env, (values) => {
        expect(coalesce.evaluate(values)).toBe(values.a ?? values.b ?? values.c);
      }),
    );
  });

  it('compile and evaluate fail only with FormulaError, and a result is a number or null', () => {
    fc.assert(
      fc.property(formula(5), fc.array(env, { minLength: 1, maxLength: 3 }), (source, envs) => {
        let compiled;
        try {
          compiled = compileFormula(source, TRIGGERS);
        } catch (error) {
          expect(error).toBeInstanceOf(FormulaError);
          return;
        }
        for (const values of envs) {
          try {
            const result = compiled.evaluate(values);
            expect(result === null || typeof result === 'number').toBe(true);
            if (result === null) expect(source).toContain('??');
          } catch (error) {
            expect(error).toBeInstanceOf(FormulaError);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('any text either compiles or fails with a FormulaError', () => {
    const alphabet = fc.constantFrom(...'ab c01.e_x#?:!=<>&|+-*/%^()[]{},;"\'`\n'.split(''), 'nil', 'not', 'in', 'if', 'else', 'max', '??', '**');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')), (source) => {
        try {
          compileFormula(source, TRIGGERS);
        } catch (error) {
          expect(error).toBeInstanceOf(FormulaError);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
