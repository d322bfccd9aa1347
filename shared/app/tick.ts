/**
 * One scheduled invocation. EventBridge Scheduler fires at most once a minute, so objects with a
 * `pollingInterval` under 60 s are evaluated again at their sub-minute offsets (e.g. +15, +30, +45)
 * inside the same invocation, which returns before the next tick starts.
 */
import type { ScaledObject } from '../spec/types.js';
import type { ObjectReport } from './objectReport.js';
import { LpaError } from '../errors.js';
import type { ClusterApiConnector } from '../kube/clusterApi.js';
import { reconcileWithClusterSource } from './clusterSource.js';
import { reconcile, type ReconcileDeps } from './reconcile.js';
import type { ScaleGroup } from './scaleGroup.js';

const TICK_MS = 60_000;
/** Stop re-evaluating this long before the next tick, so invocations never overlap. */
const END_MARGIN_MS = 5_000;

interface TickDeps extends ReconcileDeps {
  /** Needed when a group has `source.fromCluster`. */
  readonly clusterApi?: ClusterApiConnector;
  /** Waits until the given epoch ms (injected: tests never sleep). */
  readonly sleepUntil: (time: number) => Promise<void>;
  /** Epoch ms by which the invocation must return (Lambda's remaining time); later offsets are skipped. */
  readonly deadline?: number;
  /** Called with each pass's reports as soon as they exist (logging, metrics). */
  readonly onReports?: (reports: readonly ObjectReport[], offsetMs: number) => void;
}

/** Offsets (ms after the tick start) at which an object with this interval is evaluated again. */
const subMinuteOffsets = (pollingIntervalSeconds: number): number[] => {
  const offsets: number[] = [];
  for (let t = pollingIntervalSeconds * 1000; t < TICK_MS - END_MARGIN_MS + 1; t += pollingIntervalSeconds * 1000) offsets.push(t);
  return offsets;
};

/** The first pass: the group's manifests, and the cluster's ScaledObjects when the group serves them. */
const firstPass = async (group: ScaleGroup, deps: TickDeps): Promise<{ reports: ObjectReport[]; objects: readonly ScaledObject[] }> => {
  if (group.fromCluster === undefined) return { reports: await reconcile(group, deps), objects: group.objects };
  if (deps.clusterApi === undefined) throw new LpaError('this ScaleGroup has source.fromCluster but the runtime has no cluster API connector');
  return reconcileWithClusterSource(group, group.fromCluster, { ...deps, clusterApi: deps.clusterApi });
};

const runTick = async (group: ScaleGroup, deps: TickDeps): Promise<ObjectReport[]> => {
  const start = deps.now();
  const { reports: first, objects } = await firstPass(group, deps);
  deps.onReports?.(first, 0);
  const all = [...first];

  // Which objects are due at which offset; objects that failed validation are never re-run. Cluster
  // objects are re-evaluated (and scaled) at their offsets too; their status follows on the next tick.
  const due = new Map<number, ScaledObject[]>();
  for (const so of objects) {
    if (so.spec.pollingInterval >= 60) continue;
    for (const offset of subMinuteOffsets(so.spec.pollingInterval)) due.set(offset, [...(due.get(offset) ?? []), so]);
  }
  for (const offset of [...due.keys()].sort((a, b) => a - b)) {
    if (deps.deadline !== undefined && start + offset + END_MARGIN_MS > deps.deadline) break;
    await deps.sleepUntil(start + offset);
    const reports = await reconcile({ ...group, invalid: [] }, deps, due.get(offset));
    deps.onReports?.(reports, offset);
    all.push(...reports);
  }
  return all;
};

export { runTick, subMinuteOffsets };
export type { TickDeps };
