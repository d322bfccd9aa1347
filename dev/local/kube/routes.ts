import type { SimulatedCluster } from './cluster.js';
import { decodeContinue, encodeContinue, handleStoredObject } from './objectRoutes.js';
import { parseSelector } from './selector.js';
import { renderPodMetrics, renderPodMetricsList } from './metrics.js';
import { renderDeployment, renderPod, renderPodList, renderScale } from './objects.js';
import { PatchError, applyJsonPatch, applyMergePatch, decodeScale, mediaType, patchKindOf } from './patch.js';
import type { DecodedScale } from './patch.js';
import {
  badRequest,
  conflict,
  internalError,
  invalidField,
  methodNotAllowed,
  noSuchResource,
  notFound,
  rejectedPatch,
  undecodablePatch,
  unsupportedMediaType,
} from './status.js';
import type { KubeStatus, ResourceAttributes } from './status.js';

/**
 * Resource requests: the path → RBAC attributes mapping kube's RequestInfoResolver does, and the
 * resources LPA touches (deployments/scale, deployments, pods, metrics.k8s.io pods). Everything else
 * is 404 or 405.
 */

interface ApiRequest {
  readonly attributes: ResourceAttributes & { readonly version?: string };
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly username: string;
}

interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  /** Sent as the `Retry-After` header. */
  readonly retryAfterSeconds?: number;
}

const VERBS: Readonly<Record<string, readonly [collection: string, item: string]>> = {
  GET: ['list', 'get'],
  POST: ['create', 'create'],
  PUT: ['update', 'update'],
  PATCH: ['patch', 'patch'],
  DELETE: ['deletecollection', 'delete'],
};

/** Cluster-scoped resources this stand-in serves by name (`/apis/{group}/{version}/{resource}/{name}`). */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['keda.sh/clustertriggerauthentications']);

/**
 * `/api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]`, `/apis/{group}/{version}/…` (versions like
 * v1, v1alpha1, v1beta1), the cluster-scoped `/apis/{group}/{version}/{resource}` (a list across
 * namespaces) and `/apis/{group}/{version}/{resource}/{name}` of a cluster-scoped resource; undefined
 * for anything else.
 */
const resourceAttributesOf = (method: string, pathname: string): (ResourceAttributes & { readonly version: string }) | undefined => {
  const segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [prefix, ...rest] = segments;
  const groupPart = prefix === 'api' ? ['', ...rest] : prefix === 'apis' ? rest : undefined;
  const [apiGroup = '', version, ...path] = groupPart ?? [];
  const verbs = VERBS[method];
  if (version === undefined || !/^v\d+(?:(?:alpha|beta)\d+)?$/.test(version) || verbs === undefined) return undefined;
  const namespaced = path[0] === 'namespaces' && path.length >= 3;
  const [resource, name, subresource, ...extra] = namespaced ? path.slice(2) : path;
  const clusterScoped = CLUSTER_SCOPED.has(`${apiGroup}/${resource}`);
  if (resource === undefined || extra.length > 0 || (!namespaced && name !== undefined && !clusterScoped)) return undefined;
  return {
    verb: name === undefined ? verbs[0] : verbs[1],
    namespace: namespaced ? (path[1] ?? '') : '',
    apiGroup,
    version,
    resource,
    ...(name === undefined ? {} : { name }),
    ...(subresource === undefined ? {} : { subresource }),
  };
};

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const fail = (status: KubeStatus): ApiResponse => ({ status: status.code, body: status });

/** Go's message for a truncated document; anything else is reported as an invalid character. */
const parseJson = (text: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const truncated = text.trim() === '' || /end of JSON input/i.test(String(error));
    return { ok: false, message: truncated ? 'unexpected end of JSON input' : `invalid character in JSON: ${(error as Error).message}` };
  }
};

/** `?dryRun=All` is the only value kube accepts. */
const dryRunOf = (query: URLSearchParams): boolean | KubeStatus => {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.length === 1 && values[0] === 'All') return true;
  return badRequest(`dryRun: Unsupported value: ${JSON.stringify(values.join(','))}: supported values: "All"`);
};

