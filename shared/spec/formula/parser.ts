import { FormulaCursor, Jsep, WORD_OPERATORS, isDigit } from './cursor.js';
import type { BinaryOperator, FormulaNode, PredicateNode, UnaryOperator } from './ast.js';

/**
 * Parses a formula with expr-lang/expr's grammar (`parser/parser.go`, `parser/operator`, v1.17.8).
 *
 * Why a subclass of jsep's parser class instead of jsep's stock grammar: jsep parses JavaScript
 * precedence (unary binds tighter than `**`, `??` is the loosest operator, `^` is xor,
 * comparisons are left-associative), while expr reads `-2 ** 2` as -4, `a ?? 0 + 1` as an error,
 * `1 < a < 3` as a chain and `a * b ?? c` as `a * (b ?? c)`. jsep's operator tables and hooks
 * are also process-wide, so changing them would change every other jsep user. A subclass keeps
 * jsep's cursor and identifier rules and swaps only the expression grammar, touching no global.
 */

/** Limits, far above any real formula, so a hostile one cannot exhaust the stack. */
const MAX_NESTING = 100;
const MAX_NODES = 2_000;

const COMPARISON = 20;

/** expr's binary operators: precedence, and `**`/`^` are right-associative. */
const BINARY: ReadonlyMap<string, { readonly precedence: number; readonly right?: true }> = new Map([
  ['|', { precedence: 0 }],
  ['or', { precedence: 10 }], ['||', { precedence: 10 }],
  ['and', { precedence: 15 }], ['&&', { precedence: 15 }],
  ['==', { precedence: COMPARISON }], ['!=', { precedence: COMPARISON }],
  ['<', { precedence: COMPARISON }], ['>', { precedence: COMPARISON }],
  ['<=', { precedence: COMPARISON }], ['>=', { precedence: COMPARISON }],
  ['in', { precedence: COMPARISON }], ['matches', { precedence: COMPARISON }],
  ['contains', { precedence: COMPARISON }], ['startsWith', { precedence: COMPARISON }],
  ['endsWith', { precedence: COMPARISON }],
  ['..', { precedence: 25 }],
  ['+', { precedence: 30 }], ['-', { precedence: 30 }],
  ['*', { precedence: 60 }], ['/', { precedence: 60 }], ['%', { precedence: 60 }],
  ['**', { precedence: 100, right: true }], ['^', { precedence: 100, right: true }],
  ['??', { precedence: 500 }],
]);

/** The operand of a unary operator takes binary operators of at least this precedence. */
const UNARY: ReadonlyMap<UnaryOperator, number> = new Map([['not', 50], ['!', 50], ['-', 90], ['+', 90]]);
const UNARY_SYMBOLS: readonly UnaryOperator[] = ['-', '+', '!'];

/** expr operators on strings, ranges and pipes: metric values are numbers, so LPA leaves them out. */
const UNSUPPORTED_BINARY: ReadonlyMap<string, string> = new Map([
  ['|', 'the pipe operator ("|")'],
  ['..', 'ranges ("..")'],
  ['matches', 'the string operator "matches"'],
  ['contains', 'the string operator "contains"'],
  ['startsWith', 'the string operator "startsWith"'],
  ['endsWith', 'the string operator "endsWith"'],
]);

const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
/** expr's builtins whose second argument is a predicate (`parser.go` `predicates`); `?` = optional. */
const PREDICATE_ARGUMENTS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...['all', 'none', 'any', 'one', 'filter', 'map', 'find', 'findIndex', 'findLast', 'findLastIndex', 'groupBy']
    .map((name): [string, readonly string[]] => [name, ['expr', 'predicate']]),
  ['count', ['expr', 'predicate?']],
  ['sum', ['expr', 'predicate?']],
  ['sortBy', ['expr', 'predicate', 'expr?']],
  ['reduce', ['expr', 'predicate', 'expr?']],
]);

const isSupportedBinary = (op: string): op is BinaryOperator => BINARY.has(op) && !UNSUPPORTED_BINARY.has(op);

class ExprParser extends FormulaCursor {
  /** Predicates around the cursor: `#` is only valid inside one. */
  private predicateDepth = 0;
  private nesting = 0;
  private nodeCount = 0;

  parseFormula(): FormulaNode {
    this.skipBlanks();
    if (this.index >= this.expr.length) this.fail('the formula is empty');
    const node = this.parseExpression(0);
    this.skipBlanks();
    if (this.ch() === ';') this.unsupported('sequences (";")');
    if (this.index < this.expr.length) this.fail(`unexpected ${this.here()}`);
    return node;
  }

