/**
 * One scheduled invocation. EventBridge Scheduler fires at most once a minute, so objects with a
 * `pollingInterval` under 60 s are evaluated again at their sub-minute offsets (e.g. +15, +30, +45)
 * inside the same invocation. Every pass is bounded by the real clock: the tick has one budget, the
 * earlier of the Lambda's deadline and the next tick (each less a margin); a pass starts only if
 * the previous one's duration still fits in it, and offsets a slow pass overran run as one pass.
 */
import type { ScaledObject } from '../spec/types.js';
import { END_MARGIN_MS, RETURN_MARGIN_MS, TICK_MS, tickWindowEnd } from './deadline.js';
import type { ObjectReport } from './objectReport.js';
import { LpaError } from '../errors.js';
import type { ClusterApiConnector } from '../kube/clusterApi.js';
import type { ClusterConnector } from '../kube/types.js';
import { clusterPass, type FanOut } from './fanOut.js';
import { reconcile, type ReconcileDeps } from './reconcile.js';
import type { ScaleGroup } from './scaleGroup.js';

interface TickDeps extends Omit<ReconcileDeps, 'deadline'> {
  /** Needed when a group has `source.fromCluster`. */
  readonly clusterApi?: ClusterApiConnector;
  /** See `ClusterSourceDeps.besideHpas` (dry runs beside KEDA). */
  readonly besideHpas?: boolean;
  /** Shards a large cluster source out to invocations of this function (fanOut.ts); absent: evaluated here. */
  readonly fanOut?: FanOut;
  /** Waits until the given epoch ms (injected: tests never sleep). */
  readonly sleepUntil: (time: number) => Promise<void>;
  /** Epoch ms by which the invocation must return (Lambda's remaining time). */
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

/** Which objects are due at which offset, in offset order; objects that failed validation are never re-run. */
const dueByOffset = (objects: readonly ScaledObject[]): Array<[number, ScaledObject[]]> => {
  const due = new Map<number, ScaledObject[]>();
  for (const so of objects) {
    if (so.spec.pollingInterval >= 60) continue;
    for (const offset of subMinuteOffsets(so.spec.pollingInterval)) due.set(offset, [...(due.get(offset) ?? []), so]);
  }
  return [...due.entries()].sort(([a], [b]) => a - b);
};

const runTick = async (group: ScaleGroup, deps: TickDeps): Promise<ObjectReport[]> => {
  // A shard belongs to its lister's tick: its passes and its budget are counted from that tick's start.
  const start = group.shard?.tick ?? deps.now();
  const budget = Math.min(tickWindowEnd(start), (deps.deadline ?? Number.POSITIVE_INFINITY) - RETURN_MARGIN_MS);
  const all: ObjectReport[] = [];
  const record = (reports: readonly ObjectReport[], offsetMs: number): void => {
    deps.onReports?.(reports, offsetMs);
    all.push(...reports);
  };
  /** How later passes read targets: the cluster source's lists where it gave them, else each object's GET. */
  let connectorFor: ((objects: readonly ScaledObject[]) => ClusterConnector) | undefined;
  /** One reconcile pass under the tick's budget; resolves with how long it took. */
  const pass = async (subset: ScaleGroup, objects: readonly ScaledObject[], offsetMs: number): Promise<number> => {
    const began = deps.now();
    record(await reconcile(subset, { ...deps, ...(connectorFor === undefined ? {} : { connector: connectorFor(objects) }), deadline: budget }, objects), offsetMs);
    return deps.now() - began;
  };
  /**
   * The first pass: the group's manifests, and the cluster's ScaledObjects when it serves them. Cluster
   * objects are re-evaluated (and scaled) at their sub-minute offsets too; their status follows next tick.
   */
  const firstPass = async (): Promise<readonly ScaledObject[]> => {
    if (group.fromCluster === undefined) {
      await pass(group, group.objects, 0);
      return group.objects;
    }
    if (deps.clusterApi === undefined) throw new LpaError('this ScaleGroup has source.fromCluster but the runtime has no cluster API connector');
    const first = await clusterPass(group, group.fromCluster, start, { ...deps, deadline: budget, clusterApi: deps.clusterApi });
    connectorFor = first.connectorFor;
    record(first.reports, 0);
    return first.objects;
  };
  const began = deps.now();
  const evaluated = await firstPass();
  let lastPassMs = deps.now() - began;

  const due = dueByOffset(evaluated);
  for (let next = 0; next < due.length; ) {
    const [offset] = due[next] as [number, ScaledObject[]];
    // A pass that would not end within the budget is not started: the next tick evaluates these objects.
    if (Math.max(deps.now(), start + offset) + lastPassMs > budget) break;
    await deps.sleepUntil(start + offset);
    // Every offset whose time has come (a slow pass overran them) runs in this one pass, each object once.
    const elapsed = deps.now() - start;
    let last = next;
    while (last + 1 < due.length && (due[last + 1] as [number, ScaledObject[]])[0] <= elapsed) last++;
    const ready = due.slice(next, last + 1);
    next = last + 1;
    const objects = [...new Set(ready.flatMap(([, list]) => list))];
    lastPassMs = await pass({ ...group, invalid: [] }, objects, (ready.at(-1) as [number, ScaledObject[]])[0]);
  }
  return all;
};

export { runTick, subMinuteOffsets };
export type { TickDeps };
