import {
  ANY,
  BOOL,
  FLOAT,
  INT,
  NIL,
  arrayOf,
  eitherAny,
  formulaError,
  isComparable,
  isNumeric,
  sameType,
  typeName,
  unionType,
} from './ast.js';
import { quote } from '../echo.js';
import type { BinaryNode, FormulaNode, PredicateNode, StaticType, UnaryNode } from './ast.js';
import { BUILTINS, BUILTIN_NAMES, UNSUPPORTED_BUILTINS } from './builtins.js';
import type { BuiltinContext, Compiled } from './builtins.js';
import {
  asBool,
  equal,
  goPow,
  intRemainder,
  invalidOperation,
  isArray,
  numeric,
} from './runtime.js';
import type { Evaluator, Value } from './runtime.js';

/**
 * Turns a parsed formula into a tree of closures, checking types the way expr's checker does
 * (`checker/checker.go`) so that what KEDA's webhook rejects, `compileFormula` rejects too.
 * Trigger names are typed float64, as KEDA declares them; at run time one may still be nil.
 */

interface Program extends Compiled {
  /** The trigger names the formula reads; `run` expects their values in this order. */
  readonly slotNames: readonly string[];
}

const compare = {
  '<': numeric('<', (l, r) => l < r),
  '>': numeric('>', (l, r) => l > r),
  '<=': numeric('<=', (l, r) => l <= r),
  '>=': numeric('>=', (l, r) => l >= r),
};

const arithmetic = {
  '+': numeric('+', (l, r) => l + r),
  '-': numeric('-', (l, r) => l - r),
  '*': numeric('*', (l, r) => l * r),
  // Float division, as expr's `/` on ints too: x/0 is ±Inf or NaN, which the engine sanitizes.
  '/': numeric('/', (l, r) => l / r),
  '**': numeric('**', goPow),
  '^': numeric('^', goPow),
  '%': numeric('%', intRemainder),
};

const constant = (value: Value): Evaluator => () => value;

/** Trigger names a formula can spell: identifiers that are not expr keywords. */
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const RESERVED = new Set([
  'true', 'false', 'nil', 'and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'if', 'else', 'let',
]);

const unknownName = (name: string, variables: readonly string[]): string => {
  const usable = variables.filter((v) => IDENTIFIER.test(v) && !RESERVED.has(v));
  const unusable = variables.filter((v) => !usable.includes(v));
  const hints = [
    usable.length > 0
      ? `the formula can use the trigger names ${usable.join(', ')}`
      : 'no trigger has a name the formula can use: give triggers a "name"',
  ];
  // `queue-a` reads as `queue - a` in expr (and in KEDA), so such a trigger cannot be referenced.
  if (unusable.length > 0) hints.push(`${unusable.map((v) => quote(v)).join(', ')} cannot be written in a formula: rename to an identifier such as queue_a`);
  if (name === 'null' || name === 'undefined') hints.push('expr writes nil');
  if (BUILTINS.has(name)) hints.push(`${name} is a function: call it as ${name}(…)`);
  return `unknown name ${quote(name)} (${hints.join('; ')})`;
};

