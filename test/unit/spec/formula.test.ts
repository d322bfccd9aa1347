import jsep from 'jsep';
import { describe, expect, it } from 'vitest';
import { FormulaError } from '../../../shared/errors.js';
import { compileFormula } from '../../../shared/spec/formula.js';

type Env = Record<string, number | null>;

const TRIGGERS = ['a', 'b', 'c'];
const ENV: Env = { a: 3, b: 1, c: 2 };

const run = (source: string, env: Env = ENV): number | null => compileFormula(source, TRIGGERS).evaluate(env);

const compileError = (source: string, variables: readonly string[] = TRIGGERS): FormulaError => {
  try {
    compileFormula(source, variables);
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to compile`);
};

const evaluateError = (source: string, env: Env): FormulaError => {
  const formula = compileFormula(source, TRIGGERS);
  try {
    formula.evaluate(env);
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
};

describe('compileFormula: KEDA documentation examples', () => {
  it.each<[string, Env, number]>([
    // scalingModifiers docs: the average of two triggers
    ['(a+b)/2', { a: 3, b: 1 }, 2],
    // docs: add b only while a is above 2
    ['a > 2 ? a+b : 1', { a: 3, b: 1 }, 4],
    ['a > 2 ? a+b : 1', { a: 2, b: 1 }, 1],
    // docs: 5 when more than one trigger is above 1
    ['count([a,b,c], {#>1}) > 1 ? 5 : 0', { a: 3, b: 1, c: 2 }, 5],
    ['count([a,b,c], {#>1}) > 1 ? 5 : 0', { a: 3, b: 1, c: 0 }, 0],
  ])('%s with %o is %d', (source, env, expected) => {
    expect(compileFormula(source, TRIGGERS).evaluate(env)).toBe(expected);
  });
});

describe('compileFormula: precedence and associativity follow expr, not JavaScript', () => {
  it.each<[string, number]>([
    ['1 + 2 * 3', 7], // * before +
    ['(1 + 2) * 3', 9], // parentheses
    ['10 - 4 - 3', 3], // left-associative
    ['12 / 3 / 2', 2], // left-associative
    ['2 ** 3 ** 2', 512], // ** is right-associative
    ['2 ^ 3 ^ 2', 512], // ^ is power (not xor) and right-associative
    ['-2 ** 2', -4], // unary minus binds looser than ** in expr
    ['(-2) ** 2', 4], // unless parenthesized
    ['-a * b', -3], // but tighter than *
    ['a > 2 ? 1 : a > 1 ? 2 : 3', 1], // nested conditional, right-associative
    ['b > 2 ? 1 : b > 0 ? 2 : 3', 2], // the else branch takes the inner conditional
    ['1 < a < 4 ? 1 : 0', 1], // comparisons chain: 1 < a && a < 4
    ['1 < a < 3 ? 1 : 0', 0], // a == 3 fails the second half
    ['a > 1 and b > 1 ? 1 : 0', 0], // and binds looser than >
    ['a > 1 || b > 1 ? 1 : 0', 1], // || likewise
    ['not (a > 1) ? 1 : 0', 0], // not
    ['!(b > 1) ? 1 : 0', 1], // !
    ['1 + a ?? 0', 4], // ?? binds tighter than +: 1 + (a ?? 0)
    ['if a > 2 { a } else if b > 0 { b } else { 0 }', 3], // if / else if / else
    ['if a > 5 { a } else if b > 0 { b } else { 0 }', 1], // the else-if branch
    ['a /* current */ + b // plus backlog', 4], // comments
  ])('%s = %d', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});

describe('compileFormula: nil from fallback and ??', () => {
  it.each<[string, Env, number | null]>([
    ['a ?? 0', { a: null }, 0], // nil takes the default
    ['a ?? 0', { a: 4 }, 4], // a value is kept
    ['a ?? b ?? 7', { a: null, b: null }, 7], // chains left to right
    ['(a ?? 0) + (b ?? 0)', { a: null, b: 2 }, 2], // the usual per-trigger default
    ['1 + a ?? 0', { a: null }, 1], // 1 + (a ?? 0)
    ['a * b ?? 2', { a: 3, b: null }, 6], // a * (b ?? 2)
    ['a ?? nil', { a: null }, null], // a formula with ?? may produce nil: KEDA then uses the fallback
    ['b ?? nil', { b: 5 }, 5], // …and a number when there is one
    ['a == nil ? 9 : a', { a: null }, 9], // comparing with nil is allowed
    ['a > 2 ?? 1 ? 1 : 0', { a: 3 }, 1], // ?? applies to 2 only: a > (2 ?? 1)
  ])('%s with %o is %s', (source, env, expected) => {
    expect(compileFormula(source, TRIGGERS).evaluate(env)).toBe(expected);
  });

  it('?? does not evaluate its right side when the left has a value', () => {
    // b is nil: b + 1 would fail, but it never runs.
    expect(compileFormula('a ?? (b + 1)', TRIGGERS).evaluate({ a: 1, b: null })).toBe(1);
  });
});

describe('compileFormula: functions and numbers', () => {
  it.each<[string, number]>([
    ['max(a, b, c)', 3], // variadic
    ['min(a, b, c)', 1],
    ['max([a, b], 7)', 7], // arrays are flattened
    ['max([[a], [b, 9]])', 9], // nested arrays too
    ['abs(-a)', 3],
    ['ceil(a / 2)', 2],
    ['floor(a / 2)', 1],
    ['round(2.5)', 3], // half away from zero (Go), as JavaScript
    ['round(-2.5)', -3], // half away from zero (Go), not -2 as Math.round
    ['int(2.7)', 2], // truncates
    ['int(-2.7)', -2], // truncates toward zero
    ['float(2)', 2],
    ['sum([a, b, c])', 6],
    ['sum([a, b], {# * 10})', 40], // sum with a predicate maps first
    ['mean([a, b, c])', 2],
    ['median([a, b, c, 10])', 2.5], // even count: mean of the middle two
    ['median(a, b, c)', 2], // variadic
    ['len([a, b, c])', 3],
    ['len(filter([a, b, c], # > 1))', 2], // braces around a predicate are optional
    ['sum(map([a, b], {# * 2}))', 8],
    ['first([a, b])', 3],
    ['last([a, b])', 1],
    ['count([a > 1, b > 1, c > 1])', 2], // count without a predicate counts true
    ['all([a, b], {# > 0}) ? 1 : 0', 1],
    ['any([a, b], {# > 2}) ? 1 : 0', 1],
    ['none([a, b], {# > 5}) ? 1 : 0', 1],
    ['one([a, b, c], {# > 2}) ? 1 : 0', 1],
    ['find([a, b, c], {# < 3})', 1],
    ['findIndex([a, b, c], {# < 3})', 1],
    ['findLast([a, b, c], {# < 3})', 2],
    ['findLastIndex([a, b, c], {# > 5})', -1],
    ['count([[a, b], [c]], {count(#, {# > 1}) > 0})', 2], // nested predicates: # is the innermost element
    ['a in [1, 3] ? 1 : 0', 1], // in on arrays
    ['int(a) % 2', 1], // % on ints
    ['-7 % 3', -1], // Go's remainder keeps the dividend's sign
    ['0x1F + 0o7 + 0b11 + 1_000', 1041], // expr's integer literals
    ['.5 + 1e3', 1000.5], // and float literals
    ['1 ** (0 / 0)', 1], // Go's math.Pow(1, NaN) is 1 (JavaScript's 1 ** NaN is NaN)
  ])('%s = %d', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each<[string, number]>([
    ['a / 0', Infinity], // float64 division: the engine sanitizes ±Inf/NaN later
    ['-a / 0', -Infinity],
    ['0 / 0', NaN],
    ['max(0 / 0, 1)', NaN], // expr compares in order: a leading NaN is kept…
    ['max(1, 0 / 0)', 1], // …a later one is not (unlike Math.max)
  ])('%s = %d (IEEE 754)', (source, expected) => {
    expect(run(source)).toBe(expected);
  });
});

describe('compileFormula: rejected at compile time', () => {
  it.each<[string, RegExp, (readonly string[])?]>([
    // unknown names: named, with the allowed names listed
    ['a + d', /column 5: unknown name "d" \(the formula can use the trigger names a, b, c\)/],
    ['null', /unknown name "null".*expr writes nil/],
    ['queue - a', /"queue-a" cannot be written in a formula: rename to an identifier/, ['queue-a', 'b']],
    ['max + 1', /unknown name "max".*call it as max\(…\)/],
    // JavaScript internals are just unknown names
    ['__proto__', /column 1: unknown name "__proto__"/],
    ['constructor', /unknown name "constructor"/],
    ['toString + 1', /unknown name "toString"/],
    // member, index and call access never reach JavaScript objects
    ['a.constructor', /column 2: unsupported syntax: member access \("\.constructor"\)/],
    ['max(a, b).constructor', /column 10: unsupported syntax: member access/],
    ['a.__proto__.polluted', /unsupported syntax: member access \("\.__proto__"\)/],
    ['[a]["constructor"]', /unsupported syntax: indexing/],
    ['a?.b', /unsupported syntax: optional chaining/],
    ['(a)(1)', /only builtin functions can be called/],
    ['a(1)', /"a" is a trigger value, not a function/],
    ['foo(1)', /unknown function foo\(\) \(supported: abs, all, any/],
    // parse errors carry the column
    ['(a + b', /column 7: expected "\)" to close the "\(" at column 1, found the end of the formula/],
    ['a +', /column 4: unexpected end of formula/],
    ['a + * b', /column 5: unexpected "\*"/],
    ['a b', /column 3: unexpected "b"/],
    ['1a', /column 1: invalid number "1a"/],
    ['a ? 1', /expected ":" of the conditional that starts at column 3/],
    ['', /the formula is empty/],
    ['a /* open', /unterminated comment/],
    ['if a > 1 { 1 }', /expected "else"/],
    ['1 + if a { 1 } else { 2 }', /"if" must start an expression/],
    ['# > 1', /"#" can only be used inside a predicate/],
    ['a ?? 0 + 1', /column 8: "\+" and "\?\?" cannot be mixed without parentheses/],
    // unsupported expr features say which
    ['"a"', /unsupported syntax: strings/],
    ['1..3', /unsupported syntax: ranges/],
    ['a | max()', /unsupported syntax: the pipe operator/],
    ['let x = a; x', /unsupported syntax: variables \("let"\)/],
    ['a; b', /unsupported syntax: sequences/],
    ['{a: 1}', /unsupported syntax: map literals/],
    ['a ?: 1', /unsupported syntax: the short conditional "\?:"/],
    ['a not in [1]', /unsupported syntax: "not in"/],
    ['count([a], {#index > 0})', /unsupported syntax: "#index"/],
    ['upper(a)', /function upper\(\) is not supported/],
    ['reduce([a, b], #acc + #)', /unsupported syntax: "#acc"/],
    ['reduce([a, b], {# > 0})', /function reduce\(\) is not supported/],
    // type errors expr's checker reports, so KEDA's webhook would refuse the manifest
    ['a % 2', /column 3: invalid operation: % \(mismatched types float and int\).*int\(a\) % 2/],
    ['count([a, b], {# % 2 == 0})', /invalid operation: %/],
    ['a + true', /invalid operation: \+ \(mismatched types float and bool\)/],
    ['a == true ? 1 : 0', /invalid operation: == \(mismatched types float and bool\)/],
    ['a ? 1 : 2', /non-bool expression \(type float\) used as condition/],
    ['!a', /invalid operation: ! \(mismatched type float\)/],
    ['count([a], {# + 1})', /predicate should return boolean \(got float\)/],
    ['len(a)', /invalid argument for len \(type float\)/],
    ['max()', /not enough arguments to call max/],
    ['abs(a, b)', /invalid number of arguments to abs \(expected 1, got 2\)/],
    // the result is float(formula): a bool, an array or a sure nil is not a number
    ['a > 1', /the formula must produce a number, but it produces bool/],
    ['[a, b]', /the formula must produce a number, but it produces array of float/],
    ['nil', /the formula must produce a number, but it produces nil/],
    // hostile input is bounded
    [`${'('.repeat(150)}a${')'.repeat(150)}`, /nests deeper than 100 levels/],
    [Array.from({ length: 1500 }, () => 'a').join(' + '), /more than 2000 elements/],
  ])('%s', (source, message, variables = TRIGGERS) => {
    expect(compileError(source, variables).message).toMatch(message);
  });

  it('says when no trigger has a name', () => {
    expect(compileError('a', []).message).toMatch(/no trigger has a name the formula can use: give triggers a "name"/);
  });
});

describe('CompiledFormula.evaluate: runtime errors are FormulaErrors', () => {
  it.each<[string, Env, RegExp]>([
    // arithmetic on a trigger in fallback (nil) fails, with a hint
    ['a + b', { a: null, b: 1 }, /failed: invalid operation: nil \+ number.*"\?\?"/],
    ['a > 1 ? 1 : 0', { a: null }, /invalid operation: nil > number/],
    ['count([a, b], {# > 1})', { a: 1, b: null }, /invalid operation: nil > number/],
    ['-a', { a: null }, /invalid operation: - nil/],
    // without ?? in the source, nil is not a valid result (KEDA's float(nil) fails)
    ['a', { a: null }, /must produce a number, but produced nil/],
    ['max(a)', { a: null }, /must produce a number, but produced nil/],
    // every trigger the formula reads needs a value
    ['a + b', { a: 1 }, /reads trigger "b", but no value was given for it/],
    // Go: integer division by zero and int() of ±Inf are errors
    ['int(a) % int(b)', { a: 1, b: 0 }, /integer divide by zero/],
    ['int(a)', { a: Infinity }, /int\(Infinity\) is undefined/],
  ])('%s with %o', (source, env, message) => {
    expect(evaluateError(source, env).message).toMatch(message);
  });

  it('rejects a binding that is not a number or null', () => {
    const env = { a: 'x' } as unknown as Env;
    expect(evaluateError('a', env).message).toMatch(/trigger "a" must be a number or null, got string/);
  });

  it('keeps the underlying error as the cause', () => {
    const error = evaluateError('a + 1', { a: null });
    expect(error.cause).toBeInstanceOf(FormulaError);
  });
});

describe('CompiledFormula: shape and safety', () => {
  it('lists the referenced triggers in the order given, once each', () => {
    const formula = compileFormula('c + a + c', ['a', 'b', 'c', 'a']);
    expect(formula.variables).toEqual(['a', 'c']);
    expect(formula.source).toBe('c + a + c');
  });

  it('compiles once and evaluates many times', () => {
    const formula = compileFormula('max(a, b) * 2', ['a', 'b']);
    expect([formula.evaluate({ a: 1, b: 2 }), formula.evaluate({ a: 5, b: 2 }), formula.evaluate({ a: 0, b: 0 })])
      .toEqual([4, 10, 0]);
  });

  it('reads trigger values from own properties only', () => {
    // A trigger named like an Object.prototype member must not read the prototype.
    const formula = compileFormula('constructor + 1', ['constructor']);
    expect(() => formula.evaluate({})).toThrow(/no value was given/);
    expect(formula.evaluate({ constructor: 1 })).toBe(2);
    const proto = compileFormula('__proto__ * 2', ['__proto__']);
    expect(() => proto.evaluate({})).toThrow(FormulaError);
    expect(proto.evaluate(Object.fromEntries([['__proto__', 4]]))).toBe(8);
  });

  it('leaves the process-wide jsep configuration alone', () => {
    const before = { binary: { ...jsep.binary_ops }, unary: { ...jsep.unary_ops }, literals: { ...jsep.literals } };
    compileFormula('(a ?? b) ** 2 > 1 and not (c in [1]) ? count([a], {# > 1}) : 0', TRIGGERS);
    expect({ binary: jsep.binary_ops, unary: jsep.unary_ops, literals: jsep.literals }).toEqual(before);
    // JavaScript precedence still holds for other jsep users: ^ is xor, looser than +.
    expect(jsep('1 + 2 ^ 3')).toMatchObject({ type: 'BinaryExpression', operator: '^' });
  });
});
