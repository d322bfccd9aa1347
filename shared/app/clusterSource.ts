/**
 * The cluster source (DESIGN.md §1; when it lists and fans out: fanOut.ts): ScaledObjects listed from
 * `scaledobjects.keda.sh`, validated with exactly `lpa validate`'s rules, evaluated by the same reconcile
 * as manifests, and answered the way KEDA answers: the object's `status` (only when something a reader
 * acts on changed) and Events. One bad object never stops the others; an object LPA refuses (invalid,
 * also a manifest, target owned by an HPA) gets Ready=False naming why. RBAC refusing a status or event
 * write is reported, and scaling goes on. Every call carries the tick's AbortSignal.
 */
import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import type { ClusterApi, ClusterApiConnector } from '../kube/clusterApi.js';
import { withListedScales } from '../kube/listedScales.js';
import type { ClusterConnector, ScaleClient } from '../kube/types.js';
import { hpaOwning, type Hpa } from '../kube/hpas.js';
import type { ClusterScaledObject } from '../kube/scaledObjects.js';
import { parseScaledObject } from '../spec/parse.js';
import type { ScaledObject } from '../spec/types.js';
import { evaluationEvents, transitionEvents } from '../status/kedaEvents.js';
import { evaluatedStatus, refusedStatus, statusChanged, type KedaStatus } from '../status/kedaStatus.js';
import type { KedaEvent } from '../kube/events.js';
import type { TriggerAuthentication } from '../spec/auth/types.js';
import { ensureFinalizer, finalize, hasFinalizer } from './finalizer.js';
import { gateTenancy, guardResolvedEndpoints } from './tenancy.js';
import { failedReport, type ObjectReport } from './objectReport.js';
import { reconcile, type Evaluation, type ReconcileDeps } from './reconcile.js';
import { createDeadline } from './deadline.js';
import { objectId, type ClusterSource, type ScaleGroup } from './scaleGroup.js';

interface ClusterSourceDeps extends ReconcileDeps {
  readonly clusterApi: ClusterApiConnector;
  /**
   * Running beside KEDA (`lpa run --dry-run`): an object whose target an HPA owns is evaluated anyway
   * (nothing is written in a dry run) and reported with the HPA's desired replicas, to compare both.
   */
  readonly besideHpas?: boolean;
}

/** One pass: its reports, and the objects it evaluated (what sub-minute passes evaluate again). */
interface ClusterPass {
  readonly reports: ObjectReport[];
  readonly objects: readonly ScaledObject[];
  /** The connector a later pass over some of `objects` reads targets through: fresh lists where they save GETs. */
  readonly connectorFor?: (objects: readonly ScaledObject[]) => ClusterConnector;
}

/** A listed object LPA will not evaluate, and why (the Ready=False message; `reason` of the report). */
interface Refusal {
  readonly item: ClusterScaledObject;
  readonly scaledObject?: ScaledObject;
  readonly message: string;
  readonly reason?: string;
}

const WRITE_CONCURRENCY = 16;

const label = (item: ClusterScaledObject): string => `${item.metadata.namespace}/${item.metadata.name}`;
const sourceOf = (item: ClusterScaledObject): string => `scaledobjects.keda.sh ${label(item)}`;

