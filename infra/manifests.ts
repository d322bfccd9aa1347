/**
 * Synth-time loading of the ScaledObject manifests a PodAutoscaler deploys: the same loader, rules
 * and messages as `lpa validate`, so a manifest that fails there fails `cdk synth` with the same
 * `file:line: path: message` lines, and nothing invalid ever reaches a schedule.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../shared/errors.js';
import type { ValidationIssue } from '../shared/errors.js';
import { loadScaledObjects, parseScaledObject } from '../shared/spec/index.js';
import type { ParseResult, ScaledObject, Trust } from '../shared/spec/index.js';

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
  const manifest = slimManifest(value as Record<string, unknown>, result.scaledObject);
  into.objects.push({ scaledObject: result.scaledObject, manifest, source, documentIndex });
};

const loadFile = (into: Collector, path: string, trust: Trust): void => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    into.issues.push({ source: path, documentIndex: 0, path: '', message: `cannot read the file: ${(error as Error).message}` });
    return;
  }
  for (const { documentIndex, value, result } of loadScaledObjects(text, path, trust)) {
    if ('skipped' in result) into.warnings.push(...result.warnings);
    else collect(into, result, value, path, documentIndex);
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
 * Every source validated (under the construct's `trust`); throws one ValidationError listing every issue of every source.
 *
 * @example
 * const { objects } = loadManifests(['examples/orders-worker.yaml']);
 */
const loadManifests = (sources: readonly ManifestSource[], trust: Trust = {}): LoadedManifests => {
  const into: Collector = { objects: [], issues: [], warnings: [] };
  sources.forEach((entry, index) => {
    if (typeof entry === 'string') loadFile(into, entry, trust);
    else collect(into, parseScaledObject(entry, { source: `manifests[${index}]`, trust }), entry, `manifests[${index}]`, 0);
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