/** Name, optimistic-concurrency precondition, then validation: the order kube's update path checks them. */
const commitScale = (
  cluster: SimulatedCluster,
  request: ApiRequest,
  decoded: Extract<DecodedScale, { ok: true }>,
  dryRun: boolean,
): ApiResponse => {
  const { namespace, name = '', apiGroup, resource } = request.attributes;
  const record = cluster.find(namespace, name, { group: apiGroup, resource });
  if (record === undefined) return fail(notFound(apiGroup, resource, name));
  if (decoded.name !== name) {
    return fail(badRequest(`the name of the object (${decoded.name ?? ''}) does not match the name on the URL (${name})`));
  }
  if (decoded.resourceVersion !== undefined && decoded.resourceVersion !== String(record.resourceVersion)) {
    return fail(conflict(apiGroup, resource, name));
  }
  if (decoded.replicas < 0) {
    const detail = `Invalid value: ${decoded.replicas}: must be greater than or equal to 0`;
    return fail(invalidField('Scale', 'autoscaling', name, 'spec.replicas', detail));
  }
  if (dryRun) return ok(renderScale(record, decoded.replicas));
  cluster.writeScale(namespace, name, decoded.replicas, request.username, { group: apiGroup, resource });
  return ok(renderScale(record));
};

const patchScale = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const kind = patchKindOf(request.contentType);
  if (kind === undefined) return fail(unsupportedMediaType());
  const dryRun = dryRunOf(request.query);
  if (typeof dryRun !== 'boolean') return fail(dryRun);
  const patch = parseJson(request.body);
  if (!patch.ok) return fail(badRequest(`error decoding patch: ${patch.message}`));
  const found = scaledRecord(cluster, request, request.attributes.resource);
  if ('status' in found) return found;
  const record = found.record;
  let patched: unknown;
  try {
    patched = kind === 'merge' ? applyMergePatch(renderScale(record), patch.value) : applyJsonPatch(renderScale(record), patch.value);
  } catch (error) {
    if (!(error instanceof PatchError)) throw error;
    return fail(error.decodes ? rejectedPatch(error.message) : badRequest(error.message));
  }
  const decoded = decodeScale(patched);
  if (!decoded.ok) return fail(undecodablePatch(JSON.stringify(patched), decoded.goError));
  return commitScale(cluster, request, decoded, dryRun);
};

const putScale = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  if (mediaType(request.contentType) !== 'application/json') return fail(unsupportedMediaType());
  const dryRun = dryRunOf(request.query);
  if (typeof dryRun !== 'boolean') return fail(dryRun);
  const body = parseJson(request.body);
  if (!body.ok) return fail(badRequest(`couldn't get version/kind; json parse error: ${body.message}`));
  const decoded = decodeScale(body.value);
  if (!decoded.ok) return fail(badRequest(`Scale in version "v1" cannot be handled as a Scale: ${decoded.goError}`));
  return commitScale(cluster, request, decoded, dryRun);
};

/** The pods of a namespace that match the request's label selector (terminating ones included). */
const selectedPods = (cluster: SimulatedCluster, request: ApiRequest) => {
  const selector = parseSelector(request.query.get('labelSelector') ?? '');
  if (selector === undefined) return fail(badRequest(`unable to parse requirement: ${request.query.get('labelSelector')}`));
  return cluster
    .inNamespace(request.attributes.namespace)
    .filter((record) => selector({ ...record.labels, 'pod-template-hash': record.templateHash }))
    .flatMap((record) => cluster.listedPods(record).map((pod) => ({ record, pod })));
};

const listPods = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const pods = selectedPods(cluster, request);
  if (!Array.isArray(pods)) return pods;
  const now = cluster.now();
  return ok(renderPodList(pods.map(({ record, pod }) => renderPod(record, pod, now)), cluster.revision));
};

/** metrics-server's PodMetrics; without metrics-server the group does not exist (404). */
const listPodMetrics = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  if (!cluster.metricsServer) return fail(noSuchResource());
  const pods = selectedPods(cluster, request);
  if (!Array.isArray(pods)) return pods;
  const now = cluster.now();
  return ok(renderPodMetricsList(pods.flatMap(({ record, pod }) => {
    const item = renderPodMetrics(record, pod, now);
    return item === undefined ? [] : [item];
  })));
};

/**
 * The record behind a `/scale` request, or the answer kube gives: 404 naming `notFoundKind` (GET says
 * `deployments/scale`, writes say `deployments`), 500 when a custom resource has no `.spec.replicas`.
 */
const scaledRecord = (
  cluster: SimulatedCluster,
  { attributes: { namespace, name = '', apiGroup, resource } }: ApiRequest,
  notFoundKind: string,
): { record: ReturnType<SimulatedCluster['find']> & object } | ApiResponse => {
  const record = cluster.find(namespace, name, { group: apiGroup, resource });
  if (record === undefined) return fail(notFound(apiGroup, notFoundKind, name));
  if (record.withoutSpecReplicas) return fail(internalError('the spec replicas field ".spec.replicas" does not exist'));
  return { record };
};

