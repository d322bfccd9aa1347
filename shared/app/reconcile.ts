/**
 * The reconcile use case (DESIGN.md §1): for every ScaledObject of a group,
 *   1 state   ← one batch read
 *   2 target  ← GET …/scale (+ ready pods only for Value targets)
 *   3 signals ← every trigger of every object in one pass, so CloudWatch queries share calls;
 *               cpu/memory read the target's pods and PodMetrics once its scale gave the selector
 *   4 decide  = the pure engine, for each object as soon as its own target and signals are read
 *   5 commit  → conditional state write; when replicas change: lease, PATCH, save with the decision record
 *   6 report  → one report per object (the handler logs it and emits metrics)
 * Ports are injected; one failing object never stops the others, and nothing is scaled on data
 * that could not be read.
 */
import pLimit from 'p-limit';
import { decide } from '../engine/decide.js';
import { keyedRecord, own } from '../engine/keyed.js';
import { stateChanged } from '../engine/state.js';
import type { ControllerSettings, Decision, MetricReading, Observation } from '../engine/types.js';
import { errorMessage } from '../errors.js';
import { needsReadyPods, readsPodMetrics } from '../kube/access.js';
import type { ClusterConnector, Scale, ScaleClient } from '../kube/types.js';
import type { ScaledObject } from '../spec/types.js';
import { LeaseHeldError, StateConflictError, StateCorruptError } from '../state/errors.js';
import type { DecisionRecord, StateStore, StoredState } from '../state/types.js';
import type { TriggerRegistry } from '../triggers/types.js';
import type { AuthResolver } from '../auth/resolve.js';
import { abortAfterTimer, createDeadline, type AbortAfter, type Deadline } from './deadline.js';
import { patchWindowMs, takeLease, type Lease } from './lease.js';
import { intentOf, settleIntent, type Settlement } from './scaleIntent.js';
import { failedReport, notEvaluatedReport, reportOf, type ObjectReport } from './objectReport.js';
import { objectId, type ScaleGroup } from './scaleGroup.js';
import { readSignalsEach } from './signals.js';
import { targetPodsOf } from './targetPods.js';

interface ReconcileDeps {
  readonly stateStore: StateStore;
  readonly connector: ClusterConnector;
  readonly triggers: TriggerRegistry;
  /** Resolves the triggers' authenticationRefs (shared/auth); without it such triggers fail. */
  readonly auth?: AuthResolver;
  readonly now: () => number;
  /** Names this invocation in leases (e.g. the Lambda request id). */
  readonly owner: string;
  /** Objects evaluated at once (Kubernetes and DynamoDB calls in flight). Default 32. */
  readonly concurrency?: number;
  /** How long a lease protects a scale in progress. Default 30 s. */
  readonly leaseMs?: number;
  /** The HPA controller flags cpu triggers read; Kubernetes' defaults when absent. */
  readonly controller?: ControllerSettings;
  /**
   * Epoch ms by which this evaluation must be over (the invocation's budget): every remote call gets
   * a signal that aborts then, and objects it does not reach are reported skipped, DeadlineExceeded.
   */
  readonly deadline?: number;
  /** Aborts after `ms` (deadline and lease timers). Default: a real timer. */
  readonly abortAfter?: AbortAfter;
  /** Told each decision with its report (the cluster source writes status and events from it). */
  readonly onDecision?: (evaluation: Evaluation) => void;
}

/** One object's decision and what became of it. */
interface Evaluation {
  readonly scaledObject: ScaledObject;
  readonly scale: Scale;
  readonly observation: Observation;
  readonly decision: Decision;
  readonly report: ObjectReport;
}

const DEFAULT_CONCURRENCY = 32;
/** A state conflict means another evaluation wrote first: re-read and decide again, a few times. */
const MAX_ATTEMPTS = 3;


/** Ready pods for Value targets; when they cannot be counted, Value metrics become errors (never guessed). */
const observe = async (so: ScaledObject, client: ScaleClient, scale: Scale, readings: Record<string, MetricReading>, signal?: AbortSignal): Promise<Observation> => {
  let readyReplicas = scale.statusReplicas;
  let metrics = readings;
  if (needsReadyPods(so)) {
    try {
      if (scale.selector === undefined) throw new Error('the scale subresource has no status.selector');
      readyReplicas = await client.countReadyPods(so.metadata.namespace, scale.selector, { signal });
    } catch (error) {
      const failure = { error: `ready pods unknown: ${errorMessage(error)}` };
      metrics = Object.fromEntries(so.spec.triggers.map((t) => [t.key, t.metricType === 'Value' || so.spec.advanced.scalingModifiers ? failure : (own(readings, t.key) ?? failure)]));
    }
  }
  return { specReplicas: scale.specReplicas, statusReplicas: scale.statusReplicas, readyReplicas, metrics };
};

