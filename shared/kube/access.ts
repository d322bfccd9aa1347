/**
 * What Kubernetes access a ScaledObject needs (DESIGN.md §4). Reconcile reads pods only for the
 * objects this says, and the RBAC generator (infra/rbac.ts, `lpa rbac`) grants `pods list` only where
 * such objects are: one rule, so nothing is granted that is never used.
 */
import { isResourceTrigger, type ScaledObject } from '../spec/types.js';

/** Value targets scale by ready pods (`desired = ceil(M/T · readyPods)`): only they list pods. */
const needsReadyPods = (so: ScaledObject): boolean =>
  so.spec.advanced.scalingModifiers?.metricType === 'Value' ||
  (so.spec.advanced.scalingModifiers === undefined && so.spec.triggers.some((t) => t.metricType === 'Value'));

/** cpu/memory triggers read the target's pods and their `metrics.k8s.io` PodMetrics. */
const readsPodMetrics = (so: ScaledObject): boolean => so.spec.triggers.some(isResourceTrigger);

/** Whether LPA lists the target's pods at all: to count ready ones, or for cpu/memory. */
const listsPods = (so: ScaledObject): boolean => needsReadyPods(so) || readsPodMetrics(so);

export { listsPods, needsReadyPods, readsPodMetrics };
