/**
 * The cluster source beyond one invocation (DESIGN.md §1, §5): a source that lists more ScaledObjects
 * than one invocation should evaluate is listed once, cut into shards (shards.ts) and sent to
 * asynchronous invocations of the same function, each carrying the ScaleGroup shape with its listed
 * objects under `source.shard`, so no shard lists again. A shard evaluates its objects exactly as a
 * small source is evaluated (clusterSource.ts `evaluateListed`): one code path whatever the source.
 *
 * Every listed object is evaluated at most once per tick, although Lambda delivers an asynchronous
 * event at least once (a duplicate may come even without an error) and a schedule may fire a tick twice
 * or late:
 *  1. A lister (any invocation that may fan out, whether its source turns out large or small) first
 *     takes the lister lease of its source until its tick's window ends (tick start + 55 s). A second
 *     lister of the source inside that window (a retry, an overlapping schedule) stands down before
 *     listing, so a tick's objects come from one list, and no two listers' windows overlap.
 *  2. One list's shards are disjoint: each listed object is in exactly one.
 *  3. A shard takes its shard lease (source, shard id) until its tick's window ends, under an owner of
 *     its own: a second delivery of the same shard finds it held and stands down. A shard delivered
 *     after its tick's window stands down too, so shards of two ticks never overlap.
 * Leases are state-table items under the store's one lease rule (`<cluster>/#fanout/<source>/…`: `#`
 * cannot start a namespace, so no ScaledObject's id is one), reused tick after tick.
 */
import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { errorMessage, LpaError } from '../errors.js';
import type { ClusterApi } from '../kube/clusterApi.js';
import type { ClusterScaledObject } from '../kube/scaledObjects.js';
import type { CallOptions } from '../kube/types.js';
import { StateConflictError } from '../state/errors.js';
import { evaluateListed, listClusterSource, listingFailed, tickSignal, type ClusterPass, type ClusterSourceDeps } from './clusterSource.js';
import { tickWindowEnd } from './deadline.js';
import { failedReport, type ObjectReport } from './objectReport.js';
import { reconcile } from './reconcile.js';
import type { ClusterSource, ScaleGroup, Shard } from './scaleGroup.js';
import { MAX_SHARD_EVENT_BYTES, halves, shardEvent, shardsOf } from './shards.js';

/**
 * Objects per shard unless configured, derived from the tick's budget. An object seen for the first time
 * costs 4 remote calls in turn to scale (lease, PATCH, save, decision record; 32 objects at once) and 4
 * more to answer (finalizer, status, two events; 16 at once): N objects take about
 * N × latency × (4/32 + 4/16) = 0.375 × N × latency. At 250 that is ~1.9 s at 20 ms a call and ~9.4 s at
 * 100 ms (a loaded API server): inside the 10 s a shard may take (DESIGN.md §5), far inside the tick's 55 s.
 */
const DEFAULT_SHARD_SIZE = 250;
/** Shard invokes in flight at once. */
const INVOKE_CONCURRENCY = 16;

/** Sends an event to an asynchronous invocation of this same function (the Lambda adapter: shared/aws/lambdaInvoker.ts). */
interface ShardInvoker {
  /** Resolves once Lambda has queued `event` (JSON); rejects with `ShardTooLargeError` when its size is refused. */
  invoke(event: string, options?: CallOptions): Promise<void>;
}

/** Lambda refused the event's size (RequestTooLargeException): the shard is halved and sent again. */
class ShardTooLargeError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ShardTooLargeError';
  }
}

interface FanOut {
  readonly invoker: ShardInvoker;
  /** Objects per shard. Default `DEFAULT_SHARD_SIZE`. */
  readonly shardSize?: number;
  /** Bytes per shard event. Default `MAX_SHARD_EVENT_BYTES`. */
  readonly maxEventBytes?: number;
  /** Makes each lease owner unique (a duplicate delivery shares the request id). Default `randomUUID`. */
  readonly nonce?: () => string;
}