/** Validation with `lpa validate`'s rules; the message names each field and rule. */
const validate = (item: ClusterScaledObject): { scaledObject: ScaledObject } | { message: string } => {
  const result = parseScaledObject({ ...item, apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' }, { source: sourceOf(item) });
  if (result.ok) return { scaledObject: result.scaledObject };
  return { message: `ScaledObject is invalid: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
};

/** Sorts listed objects into those to evaluate and those refused. */
const admit = async (
  listed: readonly ClusterScaledObject[],
  group: ScaleGroup,
  api: ClusterApi,
  { besideHpas, auth }: Pick<ClusterSourceDeps, 'besideHpas' | 'auth'>,
  signal: AbortSignal | undefined,
): Promise<{ admitted: Map<ScaledObject, ClusterScaledObject>; refused: Refusal[]; duplicates: Set<string>; owners: Map<string, Hpa>; authentications: TriggerAuthentication[] }> => {
  const fromManifests = new Set(group.objects.map((so) => `${so.metadata.namespace}/${so.metadata.name}`));
  const admitted = new Map<ScaledObject, ClusterScaledObject>();
  const refused: Refusal[] = [];
  const duplicates = new Set<string>();
  const owners = new Map<string, Hpa>();
  const checkedOut: { item: ClusterScaledObject; scaledObject: ScaledObject }[] = [];
  for (const item of listed) {
    const checked = validate(item);
    if ('message' in checked) refused.push({ item, message: checked.message });
    else if (fromManifests.has(label(item))) {
      duplicates.add(label(item));
      refused.push({ item, scaledObject: checked.scaledObject, message: `ScaledObject ${label(item)} comes from both the construct's manifests and the cluster (scaledobjects.keda.sh): keep one` });
    } else checkedOut.push({ item, scaledObject: checked.scaledObject });
  }
  // Nothing of an object is read before its namespace's allowance says it may be.
  const tenancy = await gateTenancy(checkedOut, group.fromCluster?.tenants, api.scale, { signal, manifests: group.authentications, clusterObjectNamespace: auth?.clusterObjectNamespace });
  refused.push(...tenancy.refused.map((r) => ({ ...r, reason: 'NotAllowed' })));
  const valid = tenancy.admitted;
  // Two autoscalers must never own one target: one HPA list per namespace.
  const namespaces = [...new Set(valid.map((v) => v.item.metadata.namespace))];
  const hpas = new Map<string, Hpa[] | Error>();
  await Promise.all(namespaces.map(async (ns) => hpas.set(ns, await api.hpas.list(ns, { signal }).catch((error: unknown) => new Error(errorMessage(error))))));
  for (const { item, scaledObject } of valid) {
    const inNamespace = hpas.get(item.metadata.namespace);
    if (inNamespace instanceof Error) {
      // Not knowing whether an HPA owns the target is not knowing whether LPA may scale it.
      refused.push({ item, scaledObject, message: `cannot tell whether an HPA owns the target: ${inNamespace.message}` });
      continue;
    }
    const ref = scaledObject.spec.scaleTargetRef;
    const owner = hpaOwning(inNamespace ?? [], item.metadata.namespace, ref);
    if (owner !== undefined && besideHpas === true) {
      owners.set(objectId(group.cluster, scaledObject), owner);
      admitted.set(scaledObject, item);
    } else if (owner !== undefined) {
      refused.push({ item, scaledObject, message: `the workload '${ref.name}' of type '${ref.apiVersion}.${ref.kind}' is already managed by the hpa '${owner.name}': LPA does not scale it while that HPA exists` });
    } else admitted.set(scaledObject, item);
  }
  return { admitted, refused, duplicates, owners, authentications: tenancy.authentications };
};

/** Status then events for one object; failures are returned as text for the report, never thrown. */
const answer = async (
  api: ClusterApi,
  item: ClusterScaledObject,
  build: (previous: KedaStatus | undefined) => { status: KedaStatus; events: KedaEvent[] },
  signal: AbortSignal | undefined,
): Promise<string[]> => {
  const problems: string[] = [];
  let events: KedaEvent[] = [];
  try {
    await api.scaledObjects.writeStatus(item, (current) => {
      const previous = current.status as KedaStatus | undefined;
      const next = build(previous);
      events = next.events;
      return statusChanged(previous, next.status) ? next.status : undefined;
    }, { signal });
  } catch (error) {
    problems.push(`status not written: ${errorMessage(error)}`);
    events = build(item.status as KedaStatus | undefined).events;
  }
  const regarding = { namespace: item.metadata.namespace, name: item.metadata.name, uid: item.metadata.uid, resourceVersion: item.metadata.resourceVersion };
  for (const event of events) {
    try {
      await api.events.record(regarding, event, { signal });
    } catch (error) {
      problems.push(`event ${event.reason} not recorded: ${errorMessage(error)}`);
    }
  }
  return problems;
};

const withProblems = (report: ObjectReport, problems: readonly string[]): ObjectReport =>
  problems.length === 0 ? report : { ...report, error: [report.error, ...problems].filter((e) => e !== undefined).join('; ') };

/**
 * The connector a pass over `objects` gets: the group's one cluster, already connected, reading the targets
 * of the cluster's objects through one list per namespace and kind (a new one each pass); manifests keep
 * their named GETs (their RBAC grants no list).
 */
const listingConnectorOf =
  (api: ClusterApi, fromCluster: ReadonlySet<ScaledObject>) =>
  (objects: readonly ScaledObject[]): ClusterConnector => {
    const targets = objects.filter((so) => fromCluster.has(so)).map((so) => ({ namespace: so.metadata.namespace, target: so.spec.scaleTargetRef }));
    const scale: ScaleClient = withListedScales(api.scale, api.workloads, targets);
    return { connect: async () => scale };
  };

/** The tick's signal: every call the cluster source makes ends when the invocation's budget does. */
const tickSignal = (deps: Pick<ReconcileDeps, 'deadline' | 'now' | 'abortAfter'>): AbortSignal | undefined =>
  deps.deadline === undefined ? undefined : createDeadline(deps.deadline, deps.now, deps.abortAfter).signal;

/** The source's ScaledObjects, every page of every namespace it serves, within the tick's budget. */
const listClusterSource = async (
  group: ScaleGroup,
  source: ClusterSource,
  deps: ClusterSourceDeps,
): Promise<{ api: ClusterApi; listed: ClusterScaledObject[]; signal: AbortSignal | undefined }> => {
  const signal = tickSignal(deps);
  const api = await deps.clusterApi.connectCluster(group.cluster, { signal });
  return { api, listed: await api.scaledObjects.list({ namespaces: source.namespaces, labelSelector: source.labelSelector, signal }), signal };
};

/** The one failed report of a listing that failed (the manifests are still evaluated). */
const listingFailed = (group: ScaleGroup, error: unknown): ObjectReport =>
  failedReport(`${group.cluster.name}/scaledobjects.keda.sh`, 'failed', 'FailedListScaledObjects', errorMessage(error));

/**
 * Evaluates the group's manifests and `listed` (ScaledObjects as the cluster listed them: by this
 * invocation, or by the lister that sent this shard). Resolves with one report per object.
 */
const evaluateListed = async (group: ScaleGroup, api: ClusterApi, listed: readonly ClusterScaledObject[], deps: ClusterSourceDeps): Promise<ClusterPass> => {
  const signal = tickSignal(deps);
  // Objects being deleted are not evaluated: LPA finishes its part of their deletion instead.
  const live = listed.filter((item) => item.metadata.deletionTimestamp === undefined);
  const deleting = listed.filter((item) => item.metadata.deletionTimestamp !== undefined && hasFinalizer(item));
  const finalized = await Promise.all(deleting.map((item) => finalize(api, item, `${group.cluster.name}/${label(item)}`, deps, { signal })));
  const { admitted, refused, duplicates, owners, authentications } = await admit(live, group, api, deps, signal);
  const evaluations = new Map<ScaledObject, Evaluation>();
  const manifests = group.objects.filter((so) => !duplicates.has(`${so.metadata.namespace}/${so.metadata.name}`));
  const manifestDuplicates = group.objects
    .filter((so) => duplicates.has(`${so.metadata.namespace}/${so.metadata.name}`))
    .map((so) => failedReport(objectId(group.cluster, so), 'invalid', 'DuplicateScaledObject', `ScaledObject ${so.metadata.namespace}/${so.metadata.name} comes from both the construct's manifests and the cluster (scaledobjects.keda.sh): keep one`));
  const connectorFor = listingConnectorOf(api, new Set(admitted.keys()));
  const evaluated = [...manifests, ...admitted.keys()];
  const auth = deps.auth === undefined ? {} : { auth: guardResolvedEndpoints(deps.auth, group.fromCluster?.tenants, new Set(admitted.keys())) };
  const reports = await reconcile(
    { ...group, objects: manifests, authentications: [...group.authentications, ...authentications] },
    { ...deps, ...auth, connector: connectorFor(evaluated), onDecision: (e) => evaluations.set(e.scaledObject, e) },
    evaluated,
  );

  const limit = pLimit(WRITE_CONCURRENCY);
  const byId = new Map<string, ScaledObject>([...admitted.keys()].map((so) => [objectId(group.cluster, so), so]));
  const answered = await Promise.all(
    reports.map((evaluated) =>
      limit(async () => {
        let report = evaluated;
        const so = byId.get(report.id);
        const listedItem = so === undefined ? undefined : admitted.get(so);
        if (so === undefined || listedItem === undefined) return report;
        const owner = owners.get(report.id);
        if (owner !== undefined) report = { ...report, hpa: { name: owner.name, ...(owner.desiredReplicas === undefined ? {} : { desiredReplicas: owner.desiredReplicas }) } };
        const { item, problem } = await ensureFinalizer(api, listedItem, { signal });
        report = problem === undefined ? report : withProblems(report, [problem]);
        const evaluation = evaluations.get(so);
        if (evaluation === undefined) {
          // No decision: the target could not be read (KEDA's ErrorGettingCurrentReplicas) or the state not loaded.
          if (report.reason !== 'FailedGetScale') return report;
          const message = `Error getting current replicas count for ScaleTarget: ${report.message}`;
          return withProblems(report, await answer(api, item, (previous) => {
            const status = refusedStatus(so, message, previous);
            return { status, events: transitionEvents(previous, status) };
          }, signal));
        }
        const scaled = report.outcome === 'scaled';
        return withProblems(report, await answer(api, item, (previous) => {
          const status = evaluatedStatus({ scaledObject: so, resource: evaluation.scale.resource, decision: evaluation.decision, previous });
          return { status, events: evaluationEvents({ scaledObject: so, observation: evaluation.observation, decision: evaluation.decision, scaled, previous, next: status }) };
        }, signal));
      }),
    ),
  );
  const refusedReports = await Promise.all(
    refused.map((r) =>
      limit(async () => {
        const id = `${group.cluster.name}/${label(r.item)}`;
        const report = failedReport(id, 'invalid', r.reason ?? 'ScaledObjectCheckFailed', r.message);
        return withProblems(report, await answer(api, r.item, (previous) => {
          const status = refusedStatus(r.scaledObject, r.message, previous);
          return { status, events: transitionEvents(previous, status) };
        }, signal));
      }),
    ),
  );
  return { reports: [...manifestDuplicates, ...answered, ...refusedReports, ...finalized], objects: evaluated, connectorFor };
};


export { evaluateListed, listClusterSource, listingFailed, tickSignal };
export type { ClusterPass, ClusterSourceDeps };
