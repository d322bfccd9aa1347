/**
 * The simulation loop: the same `decide` the Lambda runs, driven by virtual time.
 *
 * For each second t = 0 … duration:
 * 1. ask the controller; LPA's (the default) acts when t is a multiple of `pollingInterval`: it
 *    observes the model (spec = last decided replicas, status = pods that exist, ready = Ready
 *    pods, metrics from signals.ts), calls `decide` with `now` = start + t and the previous state;
 *    whatever replicas a controller returns are applied to the model;
 * 2. record a table row / chart sample when t falls on their grid;
 * 3. advance the model by one second (model.ts).
 *
 * Cost: O(1) per second plus one `decide` per poll, so a day is 86,400 steps and 2,880 decisions.
 *
 * `decide` is injected so the loop can be tested without the engine, and so nothing here reads a
 * clock: a run is a pure function of its arguments.
 */
import { errorMessage, LpaError } from '../errors.js';
import type { Decision, EngineState, EvaluationInput, Reason } from '../engine/types.js';
import type { ScaledObject } from '../spec/types.js';
import { clockFormat, formatClock } from './duration.js';
import { createModel, podCount, queueDepth } from './model.js';
import type { ModelSnapshot } from './model.js';
import { createMetricReader } from './signals.js';
import type { MetricReader, Signal } from './signals.js';
import { createSummaryTracker } from './summary.js';
import type { Summary } from './summary.js';
import { rateAt } from './workload.js';
import type { Workload } from './workload.js';

type DecideFn = (input: EvaluationInput) => Decision;

interface SimulationArg {
  readonly scaledObject: ScaledObject;
  readonly workload: Workload;
  readonly durationSeconds: number;
  readonly decide: DecideFn;
  /** Readings for triggers the queue does not feed; default 0. */
  readonly signal?: Signal;
  /** Epoch ms of second 0. Default: 2025-01-01T00:00:00Z, so a run is reproducible and `day` starts at midnight. */
  readonly startTime?: number;
  /** Pods running (and Ready) at second 0. Default: idleReplicaCount ?? minReplicaCount, what a settled target would have. */
  readonly initialReplicas?: number;
  /** Seconds between table rows; default 60. */
  readonly rowEverySeconds?: number;
  /** Seconds between chart samples; default `chartResolution(durationSeconds)`. */
  readonly sampleEverySeconds?: number;
  /** Who scales the target and when; default LPA: `decide` every pollingInterval. */
  readonly controller?: ControllerFactory;
}

/** What a controller did at one second: the replica count it set and why. */
interface ControlStep {
  readonly replicas: number;
  readonly reason: Reason;
  readonly message: string;
}

/**
 * A controller sees the model at each second and returns a step when it evaluated something
 * (undefined: nothing ran this second). LPA runs `decide` on the polling grid; kedaTiming.ts
 * runs KEDA's operator and the HPA on their own grids.
 */
type Controller = (second: number, view: ModelSnapshot, desired: number) => ControlStep | undefined;

interface ControllerContext {
  readonly arg: SimulationArg;
  readonly start: number;
  readonly poll: number;
  readonly readMetrics: MetricReader;
}

type ControllerFactory = (context: ControllerContext) => Controller;

/** The world at one second, after that second's evaluation (if any). */
interface Sample {
  readonly second: number;
  readonly arrivalsPerSecond: number;
  readonly visible: number;
  readonly inFlight: number;
  /** The replica count last decided (the Deployment's `spec.replicas`). */
  readonly desired: number;
  readonly ready: number;
  /** The last decision's reason; undefined before the first evaluation. */
  readonly reason: Reason | undefined;
}

interface ScaleChange {
  readonly second: number;
  readonly from: number;
  readonly to: number;
  readonly reason: Reason;
  readonly message: string;
}

interface SimulationResult {
  readonly scaledObject: ScaledObject;
  readonly workload: Workload;
  readonly durationSeconds: number;
  readonly pollingIntervalSeconds: number;
  /** Seconds between table rows (the last row is the final second, whatever the step). */
  readonly rowEverySeconds: number;
  readonly rows: readonly Sample[];
  readonly samples: readonly Sample[];
  readonly changes: readonly ScaleChange[];
  readonly summary: Summary;
}

/** `decide` threw; carries the simulated time so the failing evaluation can be replayed. */
class SimulationError extends LpaError {
  readonly second: number;
  constructor(message: string, second: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SimulationError';
    this.second = second;
  }
}

const DEFAULT_START_TIME = Date.UTC(2025, 0, 1);
const DEFAULT_ROW_EVERY_SECONDS = 60;
// Enough points for a 1,000-pixel-wide chart; more would only bloat the SVG.
const MAX_CHART_POINTS = 1_500;
const CHART_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600] as const;

