/**
 * YAML (multi-document) or JSON text → one result per document, each issue carrying its 1-based
 * line. JSON is read by the same YAML parser (JSON is YAML 1.2), so it gets lines too and
 * duplicate keys are caught instead of silently keeping the last one.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import type { ValidationIssue } from '../errors.js';
import type { PathSegment } from './issues.js';
import { isAuthenticationKind, parseTriggerAuthentication } from './auth/triggerAuthentication.js';
import type { TriggerAuthentication } from './auth/types.js';
import { locate, isRecord, parseScaledObjectIn } from './parse.js';
import type { ParseResult } from './parse.js';
import { API_VERSION, KIND } from './schema.js';

/** A document of another kind (Deployment, ConfigMap, …): not ours, not an error. */
interface SkippedDocument {
  readonly skipped: true;
  readonly warnings: ValidationIssue[];
}

/** A TriggerAuthentication or ClusterTriggerAuthentication, validated like a ScaledObject. */
type AuthenticationDocument = { readonly authentication: true; readonly warnings: ValidationIssue[] } & (
  | { readonly ok: true; readonly triggerAuthentication: TriggerAuthentication }
  | { readonly ok: false; readonly issues: ValidationIssue[] }
);

interface LoadedDocument {
  /** 0-based position in the YAML stream. */
  readonly documentIndex: number;
  /** The document's `kind`, when it has one. */
  readonly kind?: string;
  readonly result: ParseResult | SkippedDocument;
}

/** A document of `loadDocuments`: a ScaledObject, a (Cluster)TriggerAuthentication, or skipped. */
interface LoadedManifestDocument extends Omit<LoadedDocument, 'result'> {
  readonly result: ParseResult | SkippedDocument | AuthenticationDocument;
  /** The 1-based line of a path in this document, for issues found later (cross-document checks). */
  readonly lineOf?: (path: readonly PathSegment[]) => number | undefined;
}

/** Guards against "billion laughs" alias bombs; real manifests use a handful of aliases at most. */
const MAX_ALIAS_COUNT = 100;

/**
 * The line of the node at `path`: for a map entry the line of its key, for a list item the line
 * of the item. Where the path leaves the document (a missing key), the line of the deepest
 * ancestor that exists, i.e. the parent that lacks the key.
 */
const lineOfPath = (document: Document, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined => {
  let node: unknown = document.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined || item === null) break;
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
};

/** yaml's message without its " at line 3, column 8:" suffix and source excerpt: the issue has the line. */
const yamlIssue = (error: YAMLError, source: string, documentIndex: number): ValidationIssue => {
  const line = error.linePos?.[0].line;
  const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  return { source, documentIndex, path: '', ...(line === undefined ? {} : { line }), message: `YAML: ${message}` };
};

const isEmpty = (document: Document): boolean =>
  document.contents === null || (isScalar(document.contents) && document.contents.value === null);

const loadDocument = (document: Document, documentIndex: number, source: string, lineCounter: LineCounter): LoadedManifestDocument[] => {
  const warnings = document.warnings.map((warning) => yamlIssue(warning, source, documentIndex));
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => yamlIssue(error, source, documentIndex));
    return [{ documentIndex, result: { ok: false, issues, warnings } }];
  }
  if (isEmpty(document)) return [];

  const lineOf = (path: readonly PathSegment[]) => lineOfPath(document, lineCounter, path);
  const issue = (path: string, message: string, at: readonly PathSegment[] = []): ValidationIssue => {
    const line = lineOf(at);
    return { source, documentIndex, path, ...(line === undefined ? {} : { line }), message };
  };

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return [{ documentIndex, result: { ok: false, issues: [issue('', `YAML: ${(error as Error).message}`)], warnings } }];
  }
  if (!isRecord(value)) {
    const issues = [issue('', 'expected a Kubernetes object: a mapping with apiVersion, kind, metadata and spec')];
    return [{ documentIndex, result: { ok: false, issues, warnings } }];
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (isAuthenticationKind(kind)) {
    const parsed = parseTriggerAuthentication(value);
    const context = { source, documentIndex, lineOf };
    const result: AuthenticationDocument = parsed.ok
      ? { authentication: true, ok: true, triggerAuthentication: parsed.value, warnings }
      : { authentication: true, ok: false, issues: locate(parsed.issues, context), warnings };
    return [{ documentIndex, kind, result, lineOf }];
  }
  if (kind !== undefined && kind !== KIND) {
    const skipped = issue('kind', `skipped: LPA reads only ${API_VERSION} ${KIND}, TriggerAuthentication and ClusterTriggerAuthentication documents, this is a ${kind}`, ['kind']);
    return [{ documentIndex, kind, result: { skipped: true, warnings: [...warnings, skipped] } }];
  }
  const result = parseScaledObjectIn(value, { source, documentIndex, lineOf });
  const withYamlWarnings: ParseResult = { ...result, warnings: [...warnings, ...result.warnings] };
  return [{ documentIndex, ...(kind === undefined ? {} : { kind }), result: withYamlWarnings, lineOf }];
};

/**
 * Every document of a YAML stream (or one JSON document): ScaledObjects and (Cluster)TriggerAuthentications
 * parsed and validated, other kinds skipped with a warning, empty documents dropped.
 *
 * @example
 * for (const { result } of loadDocuments(text, 'keda.yaml')) {
 *   if ('authentication' in result && result.ok) authentications.push(result.triggerAuthentication);
 * }
 */
const loadDocuments = (text: string, source: string): LoadedManifestDocument[] => {
  const lineCounter = new LineCounter();
  // `merge: true`: Kubernetes' YAML reader (YAML 1.1 style) honours `<<` merge keys.
  const documents = parseAllDocuments(text, { lineCounter, merge: true });
  return documents.flatMap((document, documentIndex) => loadDocument(document, documentIndex, source, lineCounter));
};

/**
 * The ScaledObjects of a YAML stream; (Cluster)TriggerAuthentications are skipped silently (they
 * are valid input: `loadDocuments` reads them), other kinds with a warning.
 *
 * @example
 * for (const { result } of loadScaledObjects(text, 'scaledobject.yaml')) {
 *   if ('skipped' in result) continue;
 *   if (result.ok) use(result.scaledObject);
 * }
 */
const loadScaledObjects = (text: string, source: string): LoadedDocument[] =>
  loadDocuments(text, source).map((document) =>
    'authentication' in document.result
      ? { documentIndex: document.documentIndex, kind: document.kind, result: { skipped: true, warnings: document.result.warnings } }
      : { documentIndex: document.documentIndex, ...(document.kind === undefined ? {} : { kind: document.kind }), result: document.result },
  );

export { loadDocuments, loadScaledObjects };
export type { AuthenticationDocument, LoadedDocument, LoadedManifestDocument, SkippedDocument };
