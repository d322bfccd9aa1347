/**
 * The `ScaleClient` port over the transport (DESIGN.md §4): the `/scale` subresource of any target
 * kind (resolved through discovery: Deployment, StatefulSet, any custom resource with `/scale`), pods
 * and their metrics, Secrets and (Cluster)TriggerAuthentications by name, and the Service proxy.
 */
import { LpaError } from '../errors.js';
import { createDiscovery, type Discovery, type ScaleResource } from './discovery.js';
import { KubeNotFoundError } from './errors.js';
import { listAll, podsContext, podsPath, readPodSet, type Get } from './pods.js';
import { objectSchema, podListSchema, scaleSchema, secretSchema } from './responses.js';
import { proxyCall, proxiedResponse } from './serviceProxy.js';
import { createKubeTransport, type Call, type KubeTransport, type TransportOptions } from './transport.js';
import type { Scale, ScaleClient, ScaleTargetRef } from './types.js';

const MAX_REPLICAS = 2 ** 31 - 1; // int32 in the API

/** `/apis/apps/v1/namespaces/demo/statefulsets/web/scale` (`/api/v1/…` for the core group). */
const scalePath = (namespace: string, resource: ScaleResource, name: string): string => {
  const prefix = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.resource}/${encodeURIComponent(name)}/scale`;
};

/** `statefulset demo/web`, as error messages name a target. */
const describeTarget = (namespace: string, ref: ScaleTargetRef): string => `${ref.kind.toLowerCase()} ${namespace}/${ref.name}`;

const KEDA_API = '/apis/keda.sh/v1alpha1';
const AUTHENTICATION_RESOURCES = { TriggerAuthentication: 'triggerauthentications', ClusterTriggerAuthentication: 'clustertriggerauthentications' } as const;

/** base64 → UTF-8, per key; the values are secrets and go nowhere but back to the caller. */
const decodeSecretData = (data: Readonly<Record<string, string>> | null | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

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

  const get: Get = (path, context, signal) => transport.send({ ...context, signal, method: 'GET', path });

  const readScale = async (call: Call, resource: ScaleResource): Promise<Scale> => {
    const scale = await transport.read(call, scaleSchema());
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

    countReadyPods: async (namespace, selector, callOptions) =>
      (await listAll(get, podsPath(namespace), selector, podListSchema(), podsContext(namespace, selector), callOptions?.signal)).filter(isReady).length,

    readPodSet: (namespace, selector, callOptions) => readPodSet(get, namespace, selector, callOptions?.signal),

    getSecret: async (namespace, name, callOptions) => {
      const call: Call = {
        signal: callOptions?.signal,
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
        target: `Secret ${namespace}/${name}`,
        rule: { verb: 'get', resource: 'secrets', apiGroup: '', namespace },
      };
      return decodeSecretData((await transport.read(call, secretSchema())).data);
    },

    getTriggerAuthentication: async (kind, namespace, name, callOptions) => {
      const resource = AUTHENTICATION_RESOURCES[kind];
      const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
      const call: Call = {
        signal: callOptions?.signal,
        method: 'GET',
        path: `${KEDA_API}${scope}/${resource}/${encodeURIComponent(name)}`,
        target: `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`,
        rule: { verb: 'get', resource, apiGroup: 'keda.sh', namespace: namespace ?? '' },
      };
      try {
        return await transport.read(call, objectSchema());
      } catch (error) {
        if (error instanceof KubeNotFoundError) return undefined;
        throw error;
      }
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
