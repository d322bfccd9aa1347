import type { SimulatedCluster } from './cluster.js';
import { metadataOf, type Json } from './objectStore.js';
import { applyMergePatch, patchKindOf } from './patch.js';
import type { ApiRequest, ApiResponse } from './routes.js';
import { parseSelector } from './selector.js';
import { alreadyExists, badRequest, conflict, invalidFields, methodNotAllowed, notFound, unsupportedMediaType } from './status.js';

/**
 * Stored objects over HTTP: custom resources of keda.sh (ScaledObjects with their `status` subresource,
 * finalizers and deletion), events.k8s.io/v1 Events and autoscaling/v2 HPAs, answering as the recorded
 * kube-apiserver does (team notes `kube-api-responses-keda.md` §4, §6, §8-§10).
 */

const KEDA_KINDS: Readonly<Record<string, { kind: string; listKind: string }>> = {
  scaledobjects: { kind: 'ScaledObject', listKind: 'ScaledObjectList' },
  scaledjobs: { kind: 'ScaledJob', listKind: 'ScaledJobList' },
  triggerauthentications: { kind: 'TriggerAuthentication', listKind: 'TriggerAuthenticationList' },
};

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const fail = (status: { code: number }): ApiResponse => ({ status: status.code, body: status });

/** Custom resources are unstructured maps: keys come back sorted at every level (recorded). */
const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Json)[k])]));
  }
  return value;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

const encodeContinue = (token: ContinueToken): string => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...token })).toString('base64url');

const decodeContinue = (text: string): ContinueToken | undefined => {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    return value.v === 'meta.k8s.io/v1' && typeof value.rv === 'number' && typeof value.start === 'string' ? { rv: value.rv, start: value.start } : undefined;
  } catch {
    return undefined;
  }
};

/** LIST with `labelSelector`, `limit` and `continue`, ending with `"continue":""` as custom-resource lists do. */
const listCustom = (cluster: SimulatedCluster, request: ApiRequest, resource: string): ApiResponse => {
  const { namespace, apiGroup } = request.attributes;
  const selector = parseSelector(request.query.get('labelSelector') ?? '');
  if (selector === undefined) return fail(badRequest(`unable to parse requirement: ${request.query.get('labelSelector')}`));
  const continueText = request.query.get('continue');
  const token = continueText === null ? undefined : decodeContinue(continueText);
  if (continueText !== null && token === undefined) {
    return fail(badRequest("invalid continue token: continue key is not valid: invalid character '\\u009e' looking for beginning of value"));
  }
  const keyOf = (o: Json): string => (namespace === '' ? `${String(metadataOf(o).namespace)}/${String(metadataOf(o).name)}` : String(metadataOf(o).name));
  const all = cluster.objects
    .list(`${apiGroup}/${resource}`, namespace === '' ? undefined : namespace)
    .filter((o) => selector((metadataOf(o).labels ?? {}) as Record<string, string>))
    .filter((o) => token === undefined || keyOf(o) + '\u0000' > token.start);
  const limitText = request.query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  const page = limit === undefined || limit <= 0 ? all : all.slice(0, limit);
  const rest = all.length - page.length;
  const revision = token?.rv ?? Number(cluster.revision);
  const last = page.at(-1);
  const kinds = KEDA_KINDS[resource] ?? { listKind: `${resource}List` };
  return ok(
    sortedKeys({
      apiVersion: `${apiGroup}/${request.attributes.version}`,
      items: page,
      kind: kinds.listKind,
      metadata: {
        continue: rest > 0 && last !== undefined ? encodeContinue({ rv: revision, start: `${keyOf(last)}\u0000` }) : '',
        ...(rest > 0 ? { remainingItemCount: rest } : {}),
        resourceVersion: String(revision),
      },
    }),
  );
};

const isDryRun = (request: ApiRequest): boolean => request.query.get('dryRun') === 'All';

