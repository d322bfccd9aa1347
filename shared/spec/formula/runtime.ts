import { FormulaError } from '../../errors.js';

/**
 * Values and operations while a compiled formula runs. expr's int and float64 are both JavaScript
 * numbers here: the only place the difference shows, `%`, is settled by the compiler's types.
 */

type Value = number | boolean | null | readonly Value[];

/** The element `#` of the innermost predicate; each builtin call owns one and updates it in place. */
interface Scope {
  item: Value;
}

/** `slots` holds the trigger values the formula reads, in the order the compiler assigned. */
type Evaluator = (slots: readonly Value[], scope: Scope) => Value;

const isArray = (value: Value): value is readonly Value[] => Array.isArray(value);

/** expr's names for runtime types, as in its own error messages. */
const describe = (value: Value): string => {
  if (value === null) return 'nil';
  if (isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : 'number';
};

const fail = (message: string): never => {
  throw new FormulaError(message);
};

/** nil reaches arithmetic when fallback binds a failing trigger as nil; say how to handle that. */
const nilHint = (...values: Value[]): string =>
  values.includes(null) ? ' (a trigger in fallback is nil: give it a default with "??", e.g. "(a ?? 0)")' : '';

const invalidOperation = (op: string, left: Value, right?: Value): never =>
  right === undefined
    ? fail(`invalid operation: ${op} ${describe(left)}${nilHint(left)}`)
    : fail(`invalid operation: ${describe(left)} ${op} ${describe(right)}${nilHint(left, right)}`);

const invalidArgument = (name: string, value: Value): never =>
  fail(`invalid argument for ${name} (type ${describe(value)})${nilHint(value)}`);

const asBool = (value: Value, what: string): boolean =>
  typeof value === 'boolean' ? value : fail(`${what} must be a bool, got ${describe(value)}${nilHint(value)}`);

const asArray = (value: Value, name: string): readonly Value[] =>
  isArray(value) ? value : fail(`builtin ${name} takes only array (got ${describe(value)})${nilHint(value)}`);

/** A binary operation on two numbers; anything else is an error, as in expr's runtime. */
const numeric =
  (op: string, fn: (left: number, right: number) => Value) =>
  (left: Value, right: Value): Value =>
    typeof left === 'number' && typeof right === 'number' ? fn(left, right) : invalidOperation(op, left, right);

/** Go's `math.Pow`: unlike `**`, 1^NaN, 1^±Inf and (-1)^±Inf are 1. */
const goPow = (x: number, y: number): number => {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
};

/** Go's `math.Round`: half away from zero (`Math.round` rounds -2.5 to -2). */
const goRound = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/**
 * Go integer remainder: truncated, the sign of the dividend, like JavaScript's `%` on integers;
 * `+ 0` turns JavaScript's -0 into Go's 0. Both operands are ints (the compiler checks).
 */
const intRemainder = (left: number, right: number): number =>
  right === 0 ? fail('integer divide by zero') : (left % right) + 0;

/** Go's float64 → int conversion truncates; NaN and ±Inf have no int value. */
const toInt = (value: Value): Value => {
  if (typeof value !== 'number') return invalidArgument('int', value);
  return Number.isFinite(value) ? Math.trunc(value) + 0 : fail(`int(${value}) is undefined`);
};

/** expr's `runtime.Equal`: numbers by value (so 1 == 1.0), arrays element by element, else identity. */
const equal = (left: Value, right: Value): boolean => {
  if (left === right) return true;
  if (!isArray(left) || !isArray(right) || left.length !== right.length) return false;
  return left.every((item, i) => {
    const other = right[i];
    return other !== undefined && equal(item, other);
  });
};

/**
 * expr's `max`/`min`: any number of numbers or (nested) arrays of numbers, compared in order, so
 * a NaN only wins when it comes first (unlike `Math.max`). A single non-number argument is returned
 * as is, and an empty array gives nil — both quirks of expr kept on purpose.
 */
const minMax = (name: string, better: (candidate: number, best: number) => boolean, args: readonly Value[]): Value => {
  let best: number | undefined;
  const offer = (candidate: number): void => {
    if (best === undefined || better(candidate, best)) best = candidate;
  };
  for (const arg of args) {
    if (typeof arg === 'number') {
      offer(arg);
    } else if (isArray(arg)) {
      for (const item of arg) {
        const value = isArray(item) ? minMax(name, better, [item]) : item;
        if (typeof value !== 'number') return invalidArgument(name, value);
        offer(value);
      }
    } else if (args.length === 1) {
      return arg;
    } else {
      return invalidArgument(name, arg);
    }
  }
  return best ?? null;
};

/** The numbers in `args`, arrays flattened, for `mean` and `median`. */
const numbersIn = (name: string, args: readonly Value[], into: number[] = []): number[] => {
  for (const arg of args) {
    if (typeof arg === 'number') into.push(arg);
    else if (isArray(arg)) numbersIn(name, arg, into);
    else invalidArgument(name, arg);
  }
  return into;
};

/** expr's `mean`: 0 for no numbers. */
const mean = (args: readonly Value[]): number => {
  const values = numbersIn('mean', args);
  return values.length === 0 ? 0 : values.reduce((sum, x) => sum + x, 0) / values.length;
};

/** Go's `sort.Float64s` order: NaN first. */
const byFloat64 = (a: number, b: number): number => {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

/** expr's `median`: the middle value, or the mean of the two middle values; 0 for no numbers. */
const median = (args: readonly Value[]): number => {
  const values = numbersIn('median', args).sort(byFloat64);
  const n = values.length;
  if (n === 0) return 0;
  const upper = values[n >> 1] ?? 0;
  return n % 2 === 1 ? upper : ((values[(n >> 1) - 1] ?? 0) + upper) / 2;
};

export {
  isArray,
  describe,
  fail,
  invalidOperation,
  invalidArgument,
  asBool,
  asArray,
  numeric,
  goPow,
  goRound,
  intRemainder,
  toInt,
  equal,
  minMax,
  mean,
  median,
};
export type { Value, Scope, Evaluator };
