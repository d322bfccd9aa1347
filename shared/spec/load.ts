/**
 * YAML (multi-document) or JSON text → one result per document, each issue carrying its 1-based
 * line. JSON is read by the same YAML parser (JSON is YAML 1.2), so it gets lines too and
 * duplicate keys are caught instead of silently keeping the last one.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { errorMessage } from '../errors.js';
import type { ValidationIssue } from '../errors.js';
import type { Trust } from './awsEndpoint.js';
import { textSizeProblem, tooDeep } from './inputLimits.js';
import { closest, formatPath } from './issues.js';
import type { PathSegment } from './issues.js';
import { isAuthenticationKind, parseTriggerAuthentication } from './auth/triggerAuthentication.js';
import type { TriggerAuthentication } from './auth/types.js';
import { echo } from './echo.js';
import { describeValue } from './metadataValues.js';
import { isRecord, locate, parseScaledObjectIn } from './parse.js';
import type { DocumentContext, ParseResult } from './parse.js';
import { API_GROUP, API_VERSION, KIND } from './schema.js';
import { prepareDocument } from './yamlTree.js';

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
  /** 0-based position in the YAML stream (the items of a `kind: List` share their document's). */
  readonly documentIndex: number;
  /** The document's `kind`, when it has one. */
  readonly kind?: string;
  /** The object as kubectl would send it (before defaults), for callers that pass the manifest on. */
  readonly value?: unknown;
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

/** The other kinds of KEDA's API group: not ours, so skipped; any other `keda.sh` kind is a typo. */
const OTHER_KEDA_KINDS: readonly string[] = ['ClusterTriggerAuthentication', 'ScaledJob', 'TriggerAuthentication'];

/** yaml's message without its " at line 3, column 8:" suffix and source excerpt: the issue has the line. */
const yamlIssue = (error: YAMLError, source: string, documentIndex: number): ValidationIssue => {
  const line = error.linePos?.[0].line;
  const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  // The YAML library turns its own stack overflow on deep nesting into an error; say what it means.
  const message = first.startsWith('Maximum call stack size exceeded') ? `the document ${tooDeep()}` : first;
  return { source, documentIndex, path: '', ...(line === undefined ? {} : { line }), message: `YAML: ${message}` };
};

const isEmpty = (document: Document): boolean =>
  document.contents === null || (isScalar(document.contents) && document.contents.value === null);

type Locate = (path: string, message: string, at?: readonly PathSegment[]) => ValidationIssue;

/**
 * One Kubernetes object of the stream (a document, or an item of a `kind: List`): a ScaledObject is
 * parsed, another kind is skipped with a warning, a `keda.sh` kind that is none of KEDA's is an error.
 */
