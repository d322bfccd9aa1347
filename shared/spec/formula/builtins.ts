import { ANY, BOOL, FLOAT, INT, arrayOf, isNumeric, typeName } from './ast.js';
import type { CallNode, FormulaNode, PredicateNode, StaticType } from './ast.js';
import {
  asArray,
  asBool,
  goRound,
  invalidArgument,
  isArray,
  mean,
  median,
  minMax,
  numeric,
  toInt,
} from './runtime.js';
import type { Evaluator, Scope, Value } from './runtime.js';

/**
 * expr's builtin functions that make sense on metric values, with expr's argument checks
 * (`builtin/builtin.go`, `checker.go`) and results (`builtin/lib.go`).
 */

interface Compiled {
  readonly type: StaticType;
  readonly run: Evaluator;
}

/** What a builtin needs from the compiler. */
interface BuiltinContext {
  compile(node: FormulaNode | PredicateNode): Compiled;
  /** Compiles a predicate body with `#` of type `element`. */
  compilePredicate(node: FormulaNode | PredicateNode, element: StaticType): Compiled;
  fail(pos: number, detail: string): never;
}

type Builtin = (call: CallNode, context: BuiltinContext) => Compiled;

const fits = (type: StaticType, ok: (t: StaticType) => boolean): boolean => type.kind === 'any' || ok(type);

/** The one argument of `abs(x)`, `len(x)`, …; expr's message for any other count. */
const onlyArgument = (call: CallNode, context: BuiltinContext): FormulaNode | PredicateNode => {
  const [node] = call.args;
  if (node === undefined || call.args.length > 1) {
    return context.fail(call.pos, `invalid number of arguments to ${call.name} (expected 1, got ${call.args.length})`);
  }
  return node;
};

/** `abs`, `ceil`, `floor`, `round`, `int`, `float`: one number in, one number out. */
const mathFunction =
  (result: (arg: StaticType) => StaticType, fn: (x: number) => Value): Builtin =>
  (call, context) => {
    const arg = context.compile(onlyArgument(call, context));
    if (!fits(arg.type, isNumeric)) {
      context.fail(call.pos, `invalid argument for ${call.name} (type ${typeName(arg.type)})`);
    }
    const { run } = arg;
    const name = call.name;
    return {
      type: result(arg.type),
      run: (slots, scope) => {
        const x = run(slots, scope);
        return typeof x === 'number' ? fn(x) : invalidArgument(name, x);
      },
    };
  };

/** The numbers an aggregate may see: numbers, arrays of them, or unknown. */
const aggregatable = (t: StaticType): boolean =>
  isNumeric(t) || t.kind === 'any' || (t.kind === 'array' && aggregatable(t.elem));

const leafType = (t: StaticType): StaticType => (t.kind === 'array' ? leafType(t.elem) : t);

/** `max`, `min`, `mean`, `median`: numbers and arrays, flattened (expr's `validateAggregateFunc`). */
const aggregate =
  (result: (args: readonly StaticType[]) => StaticType, fn: (values: readonly Value[]) => Value): Builtin =>
  (call, context) => {
    if (call.args.length === 0) context.fail(call.pos, `not enough arguments to call ${call.name}`);
    const args = call.args.map((node) => context.compile(node));
    for (const arg of args) {
      if (!aggregatable(arg.type)) context.fail(call.pos, `invalid argument for ${call.name} (type ${typeName(arg.type)})`);
    }
    const runs = args.map((arg) => arg.run);
    return {
      type: result(args.map((arg) => leafType(arg.type))),
      run: (slots, scope) => fn(runs.map((run) => run(slots, scope))),
    };
  };

/** int when every input is an int, as in expr; float otherwise; any when unknown. */
const numberType = (types: readonly StaticType[]): StaticType => {
  if (types.some((t) => t.kind === 'any')) return ANY;
  return types.every((t) => t.kind === 'int') ? INT : FLOAT;
};

/** `len`, `first`, `last`: one array in. */
const arrayFunction =
  (result: (element: StaticType) => StaticType, fn: (items: readonly Value[]) => Value): Builtin =>
  (call, context) => {
    const arg = context.compile(onlyArgument(call, context));
    if (!fits(arg.type, (t) => t.kind === 'array')) {
      context.fail(call.pos, `invalid argument for ${call.name} (type ${typeName(arg.type)})`);
    }
    const { run } = arg;
    const name = call.name;
    return {
      type: result(arg.type.kind === 'array' ? arg.type.elem : ANY),
      // expr's first/last recover from a non-array and give nil; len fails.
      run: (slots, scope) => {
        const value = run(slots, scope);
        if (isArray(value)) return fn(value);
        return name === 'len' ? invalidArgument(name, value) : null;
      },
    };
  };

/**
 * A builtin with a predicate, `name(array, {…#…})`. `loop` gets the array and a `test` that runs
 * the predicate on one element (the predicate's value, checked to be a bool when `boolean`).
 */
const predicateFunction =
  (
    boolean: boolean,
    result: (element: StaticType, body: StaticType) => StaticType,
    loop: (items: readonly Value[], test: (item: Value) => Value) => Value,
  ): Builtin =>
  (call, context) => {
    const [source, predicate] = call.args;
    if (source === undefined || predicate === undefined) return context.fail(call.pos, `${call.name}() needs 2 arguments`);
    const collection = context.compile(source);
    if (!fits(collection.type, (t) => t.kind === 'array')) {
      context.fail(source.pos, `builtin ${call.name} takes only array (got ${typeName(collection.type)})`);
    }
    const element = collection.type.kind === 'array' ? collection.type.elem : ANY;
    const body = context.compilePredicate(predicate, element);
    if (boolean && !fits(body.type, (t) => t.kind === 'bool')) {
      context.fail(predicate.pos, `predicate should return boolean (got ${typeName(body.type)})`);
    }
    const name = call.name;
    const what = `the predicate of ${name}`;
    return {
      type: result(element, body.type),
      run: (slots, outer) => {
        const items = asArray(collection.run(slots, outer), name);
        const scope: Scope = { item: null };
        const test = (item: Value): Value => {
          scope.item = item;
          const value = body.run(slots, scope);
          return boolean ? asBool(value, what) : value;
        };
        return loop(items, test);
      },
    };
  };

