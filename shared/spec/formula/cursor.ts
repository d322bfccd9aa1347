import jsep from 'jsep';
import { formulaError } from './ast.js';

/**
 * The lexical layer of the formula parser, on top of jsep's parser class: jsep's cursor and
 * identifier rules, plus expr's blanks and comments, operators, number literals and errors.
 * `parser.ts` adds the grammar. Nothing here touches jsep's process-wide tables or hooks.
 */

/** The part of jsep's `Jsep` class we build on (jsep's typings describe only the `jsep()` function). */
interface JsepCursor {
  readonly expr: string;
  index: number;
  /** The character code at `index`; NaN past the end. */
  readonly code: number;
  /** The character at `index`; '' past the end. */
  readonly char: string;
  gobbleIdentifier(): { readonly name: string };
}

interface JsepClass {
  new (expr: string): JsepCursor;
  isIdentifierStart(code: number): boolean;
  isIdentifierPart(code: number): boolean;
}

const { Jsep } = jsep as unknown as { readonly Jsep: JsepClass };

/** expr's operators spelled as words, and its one- and two-character operators. */
const WORD_OPERATORS = new Set(['or', 'and', 'in', 'not', 'matches', 'contains', 'startsWith', 'endsWith']);
const TWO_CHAR_OPERATORS = new Set(['**', '??', '==', '!=', '<=', '>=', '&&', '||', '..']);
const ONE_CHAR_OPERATORS = new Set(['+', '-', '*', '/', '%', '^', '<', '>', '|']);

const NUMBER = /0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?/y;
const RADIX: Readonly<Record<string, number>> = { x: 16, o: 8, b: 2 };

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** The lexical helpers the grammar uses; every error carries the column. */
class FormulaCursor extends Jsep {
  /** A number literal at the cursor, in expr's syntax (`1_000`, `0x1F`, `.5`, `1e3`). */
  protected readNumber(): { readonly value: number; readonly integer: boolean } {
    const pos = this.index;
    NUMBER.lastIndex = pos;
    const text = NUMBER.exec(this.expr)?.[0] ?? '';
    this.index += text.length;
    if (Jsep.isIdentifierPart(this.code)) this.fail(`invalid number "${text}${this.ch()}"`, pos);
    const radix = RADIX[text.charAt(1).toLowerCase()];
    const digits = (radix === undefined ? text : text.slice(2)).replaceAll('_', '');
    const value = radix === undefined ? Number(digits) : Number.parseInt(digits, radix);
    const integer = radix !== undefined || !/[.eE]/.test(digits);
    if (Number.isNaN(value)) this.fail(`invalid number "${text}"`, pos);
    // expr has int64 integers; JavaScript numbers keep integers exact only up to 2^53.
    if (integer && !Number.isSafeInteger(value)) this.fail(`integer literal "${text}" is too large`, pos);
    if (!Number.isFinite(value)) this.fail(`float literal "${text}" is too large`, pos);
    return { value, integer };
  }

  /** The next binary operator, if any, without consuming it. */
  protected peekOperator(): string | undefined {
    this.skipBlanks();
    const word = this.peekWord();
    if (word !== '') return WORD_OPERATORS.has(word) ? word : undefined;
    const two = this.expr.slice(this.index, this.index + 2);
    if (TWO_CHAR_OPERATORS.has(two)) return two;
    return ONE_CHAR_OPERATORS.has(this.ch()) ? this.ch() : undefined;
  }

  protected peekWord(): string {
    if (!Jsep.isIdentifierStart(this.code)) return '';
    const start = this.index;
    const { name } = this.gobbleIdentifier();
    this.index = start;
    return name;
  }

  /** Whitespace and expr's comments (`// …`, `/* … *\/`). */
  protected skipBlanks(): void {
    for (;;) {
      if (/\s/.test(this.ch())) {
        this.index++;
      } else if (this.expr.startsWith('//', this.index)) {
        const end = this.expr.indexOf('\n', this.index);
        this.index = end === -1 ? this.expr.length : end + 1;
      } else if (this.expr.startsWith('/*', this.index)) {
        const end = this.expr.indexOf('*/', this.index + 2);
        if (end === -1) this.fail('unterminated comment ("/*" without "*/")');
        this.index = end + 2;
      } else {
        return;
      }
    }
  }

  protected expect(char: string, detail: string): void {
    this.skipBlanks();
    if (this.ch() !== char) this.fail(this.index >= this.expr.length ? `${detail}, found the end of the formula` : detail);
    this.index++;
  }

  /** The character at the cursor ('' at the end); a method, so TypeScript does not narrow it across moves. */
  protected ch(): string {
    return this.char;
  }

  protected here(): string {
    const word = this.peekWord();
    return JSON.stringify(word === '' ? this.ch() : word);
  }

  protected unsupported(what: string, pos = this.index): never {
    return this.fail(`unsupported syntax: ${what}`, pos);
  }

  protected fail(detail: string, pos = this.index): never {
    throw formulaError(this.expr, pos, detail);
  }
}

export { FormulaCursor, Jsep, WORD_OPERATORS, isDigit };
