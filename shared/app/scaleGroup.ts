/**
 * The ScaleGroup: what one scheduled invocation evaluates — a cluster and the ScaledObject
 * manifests aimed at it (DESIGN.md §1). The schedule input carries the specs, so an invocation
 * needs no config lookup. One invalid manifest is reported and never stops the others.
 */
import * as z from 'zod';
import { builtOnce, builtWhenPresent } from '../spec/builtOnce.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { authenticationLabel, parseTriggerAuthentication } from '../spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../spec/auth/types.js';
import { echo } from '../spec/echo.js';
import { formatPath, toValidationIssues, type PathSegment } from '../spec/issues.js';
import type { Trust } from '../spec/awsEndpoint.js';
import { parseScaledObject } from '../spec/parse.js';
import type { ScaledObject } from '../spec/types.js';
import type { ClusterRef } from '../kube/types.js';
import { clusterObjectSchema, type ClusterScaledObject } from '../kube/scaledObjects.js';
import { tenancySchema, type Tenancy } from '../access/tenancy.js';

/** Which of the cluster's ScaledObjects a group serves. */
interface ClusterSource {
  /** Namespaces served; every namespace when absent. */
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  /** What each namespace's objects may make LPA read (shared/access/tenancy.ts); absent: nothing beyond the cluster. */
  readonly tenants?: Tenancy;
}

/** An event that names the API server could have the cluster's EKS token sent anywhere (shared/kube/clusterInfo.ts). */
const NOT_FROM_EVENTS =
  'is not taken from an event (an EKS token for the cluster would be sent wherever it points); the function reads the endpoint and CA from its configuration (LPA_CLUSTERS) or from eks:DescribeCluster';
const refused = () => z.never({ error: NOT_FROM_EVENTS }).optional();

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const clusterSchema = () =>
  z
    .object({
      name: z.string().min(1),
      region: z.string().regex(AWS_REGION, 'must be an AWS region such as eu-west-1'),
      endpoint: refused(),
      caData: refused(),
    })
    .strict()
    .transform(({ name, region }) => ({ name, region }));

/** `source.fromCluster`: list `scaledobjects.keda.sh` each tick (all namespaces unless named). */
const fromClusterSchema = () =>
  z
    .object({
      namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name (RFC 1123 label)').max(63)).min(1, 'must name at least one namespace, or be left out for all').optional(),
      labelSelector: z.string().min(1).optional(),
      // Most cluster sources name no tenants: their schema is built for the first that does.
      tenants: builtWhenPresent(tenancySchema),
    })
    .strict();

/**
 * `source.shard`: one shard of a listed cluster, sent by the lister to an invocation of the same
 * function (shared/app/fanOut.ts). It carries the objects as listed, so the shard does not list again;
 * they are validated by the cluster source's rules like any listed object.
 */
const shardSchema = () =>
  z
    .object({
      /** Epoch ms the lister's tick began: the shard evaluates within that tick's window only. */
      tick: z.number().int().nonnegative(),
      /** Names the shard's lease; unique among the tick's shards. */
      id: z.string().regex(/^[0-9]+(\.[01])*$/, 'must be a shard number such as 3 or 3.1'),
      items: z.array(clusterObjectSchema()).min(1),
    })
    .strict();

const scaleGroupSchema = builtOnce(() =>
  z
    .object({
      cluster: clusterSchema(),
      scaledObjects: z.array(z.unknown()).default([]),
      // Built for the first group that has one: listed objects alone (most groups) never need it.
      source: builtWhenPresent(() => z.object({ fromCluster: fromClusterSchema(), shard: builtWhenPresent(shardSchema) }).strict()),
      /** The (Cluster)TriggerAuthentications the objects reference, when given with them (the construct's manifests). */
      triggerAuthentications: z.array(z.unknown()).optional(),
    })
    .strict()
    .refine((group) => group.scaledObjects.length > 0 || group.source !== undefined, {
      path: ['scaledObjects'],
      message: 'must list at least one ScaledObject (or set source.fromCluster)',
    }),
);

type ScaleGroupInput = z.input<ReturnType<typeof scaleGroupSchema>>;

/** A manifest of the group that did not validate: reported, never evaluated. */
interface InvalidObject {
  readonly index: number;
  /** `<namespace>/<name>` when the manifest got that far, else `scaledObjects[i]`. */
  readonly label: string;
  readonly issues: readonly ValidationIssue[];
}

/** One shard of a listed cluster (see `shardSchema`). */
interface Shard {
  readonly tick: number;
  readonly id: string;
  readonly items: readonly ClusterScaledObject[];
}

interface ScaleGroup {
  readonly cluster: ClusterRef;
  readonly objects: readonly ScaledObject[];
  readonly invalid: readonly InvalidObject[];
  /** Also evaluate the cluster's own ScaledObjects (the cluster source). */
  readonly fromCluster?: ClusterSource;
  /** This invocation evaluates one shard of a listed cluster, not the whole source. */
  readonly shard?: Shard;
  /** Valid (Cluster)TriggerAuthentications given with the objects; others are read from the cluster. */
  readonly authentications: readonly TriggerAuthentication[];
}