interface FanOutDeps extends ClusterSourceDeps {
  /** Absent: the invocation evaluates its whole source itself (`lpa run`, functions without the grant). */
  readonly fanOut?: FanOut;
}

const sourceKey = (group: ScaleGroup, source: ClusterSource): string =>
  createHash('sha256')
    .update(JSON.stringify([group.cluster.name, group.cluster.region, [...(source.namespaces ?? [])].sort(), source.labelSelector ?? '']))
    .digest('hex')
    .slice(0, 16);

const leaseId = (group: ScaleGroup, source: ClusterSource, slot: string): string => `${group.cluster.name}/#fanout/${sourceKey(group, source)}/${slot}`;

const sourceId = (group: ScaleGroup): string => `${group.cluster.name}/scaledobjects.keda.sh`;

/** Takes `id` until the tick's window ends; false when another owner holds it (or the window is over). */
const claim = async (deps: FanOutDeps, id: string, tick: number): Promise<boolean> => {
  const now = deps.now();
  const ttlMs = tickWindowEnd(tick) - now;
  if (ttlMs <= 0) return false;
  try {
    await deps.stateStore.acquireLease(id, undefined, `${deps.owner}/${(deps.fanOut?.nonce ?? randomUUID)()}`, now, ttlMs);
    return true;
  } catch (error) {
    if (error instanceof StateConflictError) return false;
    throw error;
  }
};

const skipped = (id: string, reason: string, message: string): ObjectReport => ({ id, outcome: 'skipped', reason, message, stateWritten: false });

/** One shard, within its tick's window and under its lease. */
const evaluateShard = async (group: ScaleGroup, source: ClusterSource, shard: Shard, deps: FanOutDeps): Promise<ClusterPass> => {
  const id = `${sourceId(group)}#shard-${shard.id}`;
  if (deps.now() >= tickWindowEnd(shard.tick)) {
    return { reports: [skipped(id, 'ShardExpired', `not evaluated: the shard of the tick at ${new Date(shard.tick).toISOString()} arrived after that tick's window; the next tick evaluates its objects`)], objects: [] };
  }
  if (!(await claim(deps, leaseId(group, source, `shard-${shard.id}`), shard.tick))) {
    return { reports: [skipped(id, 'ShardLeaseHeld', 'not evaluated: another delivery of this shard holds its lease for this tick')], objects: [] };
  }
  let api: ClusterApi;
  try {
    api = await deps.clusterApi.connectCluster(group.cluster, { signal: tickSignal(deps) });
  } catch (error) {
    return { reports: shard.items.map((item) => failedReport(`${group.cluster.name}/${item.metadata.namespace}/${item.metadata.name}`, 'failed', 'FailedPrecondition', errorMessage(error))), objects: [] };
  }
  return evaluateListed({ ...group, objects: [], invalid: [] }, api, shard.items, deps);
};

/** A shard that could not be sent, and why. */
interface Unsent {
  readonly id: string;
  readonly items: readonly ClusterScaledObject[];
  readonly error: unknown;
}

/** Sends one shard; a shard Lambda finds too large is halved and each half sent. Resolves with what was not sent. */
const send = async (group: ScaleGroup, source: ClusterSource, tick: number, id: string, items: readonly ClusterScaledObject[], fanOut: FanOut, signal: AbortSignal | undefined): Promise<Unsent[]> => {
  try {
    await fanOut.invoker.invoke(JSON.stringify(shardEvent(group.cluster, source, tick, id, items)), { signal });
    return [];
  } catch (error) {
    if (error instanceof ShardTooLargeError && items.length > 1) {
      return (await Promise.all(halves(id, items).map(([half, part]) => send(group, source, tick, half, part, fanOut, signal)))).flat();
    }
    return [{ id, items, error }];
  }
};

/**
 * The lister: its lease, then the shards out. It evaluates the group's manifests, what it may not send,
 * and, one after the other, the shards it could not send (throttled, not permitted), under the same
 * shard leases: if Lambda queued one after all, whichever starts second stands down.
 */
