/**
 * Deployments and StatefulSets listed per namespace (DESIGN.md §5: Kubernetes reads per tick grow with
 * namespaces, not objects): one paged list answers what one `GET …/scale` per object would. Each item
 * is read the way the apps/v1 `/scale` subresource reads it: `spec.replicas`, `status.replicas`, and
 * `status.selector` = `metav1.LabelSelectorAsSelector(spec.selector).String()`. Custom resources keep
 * their `/scale` GET: only their CRD knows where replicas and selector live.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import type { Discovery, TargetKind } from './discovery.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions, Scale } from './types.js';

/** Items per page, as kubectl asks: 500 Deployments are a few MB. */
const PAGE_SIZE = 500;

/** The kinds whose list carries what their `/scale` answers (apps/v1 Deployment and StatefulSet). */
const LISTABLE: ReadonlySet<string> = new Set(['apps/Deployment', 'apps/StatefulSet']);

const isListable = ({ apiVersion, kind }: TargetKind): boolean => LISTABLE.has(`${apiVersion.split('/')[0] ?? ''}/${kind}`);

const requirementSchema = () => z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).nullish(),
});

const labelSelectorSchema = () => z.object({
  matchLabels: z.record(z.string(), z.string()).nullish(),
  matchExpressions: z.array(requirementSchema()).nullish(),
});

type LabelSelector = z.output<ReturnType<typeof labelSelectorSchema>>;

const workloadListSchema = builtOnce(() =>
  z.object({
    kind: z.enum(['DeploymentList', 'StatefulSetList']),
    metadata: z.object({ continue: z.string().optional() }).optional(),
    items: z
      .array(
        z.object({
          metadata: z.object({ name: z.string() }),
          // The API server defaults spec.replicas (1); status.replicas is omitted at 0.
          spec: z.object({ replicas: z.number().int().min(0).default(1), selector: labelSelectorSchema().nullish() }),
          status: z.object({ replicas: z.number().int().min(0).default(0) }).optional(),
        }),
      )
      .nullable(),
  }),
);

/**
 * `LabelSelectorAsSelector(s).String()`: requirements sorted by key, joined by commas; `k=v`,
 * `k in (a,b)`, `k notin (a,b)` (values sorted on output), `k`, `!k`; an empty selector is `""`.
 */
const formatLabelSelector = (selector: LabelSelector | null | undefined): string | undefined => {
  // A nil selector selects nothing: the scale subresource then has no usable selector either.
  if (selector === null || selector === undefined) return undefined;
  const requirements: Array<{ key: string; text: string }> = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, text: `${key}=${value}` }));
  for (const { key, operator, values } of selector.matchExpressions ?? []) {
    const sorted = [...(values ?? [])].sort().join(',');
    const text = operator === 'In' ? `${key} in (${sorted})` : operator === 'NotIn' ? `${key} notin (${sorted})` : operator === 'Exists' ? key : `!${key}`;
    requirements.push({ key, text });
  }
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
};

interface WorkloadApi {
  /** Every Deployment (or StatefulSet) of `namespace`, by name, as its `/scale` would read; `kind` must be listable. */
  listScales(namespace: string, kind: TargetKind, options?: CallOptions): Promise<Map<string, Scale>>;
}

const createWorkloadApi = (transport: KubeTransport, discovery: Discovery, pageSize = PAGE_SIZE): WorkloadApi => ({
  listScales: async (namespace, kind, options) => {
    const resource = await discovery.resolveScalable(kind, options);
    const scales = new Map<string, Scale>();
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (continueToken !== undefined) query.set('continue', continueToken);
      const page = await transport.read(
        {
          signal: options?.signal,
          method: 'GET',
          path: `/apis/${resource.group}/${resource.version}/namespaces/${encodeURIComponent(namespace)}/${resource.resource}?${query}`,
          target: `${resource.resource} in namespace ${namespace}`,
          rule: { verb: 'list', resource: resource.resource, apiGroup: resource.group, namespace },
        },
        workloadListSchema(),
      );
      for (const item of page.items ?? []) {
        const selector = formatLabelSelector(item.spec.selector);
        scales.set(item.metadata.name, { specReplicas: item.spec.replicas, statusReplicas: item.status?.replicas ?? 0, ...(selector === undefined ? {} : { selector }), resource });
      }
      continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
    } while (continueToken !== undefined);
    return scales;
  },
});

export { createWorkloadApi, formatLabelSelector, isListable };
export type { LabelSelector, WorkloadApi };
