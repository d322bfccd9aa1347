/**
 * HorizontalPodAutoscalers (autoscaling/v2), read so that two autoscalers never own one target: an HPA
 * (KEDA's `keda-hpa-<name>` or any other) on a ScaledObject's target means LPA leaves it alone. One list
 * per namespace per tick.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import type { KubeTransport } from './transport.js';
import type { CallOptions } from './types.js';

const hpaListSchema = builtOnce(() =>
  z.object({
    kind: z.literal('HorizontalPodAutoscalerList'),
    items: z.array(
      z.object({
        metadata: z.object({ name: z.string(), namespace: z.string() }),
        spec: z.object({ scaleTargetRef: z.object({ apiVersion: z.string().optional(), kind: z.string(), name: z.string() }) }),
        status: z.object({ desiredReplicas: z.number().optional() }).optional(),
      }),
    ),
  }),
);

interface Hpa {
  readonly namespace: string;
  readonly name: string;
  readonly target: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
  /** What the HPA wants now (`status.desiredReplicas`), when its controller has said. */
  readonly desiredReplicas?: number;
}

interface HpaApi {
  list(namespace: string, options?: CallOptions): Promise<Hpa[]>;
}

const createHpaApi = (transport: KubeTransport): HpaApi => ({
  list: async (namespace, options) => {
    const list = await transport.read(
      {
        signal: options?.signal,
        method: 'GET',
        path: `/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers`,
        target: `horizontalpodautoscalers in namespace ${namespace}`,
        rule: { verb: 'list', resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling', namespace },
      },
      hpaListSchema(),
    );
    return list.items.map((item) => ({
      namespace: item.metadata.namespace,
      name: item.metadata.name,
      target: item.spec.scaleTargetRef,
      ...(item.status?.desiredReplicas === undefined ? {} : { desiredReplicas: item.status.desiredReplicas }),
    }));
  },
});

/** The HPA that scales `target` in `namespace`, if any (apiVersion groups compared: `apps/v1` and `apps/v1beta1` name one Deployment). */
const hpaOwning = (hpas: readonly Hpa[], namespace: string, target: { apiVersion: string; kind: string; name: string }): Hpa | undefined => {
  const group = (apiVersion: string | undefined): string => (apiVersion?.includes('/') === true ? (apiVersion.split('/')[0] ?? '') : '');
  return hpas.find((h) => h.namespace === namespace && h.target.kind === target.kind && h.target.name === target.name && group(h.target.apiVersion) === group(target.apiVersion));
};

export { createHpaApi, hpaOwning };
export type { Hpa, HpaApi };