  /** expr's `parseExpression`: precedence climbing, then the conditional at the lowest level. */
  private parseExpression(minPrecedence: number): FormulaNode {
    this.skipBlanks();
    if (++this.nesting > MAX_NESTING) this.fail(`the formula nests deeper than ${MAX_NESTING} levels`);
    const word = this.peekWord();
    if (minPrecedence === 0 && word === 'let') this.unsupported('variables ("let")');
    if (minPrecedence === 0 && word === 'if') {
      const conditional = this.parseIf();
      this.nesting--;
      return conditional;
    }
    let left = this.parseUnary();
    let previous = '';
    for (let op = this.peekOperator(); op !== undefined; op = this.peekOperator()) {
      const pos = this.index;
      if (op === 'not') {
        // expr reads `x not in y` as a negated operator; anything else after `not` is an error.
        this.index += op.length;
        this.skipBlanks();
        const negated = this.peekWord();
        if (!NEGATABLE.has(negated)) this.fail('unexpected "not"', pos);
        if (COMPARISON < minPrecedence) {
          this.index = pos;
          break;
        }
        this.unsupported(`"not ${negated}" (write "not (x ${negated} y)")`, pos);
      }
      const precedence = BINARY.get(op)?.precedence ?? -1;
      if (precedence < minPrecedence) break;
      this.index += op.length;
      if (!isSupportedBinary(op)) return this.unsupported(UNSUPPORTED_BINARY.get(op) ?? `"${op}"`, pos);
      if (previous === '??' && op !== '??') {
        this.fail(`"${op}" and "??" cannot be mixed without parentheses (expr rejects it)`, pos);
      }
      if (precedence === COMPARISON) {
        left = this.parseComparison(left, op, pos);
      } else {
        const right = this.parseExpression(BINARY.get(op)?.right ? precedence : precedence + 1);
        left = this.node({ kind: 'binary', operator: op, left, right, pos });
      }
      previous = op;
    }
    if (minPrecedence === 0) left = this.parseConditional(left);
    this.nesting--;
    return left;
  }

  /** `1 < a < 3` is `1 < a && a < 3` in expr. */
  private parseComparison(first: FormulaNode, firstOp: BinaryOperator, firstPos: number): FormulaNode {
    let result: FormulaNode | undefined;
    let [left, op, pos] = [first, firstOp, firstPos];
    for (;;) {
      const right = this.parseExpression(COMPARISON + 1);
      const comparison = this.node({ kind: 'binary', operator: op, left, right, pos });
      result = result === undefined
        ? comparison
        : this.node({ kind: 'binary', operator: '&&', left: result, right: comparison, pos });
      left = right;
      const next = this.peekOperator();
      if (next === undefined || BINARY.get(next)?.precedence !== COMPARISON) return result;
      pos = this.index;
      this.index += next.length;
      if (!isSupportedBinary(next)) return this.unsupported(UNSUPPORTED_BINARY.get(next) ?? `"${next}"`, pos);
      op = next;
    }
  }

  private parseConditional(test: FormulaNode): FormulaNode {
    let node = test;
    // `??` and `?.` never get here: the operator loop and parsePostfix took them.
    for (this.skipBlanks(); this.ch() === '?'; this.skipBlanks()) {
      const pos = this.index++;
      this.skipBlanks();
      if (this.ch() === ':') this.unsupported('the short conditional "?:" (write "a ? a : b")');
      const then = this.parseExpression(0);
      this.expect(':', `expected ":" of the conditional that starts at column ${pos + 1}`);
      const otherwise = this.parseExpression(0);
      node = this.node({ kind: 'conditional', test: node, then, otherwise, pos });
    }
    return node;
  }

  /** `if test { a } else { b }` and `else if`: both branches are required, as in expr. */
  private parseIf(): FormulaNode {
    const pos = this.index;
    this.index += 'if'.length;
    const test = this.parseExpression(0);
    const then = this.parseBlock('if');
    this.skipBlanks();
    if (this.peekWord() !== 'else') this.fail('expected "else" (an "if" needs both branches)');
    this.index += 'else'.length;
    this.skipBlanks();
    const otherwise = this.peekWord() === 'if' ? this.parseIf() : this.parseBlock('else');
    return this.node({ kind: 'conditional', test, then, otherwise, pos });
  }

  private parseBlock(keyword: string): FormulaNode {
    this.expect('{', `expected "{" after "${keyword}"`);
    const body = this.parseExpression(0);
    this.skipBlanks();
    if (this.ch() === ';') this.unsupported('sequences (";")');
    this.expect('}', `expected "}" to close the "${keyword}" block`);
    return body;
  }

  private parseUnary(): FormulaNode {
    this.skipBlanks();
    const pos = this.index;
    const operator = this.peekWord() === 'not' ? 'not' : UNARY_SYMBOLS.find((c) => c === this.ch());
    if (operator === undefined) return this.parsePostfix(this.parseOperand());
    this.index += operator.length;
    const operand = this.parseExpression(UNARY.get(operator) ?? 0);
    return this.parsePostfix(this.node({ kind: 'unary', operator, operand, pos }));
  }