const fanOutListed = async (group: ScaleGroup, source: ClusterSource, tick: number, api: ClusterApi, listed: readonly ClusterScaledObject[], fanOut: FanOut, deps: FanOutDeps, signal: AbortSignal | undefined): Promise<ClusterPass> => {
  // An object also given as a manifest stays here, where the duplicate is seen and reported.
  const manifests = new Set(group.objects.map((so) => `${so.metadata.namespace}/${so.metadata.name}`));
  const kept = listed.filter((item) => manifests.has(`${item.metadata.namespace}/${item.metadata.name}`));
  const envelopeBytes = Buffer.byteLength(JSON.stringify(shardEvent(group.cluster, source, tick, '0.0.0.0', [])));
  const { shards, oversize } = shardsOf(
    listed.filter((item) => !manifests.has(`${item.metadata.namespace}/${item.metadata.name}`)),
    { maxObjects: fanOut.shardSize ?? DEFAULT_SHARD_SIZE, maxBytes: fanOut.maxEventBytes ?? MAX_SHARD_EVENT_BYTES, envelopeBytes },
  );
  const limit = pLimit(INVOKE_CONCURRENCY);
  const unsent = (await Promise.all(shards.map((items, index) => limit(() => send(group, source, tick, String(index), items, fanOut, signal))))).flat();
  const notSent = unsent.reduce((n, u) => n + u.items.length, 0);
  const sent = listed.length - kept.length - oversize.length - notSent;
  const summary: ObjectReport = { id: sourceId(group), outcome: 'unchanged', reason: 'FannedOut', message: `${sent} ScaledObjects listed and sent to ${shards.length} shards${notSent === 0 ? '' : ` (${notSent} not sent: evaluated here)`}`, stateWritten: false };
  const local = group.objects.length + kept.length + oversize.length === 0 ? { reports: [], objects: [] } : await evaluateListed(group, api, [...kept, ...oversize], deps);
  const fallbacks: ObjectReport[] = [];
  // Their objects get this first pass only: their sub-minute passes wait for a tick whose shard is sent.
  for (const { id, items, error } of unsent) {
    fallbacks.push(failedReport(`${sourceId(group)}#shard-${id}`, 'failed', 'FailedSendShard', `shard ${id} (${items.length} objects) could not be sent to an invocation, so this one evaluates it: ${errorMessage(error)}`));
    fallbacks.push(...(await evaluateShard(group, source, { tick, id, items }, deps)).reports);
  }
  return { ...local, reports: [summary, ...fallbacks, ...local.reports] };
};

/**
 * The first pass of a tick over a cluster source: a shard's objects, or the whole source, evaluated
 * here or fanned out when it lists more than one shard. `tick` is the tick's start (epoch ms).
 */
const clusterPass = async (group: ScaleGroup, source: ClusterSource, tick: number, deps: FanOutDeps): Promise<ClusterPass> => {
  if (group.shard !== undefined) return evaluateShard(group, source, group.shard, deps);
  // Before listing, whatever the source's size: a second lister of the tick (a retried or doubled
  // schedule) would otherwise evaluate a small source a second time, or send a large one's shards again.
  if (deps.fanOut !== undefined && !(await claim(deps, leaseId(group, source, 'lister'), tick))) {
    return { reports: [skipped(sourceId(group), 'ListerLeaseHeld', 'not listed: another invocation lists and evaluates this source in this tick')], objects: [] };
  }
  let listing: Awaited<ReturnType<typeof listClusterSource>>;
  try {
    listing = await listClusterSource(group, source, deps);
  } catch (error) {
    return { reports: [listingFailed(group, error), ...(await reconcile(group, deps))], objects: group.objects };
  }
  const fanOut = deps.fanOut;
  if (fanOut === undefined || listing.listed.length <= (fanOut.shardSize ?? DEFAULT_SHARD_SIZE)) return evaluateListed(group, listing.api, listing.listed, deps);
  return fanOutListed(group, source, tick, listing.api, listing.listed, fanOut, deps, listing.signal);
};

export { DEFAULT_SHARD_SIZE, ShardTooLargeError, clusterPass, leaseId };
export type { FanOut, FanOutDeps, ShardInvoker };