/** The finest sampling step that keeps a chart under MAX_CHART_POINTS points. */
const chartResolution = (durationSeconds: number): number =>
  CHART_STEPS.find((step) => durationSeconds / step <= MAX_CHART_POINTS) ?? 3_600;

const sampleOf = (model: ModelSnapshot, workload: Workload, desired: number, reason: Reason | undefined): Sample => ({
  second: model.second,
  arrivalsPerSecond: rateAt(workload.arrivals, model.second),
  visible: model.visible,
  inFlight: model.inFlight,
  desired,
  ready: model.ready,
  reason,
});

/**
 * Runs one ScaledObject against one workload for `durationSeconds` of virtual time.
 *
 * @example
 * const result = runSimulation({ scaledObject, workload, durationSeconds: 1800, decide });
 * result.summary.peakReplicas
 */
const runSimulation = (arg: SimulationArg): SimulationResult => {
  const { scaledObject, workload, durationSeconds } = arg;
  const spec = scaledObject.spec;
  const poll = Math.max(1, Math.round(spec.pollingInterval));
  const start = arg.startTime ?? DEFAULT_START_TIME;
  const rowEvery = arg.rowEverySeconds ?? DEFAULT_ROW_EVERY_SECONDS;
  const sampleEvery = arg.sampleEverySeconds ?? chartResolution(durationSeconds);
  const readMetrics = createMetricReader(scaledObject, arg.signal);
  const tracker = createSummaryTracker();

  let desired = arg.initialReplicas ?? spec.idleReplicaCount ?? spec.minReplicaCount;
  // The pods of a settled target are already Ready at second 0.
  const model = createModel(workload, desired);
  let reason: Reason | undefined;
  const rows: Sample[] = [];
  const samples: Sample[] = [];
  const changes: ScaleChange[] = [];

  const control = (arg.controller ?? lpaController)({ arg, start, poll, readMetrics });

  for (let t = 0; t <= durationSeconds; t += 1) {
    let view = model.snapshot();
    const step = control(t, view, desired);
    if (step !== undefined) {
      reason = step.reason;
      tracker.evaluated(step.replicas !== desired);
      if (step.replicas !== desired) changes.push({ second: t, from: desired, to: step.replicas, reason, message: step.message });
      desired = step.replicas;
      model.scaleTo(desired);
      view = model.snapshot();
    }
    tracker.observe({ second: t, queue: queueDepth(view), waiting: view.visible, desired, ready: view.ready });
    if (t % rowEvery === 0 || t === durationSeconds) rows.push(sampleOf(view, workload, desired, reason));
    if (t % sampleEvery === 0 || t === durationSeconds) samples.push(sampleOf(view, workload, desired, reason));
    if (t < durationSeconds) model.advance();
  }

  const end = model.snapshot();
  const summary = tracker.finish({ arrived: end.arrived, deleted: end.deleted });
  return { scaledObject, workload, durationSeconds, pollingIntervalSeconds: poll, rowEverySeconds: rowEvery, rows, samples, changes, summary };
};

/** LPA as the Lambda runs it: `decide` (KEDA's layer and the HPA's together) every pollingInterval. */
const lpaController: ControllerFactory = ({ arg, start, poll, readMetrics }) => {
  let state: EngineState | undefined;
  return (second, model, desired) => {
    if (second % poll !== 0) return undefined;
    const decision = evaluate(arg, { model, desired, state, now: start + second * 1_000, readMetrics });
    state = decision.state;
    return decision;
  };
};

interface EvaluationContext {
  readonly model: ModelSnapshot;
  readonly desired: number;
  readonly state: EngineState | undefined;
  readonly now: number;
  readonly readMetrics: MetricReader;
}

const evaluate = (arg: SimulationArg, ctx: EvaluationContext): Decision => {
  const input: EvaluationInput = {
    scaledObject: arg.scaledObject,
    observation: {
      specReplicas: ctx.desired,
      statusReplicas: podCount(ctx.model),
      readyReplicas: ctx.model.ready,
      metrics: ctx.readMetrics(ctx.model),
    },
    ...(ctx.state === undefined ? {} : { state: ctx.state }),
    now: ctx.now,
  };
  try {
    return arg.decide(input);
  } catch (error) {
    const at = formatClock(ctx.model.second, clockFormat(arg.durationSeconds));
    const detail = errorMessage(error);
    throw new SimulationError(`the engine failed at ${at} (second ${ctx.model.second}): ${detail}`, ctx.model.second, {
      cause: error,
    });
  }
};

export { chartResolution, runSimulation, SimulationError };
export type { ControlStep, Controller, ControllerFactory, DecideFn, Sample, ScaleChange, SimulationArg, SimulationResult };