const compileTree = (source: string, root: FormulaNode, variables: readonly string[]): Program => {
  const allowed = new Set(variables);
  const slotOf = new Map<string, number>();
  const slotNames: string[] = [];
  /** Element types of the predicates around the node being compiled; `#` is the innermost. */
  const predicates: StaticType[] = [];

  const fail = (pos: number, detail: string): never => {
    throw formulaError(source, pos, detail);
  };

  const compile = (node: FormulaNode | PredicateNode): Compiled => {
    switch (node.kind) {
      case 'number':
        return { type: node.integer ? INT : FLOAT, run: constant(node.value) };
      case 'bool':
        return { type: BOOL, run: constant(node.value) };
      case 'nil':
        return { type: NIL, run: constant(null) };
      case 'name': {
        if (!allowed.has(node.name)) return fail(node.pos, unknownName(node.name, variables));
        let slot = slotOf.get(node.name);
        if (slot === undefined) {
          slot = slotNames.push(node.name) - 1;
          slotOf.set(node.name, slot);
        }
        const index = slot;
        return { type: FLOAT, run: (slots) => slots[index] ?? null };
      }
      case 'pointer': {
        const element = predicates.at(-1);
        if (element === undefined) return fail(node.pos, '"#" can only be used inside a predicate');
        return { type: element, run: (_, scope) => scope.item };
      }
      case 'unary':
        return compileUnary(node);
      case 'binary':
        return compileBinary(node);
      case 'conditional': {
        const test = compile(node.test);
        if (!fits(test.type, BOOL)) {
          fail(node.test.pos, `non-bool expression (type ${typeName(test.type)}) used as condition`);
        }
        const [then, otherwise] = [compile(node.then), compile(node.otherwise)];
        const [t, a, b] = [test.run, then.run, otherwise.run];
        return {
          type: unionType(then.type, otherwise.type),
          run: (slots, scope) => (asBool(t(slots, scope), 'a condition') ? a(slots, scope) : b(slots, scope)),
        };
      }
      case 'array': {
        const elements = node.elements.map(compile);
        const [first] = elements;
        const common = first !== undefined && elements.every((e) => sameType(e.type, first.type)) ? first.type : ANY;
        const runs = elements.map((e) => e.run);
        return { type: arrayOf(common), run: (slots, scope) => runs.map((run) => run(slots, scope)) };
      }
      case 'call': {
        const builtin = BUILTINS.get(node.name);
        if (builtin !== undefined) return builtin(node, context);
        if (UNSUPPORTED_BUILTINS.has(node.name)) {
          return fail(node.pos, `function ${node.name}() is not supported (supported: ${BUILTIN_NAMES.join(', ')})`);
        }
        if (allowed.has(node.name)) return fail(node.pos, `"${node.name}" is a trigger value, not a function`);
        return fail(node.pos, `unknown function ${node.name}() (supported: ${BUILTIN_NAMES.join(', ')})`);
      }
      case 'predicate':
        return fail(node.pos, 'a predicate ("{…}") is only allowed as the second argument of count, all, any, …');
    }
  };

  const context: BuiltinContext = {
    compile,
    compilePredicate: (node, element) => {
      predicates.push(element);
      const body = compile(node.kind === 'predicate' ? node.body : node);
      predicates.pop();
      return body;
    },
    fail,
  };

  /** The operand has the wanted type, or is unknown until run time (`any`). */
  const fits = (type: StaticType, wanted: StaticType): boolean => type.kind === 'any' || sameType(type, wanted);

  const compileUnary = (node: UnaryNode): Compiled => {
    const operand = compile(node.operand);
    const { run } = operand;
    const op = node.operator;
    if (op === '!' || op === 'not') {
      if (!fits(operand.type, BOOL)) fail(node.pos, `invalid operation: ${op} (mismatched type ${typeName(operand.type)})`);
      return { type: BOOL, run: (slots, scope) => !asBool(run(slots, scope), `the operand of "${op}"`) };
    }
    if (!isNumeric(operand.type) && operand.type.kind !== 'any') {
      fail(node.pos, `invalid operation: ${op} (mismatched type ${typeName(operand.type)})`);
    }
    const sign = op === '-' ? -1 : 1;
    return {
      type: operand.type,
      run: (slots, scope) => {
        const value = run(slots, scope);
        return typeof value === 'number' ? sign * value : invalidOperation(op, value);
      },
    };
  };

  const compileBinary = (node: BinaryNode): Compiled => {
    const [left, right] = [compile(node.left), compile(node.right)];
    const [l, r] = [left.type, right.type];
    const [runLeft, runRight] = [left.run, right.run];
    const op = node.operator;
    const mismatch = (): never =>
      fail(node.pos, `invalid operation: ${op} (mismatched types ${typeName(l)} and ${typeName(r)})`);
    const binary = (type: StaticType, fn: (left: Value, right: Value) => Value): Compiled => ({
      type,
      run: (slots, scope) => fn(runLeft(slots, scope), runRight(slots, scope)),
    });

    switch (op) {
      case '==':
      case '!=': {
        if (!isComparable(l, r)) mismatch();
        const negate = op === '!=';
        return binary(BOOL, (a, b) => equal(a, b) !== negate);
      }
      case 'and':
      case '&&':
      case 'or':
      case '||': {
        if (!(fits(l, BOOL) && fits(r, BOOL))) mismatch();
        const what = `an operand of "${op}"`;
        const shortCircuit = op === 'or' || op === '||';
        // Short-circuit: the right side is not evaluated once the left decides.
        return {
          type: BOOL,
          run: (slots, scope) =>
            asBool(runLeft(slots, scope), what) === shortCircuit ? shortCircuit : asBool(runRight(slots, scope), what),
        };
      }
      case '<':
      case '>':
      case '<=':
      case '>=':
        if (!(isNumeric(l) && isNumeric(r)) && !eitherAny(l, r, isNumeric)) mismatch();
        return binary(BOOL, compare[op]);
      case '+':
      case '-':
      case '*':
        if (isNumeric(l) && isNumeric(r)) return binary(l.kind === 'int' && r.kind === 'int' ? INT : FLOAT, arithmetic[op]);
        if (!eitherAny(l, r, isNumeric)) mismatch();
        return binary(ANY, arithmetic[op]);
      case '/':
      case '**':
      case '^':
        if (!(isNumeric(l) && isNumeric(r)) && !eitherAny(l, r, isNumeric)) mismatch();
        return binary(FLOAT, arithmetic[op]);
      case '%':
        // expr defines % on ints only and types trigger values as float64, so KEDA rejects `a % 2`.
        // An operand of unknown type is rejected too: at run time we could not tell 4.0 from 4.
        if (l.kind !== 'int' || r.kind !== 'int') {
          fail(node.pos, `invalid operation: % (mismatched types ${typeName(l)} and ${typeName(r)}): ` +
            '% needs int operands and trigger values are floats; convert with int(…), e.g. int(a) % 2');
        }
        return binary(INT, arithmetic[op]);
      case 'in': {
        if (r.kind === 'array' ? !isComparable(l, r.elem) : r.kind !== 'any') mismatch();
        return binary(BOOL, (item, list) =>
          isArray(list) ? list.some((x) => equal(item, x)) : invalidOperation('in', item, list));
      }
      case '??':
        // Like expr's OpJumpIfNotNil: the right side runs only when the left is nil.
        return { type: unionType(l, r), run: (slots, scope) => runLeft(slots, scope) ?? runRight(slots, scope) };
    }
  };

  const program = compile(root);
  return { ...program, slotNames };
};

export { compileTree };
export type { Program };