const labelOf = (manifest: unknown, index: number): string => {
  const meta = (manifest as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  if (typeof meta?.name !== 'string') return `scaledObjects[${index}]`;
  // Not validated yet: bounded and escaped like every echo of input.
  return `${typeof meta.namespace === 'string' ? echo(meta.namespace) : 'default'}/${echo(meta.name)}`;
};

/** A manifest's issue path inside the group: a quoted key (`["a.b"]`) joins without a dot. */
const under = (prefix: string, path: string): string => (path === '' || path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`);

/** Key of an authentication as a trigger references it. */
const authenticationKey = (kind: string, namespace: string | undefined, name: string): string => `${kind}\n${namespace ?? ''}\n${name}`;

/** The valid ones, and for each invalid one (by key) what is wrong with it. */
const parseAuthentications = (manifests: readonly unknown[]) => {
  const authentications: TriggerAuthentication[] = [];
  const broken = new Map<string, string>();
  manifests.forEach((manifest, index) => {
    const parsed = parseTriggerAuthentication(manifest);
    if (parsed.ok) {
      authentications.push(parsed.value);
      return;
    }
    const meta = (manifest as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null) ?? {};
    const kind = typeof meta.kind === 'string' ? meta.kind : 'TriggerAuthentication';
    const namespace = kind === 'TriggerAuthentication' ? (typeof meta.metadata?.namespace === 'string' ? meta.metadata.namespace : 'default') : undefined;
    const name = typeof meta.metadata?.name === 'string' ? meta.metadata.name : '';
    broken.set(authenticationKey(kind, namespace, name), `triggerAuthentications[${index}]: ${parsed.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  });
  return { authentications, broken };
};

/** The problems of the invalid authentications `so` references. */
const referencedIssues = (so: ScaledObject, broken: ReadonlyMap<string, string>): { path: string; message: string }[] =>
  so.spec.triggers.flatMap((trigger) => {
    const ref = trigger.authenticationRef;
    if (ref === undefined) return [];
    const namespace = ref.kind === 'TriggerAuthentication' ? so.metadata.namespace : undefined;
    const problem = broken.get(authenticationKey(ref.kind, namespace, ref.name));
    const label = authenticationLabel({ kind: ref.kind, metadata: { name: ref.name, ...(namespace === undefined ? {} : { namespace }) } });
    return problem === undefined ? [] : [{ path: `spec.triggers[${trigger.index}].authenticationRef`, message: `${label} is invalid: ${problem}` }];
  });

/**
 * Validates the envelope (throws ValidationError-shaped issues through `issues`), then each
 * manifest on its own. Paths are relative to the event: `scaledObjects[2].spec.triggers[0]…`.
 */
const parseScaleGroup = (
  event: unknown,
  source = '<event>',
  trust: Trust = {},
): { ok: true; group: ScaleGroup } | { ok: false; issues: ValidationIssue[] } => {
  const parsed = scaleGroupSchema().safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.filter((p): p is PathSegment => typeof p !== 'symbol'), message: issue.message }));
    return { ok: false, issues: toValidationIssues(issues, source) };
  }
  const { authentications, broken } = parseAuthentications(parsed.data.triggerAuthentications ?? []);
  const objects: ScaledObject[] = [];
  const invalid: InvalidObject[] = [];
  const seen = new Set<string>();
  parsed.data.scaledObjects.forEach((manifest, index) => {
    const result = parseScaledObject(manifest, { source, trust });
    const prefix = `scaledObjects[${index}]`;
    if (!result.ok) {
      invalid.push({ index, label: labelOf(manifest, index), issues: result.issues.map((i) => ({ ...i, path: under(prefix, i.path) })) });
      return;
    }
    const id = `${result.scaledObject.metadata.namespace}/${result.scaledObject.metadata.name}`;
    if (seen.has(id)) {
      invalid.push({ index, label: id, issues: [{ source, documentIndex: 0, path: `${prefix}.metadata.name`, message: `duplicate ScaledObject ${id} in this group` }] });
      return;
    }
    seen.add(id);
    // An object whose TriggerAuthentication is invalid cannot be evaluated; the others still are.
    const issues = referencedIssues(result.scaledObject, broken).map((issue) => ({ source, documentIndex: 0, path: under(prefix, issue.path), message: issue.message }));
    if (issues.length > 0) invalid.push({ index, label: id, issues });
    else objects.push(result.scaledObject);
  });
  const fromCluster = parsed.data.source?.fromCluster;
  const shard = parsed.data.source?.shard;
  return { ok: true, group: { cluster: parsed.data.cluster, objects, invalid, authentications, ...(fromCluster === undefined ? {} : { fromCluster }), ...(shard === undefined ? {} : { shard }) } };
};

/**
 * The group an invocation evaluates: the event's, else the function's configured one; `trust` is
 * the function's (configuration, never the event's). An invalid
 * envelope throws (nothing can be evaluated); invalid objects inside it are kept for reporting.
 */
const resolveScaleGroup = (fromEvent: unknown, configured: unknown, source = '<event>', trust: Trust = {}): ScaleGroup => {
  // A null event (e.g. `aws lambda invoke` with no payload) carries no group either.
  const fromConfiguration = fromEvent === undefined || fromEvent === null;
  const candidate = fromConfiguration ? configured : fromEvent;
  if (candidate === undefined) {
    throw new ValidationError([{ source, documentIndex: 0, path: '', message: 'the event carries no ScaleGroup and LPA_SCALE_GROUP is not set' }]);
  }
  const parsed = parseScaleGroup(candidate, fromConfiguration ? 'LPA_SCALE_GROUP' : source, trust);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  return parsed.group;
};

/** The state key of an object: unique across clusters. */
const objectId = (cluster: ClusterRef, so: ScaledObject): string => `${cluster.name}/${so.metadata.namespace}/${so.metadata.name}`;

export { AWS_REGION, objectId, parseScaleGroup, resolveScaleGroup, scaleGroupSchema };
export type { ClusterSource, InvalidObject, ScaleGroup, ScaleGroupInput, Shard };