const loadObject = (value: unknown, at: readonly PathSegment[], context: DocumentContext, issue: Locate): LoadedManifestDocument['result'] => {
  const where = formatPath(at);
  const under = (path: string) => (where === '' ? path : `${where}.${path}`);
  if (!isRecord(value)) {
    return { ok: false, issues: [issue(where, 'expected a Kubernetes object: a mapping with apiVersion, kind, metadata and spec', at)], warnings: [] };
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  if (isAuthenticationKind(kind)) {
    const parsed = parseTriggerAuthentication(value);
    return parsed.ok
      ? { authentication: true, ok: true, triggerAuthentication: parsed.value, warnings: [] }
      : { authentication: true, ok: false, issues: locate(parsed.issues, { ...context, at }), warnings: [] };
  }
  if (kind !== undefined && kind !== KIND) {
    const group = typeof value.apiVersion === 'string' ? value.apiVersion.split('/')[0] : undefined;
    if (group === API_GROUP && !OTHER_KEDA_KINDS.includes(kind)) {
      const suggestion = closest(kind, [KIND, ...OTHER_KEDA_KINDS]);
      const hint = suggestion === undefined ? `KEDA's kinds are ${[KIND, ...OTHER_KEDA_KINDS].join(', ')}` : `did you mean "${suggestion}"?`;
      return { ok: false, issues: [issue(under('kind'), `${describeValue(kind)} is not a kind of ${API_GROUP}; ${hint}`, [...at, 'kind'])], warnings: [] };
    }
    const skipped = issue(under('kind'), `skipped: LPA reads only ${API_VERSION} ${KIND}, TriggerAuthentication and ClusterTriggerAuthentication documents, this is a ${echo(kind)}`, [...at, 'kind']);
    return { skipped: true, warnings: [skipped] };
  }
  return parseScaledObjectIn(value, { ...context, at });
};

/** `kubectl get scaledobjects -o yaml` prints a `v1 List` whose items are the objects. */
const isList = (value: unknown): value is { items: unknown[] } =>
  isRecord(value) && value.kind === 'List' && value.apiVersion === 'v1' && Array.isArray(value.items);

const loadDocument = (document: Document, documentIndex: number, source: string, lineCounter: LineCounter, trust: Trust | undefined): LoadedManifestDocument[] => {
  const warnings = document.warnings.map((warning) => yamlIssue(warning, source, documentIndex));
  const failed = (issues: ValidationIssue[]): LoadedManifestDocument[] => [{ documentIndex, result: { ok: false, issues, warnings } }];
  if (document.errors.length > 0) return failed(document.errors.map((error) => yamlIssue(error, source, documentIndex)));
  if (isEmpty(document)) return [];

  const lineOf = (path: readonly PathSegment[]) => lineOfPath(document, lineCounter, path);
  const issue: Locate = (path, message, at = []) => {
    const line = lineOf(at);
    return { source, documentIndex, path, ...(line === undefined ? {} : { line }), message };
  };
  const problems = prepareDocument(document);
  if (problems.length > 0) {
    return failed(
      problems.map(({ offset, message }) => ({
        source,
        documentIndex,
        path: '',
        ...(offset === undefined ? {} : { line: lineCounter.linePos(offset).line }),
        message: `YAML: ${message}`,
      })),
    );
  }

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return failed([issue('', `YAML: ${errorMessage(error)}`)]);
  }
  const context: DocumentContext = { source, documentIndex, lineOf, ...(trust === undefined ? {} : { trust }) };
  const objects = isList(value) ? value.items.map((item, i) => ({ item, at: ['items', i] })) : [{ item: value, at: [] }];
  return objects.map(({ item, at }, i): LoadedManifestDocument => {
    const result = loadObject(item, at, context, issue);
    const kind = isRecord(item) && typeof item.kind === 'string' ? item.kind : undefined;
    // The YAML warnings belong to the document: attached once, to its first object.
    const withYaml = i > 0 ? result : { ...result, warnings: [...warnings, ...result.warnings] };
    return { documentIndex, ...(kind === undefined ? {} : { kind }), value: item, result: withYaml, lineOf };
  });
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
const loadDocuments = (text: string, source: string, trust?: Trust): LoadedManifestDocument[] => {
  const tooLarge = textSizeProblem(text);
  if (tooLarge !== undefined) return [{ documentIndex: 0, result: { ok: false, issues: [{ source, documentIndex: 0, path: '', message: tooLarge }], warnings: [] } }];
  const lineCounter = new LineCounter();
  // `merge: true`: Kubernetes' YAML reader (YAML 1.1 style) honours `<<` merge keys.
  const documents = parseAllDocuments(text, { lineCounter, merge: true });
  return documents.flatMap((document, documentIndex) => loadDocument(document, documentIndex, source, lineCounter, trust));
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
const loadScaledObjects = (text: string, source: string, trust?: Trust): LoadedDocument[] =>
  loadDocuments(text, source, trust).map(({ lineOf: _lineOf, result, ...document }) =>
    'authentication' in result ? { ...document, result: { skipped: true, warnings: result.warnings } } : { ...document, result },
  );

export { loadDocuments, loadScaledObjects };
export type { AuthenticationDocument, LoadedDocument, LoadedManifestDocument, SkippedDocument };
