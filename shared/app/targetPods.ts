/**
 * The pods and PodMetrics of a target, read once however many of its triggers ask (cpu and memory),
 * for a tick and for `lpa metrics` alike.
 */
import type { PodSet } from '../engine/podObjects.js';
import { LpaError } from '../errors.js';
import type { Scale, ScaleClient } from '../kube/types.js';
import type { ScaledObject } from '../spec/types.js';

/** At zero replicas there is nothing to read (the HPA computes no metric at zero either). */
const targetPodsOf = (so: ScaledObject, client: ScaleClient, scale: Promise<Scale>, signal: AbortSignal | undefined): (() => Promise<PodSet>) => {
  let read: Promise<PodSet> | undefined;
  return () =>
    (read ??= scale.then(async ({ selector, specReplicas }) => {
      if (specReplicas === 0) return { pods: [], podMetrics: [] };
      if (selector === undefined) throw new LpaError('the scale subresource has no status.selector');
      return client.readPodSet(so.metadata.namespace, selector, { signal });
    }));
};

export { targetPodsOf };
