import { FormulaError } from '../../errors.js';
import { quote } from '../echo.js';

/**
 * Syntax tree and static types of a `scalingModifiers.formula`: the subset of expr-lang/expr
 * (KEDA pins v1.17.8) that LPA evaluates. `parser.ts` builds the tree, `compiler.ts` type-checks it
 * the way expr's checker does and turns it into closures.
 */

type UnaryOperator = '-' | '+' | '!' | 'not';

type BinaryOperator =
  | 'or' | '||' | 'and' | '&&'
  | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in'
  | '+' | '-' | '*' | '/' | '%' | '**' | '^'
  | '??';

interface NodeBase {
  /** 0-based offset of the node's first character in the source, for error messages. */
  readonly pos: number;
}

interface NumberNode extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
  /** expr keeps int and float64 apart (`%` needs ints); `2` is an int, `2.0` and `2e0` are floats. */
  readonly integer: boolean;
}

interface BoolNode extends NodeBase {
  readonly kind: 'bool';
  readonly value: boolean;
}

interface NilNode extends NodeBase {
  readonly kind: 'nil';
}

/** A trigger name. */
interface NameNode extends NodeBase {
  readonly kind: 'name';
  readonly name: string;
}

/** `#`: the current element inside a predicate. */
interface PointerNode extends NodeBase {
  readonly kind: 'pointer';
}

interface UnaryNode extends NodeBase {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: FormulaNode;
}

interface BinaryNode extends NodeBase {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: FormulaNode;
  readonly right: FormulaNode;
}

/** `test ? then : otherwise`, `test ?: otherwise` and `if test { then } else { otherwise }`. */
interface ConditionalNode extends NodeBase {
  readonly kind: 'conditional';
  readonly test: FormulaNode;
  readonly then: FormulaNode;
  readonly otherwise: FormulaNode;
}

interface ArrayNode extends NodeBase {
  readonly kind: 'array';
  readonly elements: readonly FormulaNode[];
}

/** The predicate argument of `count`, `all`, `map`, …: `{# > 1}` or, braces omitted, `# > 1`. */
interface PredicateNode extends NodeBase {
  readonly kind: 'predicate';
  readonly body: FormulaNode;
}

interface CallNode extends NodeBase {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly (FormulaNode | PredicateNode)[];
}

type FormulaNode =
  | NumberNode
  | BoolNode
  | NilNode
  | NameNode
  | PointerNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | ArrayNode
  | CallNode;

/**
 * What expr's checker knows about a value before running: it rejects `float64 % int` or
 * `a + true` at compile time, so KEDA's admission webhook does too, and so do we.
 */
type StaticType =
  | { readonly kind: 'int' | 'float' | 'bool' | 'nil' | 'any' }
  | { readonly kind: 'array'; readonly elem: StaticType };

const INT: StaticType = { kind: 'int' };
const FLOAT: StaticType = { kind: 'float' };
const BOOL: StaticType = { kind: 'bool' };
const NIL: StaticType = { kind: 'nil' };
const ANY: StaticType = { kind: 'any' };

const arrayOf = (elem: StaticType): StaticType => ({ kind: 'array', elem });

const isNumeric = (t: StaticType): boolean => t.kind === 'int' || t.kind === 'float';

const sameType = (a: StaticType, b: StaticType): boolean =>
  a.kind === b.kind && (a.kind !== 'array' || b.kind !== 'array' || sameType(a.elem, b.elem));

/**
 * expr's `or(l, r, …)` rule: an operation on an `any` operand is allowed when the other side is
 * `any` too or has a suitable type; the runtime then decides.
 */
const eitherAny = (l: StaticType, r: StaticType, fits: (t: StaticType) => boolean): boolean =>
  (l.kind === 'any' && (r.kind === 'any' || fits(r))) || (r.kind === 'any' && fits(l));

/** The type of `x ?? y` and of the two branches of a conditional (expr's checker, simplified). */
const unionType = (a: StaticType, b: StaticType): StaticType => {
  if (a.kind === 'nil') return b;
  if (b.kind === 'nil') return a;
  return sameType(a, b) ? a : ANY;
};

/** `==`, `!=` and `in` compare only values of comparable types; anything may be compared with nil. */
const isComparable = (a: StaticType, b: StaticType): boolean =>
  a.kind === 'any' || b.kind === 'any' || a.kind === 'nil' || b.kind === 'nil' ||
  (isNumeric(a) && isNumeric(b)) || a.kind === b.kind;

const typeName = (t: StaticType): string => (t.kind === 'array' ? `array of ${typeName(t.elem)}` : t.kind);

/** A formula as messages show it: quoted, escaped, and cut after 200 characters (columns still point into it). */
const quotedFormula = (source: string): string => quote(source, 200);

/**
 * One message shape for every compile-time problem, so users can find the spot:
 * `formula "a + c", column 5: unknown name "c" …`. Columns are 1-based, as in editors.
 */
const formulaError = (source: string, pos: number, detail: string): FormulaError =>
  new FormulaError(`formula ${quotedFormula(source)}, column ${pos + 1}: ${detail}`);

export {
  quotedFormula,
  INT,
  FLOAT,
  BOOL,
  NIL,
  ANY,
  arrayOf,
  isNumeric,
  sameType,
  eitherAny,
  unionType,
  isComparable,
  typeName,
  formulaError,
};
export type {
  UnaryOperator,
  BinaryOperator,
  NumberNode,
  BoolNode,
  NilNode,
  NameNode,
  PointerNode,
  UnaryNode,
  BinaryNode,
  ConditionalNode,
  ArrayNode,
  PredicateNode,
  CallNode,
  FormulaNode,
  StaticType,
};
