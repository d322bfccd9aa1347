import type { SimulatedCluster } from './cluster.js';
import { renderPodMetrics, renderPodMetricsList } from './metrics.js';
import { renderDeployment, renderPod, renderPodList, renderScale } from './objects.js';
import { PatchError, applyJsonPatch, applyMergePatch, decodeScale, mediaType, patchKindOf } from './patch.js';
import type { DecodedScale } from './patch.js';
import {
  badRequest,
  conflict,
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
  readonly attributes: ResourceAttributes;
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

/** Cluster-scoped resources this stand-in serves (`/apis/{group}/{version}/{resource}/{name}`). */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['keda.sh/clustertriggerauthentications']);

/**
 * `/api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]`, `/apis/{group}/v1…/...` and the
 * cluster-scoped `/apis/{group}/{version}/{resource}/{name}`; undefined for anything else.
 */
const resourceAttributesOf = (method: string, pathname: string): ResourceAttributes | undefined => {
  const segments = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [prefix, ...rest] = segments;
  const groupPart = prefix === 'api' ? ['', ...rest] : prefix === 'apis' ? rest : undefined;
  const verbs = VERBS[method];
  const [group = '', groupVersion, clusterResource, clusterName, ...clusterExtra] = groupPart ?? [];
  if (CLUSTER_SCOPED.has(`${group}/${clusterResource}`) && verbs !== undefined && clusterExtra.length === 0 && /^v1/.test(groupVersion ?? '')) {
    return { verb: clusterName === undefined ? verbs[0] : verbs[1], namespace: '', apiGroup: group, resource: clusterResource ?? '', ...(clusterName === undefined ? {} : { name: clusterName }) };
  }
  const [apiGroup, version, namespaces, namespace, resource, name, subresource, ...extra] = groupPart ?? [];
  if (!/^v\d+(?:(?:alpha|beta)\d+)?$/.test(version ?? '') || namespaces !== 'namespaces' || resource === undefined || verbs === undefined || extra.length > 0) {
    return undefined;
  }
  return {
    verb: name === undefined ? verbs[0] : verbs[1],
    namespace: namespace ?? '',
    apiGroup: apiGroup ?? '',
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
  const { namespace, name = '' } = request.attributes;
  const record = cluster.find(namespace, name);
  if (record === undefined) return fail(notFound('apps', 'deployments', name));
  if (decoded.name !== name) {
    return fail(badRequest(`the name of the object (${decoded.name ?? ''}) does not match the name on the URL (${name})`));
  }
  if (decoded.resourceVersion !== undefined && decoded.resourceVersion !== String(record.resourceVersion)) {
    return fail(conflict('apps', 'deployments', name));
  }
  if (decoded.replicas < 0) {
    const detail = `Invalid value: ${decoded.replicas}: must be greater than or equal to 0`;
    return fail(invalidField('Scale', 'autoscaling', name, 'spec.replicas', detail));
  }
  if (dryRun) return ok(renderScale(record, decoded.replicas));
  cluster.writeScale(namespace, name, decoded.replicas, request.username);
  return ok(renderScale(record));
};

const patchScale = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const kind = patchKindOf(request.contentType);
  if (kind === undefined) return fail(unsupportedMediaType());
  const dryRun = dryRunOf(request.query);
  if (typeof dryRun !== 'boolean') return fail(dryRun);
  const patch = parseJson(request.body);
  if (!patch.ok) return fail(badRequest(`error decoding patch: ${patch.message}`));
  const { namespace, name = '' } = request.attributes;
  const record = cluster.find(namespace, name);
  if (record === undefined) return fail(notFound('apps', 'deployments', name));
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

/** Equality-based selectors (`k=v`, `k==v`, `k!=v`, `k`, `!k`), the form `status.selector` uses. */
const parseSelector = (text: string): ((labels: Readonly<Record<string, string>>) => boolean) | undefined => {
  const tests = text
    .split(',')
    .filter((term) => term.trim() !== '')
    .map((term) => {
      const m = /^\s*(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?:(==|=|!=)\s*([-A-Za-z0-9_.]*))?\s*$/.exec(term);
      if (m === null) return undefined;
      const [, not, key = '', op, value] = m;
      if (op === undefined) return (labels: Readonly<Record<string, string>>) => (key in labels) !== (not === '!');
      if (not === '!') return undefined;
      return (labels: Readonly<Record<string, string>>) => (labels[key] === value) === (op !== '!=');
    });
  if (tests.some((t) => t === undefined)) return undefined;
  return (labels) => tests.every((t) => t?.(labels));
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

const getScale = (cluster: SimulatedCluster, { attributes: { namespace, name = '' } }: ApiRequest): ApiResponse => {
  const record = cluster.find(namespace, name);
  return record === undefined ? fail(notFound('apps', 'deployments/scale', name)) : ok(renderScale(record));
};

const getDeployment = (cluster: SimulatedCluster, { attributes: { namespace, name = '' } }: ApiRequest): ApiResponse => {
  const record = cluster.find(namespace, name);
  return record === undefined ? fail(notFound('apps', 'deployments', name)) : ok(renderDeployment(record, cluster.now()));
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
  'apps/deployments': { get: getDeployment },
  '/pods': { list: listPods },
  '/secrets': { get: getObject },
  'keda.sh/triggerauthentications': { get: getObject },
  'keda.sh/clustertriggerauthentications': { get: getObject },
  'metrics.k8s.io/pods': { list: listPodMetrics },
};

/** Runs an authorized resource request. */
const handleResource = (cluster: SimulatedCluster, request: ApiRequest): ApiResponse => {
  const { apiGroup, resource, subresource, verb } = request.attributes;
  const routes = ROUTES[[apiGroup, resource, ...(subresource === undefined ? [] : [subresource])].join('/')];
  if (routes === undefined) return fail(noSuchResource());
  const handler = routes[verb];
  return handler === undefined ? fail(methodNotAllowed()) : handler(cluster, request);
};

export { handleResource, resourceAttributesOf };
export type { ApiRequest, ApiResponse };