/** Merge patch of the whole object (metadata, spec) or of its status subresource only. */
const patchCustom = (cluster: SimulatedCluster, request: ApiRequest, resource: string): ApiResponse => {
  const { namespace, name = '', apiGroup, subresource } = request.attributes;
  const stored = `${apiGroup}/${resource}`;
  if (patchKindOf(request.contentType) !== 'merge') return fail(unsupportedMediaType());
  const patch = parseJson(request.body);
  if (patch === undefined || patch === null || typeof patch !== 'object') return fail(badRequest('error decoding patch: invalid JSON'));
  const current = cluster.objects.get(stored, namespace, name);
  if (current === undefined) return fail(notFound(apiGroup, resource, name));
  const precondition = metadataOf(patch as Json).resourceVersion;
  if (precondition !== undefined && precondition !== metadataOf(current).resourceVersion) return fail(conflict(apiGroup, resource, name));
  const merged = applyMergePatch(current, patch) as Json;
  // The status subresource changes only status; the main resource never changes status (subresources.status is on).
  const next: Json =
    subresource === 'status'
      ? { ...current, status: merged.status }
      : { ...merged, metadata: { ...metadataOf(merged), resourceVersion: metadataOf(current).resourceVersion }, status: current.status };
  if (next.status === undefined) delete next.status;
  if (subresource !== 'status' && JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
    next.metadata = { ...metadataOf(next), generation: Number(metadataOf(current).generation ?? 1) + 1 };
  }
  if (isDryRun(request)) return ok(sortedKeys(next));
  const finalizers = (metadataOf(next).finalizers ?? []) as unknown[];
  if (metadataOf(next).deletionTimestamp !== undefined && finalizers.length === 0) {
    // Removing the last finalizer of a terminating object deletes it within this request.
    cluster.objects.remove(stored, namespace, name);
    const { finalizers: _, ...metadata } = metadataOf(next);
    return ok(sortedKeys({ ...next, metadata }));
  }
  return ok(sortedKeys(cluster.objects.update(stored, namespace, name, next, subresource)));
};

const deleteCustom = (cluster: SimulatedCluster, request: ApiRequest, resource: string): ApiResponse => {
  const { namespace, name = '', apiGroup } = request.attributes;
  const stored = `${apiGroup}/${resource}`;
  const current = cluster.objects.get(stored, namespace, name);
  if (current === undefined) return fail(notFound(apiGroup, resource, name));
  const finalizers = (metadataOf(current).finalizers ?? []) as unknown[];
  if (finalizers.length === 0) {
    cluster.objects.remove(stored, namespace, name);
    return ok(sortedKeys(current));
  }
  if (metadataOf(current).deletionTimestamp !== undefined) return ok(sortedKeys(current));
  const metadata = metadataOf(current);
  const terminating = {
    ...current,
    metadata: { ...metadata, deletionTimestamp: new Date(Math.floor(cluster.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z'), deletionGracePeriodSeconds: 0, generation: Number(metadata.generation ?? 1) + 1 },
  };
  return ok(sortedKeys(cluster.objects.update(stored, namespace, name, terminating)));
};

const getCustom = (cluster: SimulatedCluster, request: ApiRequest, resource: string): ApiResponse => {
  const { namespace, name = '', apiGroup } = request.attributes;
  const current = cluster.objects.get(`${apiGroup}/${resource}`, namespace, name);
  return current === undefined ? fail(notFound(apiGroup, resource, name)) : ok(sortedKeys(current));
};

/** events.k8s.io/v1 Event in Go's field order, with the deprecated fields the server adds. */
const renderEvent = (event: Json): Json => {
  const { metadata, eventTime, series, reportingController, reportingInstance, action, reason, regarding, note, type } = event;
  const r = (regarding ?? {}) as Json;
  return {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata,
    eventTime,
    ...(series === undefined ? {} : { series }),
    reportingController,
    reportingInstance,
    action,
    reason,
    regarding: { kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid, apiVersion: r.apiVersion, resourceVersion: r.resourceVersion },
    note,
    type,
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  };
};

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** kube 1.26 `ValidateEventCreate` for events.k8s.io/v1 (the checks LPA can trip). */
const eventProblems = (event: Json): { field: string; reason: string; message: string }[] => {
  const problems: { field: string; reason: string; message: string }[] = [];
  if (typeof event.eventTime !== 'string') return [{ field: 'eventTime', reason: 'FieldValueRequired', message: 'Required value' }];
  const controller = event.reportingController;
  if (typeof controller !== 'string' || controller === '') {
    problems.push({ field: 'reportingController', reason: 'FieldValueRequired', message: 'Required value' });
  } else if (!QUALIFIED_NAME.test(controller)) {
    problems.push({ field: 'reportingController', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(controller)}: name part must consist of alphanumeric characters, '-', '_' or '.'` });
  }
  for (const field of ['reportingInstance', 'action', 'reason'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') problems.push({ field, reason: 'FieldValueRequired', message: 'Required value' });
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    problems.push({ field: 'type', reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(event.type ?? '')}: supported values: "Normal", "Warning"` });
  }
  const count = (event.series as { count?: unknown } | undefined)?.count;
  if (event.series !== undefined && (typeof count !== 'number' || count < 2)) {
    problems.push({ field: 'series.count', reason: 'FieldValueInvalid', message: `Invalid value: ${String(count)}: should be at least 2` });
  }
  return problems;
};

const createEvent = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { namespace } = request.attributes;
  const event = parseJson(request.body) as Json | undefined;
  if (event === undefined || event === null || typeof event !== 'object') return fail(badRequest("couldn't get version/kind; json parse error"));
  const name = String(metadataOf(event).name ?? '');
  const problems = eventProblems(event);
  if (problems.length > 0) return fail(invalidFields('Event', '', name, problems));
  if (cluster.objects.get('events.k8s.io/events', namespace, name) !== undefined) return fail(alreadyExists('events.k8s.io', 'events', name));
  const { apiVersion: _a, kind: _k, ...body } = event;
  return { status: 201, body: renderEvent(cluster.objects.create('events.k8s.io/events', namespace, body)) };
};

const patchEvent = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { namespace, name = '' } = request.attributes;
  const current = cluster.objects.get('events.k8s.io/events', namespace, name);
  if (current === undefined) return fail(notFound('events.k8s.io', 'events', name));
  const patch = parseJson(request.body);
  if (patchKindOf(request.contentType) !== 'merge') return fail(unsupportedMediaType());
  const next = applyMergePatch(current, patch) as Json;
  const problems = eventProblems(next);
  if (problems.length > 0) return fail(invalidFields('Event', '', name, problems));
  return ok(renderEvent(cluster.objects.update('events.k8s.io/events', namespace, name, next)));
};

