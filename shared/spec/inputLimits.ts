/**
 * The bounds on what LPA reads (README "Input limits"), in one place for every entry point: a
 * manifest file or standard input, an `lpa decide` document, a handler's ScaleGroup object. Real
 * ScaledObjects are a few kilobytes and about ten levels deep; the bounds are far above that and
 * far below what would exhaust the stack or the memory of a Lambda.
 *
 * The value guard walks iteratively, so a value nested a million levels deep is reported, never a
 * stack overflow.
 */
import type { PathSegment } from './issues.js';

const InputLimits = {
  /** A manifest file, standard input, an `lpa decide` input. Kubernetes itself stores objects of at most 1.5 MiB. */
  maxBytes: 4 * 1024 * 1024,
  /** Nesting of mappings and lists inside one object (or one document). */
  maxDepth: 64,
  /** Values (scalars, mappings, lists) in one object, alias expansions included. */
  maxValues: 100_000,
} as const;

const REPORTED_LEVELS = 3;

interface BoundsProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

const tooDeep = (): string => `is nested more than ${InputLimits.maxDepth} levels deep (README "Input limits")`;
const tooMany = (): string => `has more than ${InputLimits.maxValues} values (README "Input limits")`;

/** The first place a parsed value breaks the depth or size bounds, or undefined when it is within them. */
const valueBoundsProblem = (value: unknown): BoundsProblem | undefined => {
  const stack: { readonly value: unknown; readonly path: readonly PathSegment[] }[] = [{ value, path: [] }];
  let count = 0;
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as (typeof stack)[number];
    if (++count > InputLimits.maxValues) return { path: [], message: tooMany() };
    if (typeof current !== 'object' || current === null) continue;
    // The first levels say where (e.g. `status`); the full path would be as long as the nesting.
    if (path.length >= InputLimits.maxDepth) return { path: path.slice(0, REPORTED_LEVELS), message: tooDeep() };
    const entries: [PathSegment, unknown][] = Array.isArray(current) ? current.map((item, i) => [i, item]) : Object.entries(current);
    for (const [segment, item] of entries) stack.push({ value: item, path: [...path, segment] });
  }
  return undefined;
};

/** An input of `bytes` over the limit is refused before it is read (a file) or parsed. */
const sizeProblem = (bytes: number): string | undefined =>
  bytes > InputLimits.maxBytes ? `is ${bytes} bytes; LPA reads at most ${InputLimits.maxBytes} bytes (4 MiB) per input (README "Input limits")` : undefined;

const textSizeProblem = (text: string): string | undefined => sizeProblem(Buffer.byteLength(text));

export { InputLimits, sizeProblem, textSizeProblem, tooDeep, tooMany, valueBoundsProblem };
export type { BoundsProblem };
