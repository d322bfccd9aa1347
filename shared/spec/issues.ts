/**
 * Turns zod's issues into LPA's: a path of segments plus a message that names the broken rule in
 * the words a KEDA user knows. Lines and the document are attached later, by whoever knows them.
 */
import * as z from 'zod';
import type { ValidationIssue } from '../errors.js';
import { echo, quote } from './echo.js';
import { describeValue } from './metadataValues.js';

type PathSegment = string | number;

/** An issue before it knows which document and line it belongs to. */
interface RawIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.triggers[1].metadata.queueLength`; keys that are not identifiers are quoted: `annotations["a.b/c"]`. */
const formatPath = (path: readonly PathSegment[]): string =>
  path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!IDENTIFIER.test(segment)) return `[${quote(segment)}]`;
      return i === 0 ? echo(segment) : `.${echo(segment)}`;
    })
    .join('');

const prefixed = (prefix: readonly PathSegment[], issues: readonly RawIssue[]): RawIssue[] =>
  issues.map((issue) => ({ path: [...prefix, ...issue.path], message: issue.message }));

const EXPECTED: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
};

const bound = (value: number | bigint, inclusive: boolean | undefined, below: boolean): string =>
  `${below ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${String(value)}`;

/** The per-parse error map: one wording for every schema, so messages read alike everywhere. */
const messageFor = (issue: z.core.$ZodRawIssue): string | undefined => {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${EXPECTED[issue.expected] ?? issue.expected}, ${got}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${bound(issue.minimum, issue.inclusive, true)}, ${got}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return `must be ${bound(issue.maximum, issue.inclusive, false)}, ${got}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}, ${got}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; ${got}`;
    case 'invalid_union':
      return issue.input === undefined ? 'is required' : `has the wrong type, ${got}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_key':
      // A record key broke its rule (e.g. a label key): the inner issue says which.
      return issue.issues[0]?.message === undefined ? 'invalid key' : `key ${issue.issues[0].message}`;
    default:
      return undefined;
  }
};

/** `z.int()` whose type error says "integer" for a string too (`"30"`), where zod would say "number". */
const integer = () =>
  z.int({
    error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? `must be an integer, got ${describeValue(issue.input)}` : undefined),
  });

/** Kubernetes stores replica counts and most durations as int32: a larger number never reaches the API. */
const INT32_MAX = 2 ** 31 - 1;

/** An `integer()` that also fits the int32 field Kubernetes (and KEDA's Go types) keep it in. */
const int32 = () => integer().max(INT32_MAX, { error: (issue) => `must fit a 32-bit integer (≤ ${INT32_MAX}), got ${describeValue(issue.input)}` });

/** Classic Levenshtein; names are short, so the quadratic table is fine. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

const commonPrefix = (a: string, b: string): number => {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
};

/** The allowed key a typo most likely meant (`queueUrl` → `queueURL`), if one is close enough. */
const closest = (key: string, allowed: readonly string[]): string | undefined => {
  const lower = key.toLowerCase();
  const caseOnly = allowed.find((candidate) => candidate.toLowerCase() === lower);
  if (caseOnly !== undefined) return caseOnly;
  // A shortened name (`maxReplicas` for maxReplicaCount) is far in edit distance but obvious.
  const shortened = allowed.find((candidate) => commonPrefix(lower, candidate.toLowerCase()) >= Math.max(4, lower.length - 2));
  if (shortened !== undefined) return shortened;
  const ranked = allowed
    .map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase()) }))
    .sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best !== undefined && best.d <= Math.max(2, Math.floor(key.length / 4)) ? best.candidate : undefined;
};

/** The subset of a zod definition we walk to find which keys an object at some path allows. */
interface WalkableDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, Walkable>>;
  readonly element?: Walkable;
  /** The values of a record or a map. */
  readonly valueType?: Walkable;
  readonly innerType?: Walkable;
  readonly in?: Walkable;
  readonly out?: Walkable;
}
interface Walkable {
  readonly _zod: { readonly def: unknown };
}

const defOf = (schema: Walkable): WalkableDef => schema._zod.def as WalkableDef;

/** Looks through optional/default/pipe wrappers to the schema that does the work. */
const unwrap = (schema: Walkable): Walkable => {
  const def = defOf(schema);
  if (def.innerType !== undefined) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined && def.out !== undefined) {
    // `z.preprocess` puts a transform first; the object we want is on the other side.
    return unwrap(defOf(def.in).type === 'transform' ? def.out : def.in);
  }
  return schema;
};

const allowedKeysAt = (root: Walkable, path: readonly PathSegment[]): readonly string[] => {
  let schema: Walkable | undefined = unwrap(root);
  for (const segment of path) {
    const def: WalkableDef = defOf(schema);
    const field = def.shape !== undefined && Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined;
    const next: Walkable | undefined = typeof segment === 'number' ? def.element : (field ?? def.valueType);
    if (next === undefined) return [];
    schema = unwrap(next);
  }
  return Object.keys(defOf(schema).shape ?? {});
};

const unknownKeyMessage = (key: string, allowed: readonly string[]): string => {
  const suggestion = closest(key, allowed);
  if (suggestion !== undefined) return `unknown key; did you mean "${suggestion}"?`;
  return allowed.length === 0 ? 'unknown key' : `unknown key; allowed: ${[...allowed].sort().join(', ')}`;
};

/** zod issues → RawIssues; an unknown-keys issue becomes one issue per key, at the key itself. */
const fromZodIssues = (issues: readonly z.core.$ZodIssue[], schema: Walkable): RawIssue[] =>
  issues.flatMap((issue): RawIssue[] => {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code !== 'unrecognized_keys') return [{ path, message: issue.message }];
    const allowed = allowedKeysAt(schema, path);
    return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, allowed) }));
  });

type SafeParse<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly issues: RawIssue[] };

/** `schema.safeParse` with LPA's wording. */
const parseWith = <T>(schema: z.ZodType<T>, value: unknown): SafeParse<T> => {
  const result = schema.safeParse(value, { error: messageFor });
  return result.success ? { ok: true, data: result.data } : { ok: false, issues: fromZodIssues(result.error.issues, schema) };
};

/** Raw issues of a document that has no YAML lines (an event, a JSON input) as ValidationIssues. */
const toValidationIssues = (issues: readonly RawIssue[], source: string): ValidationIssue[] =>
  issues.map((issue) => ({ source, documentIndex: 0, path: formatPath(issue.path), message: issue.message }));

export { closest, formatPath, int32, INT32_MAX, integer, parseWith, prefixed, toValidationIssues };
export type { PathSegment, RawIssue, SafeParse };
