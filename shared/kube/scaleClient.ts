/**
 * The `ScaleClient` port over the transport (DESIGN.md §4): the `/scale` subresource of any target
 * kind (resolved through discovery: Deployment, StatefulSet, any custom resource with `/scale`) and a
 * ready-pod count for Value targets.
 */
import { LpaError } from '../errors.js';
import { createDiscovery, type Discovery, type ScaleResource } from './discovery.js';
import { podListSchema, scaleSchema, type RequestContext } from './responses.js';
import { proxyCall, proxiedResponse } from './serviceProxy.js';
import { createKubeTransport, type Call, type KubeTransport, type TransportOptions } from './transport.js';
import type { Scale, ScaleClient, ScaleTargetRef } from './types.js';

/** Pods per list page: bounds memory on large Deployments. */
const PODS_PAGE_SIZE = 500;
const MAX_REPLICAS = 2 ** 31 - 1; // int32 in the API

/** `/apis/apps/v1/namespaces/demo/statefulsets/web/scale` (`/api/v1/…` for the core group). */
const scalePath = (namespace: string, resource: ScaleResource, name: string): string => {
  const prefix = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.resource}/${encodeURIComponent(name)}/scale`;
};

/** `statefulset demo/web`, as error messages name a target. */
const describeTarget = (namespace: string, ref: ScaleTargetRef): string => `${ref.kind.toLowerCase()} ${namespace}/${ref.name}`;

const isReady = (pod: { status?: { phase?: string; conditions?: readonly { type: string; status: string }[] | null } }): boolean =>
  pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const createScaleClient = (transport: KubeTransport, discovery: Discovery, now: () => number = Date.now): ScaleClient => {
  const scaleCall = async (namespace: string, ref: ScaleTargetRef, verb: 'get' | 'patch', signal: AbortSignal | undefined): Promise<{ call: Call; resource: ScaleResource }> => {
    const resource = await discovery.resolveScalable(ref, { signal });
    const call: Call = {
      signal,
      method: verb === 'get' ? 'GET' : 'PATCH',
      path: scalePath(namespace, resource, ref.name),
      target: describeTarget(namespace, ref),
      rule: { verb, resource: `${resource.resource}/scale`, apiGroup: resource.group, namespace },
    };
    return { call, resource };
  };

  const readScale = async (call: Call, resource: ScaleResource): Promise<Scale> => {
    const scale = await transport.read(call, scaleSchema);
    return { specReplicas: scale.spec.replicas, statusReplicas: scale.status.replicas, selector: scale.status.selector, resource };
  };

  return {
    getScale: async (namespace, ref, callOptions) => {
      const { call, resource } = await scaleCall(namespace, ref, 'get', callOptions?.signal);
      return readScale(call, resource);
    },

    patchScale: async (namespace, ref, replicas, patchOptions) => {
      if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
        throw new LpaError(`replicas for ${describeTarget(namespace, ref)} must be a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`);
      }
      const { call, resource } = await scaleCall(namespace, ref, 'patch', patchOptions?.signal);
      // Only replicas: GitOps tools see no drift beyond it.
      const body = JSON.stringify({ spec: { replicas } });
      return readScale({ ...call, path: `${call.path}${patchOptions?.dryRun === true ? '?dryRun=All' : ''}`, body }, resource);
    },

    countReadyPods: async (namespace, selector, callOptions) => {
      if (selector.trim() === '') {
        throw new LpaError(`label selector for pods in namespace "${namespace}" is empty: it would count every pod in the namespace`);
      }
      const context: RequestContext = {
        target: `pods matching "${selector}" in namespace ${namespace}`,
        rule: { verb: 'list', resource: 'pods', apiGroup: '', namespace },
      };
      let ready = 0;
      let continueToken: string | undefined;
      do {
        const query = new URLSearchParams({ labelSelector: selector, limit: String(PODS_PAGE_SIZE) });
        if (continueToken !== undefined) query.set('continue', continueToken);
        const list = await transport.read({ ...context, signal: callOptions?.signal, method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${query}` }, podListSchema);
        ready += (list.items ?? []).filter(isReady).length;
        continueToken = list.metadata?.continue === '' ? undefined : list.metadata?.continue;
      } while (continueToken !== undefined);
      return ready;
    },

    // Not retried: the Service's own errors are its answer, and the next evaluation asks again.
    proxyGet: async (proxied) => {
      const call: Call = { method: 'GET', ...proxyCall(proxied), signal: proxied.signal };
      return proxiedResponse(await transport.sendOnce(call), call, now());
    },
  };
};

/** A scale client with its own transport and discovery cache (the connector, `lpa doctor`, tests). */
const connectScaleClient = (options: TransportOptions): ScaleClient => {
  const transport = createKubeTransport(options);
  return createScaleClient(transport, createDiscovery(transport, options.now), options.now);
};

export { connectScaleClient, createScaleClient, scalePath };