interface ObjectContext {
  readonly deps: ReconcileDeps;
  readonly client: ScaleClient;
  readonly id: string;
  readonly so: ScaledObject;
  readonly scale: Scale;
  readonly observation: Observation;
  readonly now: number;
  readonly budget: Deadline | undefined;
}

type Reporter = (outcome: ObjectReport['outcome'], extra?: Partial<ObjectReport>) => ObjectReport;

/** Another evaluation holds the lease (or wrote first): this one stands down. */
const leaseHeld = (report: Reporter, error: Error): ObjectReport =>
  report('skipped', { reason: 'LeaseHeld', message: `another evaluation is scaling this object: ${error.message}`, stateWritten: false });

/** An adopted intent's record, then this evaluation's: written by the save, with the state. */
const recordsOf = (settled: Settlement, ...records: readonly DecisionRecord[]): DecisionRecord[] => [...(settled.record === undefined ? [] : [settled.record]), ...records];

/**
 * The scale path: lease with the intent, PATCH, save (releasing both, writing the decision record):
 * two state writes. A save that fails leaves the intent, and with it the record, to the next evaluation.
 */
const scale = async (ctx: ObjectContext, settled: Settlement, decision: Decision, report: Reporter): Promise<ObjectReport> => {
  const { deps, client, id, so, observation, now, budget } = ctx;
  const { stored } = settled;
  const intent = intentOf(decision, observation, now);
  // A scale: hold the lease first, so a concurrent evaluation (tick and alarm) cannot scale too.
  let lease: Lease;
  try {
    lease = await takeLease(deps.stateStore, { id, expectedVersion: stored?.version, owner: deps.owner, now: deps.now, ttlMs: deps.leaseMs, intent });
  } catch (error) {
    // LeaseHeldError is a StateConflictError: either way another evaluation got there first.
    if (error instanceof StateConflictError) return leaseHeld(report, error);
    throw error;
  }
  const windowMs = patchWindowMs(lease, deps.now());
  if (windowMs === undefined) {
    await deps.stateStore.releaseLease(id, deps.owner).catch(() => undefined);
    const message = `the scale lease ran out (at ${new Date(lease.expiresAt).toISOString()}) before the PATCH could start; the next evaluation decides again`;
    return report('skipped', { reason: 'LeaseExpired', message, stateWritten: false });
  }
  try {
    const leaseEnd = (deps.abortAfter ?? abortAfterTimer)(windowMs, new Error(`the scale lease ends in ${windowMs} ms`));
    const signal = budget === undefined ? leaseEnd : AbortSignal.any([leaseEnd, budget.signal]);
    await client.patchScale(so.metadata.namespace, so.spec.scaleTargetRef, decision.replicas, { signal });
  } catch (error) {
    // The intent stays: if the PATCH took effect after all, the next evaluation adopts it.
    await deps.stateStore.releaseLease(id, deps.owner).catch(() => undefined);
    return report('failed', { reason: 'FailedUpdateScale', message: errorMessage(error), error: errorMessage(error), stateWritten: false });
  }
  // The target is scaled now: whatever fails below is reported on a `scaled` outcome, never hidden.
  try {
    // The lease made the item exist (version 0) when it had none.
    await deps.stateStore.save(id, decision.state, stored?.version ?? 0, { leaseOwner: deps.owner, now: deps.now(), records: recordsOf(settled, intent.record) });
  } catch (error) {
    await deps.stateStore.releaseLease(id, deps.owner).catch(() => undefined);
    const message = `scaled, but the state could not be saved (the next evaluation adopts the recorded intent): ${errorMessage(error)}`;
    return report('scaled', { error: message, stateWritten: false });
  }
  return report('scaled', { stateWritten: true });
};

/** Step 5: write what must be written, in the order that keeps concurrent evaluations safe. */
const commit = async (ctx: ObjectContext, loaded: StoredState | undefined, attempt: number): Promise<ObjectReport> => {
  const { deps, id, so, observation, now } = ctx;
  const settled = settleIntent(loaded, observation.specReplicas, deps.now());
  const { stored } = settled;
  const decision: Decision = decide({ scaledObject: so, observation, state: stored?.state, now, controller: deps.controller });
  const report: Reporter = (outcome, extra = {}) => {
    const result = reportOf(id, observation, decision, outcome, { ...(settled.note === undefined ? {} : { intent: settled.note }), ...extra });
    deps.onDecision?.({ scaledObject: so, scale: ctx.scale, observation, decision, report: result });
    return result;
  };

  if (!decision.changed) {
    // A settled intent is removed by this write, even when the state is otherwise unchanged.
    if (!stateChanged(stored?.state, decision.state) && settled.note === undefined) return report('unchanged', { stateWritten: false });
    try {
      await deps.stateStore.save(id, decision.state, stored?.version, { now: deps.now(), records: recordsOf(settled) });
    } catch (error) {
      if (error instanceof LeaseHeldError) return leaseHeld(report, error);
      if (!(error instanceof StateConflictError)) throw error;
      // Other evaluations keep winning: theirs are as recent as ours, so this one stands down.
      if (attempt >= MAX_ATTEMPTS) return report('skipped', { reason: 'StateConflict', message: `${MAX_ATTEMPTS} attempts lost to concurrent writes: ${error.message}`, stateWritten: false });
      const fresh = (await deps.stateStore.load([id])).get(id);
      if (fresh instanceof StateCorruptError) throw fresh;
      return commit(ctx, fresh, attempt + 1);
    }
    return report('unchanged', { stateWritten: true });
  }

  return scale(ctx, settled, decision, report);
};