const bool = (): StaticType => BOOL;

const findIndex = (items: readonly Value[], test: (item: Value) => Value, fromEnd: boolean): number => {
  for (let k = 0; k < items.length; k++) {
    const i = fromEnd ? items.length - 1 - k : k;
    if (test(items[i] ?? null) === true) return i;
  }
  return -1;
};

const add = numeric('+', (l, r) => l + r);

/** `count(array)` counts true elements; `sum(array)` adds them: an optional predicate maps first. */
const withOptionalPredicate =
  (withPredicate: Builtin, plain: (items: readonly Value[]) => Value, result: (element: StaticType) => StaticType): Builtin =>
  (call, context) => {
    if (call.args.length === 2) return withPredicate(call, context);
    const [source] = call.args;
    if (source === undefined) return context.fail(call.pos, `${call.name}() needs an array`);
    const collection = context.compile(source);
    if (!fits(collection.type, (t) => t.kind === 'array')) {
      context.fail(source.pos, `builtin ${call.name} takes only array (got ${typeName(collection.type)})`);
    }
    const name = call.name;
    return {
      type: result(collection.type.kind === 'array' ? collection.type.elem : ANY),
      run: (slots, scope) => plain(asArray(collection.run(slots, scope), name)),
    };
  };

const countTrue = (items: readonly Value[], test: (item: Value) => Value): number =>
  items.reduce<number>((n, item) => (test(item) === true ? n + 1 : n), 0);

const sumOf = (items: readonly Value[], map: (item: Value) => Value = (item) => item): Value =>
  items.reduce<Value>((total, item) => add(total, map(item)), 0);

const sumType = (t: StaticType): StaticType => (isNumeric(t) ? t : ANY);

const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['abs', mathFunction((t) => t, (x) => (x < 0 ? -x : x))],
  ['ceil', mathFunction(() => FLOAT, Math.ceil)],
  ['floor', mathFunction(() => FLOAT, Math.floor)],
  ['round', mathFunction(() => FLOAT, goRound)],
  ['int', mathFunction(() => INT, toInt)],
  ['float', mathFunction(() => FLOAT, (x) => x)],
  ['max', aggregate(numberType, (values) => minMax('max', (x, best) => best < x, values))],
  ['min', aggregate(numberType, (values) => minMax('min', (x, best) => best > x, values))],
  ['mean', aggregate(() => FLOAT, mean)],
  ['median', aggregate(() => FLOAT, median)],
  ['len', arrayFunction(() => INT, (items) => items.length)],
  ['first', arrayFunction((t) => t, (items) => items[0] ?? null)],
  ['last', arrayFunction((t) => t, (items) => items.at(-1) ?? null)],
  ['all', predicateFunction(true, bool, (items, test) => items.every((item) => test(item) === true))],
  ['any', predicateFunction(true, bool, (items, test) => items.some((item) => test(item) === true))],
  ['none', predicateFunction(true, bool, (items, test) => !items.some((item) => test(item) === true))],
  ['one', predicateFunction(true, bool, (items, test) => countTrue(items, test) === 1)],
  ['filter', predicateFunction(true, (t) => arrayOf(t), (items, test) => items.filter((item) => test(item) === true))],
  ['map', predicateFunction(false, (_, body) => arrayOf(body), (items, test) => items.map(test))],
  ['find', predicateFunction(true, (t) => t, (items, test) => items[findIndex(items, test, false)] ?? null)],
  ['findLast', predicateFunction(true, (t) => t, (items, test) => items[findIndex(items, test, true)] ?? null)],
  ['findIndex', predicateFunction(true, () => INT, (items, test) => findIndex(items, test, false))],
  ['findLastIndex', predicateFunction(true, () => INT, (items, test) => findIndex(items, test, true))],
  [
    'count',
    withOptionalPredicate(
      predicateFunction(true, () => INT, countTrue),
      (items) => countTrue(items, (item) => asBool(item, 'an element counted by count()')),
      () => INT,
    ),
  ],
  [
    'sum',
    withOptionalPredicate(predicateFunction(false, (_, body) => sumType(body), sumOf), (items) => sumOf(items), sumType),
  ],
]);

/** expr builtins LPA leaves out: they work on strings, dates, maps or bits, not on metric values. */
const UNSUPPORTED_BUILTINS = new Set([
  'type', 'string', 'trim', 'trimPrefix', 'trimSuffix', 'upper', 'lower', 'split', 'splitAfter', 'replace',
  'repeat', 'join', 'indexOf', 'lastIndexOf', 'hasPrefix', 'hasSuffix', 'toJSON', 'fromJSON', 'toBase64',
  'fromBase64', 'now', 'duration', 'date', 'timezone', 'get', 'take', 'sort', 'sortBy', 'reduce', 'groupBy',
  'keys', 'values', 'toPairs', 'fromPairs', 'reverse', 'uniq', 'concat', 'flatten', 'bitand', 'bitor', 'bitxor',
  'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr',
]);

const BUILTIN_NAMES: readonly string[] = [...BUILTINS.keys()].sort();

export { BUILTINS, BUILTIN_NAMES, UNSUPPORTED_BUILTINS };
export type { Builtin, BuiltinContext, Compiled };
