/**
 * The HPA layer (1..max), as `reconcileAutoscaler` runs it, replayed over the 15-second syncs the
 * HPA would have made since the previous evaluation (DESIGN.md §3, our one deliberate difference).
 *
 * Replay under the current metric never invents history: the stabilization windows only ever see
 * recommendations that were really observed plus the current one (which the HPA would have
 * recorded at each replayed sync with the same value, so min/max over the window are unchanged),
 * and the current recommendation is stored once, at `now`. Scale events are stored at the sync
 * that made them, exactly as the HPA would have, so rate limits keep their meaning.
 */
import type { HpaBehavior } from '../spec/types.js';
import {
  longestPeriodSeconds,
  longestWindowSeconds,
  normalizeBehavior,
  normalizeLegacy,
  normalizeWithBehavior,
  type Normalized,
  type NormalizedBehavior,
} from './behavior.js';
import { combineProposals, type HpaMetric, type MetricFailureReason } from './replicaCalculator.js';
import type { ControllerSettings } from './resourceMetrics.js';
import { tolerancesFor } from './tolerances.js';
import type { Recommendation, ScaleEvent } from './types.js';

/** `--horizontal-pod-autoscaler-sync-period`. */
const HPA_SYNC_PERIOD_MS = 15_000;
/** Replay at most an hour of syncs; a longer gap means LPA was down, and an hour converges anyway. */
const MAX_REPLAYED_SYNCS = 240;

interface HpaInput {
  /** spec.replicas before the first sync (≥ 1: the HPA is disabled at 0). */
  readonly current: number;
  readonly statusReplicas: number;
  readonly readyReplicas: number;
  readonly metrics: readonly HpaMetric[];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** undefined → legacy path. */
  readonly behavior: HpaBehavior | undefined;
  readonly history: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  /** The controller flags Resource metrics read (CPU initialization period, initial readiness delay). */
  readonly controller: ControllerSettings;
  /** Times of the syncs to run, ascending; the last is `now`. */
  readonly syncTimes: readonly number[];
  readonly now: number;
}

/** What the last sync said, in the HPA's condition vocabulary. */
type HpaOutcome =
  | { readonly kind: 'bounds'; readonly reason: 'TooManyReplicas' | 'TooFewReplicas' }
  | { readonly kind: 'metricsFailed'; readonly reason: MetricFailureReason; readonly message: string }
  | { readonly kind: 'normalized'; readonly desired: number; readonly normalized: Normalized };

interface HpaResult {
  readonly replicas: number;
  readonly outcome: HpaOutcome;
  readonly history: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

/** Schedules are not exact: a sync that is due within 1.5 s counts as due now. */
const SYNC_JITTER_FRACTION = 0.1;

/**
 * The HPA syncs due since the last one, on its 15 s grid, the last one at `now` (on the metric just
 * read). None when the last sync was under ~15 s ago: evaluating every 5 s must not sync three
 * times as often as the HPA (the legacy path's max(2×current, 4) has no memory). Without a
 * previous sync: one, at now.
 */
const syncTimesSince = (lastSyncTime: number | undefined, now: number): number[] => {
  if (lastSyncTime === undefined) return [now];
  const due = Math.floor((now - lastSyncTime) / HPA_SYNC_PERIOD_MS + SYNC_JITTER_FRACTION);
  const count = Math.min(MAX_REPLAYED_SYNCS, due);
  const times: number[] = [];
  for (let k = 1; k < count; k++) times.push(lastSyncTime + (due - count + k) * HPA_SYNC_PERIOD_MS);
  if (count >= 1) times.push(now);
  return times;
};

/** Keeps one recommendation per value, the newest: windows only ask "is there a v younger than W". */
const recordRecommendation = (history: readonly Recommendation[], rec: Recommendation, oldest: number): Recommendation[] => {
  const kept = history.filter((h) => h.replicas !== rec.replicas && h.time >= oldest);
  kept.push(rec);
  return kept;
};

const runHpa = (input: HpaInput): HpaResult => {
  const behavior: NormalizedBehavior | undefined = input.behavior && normalizeBehavior(input.behavior);
  const tolerances = tolerancesFor(input.behavior);
  let current = input.current;
  // status.replicas follows spec.replicas within seconds (pods are created at once, ready or not),
  // so a replayed sync after a replayed change sees the new count; until then, the observed one.
  let status = input.statusReplicas;
  let upEvents = input.scaleUpEvents;
  let downEvents = input.scaleDownEvents;
  let outcome: HpaOutcome = { kind: 'metricsFailed', reason: 'FailedGetExternalMetric', message: 'no sync ran' };
  let recommended: number | undefined;

  for (const time of input.syncTimes) {
    let next: number;
    // reconcileAutoscaler's early branches: out-of-bounds counts are corrected without metrics,
    // stabilization or rate limits.
    if (current > input.maxReplicas) {
      next = input.maxReplicas;
      outcome = { kind: 'bounds', reason: 'TooManyReplicas' };
    } else if (current < input.minReplicas) {
      next = input.minReplicas;
      outcome = { kind: 'bounds', reason: 'TooFewReplicas' };
    } else {
      const pods = { current, status, ready: input.readyReplicas };
      const combined = combineProposals(input.metrics, pods, { tolerances, controller: input.controller, now: time });
      if (!combined.ok) {
        outcome = { kind: 'metricsFailed', reason: combined.reason, message: combined.message };
        continue;
      }
      const arg = {
        current,
        desired: combined.desired,
        minReplicas: input.minReplicas,
        maxReplicas: input.maxReplicas,
        history: input.history,
        scaleUpEvents: upEvents,
        scaleDownEvents: downEvents,
        now: time,
      };
      const normalized = behavior ? normalizeWithBehavior(behavior, arg) : normalizeLegacy(arg);
      outcome = { kind: 'normalized', desired: combined.desired, normalized };
      recommended = combined.desired;
      next = normalized.replicas;
    }
    // storeScaleEvent: only the behavior path keeps events.
    if (behavior && next !== current) {
      const event = { change: Math.abs(next - current), time };
      if (next > current) upEvents = [...upEvents, event];
      else downEvents = [...downEvents, event];
    }
    if (next !== current) status = next;
    current = next;
  }

  const windowStart = input.now - longestWindowSeconds(behavior) * 1000;
  const history =
    recommended === undefined
      ? input.history.filter((h) => h.time >= windowStart)
      : recordRecommendation(input.history, { replicas: recommended, time: input.now }, windowStart);
  return {
    replicas: current,
    outcome,
    history,
    scaleUpEvents: behavior ? pruneEvents(upEvents, longestPeriodSeconds(behavior.scaleUp), input.now) : [],
    scaleDownEvents: behavior ? pruneEvents(downEvents, longestPeriodSeconds(behavior.scaleDown), input.now) : [],
  };
};

/** `markScaleEventsOutdated`: an event as old as the longest period can no longer limit. */
const pruneEvents = (events: readonly ScaleEvent[], periodSeconds: number, now: number): readonly ScaleEvent[] => {
  const cutoff = now - periodSeconds * 1000;
  return events.every((e) => e.time > cutoff) ? events : events.filter((e) => e.time > cutoff);
};

export { HPA_SYNC_PERIOD_MS, MAX_REPLAYED_SYNCS, runHpa, syncTimesSince };
export type { HpaInput, HpaOutcome, HpaResult };