const getScale = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const found = scaledRecord(cluster, request, `${request.attributes.resource}/scale`);
  return 'status' in found ? found : ok(renderScale(found.record));
};

const getDeployment = (cluster: SimulatedCluster, { attributes: { namespace, name = '' } }: ApiRequest): ApiResponse => {
  const record = cluster.find(namespace, name);
  return record === undefined ? fail(notFound('apps', 'deployments', name)) : ok(renderDeployment(record, cluster.now()));
};

/**
 * LIST of a namespace's Deployments or StatefulSets by name, with `limit` and `continue`; items without
 * kind and apiVersion, as a list sends them.
 */
const listWorkloads = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { namespace, apiGroup, resource } = request.attributes;
  const continueText = request.query.get('continue');
  const token = continueText === null ? undefined : decodeContinue(continueText);
  if (continueText !== null && token === undefined) return fail(badRequest('invalid continue token'));
  const all = cluster
    .inNamespace(namespace)
    .filter((record) => record.type.group === apiGroup && record.type.resource === resource && (token === undefined || `${record.name}\u0000` > token.start))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const limit = Number(request.query.get('limit') ?? '0');
  const page = limit > 0 ? all.slice(0, limit) : all;
  const last = page.at(-1);
  const revision = token?.rv ?? Number(cluster.revision);
  const now = cluster.now();
  const kind = all[0]?.type.kind ?? (resource === 'statefulsets' ? 'StatefulSet' : 'Deployment');
  return ok({
    kind: `${kind}List`,
    apiVersion: `${apiGroup}/${request.attributes.version ?? 'v1'}`,
    metadata: {
      resourceVersion: String(revision),
      ...(page.length < all.length && last !== undefined ? { continue: encodeContinue({ rv: revision, start: `${last.name}\u0000` }), remainingItemCount: all.length - page.length } : {}),
    },
    items: page.map((record) => {
      const { kind: _kind, apiVersion: _apiVersion, ...item } = renderDeployment(record, now);
      return item;
    }),
  });
};

/** GET by name of a stored object (Secrets, TriggerAuthentications): 404 in kube's wording when absent. */
const getObject = (cluster: SimulatedCluster, { attributes: { apiGroup, resource, namespace, name = '' } }: ApiRequest): ApiResponse => {
  const object = cluster.object(apiGroup, resource, namespace, name);
  return object === undefined ? fail(notFound(apiGroup, resource, name)) : ok(object);
};

type Handler = (cluster: SimulatedCluster, request: ApiRequest) => ApiResponse;

/** Keyed by `group/resource[/subresource]`, then by verb. */
const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  'apps/deployments/scale': { get: getScale, patch: patchScale, update: putScale },
  'apps/deployments': { get: getDeployment, list: listWorkloads },
  'apps/statefulsets': { list: listWorkloads },
  '/pods': { list: listPods },
  '/secrets': { get: getObject },
  'keda.sh/triggerauthentications': { get: getObject },
  'keda.sh/clustertriggerauthentications': { get: getObject },
  'metrics.k8s.io/pods': { list: listPodMetrics },
};

/** Every kind with `/scale` (StatefulSets, custom resources whose CRD declares it) shares the Deployment's scale handlers. */
const SCALE_ROUTES = ROUTES['apps/deployments/scale'] as Readonly<Record<string, Handler>>;

/** Runs an authorized resource request. */
const handleResource = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { apiGroup, resource, subresource, verb } = request.attributes;
  const workload = cluster.workloadKind(apiGroup, resource);
  if (subresource === 'scale' && workload?.scale === true && request.attributes.namespace !== '') {
    const handler = SCALE_ROUTES[verb];
    return handler === undefined ? fail(methodNotAllowed()) : handler(cluster, request);
  }
  // Objects put by name (a TriggerAuthentication with putObject) answer a GET before the JSON object store.
  const named = verb === 'get' && request.attributes.name !== undefined && subresource === undefined ? cluster.object(apiGroup, resource, request.attributes.namespace, request.attributes.name) : undefined;
  if (named !== undefined) return ok(named);
  const stored = handleStoredObject(cluster, request);
  if (stored !== undefined) return stored;
  const routes = ROUTES[[apiGroup, resource, ...(subresource === undefined ? [] : [subresource])].join('/')];
  if (routes === undefined) return fail(noSuchResource());
  const handler = routes[verb];
  return handler === undefined ? fail(methodNotAllowed()) : handler(cluster, request);
};

export { handleResource, resourceAttributesOf };
export type { ApiRequest, ApiResponse };
