/**
 * keda.sh/v1alpha1 ScaledObjects in the cluster (DESIGN.md §1, §4): paged lists (`limit`/`continue`),
 * the `status` subresource written with merge-patch under a `resourceVersion` precondition (a 409 is
 * answered by reading the object again and building the status again, never by resending), and
 * LPA's finalizer. Items are returned as the API sent them: validating them is the spec's job.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import type { KedaStatus } from '../status/kedaStatus.js';
import { KubeConflictError } from './errors.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions } from './types.js';

const GROUP_VERSION = 'keda.sh/v1alpha1';
/** Objects per list page: 500 objects of ~2 KB stay well under a Lambda's memory and the API server's defaults. */
const PAGE_SIZE = 500;
/** A status write that keeps losing to other writers stops after this many fresh reads. */
const STATUS_ATTEMPTS = 3;

const objectMetaSchema = () => z.object({
  name: z.string(),
  namespace: z.string(),
  uid: z.string(),
  resourceVersion: z.string(),
  generation: z.number().optional(),
  deletionTimestamp: z.string().optional(),
  finalizers: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  creationTimestamp: z.string().optional(),
});

/** One ScaledObject as listed: metadata read, spec and status kept as sent (validated later, with `lpa validate`'s rules). */
const clusterObjectSchema = builtOnce(() =>
  z.object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: objectMetaSchema(),
    spec: z.unknown(),
    status: z.record(z.string(), z.unknown()).optional(),
  }),
);

const listSchema = builtOnce(() =>
  z.object({
    kind: z.literal('ScaledObjectList'),
    items: z.array(clusterObjectSchema()),
    metadata: z.object({ continue: z.string().optional() }),
  }),
);

type ClusterScaledObject = z.output<ReturnType<typeof clusterObjectSchema>>;

interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

interface ListOptions extends CallOptions {
  /** Namespaces to list; all (cluster-wide) when absent or empty. */
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  readonly pageSize?: number;
}

/** Builds the status from the object as it is now; `undefined` when nothing needs writing. */
type StatusBuilder = (current: ClusterScaledObject) => KedaStatus | undefined;

/** Every call takes the caller's signal (the tick's budget): aborting it ends the call and its retries. */
interface ScaledObjectApi {
  list(options?: ListOptions): Promise<ClusterScaledObject[]>;
  get(ref: ObjectRef, options?: CallOptions): Promise<ClusterScaledObject>;
  /** Writes the status `build` returns for `current`; on a conflict reads again and builds again. */
  writeStatus(current: ClusterScaledObject, build: StatusBuilder, options?: CallOptions): Promise<'written' | 'unchanged'>;
  /** Merge-patches `metadata.finalizers` (the whole list: a merge patch replaces lists). */
  setFinalizers(current: ClusterScaledObject, finalizers: readonly string[], options?: CallOptions): Promise<ClusterScaledObject>;
}

const collectionPath = (namespace: string | undefined): string =>
  namespace === undefined ? `/apis/${GROUP_VERSION}/scaledobjects` : `/apis/${GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/scaledobjects`;

const objectPath = ({ namespace, name }: ObjectRef): string => `${collectionPath(namespace)}/${encodeURIComponent(name)}`;

const rule = (verb: string, namespace: string, subresource = '') => ({
  verb,
  resource: `scaledobjects${subresource}`,
  apiGroup: 'keda.sh',
  namespace: namespace === '' ? '(cluster scope)' : namespace,
});

/** A merge patch that sets `next` and removes what `previous` had and `next` has not (null deletes). */
const statusPatch = (previous: Record<string, unknown> | undefined, next: KedaStatus): Record<string, unknown> => {
  const patch: Record<string, unknown> = { ...next };
  for (const key of Object.keys(previous ?? {})) if (!(key in next)) patch[key] = null;
  const health = previous?.health as Record<string, unknown> | undefined;
  if (health !== undefined && next.health !== undefined) {
    patch.health = { ...Object.fromEntries(Object.keys(health).map((k) => [k, null])), ...next.health };
  }
  return patch;
};

const createScaledObjectApi = (transport: KubeTransport): ScaledObjectApi => {
  const get: ScaledObjectApi['get'] = (ref, options) =>
    transport.read({ signal: options?.signal, method: 'GET', path: objectPath(ref), target: `scaledobject ${ref.namespace}/${ref.name}`, rule: rule('get', ref.namespace) }, clusterObjectSchema());

  const listOne = async (namespace: string | undefined, options: ListOptions): Promise<ClusterScaledObject[]> => {
    const items: ClusterScaledObject[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(options.pageSize ?? PAGE_SIZE) });
      if (options.labelSelector !== undefined && options.labelSelector !== '') query.set('labelSelector', options.labelSelector);
      if (continueToken !== undefined) query.set('continue', continueToken);
      const page = await transport.read(
        {
          signal: options.signal,
          method: 'GET',
          path: `${collectionPath(namespace)}?${query}`,
          target: namespace === undefined ? 'scaledobjects in all namespaces' : `scaledobjects in namespace ${namespace}`,
          rule: rule('list', namespace ?? ''),
        },
        listSchema(),
      );
      items.push(...page.items);
      continueToken = page.metadata.continue === '' ? undefined : page.metadata.continue;
    } while (continueToken !== undefined);
    return items;
  };

  return {
    list: async (options = {}) => {
      const namespaces = options.namespaces === undefined || options.namespaces.length === 0 ? [undefined] : [...new Set(options.namespaces)].sort();
      return (await Promise.all(namespaces.map((ns) => listOne(ns, options)))).flat();
    },
    get,
    writeStatus: async (current, build, options) => {
      let object = current;
      for (let attempt = 1; ; attempt++) {
        const next = build(object);
        if (next === undefined) return 'unchanged';
        const ref = { namespace: object.metadata.namespace, name: object.metadata.name };
        try {
          await transport.send({
            signal: options?.signal,
            method: 'PATCH',
            path: `${objectPath(ref)}/status`,
            body: JSON.stringify({ metadata: { resourceVersion: object.metadata.resourceVersion }, status: statusPatch(object.status, next) }),
            conditional: true,
            target: `scaledobject ${ref.namespace}/${ref.name}`,
            rule: rule('patch', ref.namespace, '/status'),
          });
          return 'written';
        } catch (error) {
          if (!(error instanceof KubeConflictError) || attempt >= STATUS_ATTEMPTS) throw error;
          object = await get(ref, options);
        }
      }
    },
    setFinalizers: (current, finalizers, options) => {
      const ref = { namespace: current.metadata.namespace, name: current.metadata.name };
      return transport.read(
        {
          signal: options?.signal,
          method: 'PATCH',
          path: objectPath(ref),
          body: JSON.stringify({ metadata: { resourceVersion: current.metadata.resourceVersion, finalizers: finalizers.length === 0 ? null : finalizers } }),
          conditional: true,
          target: `scaledobject ${ref.namespace}/${ref.name}`,
          rule: rule('patch', ref.namespace),
        },
        clusterObjectSchema(),
      );
    },
  };
};

export { clusterObjectSchema, createScaledObjectApi, statusPatch };
export type { ClusterScaledObject, ListOptions, ObjectRef, ScaledObjectApi, StatusBuilder };
