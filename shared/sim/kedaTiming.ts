/**
 * KEDA + HPA's timing, for `lpa simulate --compare keda`: the same ScaledObject and workload, the
 * same engine maths (KEDA's scale step `kedaStep`, the HPA's `runHpa`, the trigger readings), run
 * on the two schedules a cluster with KEDA runs them on instead of LPA's one:
 *
 * - KEDA's operator polls every `pollingInterval` (seconds 0, p, 2p, …: the same grid LPA
 *   evaluates on). A poll reads every trigger and is the only step that moves replicas between 0
 *   (or idleReplicaCount) and max(minReplicaCount, 1): activation, and the scale to zero once
 *   `cooldownPeriod` has passed since the last active poll (`executor.RequestScale`).
 * - The HPA syncs every 15 s on its own grid, from second `hpaPhaseSeconds`. Each sync asks
 *   KEDA's metrics adapter, which queries the scaler again (`scaleHandler.GetScaledObjectMetrics`
 *   calls `GetMetricsAndActivityForScaler`; keda-semantics.md §2.6), so the HPA sees the queue as
 *   it is at the sync; a trigger with `useCachedMetrics: true` is answered from the record its
 *   last poll stored instead (live when there is none yet). At 0 replicas (or parked at idle) the
 *   HPA is disabled (`ScalingDisabled`) and does nothing.
 *
 * So a burst after a quiet spell is activated to 1 at the first poll that sees it, and the HPA
 * grows it from its next sync, up to 15 s later; LPA's `decide` runs the HPA's step in the same
 * evaluation as the activation. When a poll and a sync fall on the same second, the poll runs first.
 *
 * The phase is a choice, not a fact: a controller-manager's 15 s loop starts whenever it started.
 * The default, 7 s after the polls, is the expected wait under a random phase (7.5 s) rounded
 * down, so the comparison neither flatters nor penalizes KEDA. Pause annotations are read as
 * `decide` reads them for the HPA's behavior; a paused object is not a meaningful comparison.
 */
import { kedaStep } from '../engine/activation.js';
import { effectiveBehavior } from '../engine/decide.js';
import { HPA_SYNC_PERIOD_MS, runHpa } from '../engine/hpa.js';
import { hpaReason } from '../engine/report.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../engine/resourceMetrics.js';
import { readTriggers } from '../engine/triggerReadings.js';
import { Reason } from '../engine/types.js';
import type { MetricReading, Observation, Recommendation, ScaleEvent } from '../engine/types.js';
import type { ControllerFactory, ControlStep } from './loop.js';
import { podCount } from './model.js';
import type { ModelSnapshot } from './model.js';

const HPA_SYNC_SECONDS = HPA_SYNC_PERIOD_MS / 1_000;
const DEFAULT_HPA_PHASE_SECONDS = 7;

interface KedaTimingOptions {
  /** Second of the HPA's first sync, 0 ≤ phase < 15; default 7. */
  readonly hpaPhaseSeconds?: number;
}

/** The HPA controller's memory of one HPA: recommendations and scale events, as `runHpa` keeps them. */
interface HpaMemory {
  readonly history: readonly Recommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
  readonly reason: Reason | undefined;
}

/**
 * KEDA's operator and the HPA as one simulation controller (see the file comment).
 *
 * @example
 * runSimulation({ scaledObject, workload, durationSeconds: 1800, decide, controller: kedaController() })
 */
const kedaController =
  (options: KedaTimingOptions = {}): ControllerFactory =>
  ({ arg, start, poll, readMetrics }) => {
    const so = arg.scaledObject;
    const { minReplicaCount: min, maxReplicaCount: max, idleReplicaCount: idle } = so.spec;
    const phase = options.hpaPhaseSeconds ?? DEFAULT_HPA_PHASE_SECONDS;
    const createdAtKnown = so.metadata.creationTimestamp !== undefined;
    const createdAt = createdAtKnown ? Date.parse(so.metadata.creationTimestamp as string) : start;
    const cachedKeys = new Set(so.spec.triggers.filter((t) => t.useCachedMetrics).map((t) => t.key));
    let failures: Readonly<Record<string, number>> = {};
    let lastActiveTime: number | undefined;
    let cached: Readonly<Record<string, MetricReading>> = {};
    // KEDA creates the HPA with the ScaledObject; its first sync records the count it finds.
    const initial = arg.initialReplicas ?? idle ?? min;
    let hpa: HpaMemory = { history: [{ replicas: initial, time: start }], scaleUpEvents: [], scaleDownEvents: [], reason: undefined };

    const observe = (view: ModelSnapshot, desired: number, metrics: Observation['metrics']): Observation => ({
      specReplicas: desired,
      statusReplicas: podCount(view),
      readyReplicas: view.ready,
      metrics,
    });

    const operatorPoll = (now: number, view: ModelSnapshot, desired: number): ControlStep => {
      const metrics = readMetrics(view);
      cached = metrics;
      const readings = readTriggers(so, observe(view, desired, metrics), failures, DEFAULT_CONTROLLER_SETTINGS, now);
      failures = readings.failures;
      const active = so.pause.forceActivation || readings.active;
      const step = kedaStep({ so, current: desired, active, isError: readings.isError, lastActiveTime, createdAt, createdAtKnown, now });
      lastActiveTime = step.lastActiveTime;
      const waiting = step.cooldownEndsAt === undefined ? Reason.ScalerNotActive : Reason.ScalerCooldown;
      const reason = step.reason ?? (active && desired >= 1 ? (hpa.reason ?? Reason.DesiredWithinRange) : waiting);
      return { replicas: step.replicas, reason, message: step.message ?? `operator poll: ${readings.summary}` };
    };

    const hpaSync = (now: number, view: ModelSnapshot, desired: number): ControlStep => {
      const live = readMetrics(view);
      const metrics = Object.fromEntries(Object.entries(live).map(([key, value]) => [key, cachedKeys.has(key) ? (cached[key] ?? value) : value]));
      const readings = readTriggers(so, observe(view, desired, metrics), failures, DEFAULT_CONTROLLER_SETTINGS, now);
      failures = readings.failures;
      const result = runHpa({
        current: desired,
        statusReplicas: podCount(view),
        readyReplicas: view.ready,
        metrics: readings.hpaMetrics,
        minReplicas: Math.max(min, 1),
        maxReplicas: max,
        behavior: effectiveBehavior(so),
        controller: DEFAULT_CONTROLLER_SETTINGS,
        history: hpa.history,
        scaleUpEvents: hpa.scaleUpEvents,
        scaleDownEvents: hpa.scaleDownEvents,
        syncTimes: [now],
        now,
      });
      hpa = { history: result.history, scaleUpEvents: result.scaleUpEvents, scaleDownEvents: result.scaleDownEvents, reason: hpaReason(result) };
      return { replicas: result.replicas, reason: hpa.reason ?? Reason.DesiredWithinRange, message: `HPA sync: ${readings.summary}` };
    };

    return (second, view, desired) => {
      const now = start + second * 1_000;
      const polled = second % poll === 0 ? operatorPoll(now, view, desired) : undefined;
      const current = polled?.replicas ?? desired;
      // The HPA is disabled at 0, and KEDA parks idleReplicaCount below the HPA's minimum.
      const hpaEnabled = current >= 1 && current !== idle;
      const synced = second >= phase && (second - phase) % HPA_SYNC_SECONDS === 0 && hpaEnabled ? hpaSync(now, view, current) : undefined;
      return synced ?? polled;
    };
  };

export { DEFAULT_HPA_PHASE_SECONDS, kedaController };
export type { KedaTimingOptions };
