/**
 * Synth-time loading of the ScaledObject manifests a PodAutoscaler deploys: the same loader, rules
 * and messages as `lpa validate`, so a manifest that fails there fails `cdk synth` with the same
 * `file:line: path: message` lines, and nothing invalid ever reaches a schedule.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../shared/errors.js';
import type { ValidationIssue } from '../shared/errors.js';
import { loadScaledObjects, parseScaledObject } from '../shared/spec/index.js';
import type { ParseResult, ScaledObject } from '../shared/spec/index.js';

/** A file path (YAML, several documents allowed, or JSON) or one ScaledObject manifest as an object. */
type ManifestSource = string | Readonly<Record<string, unknown>>;

/** One valid ScaledObject: normalized for the construct, and as a manifest for the schedule input. */
interface LoadedObject {
  readonly scaledObject: ScaledObject;
  /** What the functions receive: the manifest minus what they never read (see `slimManifest`). */
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly source: string;
  readonly documentIndex: number;
}

interface LoadedManifests {
  readonly objects: readonly LoadedObject[];
  /** Warnings of the spec (deprecated keys, skipped documents), for the construct to annotate. */
  readonly warnings: readonly ValidationIssue[];
}

/** The same cap on YAML aliases as the spec loader. */
const MAX_ALIAS_COUNT = 100;

/** kubectl's copy of the whole object: often larger than the object, and never read by LPA. */
const DROPPED_ANNOTATIONS: ReadonlySet<string> = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/**
 * The schedule input has a size limit and every byte is in the template, so only what the runtime
 * reads is kept: name, namespace (made explicit), annotations (pause controls), creationTimestamp
 * (initialCooldownPeriod) and the spec as written. Labels, status and server fields are dropped.
 */
const slimManifest = (value: Readonly<Record<string, unknown>>, so: ScaledObject): Record<string, unknown> => {
  const annotations = Object.fromEntries(Object.entries(so.metadata.annotations).filter(([key]) => !DROPPED_ANNOTATIONS.has(key)));
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    metadata: {
      name: so.metadata.name,
      namespace: so.metadata.namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(so.metadata.creationTimestamp === undefined ? {} : { creationTimestamp: so.metadata.creationTimestamp }),
    },
    spec: value.spec,
  };
};

/** Rules of deployment, beyond the spec: what the construct must know at synth time. */
const deploymentIssues = (so: ScaledObject, source: string, documentIndex: number): ValidationIssue[] =>
  so.spec.triggers.flatMap((trigger) =>
    trigger.type === 'aws-sqs-queue' && trigger.metadata.queueURL === undefined
      ? [
          {
            source,
            documentIndex,
            path: `spec.triggers[${trigger.index}].metadata.queueURLFromEnv`,
            message: 'cannot be resolved by LPA (it does not read the container environment); set queueURL so the queue can be granted and read',
          },
        ]
      : [],
  );

interface Collector {
  readonly objects: LoadedObject[];
  readonly issues: ValidationIssue[];
  readonly warnings: ValidationIssue[];
}

const collect = (into: Collector, result: ParseResult, value: unknown, source: string, documentIndex: number): void => {
  into.warnings.push(...result.warnings);
  if (!result.ok) {
    into.issues.push(...result.issues);
    return;
  }
  into.issues.push(...deploymentIssues(result.scaledObject, source, documentIndex));
  const manifest = slimManifest(value as Record<string, unknown>, result.scaledObject);
  into.objects.push({ scaledObject: result.scaledObject, manifest, source, documentIndex });
};

const loadFile = (into: Collector, path: string): void => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    into.issues.push({ source: path, documentIndex: 0, path: '', message: `cannot read the file: ${(error as Error).message}` });
    return;
  }
  const documents = parseAllDocuments(text, { merge: true });
  for (const { documentIndex, result } of loadScaledObjects(text, path)) {
    if ('skipped' in result) {
      into.warnings.push(...result.warnings);
      continue;
    }
    const value = result.ok ? documents[documentIndex]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) : undefined;
    collect(into, result, value, path, documentIndex);
  }
};

const duplicateIssues = (objects: readonly LoadedObject[]): ValidationIssue[] => {
  const seen = new Map<string, LoadedObject>();
  return objects.flatMap((object) => {
    const id = `${object.scaledObject.metadata.namespace}/${object.scaledObject.metadata.name}`;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, object);
      return [];
    }
    const message = `duplicate ScaledObject ${id}: already defined in ${first.source} (document ${first.documentIndex + 1}); one target, one ScaledObject`;
    return [{ source: object.source, documentIndex: object.documentIndex, path: 'metadata.name', message }];
  });
};

/**
 * Every source validated; throws one ValidationError listing every issue of every source.
 *
 * @example
 * const { objects } = loadManifests(['examples/orders-worker.yaml']);
 */
const loadManifests = (sources: readonly ManifestSource[]): LoadedManifests => {
  const into: Collector = { objects: [], issues: [], warnings: [] };
  sources.forEach((entry, index) => {
    if (typeof entry === 'string') loadFile(into, entry);
    else collect(into, parseScaledObject(entry, { source: `manifests[${index}]` }), entry, `manifests[${index}]`, 0);
  });
  into.issues.push(...duplicateIssues(into.objects));
  if (into.issues.length === 0 && into.objects.length === 0) {
    into.issues.push({ source: 'manifests', documentIndex: 0, path: '', message: 'no ScaledObject found: give at least one manifest' });
  }
  if (into.issues.length > 0) throw new ValidationError(into.issues);
  return { objects: into.objects, warnings: into.warnings };
};

export { loadManifests, slimManifest };
export type { LoadedManifests, LoadedObject, ManifestSource };
