/**
 * Pods and `metrics.k8s.io/v1beta1` PodMetrics of a label selector: the two list calls behind a
 * cpu/memory trigger (as the HPA's pod lister and resource metrics client make them), paginated,
 * each item validated against the fields the Resource algorithm reads. A cluster without
 * metrics-server answers the PodMetrics list with 404 (no APIService) or 503 (APIService
 * unavailable): both become an error that says so and how to install it.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { podMetricsSchema, podSchema, type PodMetricsObject, type PodObject, type PodSet } from '../engine/podObjects.js';
import { LpaError } from '../errors.js';
import { KubeApiError } from './errors.js';
import { parseBody, type RequestContext } from './responses.js';

/** Items per list page: bounds memory on large Deployments. */
const PAGE_SIZE = 500;

/** One GET through the client's transport (token, TLS, retries, error mapping), bounded by `signal`. */
type Get = (path: string, context: RequestContext, signal?: AbortSignal) => Promise<{ readonly status: number; readonly text: string }>;

/** A list response: its items, and `metadata.continue` while pages remain. */
type ListSchema<T> = z.ZodType<{ readonly items: readonly T[] | null; readonly metadata?: { readonly continue?: string } | undefined }>;

const listSchema = <T extends z.ZodType>(kind: string, item: T) =>
  z.object({
    kind: z.literal(kind),
    metadata: z.object({ continue: z.string().optional() }).optional(),
    items: z.array(item).nullable(),
  });

const podListSchema = builtOnce(() => listSchema('PodList', podSchema()));
const podMetricsListSchema = builtOnce(() => listSchema('PodMetricsList', podMetricsSchema()));

/** Every page of a list: `limit` and `continue`, as kubectl does. */
const listAll = async <T>(get: Get, collection: string, selector: string, schema: ListSchema<T>, context: RequestContext, signal?: AbortSignal): Promise<T[]> => {
  if (selector.trim() === '') {
    throw new LpaError(`label selector for ${context.target} is empty: it would read every pod in the namespace`);
  }
  const items: T[] = [];
  let continueToken: string | undefined;
  do {
    const query = new URLSearchParams({ labelSelector: selector, limit: String(PAGE_SIZE) });
    if (continueToken !== undefined) query.set('continue', continueToken);
    const { status, text } = await get(`${collection}?${query}`, context, signal);
    const list = parseBody(schema, text, status, context);
    items.push(...(list.items ?? []));
    continueToken = list.metadata?.continue === '' ? undefined : list.metadata?.continue;
  } while (continueToken !== undefined);
  return items;
};

const namespacePath = (namespace: string): string => `namespaces/${encodeURIComponent(namespace)}`;

const podsContext = (namespace: string, selector: string): RequestContext => ({
  target: `pods matching "${selector}" in namespace ${namespace}`,
  rule: { verb: 'list', resource: 'pods', apiGroup: '', namespace },
});
const podsPath = (namespace: string): string => `/api/v1/${namespacePath(namespace)}/pods`;

const listPods = (get: Get, namespace: string, selector: string, signal?: AbortSignal): Promise<PodObject[]> =>
  listAll(get, podsPath(namespace), selector, podListSchema(), podsContext(namespace, selector), signal);

/** What to do when metrics.k8s.io does not answer: EKS does not install metrics-server by default. */
const METRICS_SERVER_HELP =
  'the HPA reads cpu and memory from metrics-server, which EKS does not install by default. Install it as the EKS add-on ' +
  '(aws eks create-addon --cluster-name <cluster> --addon-name metrics-server), or with its manifest ' +
  '(kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml)';

class MetricsServerMissingError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricsServerMissingError';
  }
}

const listPodMetrics = async (get: Get, namespace: string, selector: string, signal?: AbortSignal): Promise<PodMetricsObject[]> => {
  try {
    return await listAll(get, `/apis/metrics.k8s.io/v1beta1/${namespacePath(namespace)}/pods`, selector, podMetricsListSchema(), {
      target: `PodMetrics matching "${selector}" in namespace ${namespace}`,
      rule: { verb: 'list', resource: 'pods', apiGroup: 'metrics.k8s.io', namespace },
    }, signal);
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      throw new MetricsServerMissingError(`the metrics.k8s.io API is not served by this cluster (404): metrics-server is not installed; ${METRICS_SERVER_HELP}`, { cause: error });
    }
    if (error instanceof KubeApiError && error.status === 503) {
      throw new MetricsServerMissingError(`the metrics.k8s.io API is unavailable (503): metrics-server is registered but not answering; check its pods (kubectl -n kube-system get pods -l k8s-app=metrics-server); ${METRICS_SERVER_HELP}`, { cause: error });
    }
    throw error;
  }
};

/** Both lists at once: the pods of `selector` and their PodMetrics. */
const readPodSet = async (get: Get, namespace: string, selector: string, signal?: AbortSignal): Promise<PodSet> => {
  const [pods, podMetrics] = await Promise.all([listPods(get, namespace, selector, signal), listPodMetrics(get, namespace, selector, signal)]);
  return { pods, podMetrics };
};

export { MetricsServerMissingError, listAll, podsContext, podsPath, readPodSet };
export type { Get };
