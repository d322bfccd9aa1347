/**
 * One ScaledObject value (already parsed from YAML or JSON) → a normalized ScaledObject or the
 * complete list of what is wrong with it. Three independent passes, so one broken part never
 * hides the issues of another: the document schema, each trigger's metadata, the annotations.
 */
import type { ValidationIssue } from '../errors.js';
import { readPauseControls } from './annotations.js';
import { quote } from './echo.js';
import { valueBoundsProblem } from './inputLimits.js';
import { formatPath, parseWith, prefixed } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import type { Trust } from './awsEndpoint.js';
import { normalize } from './normalize.js';
import type { TriggerBuilder } from './normalize.js';
import { specWarnings } from './rules.js';
import { scaledObjectDocument } from './schema.js';
import { missingAuthParameters } from './triggers/authParameters.js';
import { SUPPORTED_TRIGGER_TYPES, triggerDefinition } from './triggers/registry.js';
import type { ScaledObject } from './types.js';

type ParseResult =
  | { readonly ok: true; readonly scaledObject: ScaledObject; readonly warnings: ValidationIssue[] }
  | { readonly ok: false; readonly issues: ValidationIssue[]; readonly warnings: ValidationIssue[] };

interface ParseOptions {
  /** Names the input in every issue; default `<input>`. */
  readonly source?: string;
  /** Position in a multi-document stream; default 0. */
  readonly documentIndex?: number;
  /** What the deployment trusts beyond the rules (e.g. a local stand-in as awsEndpoint); default nothing. */
  readonly trust?: Trust;
}

/** Where a value came from; `lineOf` is known only when it came from YAML text. */
interface DocumentContext {
  readonly source: string;
  readonly documentIndex: number;
  readonly lineOf?: (path: readonly PathSegment[]) => number | undefined;
  /** Where the object sits in its document (`items[2]` of a List); empty for a whole document. */
  readonly at?: readonly PathSegment[];
  readonly trust?: Trust;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Kubernetes prunes `null` fields of a CRD before defaulting, so `idleReplicaCount:` (empty, as a
 * Helm template renders an unset value) means "unset", not an error.
 */
const dropNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (item === null ? [] : [[key, dropNulls(item)]])));
};

interface TriggerReading {
  readonly builders: readonly (TriggerBuilder | undefined)[];
  readonly issues: readonly RawIssue[];
  readonly warnings: readonly RawIssue[];
}

/** Each trigger's metadata, checked by its type's schema; shapes the schema rejects are skipped here. */
const readTriggers = (input: unknown, trust: Trust | undefined): TriggerReading => {
  const triggers = isRecord(input) && isRecord(input.spec) && Array.isArray(input.spec.triggers) ? input.spec.triggers : [];
  const issues: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  const builders = triggers.map((trigger: unknown, index): TriggerBuilder | undefined => {
    if (!isRecord(trigger) || typeof trigger.type !== 'string' || trigger.type === '') return undefined;
    const path = ['spec', 'triggers', index];
    const definition = triggerDefinition(trigger.type);
    if (definition === undefined) {
      const message = `trigger type ${quote(trigger.type)} is not supported by LPA; supported: ${SUPPORTED_TRIGGER_TYPES.join(', ')}`;
      issues.push({ path: [...path, 'type'], message });
      return undefined;
    }
    if (!isRecord(trigger.metadata)) return undefined;
    const result = definition.parseMetadata(trigger.metadata, trust, trigger);
    if (!result.ok) {
      issues.push(...prefixed([...path, 'metadata'], result.issues));
      return undefined;
    }
    warnings.push(...prefixed([...path, 'metadata'], result.warnings));
    const missing = missingAuthParameters(trigger.type, definition.authParameters, trigger.metadata, trigger.authenticationRef !== undefined);
    if (missing.length > 0) {
      issues.push(...prefixed(path, missing));
      return undefined;
    }
    return result.build;
  });
  return { builders, issues, warnings };
};

const annotationsOf = (input: unknown): Record<string, unknown> =>
  isRecord(input) && isRecord(input.metadata) && isRecord(input.metadata.annotations) ? input.metadata.annotations : {};

/** Attaches document and line, and orders issues as they appear in the file. */
const locate = (issues: readonly RawIssue[], context: DocumentContext): ValidationIssue[] =>
  issues
    .map((issue) => {
      const path = [...(context.at ?? []), ...issue.path];
      const line = context.lineOf?.(path);
      return {
        source: context.source,
        documentIndex: context.documentIndex,
        path: formatPath(path),
        ...(line === undefined ? {} : { line }),
        message: issue.message,
      };
    })
    .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));

const parseScaledObjectIn = (value: unknown, context: DocumentContext): ParseResult => {
  // Before any recursive step (dropNulls, zod): a value nested thousands deep is an issue, not a crash.
  const bounds = valueBoundsProblem(value);
  if (bounds !== undefined) return { ok: false, issues: locate([bounds], context), warnings: [] };
  const input = dropNulls(value);
  const document = parseWith(scaledObjectDocument(), input);
  const triggers = readTriggers(input, context.trust);
  const pause = readPauseControls(annotationsOf(input));

  const issues = [...(document.ok ? [] : document.issues), ...triggers.issues, ...pause.issues];
  const warnings = [
    ...(document.ok ? prefixed(['spec'], specWarnings(document.data.spec)) : []),
    ...triggers.warnings,
    ...pause.warnings,
  ];
  const builders = triggers.builders.filter((build) => build !== undefined);
  if (!document.ok || issues.length > 0 || builders.length !== document.data.spec.triggers.length) {
    return { ok: false, issues: locate(issues, context), warnings: locate(warnings, context) };
  }
  return { ok: true, scaledObject: normalize(document.data, builders, pause.pause), warnings: locate(warnings, context) };
};

/**
 * Validates one ScaledObject given as a plain value (e.g. from JSON) and applies KEDA's defaults.
 *
 * @example
 * const result = parseScaledObject(JSON.parse(text), { source: 'event.json' });
 * if (!result.ok) for (const issue of result.issues) console.error(formatIssue(issue));
 */
const parseScaledObject = (value: unknown, options: ParseOptions = {}): ParseResult =>
  parseScaledObjectIn(value, { source: options.source ?? '<input>', documentIndex: options.documentIndex ?? 0, ...(options.trust === undefined ? {} : { trust: options.trust }) });

export { isRecord, locate, parseScaledObject, parseScaledObjectIn };
export type { DocumentContext, ParseOptions, ParseResult };