/**
 * Evaluates `objects` of the group (all of them by default). Resolves with one report per object,
 * invalid manifests included; rejects only if nothing at all could be attempted.
 */
const reconcile = async (group: ScaleGroup, deps: ReconcileDeps, objects: readonly ScaledObject[] = group.objects): Promise<ObjectReport[]> => {
  const now = deps.now();
  const budget = deps.deadline === undefined ? undefined : createDeadline(deps.deadline, deps.now, deps.abortAfter);
  const signal = budget?.signal;
  /** An object the budget ended (before it or in one of its calls) was not evaluated, not failed. */
  const outOfTime = (id: string): ObjectReport | undefined => (budget?.over() === true ? notEvaluatedReport(id, budget.reason.message) : undefined);
  const limit = pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY);
  const invalid = group.invalid.map((o) => failedReport(`${group.cluster.name}/${o.label}`, 'invalid', 'InvalidScaledObject', o.issues.map((i) => `${i.path}: ${i.message}`).join('; ')));
  if (objects.length === 0) return invalid;
  const ids = objects.map((so) => objectId(group.cluster, so));

  let stored: Map<string, StoredState | StateCorruptError>;
  let client: ScaleClient;
  try {
    [stored, client] = await Promise.all([deps.stateStore.load(ids), deps.connector.connect(group.cluster, { signal })]);
  } catch (error) {
    // Without state or cluster access nothing can be decided safely: report every object.
    return [...invalid, ...ids.map((id) => outOfTime(id) ?? failedReport(id, 'failed', 'FailedPrecondition', errorMessage(error)))];
  }

  const scaleReads = objects.map((so) => limit(() => client.getScale(so.metadata.namespace, so.spec.scaleTargetRef, { signal })));
  const requests = objects.flatMap((so, i) => {
    const targetPods = readsPodMetrics(so) ? targetPodsOf(so, client, scaleReads[i] as Promise<Scale>, signal) : undefined;
    return so.spec.triggers.map((trigger) => ({ scaledObject: so, trigger, ...(targetPods === undefined ? {} : { targetPods }) }));
  });
  const readings = readSignalsEach(deps, group, client, requests, now, signal);
  // `requests` holds each object's triggers in order, one object after the other.
  let first = 0;
  const readingsOf = objects.map((so) => readings.slice(first, (first += so.spec.triggers.length)));

  // Each object is decided as soon as its own target and triggers are read (no waiting for the
  // slowest trigger type of the tick), and only then takes a slot of `limit` for its writes.
  const reports = await Promise.all(
    objects.map(async (so, i): Promise<ObjectReport> => {
      const id = ids[i] as string;
      const [target, read] = await Promise.all([
        (scaleReads[i] as Promise<Scale>).then((scale) => ({ scale }), (error: unknown) => ({ error })),
        Promise.all(readingsOf[i] ?? []),
      ]);
      const byKey = keyedRecord<MetricReading>();
      so.spec.triggers.forEach((trigger, k) => {
        byKey[trigger.key] = read[k] ?? { error: 'no reading' };
      });
      return limit(async (): Promise<ObjectReport> => {
        if ('error' in target) return outOfTime(id) ?? failedReport(id, 'failed', 'FailedGetScale', errorMessage(target.error));
        const previous = stored.get(id);
        // An unreadable state item: never guess (a fresh state could scale to zero at once).
        if (previous instanceof StateCorruptError) return failedReport(id, 'failed', 'FailedGetState', previous.message);
        try {
          const observation = await observe(so, client, target.scale, byKey, signal);
          // Readings taken after the budget ran out may be errors it caused: decide nothing on them.
          return outOfTime(id) ?? (await commit({ deps, client, id, so, scale: target.scale, observation, now, budget }, previous, 1));
        } catch (error) {
          return outOfTime(id) ?? failedReport(id, 'failed', 'FailedReconcile', errorMessage(error));
        }
      });
    }),
  );
  return [...invalid, ...reports];
};

export { reconcile };
export type { Evaluation, ReconcileDeps };
