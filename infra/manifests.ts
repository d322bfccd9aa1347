/**
 * Synth-time loading of the ScaledObject manifests a PodAutoscaler deploys: the same loader, rules
 * and messages as `lpa validate`, so a manifest that fails there fails `cdk synth` with the same
 * `file:line: path: message` lines, and nothing invalid ever reaches a schedule.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../shared/errors.js';
import type { ValidationIssue } from '../shared/errors.js';
import { checkAuthenticationRefs } from '../shared/spec/auth/references.js';
import { formatPath } from '../shared/spec/issues.js';
import { loadDocuments, parseScaledObject, parseTriggerAuthentication } from '../shared/spec/index.js';
import type { ParseResult, ScaledObject, TriggerAuthentication, Trust } from '../shared/spec/index.js';

/** A file path (YAML, several documents allowed, or JSON) or one ScaledObject or (Cluster)TriggerAuthentication manifest as an object. */
type ManifestSource = string | Readonly<Record<string, unknown>>;

/** One valid ScaledObject: normalized for the construct, and as a manifest for the schedule input. */
interface LoadedObject {
  readonly scaledObject: ScaledObject;
  /** What the functions receive: the manifest minus what they never read (see `slimManifest`). */
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly source: string;
  readonly documentIndex: number;
}

/** A valid (Cluster)TriggerAuthentication, normalized and as the manifest the functions receive. */
interface LoadedAuthentication {
  readonly triggerAuthentication: TriggerAuthentication;
  readonly manifest: Readonly<Record<string, unknown>>;
}

interface LoadedManifests {
  readonly objects: readonly LoadedObject[];
  readonly authentications: readonly LoadedAuthentication[];
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

/** Only what the runtime reads: kind, name, namespace and spec (labels and status dropped). */
const slimAuthentication = (value: Readonly<Record<string, unknown>>, auth: TriggerAuthentication): Record<string, unknown> => ({
  apiVersion: value.apiVersion,
  kind: value.kind,
  metadata: { name: auth.metadata.name, ...(auth.metadata.namespace === undefined ? {} : { namespace: auth.metadata.namespace }) },
  spec: value.spec,
});

interface Collector {
  readonly objects: LoadedObject[];
  readonly authentications: LoadedAuthentication[];
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
  for (const { documentIndex, value, result } of loadDocuments(text, path, trust)) {
    if ('skipped' in result) into.warnings.push(...result.warnings);
    else if (!('authentication' in result)) collect(into, result, value, path, documentIndex);
    else {
      into.warnings.push(...result.warnings);
      if (result.ok) into.authentications.push({ triggerAuthentication: result.triggerAuthentication, manifest: slimAuthentication(value as Record<string, unknown>, result.triggerAuthentication) });
      else into.issues.push(...result.issues);
    }
  }
};

/** A manifest given as an object: a (Cluster)TriggerAuthentication, else a ScaledObject. */
const loadObject = (into: Collector, entry: Readonly<Record<string, unknown>>, source: string, trust: Trust): void => {
  if (entry.kind !== 'TriggerAuthentication' && entry.kind !== 'ClusterTriggerAuthentication') {
    collect(into, parseScaledObject(entry, { source, trust }), entry, source, 0);
    return;
  }
  const parsed = parseTriggerAuthentication(entry);
  if (parsed.ok) into.authentications.push({ triggerAuthentication: parsed.value, manifest: slimAuthentication(entry, parsed.value) });
  else into.issues.push(...parsed.issues.map((issue) => ({ source, documentIndex: 0, path: formatPath(issue.path), message: issue.message })));
};

/** Every object's authenticationRefs against the TriggerAuthentications of all sources (shared/spec/auth/references.ts). */
const referenceIssues = (into: Collector): void => {
  const given = into.authentications.map((a) => a.triggerAuthentication);
  for (const object of into.objects) {
    const { issues, warnings } = checkAuthenticationRefs(object.scaledObject, given);
    const locate = (raw: typeof issues) => raw.map((issue) => ({ source: object.source, documentIndex: object.documentIndex, path: formatPath(issue.path), message: issue.message }));
    into.issues.push(...locate(issues));
    into.warnings.push(...locate(warnings));
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
  const into: Collector = { objects: [], authentications: [], issues: [], warnings: [] };
  sources.forEach((entry, index) => {
    if (typeof entry === 'string') loadFile(into, entry, trust);
    else loadObject(into, entry, `manifests[${index}]`, trust);
  });
  into.issues.push(...duplicateIssues(into.objects));
  referenceIssues(into);
  if (into.issues.length === 0 && into.objects.length === 0) {
    into.issues.push({ source: 'manifests', documentIndex: 0, path: '', message: 'no ScaledObject found: give at least one manifest' });
  }
  if (into.issues.length > 0) throw new ValidationError(into.issues);
  return { objects: into.objects, authentications: into.authentications, warnings: into.warnings };
};

export { loadManifests, slimManifest };
export type { LoadedAuthentication, LoadedManifests, LoadedObject, ManifestSource };