  private parseOperand(): FormulaNode {
    const pos = this.index;
    if (isDigit(this.code) || (this.ch() === '.' && isDigit(this.expr.charCodeAt(pos + 1)))) {
      return this.node({ kind: 'number', ...this.readNumber(), pos });
    }
    if (Jsep.isIdentifierStart(this.code)) return this.parseName();
    switch (this.ch()) {
      case '(': {
        this.index++;
        const inner = this.parseExpression(0);
        this.skipBlanks();
        if (this.ch() === ';') this.unsupported('sequences (";")');
        this.expect(')', `expected ")" to close the "(" at column ${pos + 1}`);
        return inner;
      }
      case '[': {
        this.index++;
        return this.node({ kind: 'array', elements: this.parseList(']'), pos });
      }
      case '#': {
        this.index++;
        if (this.predicateDepth === 0) this.fail('"#" can only be used inside a predicate, as in count([a, b], {# > 1})', pos);
        if (Jsep.isIdentifierStart(this.code)) this.unsupported(`"#${this.gobbleIdentifier().name}"`, pos);
        return this.node({ kind: 'pointer', pos });
      }
      case '{':
        return this.unsupported('map literals ("{…}" outside a predicate)');
      case '"':
      case "'":
      case '`':
        return this.unsupported('strings');
      case '.':
        if (this.predicateDepth > 0) this.unsupported('field access on the predicate element (".name")');
        break;
      case '':
        return this.fail('unexpected end of formula');
    }
    return this.fail(`unexpected ${this.here()}`);
  }

  private parseName(): FormulaNode {
    const pos = this.index;
    const { name } = this.gobbleIdentifier();
    switch (name) {
      case 'true':
      case 'false':
        return this.node({ kind: 'bool', value: name === 'true', pos });
      case 'nil':
        return this.node({ kind: 'nil', pos });
      case 'if':
        return this.fail('"if" must start an expression: wrap it in parentheses', pos);
      case 'let':
        return this.unsupported('variables ("let")', pos);
      case 'else':
        return this.fail('"else" without "if"', pos);
    }
    if (WORD_OPERATORS.has(name)) this.fail(`unexpected operator "${name}"`, pos);
    this.skipBlanks();
    if (this.ch() !== '(') return this.node({ kind: 'name', name, pos });
    this.index++;
    const shape = PREDICATE_ARGUMENTS.get(name);
    const args = shape === undefined ? this.parseList(')') : this.parsePredicateArguments(name, shape);
    return this.node({ kind: 'call', name, args, pos });
  }

  /** Array elements or call arguments, comma-separated, a trailing comma allowed (as in expr). */
  private parseList(close: ']' | ')'): FormulaNode[] {
    const items: FormulaNode[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.ch() === close) break;
      items.push(this.parseExpression(0));
      this.skipBlanks();
      if (this.ch() === ',') this.index++;
      else if (this.ch() !== close) this.fail(`expected "," or "${close}"`);
    }
    this.index++;
    return items;
  }

  private parsePredicateArguments(name: string, shape: readonly string[]): (FormulaNode | PredicateNode)[] {
    const args: (FormulaNode | PredicateNode)[] = [];
    for (const [i, slot] of shape.entries()) {
      this.skipBlanks();
      if (this.ch() === ')') {
        if (slot.endsWith('?')) break;
        this.fail(`${name}() needs at least ${shape.filter((s) => !s.endsWith('?')).length} arguments`);
      }
      if (i > 0) this.expect(',', `expected "," or ")" in ${name}(…)`);
      args.push(slot.startsWith('predicate') ? this.parsePredicate() : this.parseExpression(0));
    }
    this.skipBlanks();
    if (this.ch() === ',') this.index++;
    this.expect(')', `expected ")" to close ${name}(…)`);
    return args;
  }

  /** `{# > 1}`, or the same without braces, as expr allows. */
  private parsePredicate(): PredicateNode {
    this.skipBlanks();
    const pos = this.index;
    const braces = this.ch() === '{';
    if (braces) this.index++;
    this.predicateDepth++;
    const body = this.parseExpression(0);
    this.predicateDepth--;
    this.skipBlanks();
    if (this.ch() === ';') this.unsupported('sequences (";")');
    if (braces) this.expect('}', `expected "}" to close the predicate at column ${pos + 1}`);
    return this.node({ kind: 'predicate', body, pos });
  }

  /** Member, index and call suffixes reach JavaScript objects in a naive evaluator: reject them here. */
  private parsePostfix(node: FormulaNode): FormulaNode {
    this.skipBlanks();
    const pos = this.index;
    const next = this.expr[pos + 1];
    if (this.ch() === '.' && next !== '.') {
      this.index++;
      this.skipBlanks();
      const property = Jsep.isIdentifierStart(this.code) ? this.gobbleIdentifier().name : '';
      this.unsupported(`member access (".${property}")`, pos);
    }
    if (this.ch() === '?' && next === '.') this.unsupported('optional chaining ("?.")', pos);
    if (this.ch() === '[') this.unsupported('indexing and slicing ("[…]" after a value)', pos);
    if (this.ch() === '(') this.fail('only builtin functions can be called, as in max(a, b)', pos);
    return node;
  }

  private node<T extends FormulaNode | PredicateNode>(node: T): T {
    if (++this.nodeCount > MAX_NODES) this.fail(`the formula has more than ${MAX_NODES} elements`, node.pos);
    return node;
  }

}

/** Parses `source` into a tree; throws FormulaError with the column on any syntax error. */
const parseFormula = (source: string): FormulaNode => new ExprParser(source).parseFormula();

export { parseFormula };
