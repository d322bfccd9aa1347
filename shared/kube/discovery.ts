/**
 * API discovery (DESIGN.md §4): a `scaleTargetRef` `apiVersion`/`kind` resolved to the resource that
 * serves it (`GET /apis/<group>/<version>`, `/api/v1` for the core group) and whether that resource has
 * a `/scale` subresource. One document per group-version, cached per container: a warm Lambda asks once
 * per `DISCOVERY_TTL_MS`, and a CRD installed later is seen within that time. Failures are not cached.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { KubeNotFoundError, ScaleTargetError } from './errors.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions } from './types.js';

/** How long a discovery document is trusted: CRDs come and go rarely, and a tick must not pay for it. */
const DISCOVERY_TTL_MS = 10 * 60_000;

const apiResourceListSchema = builtOnce(() =>
  z.object({
    kind: z.literal('APIResourceList'),
    groupVersion: z.string(),
    resources: z.array(z.object({ name: z.string(), kind: z.string(), namespaced: z.boolean() })),
  }),
);

/** What a target resolves to: KEDA's `status.scaleTargetGVKR` (group `""` for the core group). */
interface ScaleResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. `deployments`. */
  readonly resource: string;
}

interface TargetKind {
  readonly apiVersion: string;
  readonly kind: string;
}

interface Discovery {
  /** The namespaced resource of `kind` in `apiVersion` that has a `/scale` subresource; else a `ScaleTargetError` naming the kind. */
  resolveScalable(target: TargetKind, options?: CallOptions): Promise<ScaleResource>;
}

/** `apps/v1` → group `apps`, version `v1`; `v1` → the core group. */
const splitApiVersion = (apiVersion: string): { group: string; version: string } | undefined => {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: '', version: parts[0] as string };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { group: parts[0] as string, version: parts[1] as string };
  return undefined;
};

const discoveryPath = (group: string, version: string): string =>
  group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;

/** `kind "Widget" (demo.example.com/v1)`, the wording of every resolution error. */
const describeKind = ({ apiVersion, kind }: TargetKind): string => `kind "${kind}" (${apiVersion})`;

type ResourceList = z.output<ReturnType<typeof apiResourceListSchema>>;

const pick = (list: ResourceList, target: TargetKind, group: string, version: string): ScaleResource => {
  const main = list.resources.find((r) => r.kind === target.kind && !r.name.includes('/'));
  if (main === undefined) {
    const kinds = [...new Set(list.resources.filter((r) => !r.name.includes('/')).map((r) => r.kind))].sort();
    throw new ScaleTargetError(
      `${describeKind(target)} is not served by the cluster: apiVersion ${target.apiVersion} serves ${kinds.length === 0 ? 'no kinds' : kinds.join(', ')} (kind is case-sensitive)`,
    );
  }
  if (!main.namespaced) {
    throw new ScaleTargetError(`${describeKind(target)} is cluster-scoped: a ScaledObject scales a target in its own namespace`);
  }
  if (!list.resources.some((r) => r.name === `${main.name}/scale`)) {
    throw new ScaleTargetError(
      `${describeKind(target)} has no /scale subresource (${main.name}/scale is not served): LPA scales Deployments, StatefulSets and custom resources whose CRD declares subresources.scale`,
    );
  }
  return { group, version, kind: target.kind, resource: main.name };
};

const createDiscovery = (transport: KubeTransport, now: () => number = Date.now): Discovery => {
  const documents = new Map<string, { readonly at: number; readonly list: Promise<ResourceList> }>();

  const documentOf = (group: string, version: string, apiVersion: string, signal: AbortSignal | undefined): Promise<ResourceList> => {
    const cached = documents.get(apiVersion);
    if (cached !== undefined && now() - cached.at < DISCOVERY_TTL_MS) return cached.list;
    const path = discoveryPath(group, version);
    const list = transport.read(
      { signal, method: 'GET', path, target: `API discovery of ${apiVersion}`, rule: { verb: 'get', resource: `nonResourceURL ${path}`, apiGroup: '', namespace: '' } },
      apiResourceListSchema(),
    );
    documents.set(apiVersion, { at: now(), list });
    // Concurrent objects share one request; a failure is forgotten so the next tick asks again.
    list.catch(() => {
      if (documents.get(apiVersion)?.list === list) documents.delete(apiVersion);
    });
    return list;
  };

  return {
    resolveScalable: async (target, options) => {
      const split = splitApiVersion(target.apiVersion);
      if (split === undefined) throw new ScaleTargetError(`scaleTargetRef.apiVersion "${target.apiVersion}" is not <group>/<version> or v1`);
      let list: ResourceList;
      try {
        list = await documentOf(split.group, split.version, target.apiVersion, options?.signal);
      } catch (error) {
        if (error instanceof KubeNotFoundError) {
          throw new ScaleTargetError(`${describeKind(target)}: the cluster does not serve apiVersion ${target.apiVersion} (is its CRD installed?)`, { cause: error });
        }
        throw error;
      }
      return pick(list, target, split.group, split.version);
    },
  };
};

export { DISCOVERY_TTL_MS, createDiscovery, splitApiVersion };
export type { Discovery, ScaleResource, TargetKind };
