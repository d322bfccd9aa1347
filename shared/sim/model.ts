/**
 * The simulated world between two evaluations: an SQS-like queue and the target's pods.
 *
 * One `advance()` is one second. Within it, in this order:
 * 1. pods whose start-up delay has passed become Ready;
 * 2. messages received `processingSeconds` ago are done and deleted;
 * 3. this second's arrivals become visible;
 * 4. Ready pods receive up to `processRatePerReplica` messages each; those stay in flight
 *    (`ApproximateNumberOfMessagesNotVisible`) for `processingSeconds`.
 *
 * So a busy replica holds rate × processingSeconds messages in flight (Little's law), which is
 * what `scaleOnInFlight` counts and why a queueLength near that number scales steadily.
 * Fractional rates carry over between seconds (0.5 msg/s is one message every other second).
 *
 * The model is a small mutable object on purpose: the in-flight messages sit in a ring of
 * `processingSeconds` slots, so every step is O(1) and a day is 86,400 cheap steps. It reads no
 * clock and does no I/O; the same calls give the same snapshots.
 *
 * Simplifications: scaling down removes pods at once, but their in-flight messages still finish
 * (a graceful shutdown, `preStop`); there are no delayed messages, visibility time-outs or retries.
 */
import type { Workload } from './workload.js';

/** What an observer sees at the start of `second`. */
interface ModelSnapshot {
  readonly second: number;
  readonly visible: number;
  readonly inFlight: number;
  readonly ready: number;
  /** Pods requested but not Ready yet. */
  readonly starting: number;
  /** Totals since second 0, so a run can be checked for conservation of messages. */
  readonly arrived: number;
  readonly deleted: number;
}

interface QueueModel {
  /** Simulates one second (see the file comment for the order of steps). */
  readonly advance: () => void;
  /** Applies a replica count now: new pods are Ready after `startupSeconds`, removed ones go at once. */
  readonly scaleTo: (replicas: number) => void;
  readonly snapshot: () => ModelSnapshot;
}

// Guards against 0.1 + 0.1 + … summing to 0.9999… and losing a message to floor().
const EPSILON = 1e-9;

/** Pods that exist, Ready or not: what the scale subresource reports as `status.replicas`. */
const podCount = (s: ModelSnapshot): number => s.ready + s.starting;

/** Visible plus in flight: every message the queue still holds. */
const queueDepth = (s: ModelSnapshot): number => s.visible + s.inFlight;

/**
 * A queue and a Deployment under `workload`, starting with `initialReady` Ready pods and an empty queue.
 *
 * @example
 * const model = createModel({ arrivals: [{ fromSecond: 0, ratePerSecond: 5 }], processRatePerReplica: 1, processingSeconds: 10, startupSeconds: 30 });
 * model.scaleTo(3);
 * for (let i = 0; i < 60; i += 1) model.advance();
 * model.snapshot().ready // 3
 */
const createModel = (workload: Workload, initialReady = 0): QueueModel => {
  const processing = Math.max(1, Math.round(workload.processingSeconds));
  // received[t % processing]: messages received at second t, deleted at t + processing.
  const received = new Array<number>(processing).fill(0);
  // When each starting pod becomes Ready, ascending: pods are created in time order.
  const starting: number[] = [];
  let second = 0;
  let segment = 0;
  let visible = 0;
  let inFlight = 0;
  let ready = initialReady;
  let arrivalCarry = 0;
  let capacityCarry = 0;
  let arrived = 0;
  let deleted = 0;

  const advance = (): void => {
    while (starting.length > 0 && (starting[0] ?? Infinity) <= second) {
      starting.shift();
      ready += 1;
    }
    const slot = second % processing;
    const done = received[slot] ?? 0;
    inFlight -= done;
    deleted += done;

    while ((workload.arrivals[segment + 1]?.fromSecond ?? Infinity) <= second) segment += 1;
    const arriving = (workload.arrivals[segment]?.ratePerSecond ?? 0) + arrivalCarry;
    const arrivals = Math.floor(arriving + EPSILON);
    arrivalCarry = Math.max(0, arriving - arrivals);
    visible += arrivals;
    arrived += arrivals;

    const capacity = ready * workload.processRatePerReplica + capacityCarry;
    const whole = Math.floor(capacity + EPSILON);
    // Only the fraction carries: idle capacity is not banked for later.
    capacityCarry = Math.max(0, capacity - whole);
    const taken = Math.min(visible, whole);
    visible -= taken;
    inFlight += taken;
    received[slot] = taken;
    second += 1;
  };

  const scaleTo = (replicas: number): void => {
    const current = ready + starting.length;
    for (let i = current; i < replicas; i += 1) starting.push(second + workload.startupSeconds);
    // A ReplicaSet deletes pods that are not Ready first; the newest of them are furthest from Ready.
    for (let i = current; i > replicas && starting.length > 0; i -= 1) starting.pop();
    ready = Math.min(ready, replicas);
  };

  const snapshot = (): ModelSnapshot => ({ second, visible, inFlight, ready, starting: starting.length, arrived, deleted });

  return { advance, scaleTo, snapshot };
};

export { createModel, podCount, queueDepth };
export type { ModelSnapshot, QueueModel };
