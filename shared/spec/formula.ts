import { errorMessage, FormulaError } from '../errors.js';
import { quote } from './echo.js';
import { formulaError, quotedFormula, typeName } from './formula/ast.js';
import { compileTree } from './formula/compiler.js';
import { parseFormula } from './formula/parser.js';
import { describe } from './formula/runtime.js';
import type { Program } from './formula/compiler.js';
import type { Scope, Value } from './formula/runtime.js';

/**
 * `advanced.scalingModifiers.formula`: KEDA compiles it with expr-lang/expr v1.17.8 over the
 * named triggers' values (keda-semantics.md §7). We parse it with jsep (a private subclass with
 * expr's grammar: formula/parser.ts), check types as expr does, and build a closure tree once,
 * so `evaluate` is cheap on every poll. Nothing is ever passed to `eval`/`Function`, and no
 * JavaScript object is reachable from a formula: member access and calls on values are
 * rejected at compile time and trigger values are read only from own properties.
 *
 * Supported (expr semantics):
 * - int and float literals (`2`, `2.5`, `.5`, `1e3`, `1_000`, `0x1F`, `0o17`, `0b101`), trigger
 *   names, `nil`, `true`, `false`, parentheses, array literals `[a, b]`, comments.
 * - `+ - * /` (`/` is float division, so `x/0` is ±Inf or NaN), `^` and `**` (power,
 *   right-associative), unary `- + ! not`, `== != < <= > >=` (chained: `1 < a < 3`),
 *   `&& and || or` (short-circuit), `in` on arrays, `c ? x : y`, `if c { x } else { y }`,
 *   `??` (binds tighter than any other operator and cannot be mixed with them unparenthesized).
 * - `%` only on ints, as expr: trigger values are float64, so write `int(a) % 2`, not `a % 2`.
 * - max, min, mean, median (numbers and arrays), abs, ceil, floor, round (half away from zero),
 *   int (truncates), float, len, first, last, sum, count (with or without a predicate),
 *   all, any, one, none, filter, map, find, findIndex, findLast, findLastIndex with a
 *   predicate `{… # …}` (braces optional).
 *
 * Rejected with a FormulaError that names the construct: strings, maps, member/index/slice
 * access, `?.`, ranges `..`, pipes `|`, `let`, `;` sequences, `?:` short form, `#index`/`#acc`,
 * `not in`, string/date/bit builtins, reduce, sort/sortBy/groupBy. Integers are exact up to 2^53
 * (expr's are int64).
 *
 * The result is `float(formula)`, as KEDA wraps it: a bool or array result is an error. Only if
 * the source contains `??` may the result be nil (KEDA's `… == nil ? nil : float(…)`), which
 * `evaluate` returns as null.
 */

interface CompiledFormula {
  readonly source: string;
  /** trigger names the formula actually references */
  readonly variables: readonly string[];
  /** env: trigger name -> value, or null for a trigger whose fallback is active (KEDA binds it as nil).
   *  Returns the numeric result, or null when the formula evaluates to nil (e.g. `a ?? nil`-style via ??).
   *  Throws FormulaError when the result is not a number/nil or a runtime error happens (e.g. arithmetic on nil). */
  evaluate(env: Readonly<Record<string, number | null>>): number | null;
}

/** The top level has no predicate element; builtins make their own scope. */
const TOP: Scope = { item: null };


/** Reads one trigger value; only own properties, so `constructor` or `__proto__` never reach Object.prototype. */
const binding = (env: Readonly<Record<string, number | null>>, name: string, source: string): Value => {
  if (!Object.hasOwn(env, name)) {
    throw new FormulaError(`formula ${quotedFormula(source)} reads trigger ${quote(name)}, but no value was given for it`);
  }
  const value: unknown = env[name];
  if (value === null || typeof value === 'number') return value;
  throw new FormulaError(`formula ${quotedFormula(source)}: trigger ${quote(name)} must be a number or null, got ${typeof value}`);
};

const compile = (source: string, variables: readonly string[]): Program => {
  try {
    return compileTree(source, parseFormula(source), variables);
  } catch (error) {
    if (error instanceof FormulaError) throw error;
    // Not expected (the parser bounds nesting), but a compile must only ever fail as a FormulaError.
    throw new FormulaError(`formula ${quotedFormula(source)} could not be compiled: ${errorMessage(error)}`, { cause: error });
  }
};

/**
 * Compiles `source` for the given trigger names. Throws FormulaError for a syntax error (with the
 * column), an unknown name (listing the names it can use), unsupported syntax, or a type error
 * that expr's checker would report (so that what KEDA's webhook refuses, LPA refuses too).
 */
const compileFormula = (source: string, variables: readonly string[]): CompiledFormula => {
  const { type, run, slotNames } = compile(source, variables);
  const nilAllowed = source.includes('??');
  if (type.kind === 'bool' || type.kind === 'array' || (type.kind === 'nil' && !nilAllowed)) {
    throw formulaError(source, 0, `the formula must produce a number, but it produces ${typeName(type)}`);
  }
  const quoted = quotedFormula(source);

  const evaluate = (env: Readonly<Record<string, number | null>>): number | null => {
    const slots = slotNames.map((name) => binding(env, name, source));
    let result: Value;
    try {
      result = run(slots, TOP);
    } catch (error) {
      throw new FormulaError(`formula ${quoted} failed: ${errorMessage(error)}`, { cause: error });
    }
    if (typeof result === 'number') return result;
    if (result === null && nilAllowed) return null;
    throw new FormulaError(`formula ${quoted} must produce a number, but produced ${describe(result)}`);
  };

  const used = new Set(slotNames);
  const referenced = [...new Set(variables)].filter((name) => used.has(name));
  return Object.freeze({ source, variables: Object.freeze(referenced), evaluate });
};

export { compileFormula };
export type { CompiledFormula };