const getEvent = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { namespace, name = '' } = request.attributes;
  const current = cluster.objects.get('events.k8s.io/events', namespace, name);
  return current === undefined ? fail(notFound('events.k8s.io', 'events', name)) : ok(renderEvent(current));
};

const listHpas = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse =>
  ok({
    kind: 'HorizontalPodAutoscalerList',
    apiVersion: 'autoscaling/v2',
    metadata: { resourceVersion: cluster.revision },
    items: cluster.objects.list('autoscaling/horizontalpodautoscalers', request.attributes.namespace === '' ? undefined : request.attributes.namespace),
  });

/** The answer for a stored-object request, or undefined when the path is not one of these resources. */
const handleStoredObject = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse | undefined => {
  const { apiGroup, resource, subresource, verb, name } = request.attributes;
  if (apiGroup === 'keda.sh' && KEDA_KINDS[resource] !== undefined && (subresource === undefined || subresource === 'status')) {
    if (verb === 'list' && name === undefined) return listCustom(cluster, request, resource);
    if (verb === 'get') return getCustom(cluster, request, resource);
    if (verb === 'patch') return patchCustom(cluster, request, resource);
    if (verb === 'delete' && subresource === undefined) return deleteCustom(cluster, request, resource);
    return fail(methodNotAllowed());
  }
  if (apiGroup === 'events.k8s.io' && resource === 'events' && subresource === undefined) {
    if (verb === 'create') return createEvent(cluster, request);
    if (verb === 'patch') return patchEvent(cluster, request);
    if (verb === 'get') return getEvent(cluster, request);
    return fail(methodNotAllowed());
  }
  if (apiGroup === 'autoscaling' && resource === 'horizontalpodautoscalers' && verb === 'list') return listHpas(cluster, request);
  return undefined;
};

export { decodeContinue, encodeContinue, handleStoredObject, sortedKeys };
