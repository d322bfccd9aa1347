/**
 * One pass over a parsed YAML document before it becomes a value: plain scalars get the meaning
 * kubectl gives them (yamlScalars.ts), and what would break `toJS` — an alias inside the node it
 * refers to (an endless value), nesting past the depth bound, alias expansion past the size bound
 * — is reported at its line instead. Iterative, so no input can exhaust the stack here.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { InputLimits, tooDeep, tooMany } from './inputLimits.js';
import { resolvePlainScalar } from './yamlScalars.js';

/** A problem at a character offset of the source (the loader turns it into a line). */
interface TreeProblem {
  readonly offset: number | undefined;
  readonly message: string;
}

interface Visit {
  readonly node: unknown;
  readonly depth: number;
  /** Map keys keep their text: kubectl's key conversion is not LPA's concern (no ScaledObject key is a number). */
  readonly isKey: boolean;
}

const contains = (outer: Node, inner: Node): boolean => {
  const [start, end] = outer.range ?? [];
  const at = inner.range?.[0];
  return start !== undefined && end !== undefined && at !== undefined && at >= start && at < end;
};

const resolveScalar = (node: Node, problems: TreeProblem[]): void => {
  if (!isScalar(node) || node.type !== 'PLAIN' || node.tag !== undefined || typeof node.source !== 'string') return;
  // `<<` (a merge key) is a symbol, not text; leave it to the YAML library.
  if (typeof node.value === 'symbol') return;
  const resolved = resolvePlainScalar(node.source);
  if ('error' in resolved) problems.push({ offset: node.range?.[0], message: resolved.error });
  else node.value = resolved.value;
};

/**
 * Resolves the document's plain scalars in place and returns what must stop it from being read.
 *
 * @example
 * const problems = prepareDocument(document);
 * if (problems.length === 0) value = document.toJS();
 */
const prepareDocument = (document: Document): TreeProblem[] => {
  const problems: TreeProblem[] = [];
  const stack: Visit[] = [{ node: document.contents, depth: 0, isKey: false }];
  let count = 0;
  while (stack.length > 0) {
    const { node, depth, isKey } = stack.pop() as Visit;
    if (node === null || node === undefined) continue;
    if (++count > InputLimits.maxValues) return [{ offset: (node as Node).range?.[0], message: tooMany() }];
    if (isAlias(node)) {
      const target = node.resolve(document);
      if (target === undefined) continue; // the YAML library reports an unknown anchor itself
      if (contains(target, node)) {
        problems.push({ offset: node.range?.[0], message: `alias *${node.source} refers to the node that contains it, so its value would never end` });
        continue;
      }
      stack.push({ node: target, depth, isKey });
    } else if (isPair(node)) {
      stack.push({ node: node.key, depth, isKey: true }, { node: node.value, depth, isKey: false });
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= InputLimits.maxDepth) return [{ offset: node.range?.[0], message: tooDeep() }];
      for (const item of node.items) stack.push({ node: item, depth: depth + 1, isKey: false });
    } else if (!isKey) {
      resolveScalar(node as Node, problems);
    }
  }
  return problems;
};

export { prepareDocument };
export type { TreeProblem };
