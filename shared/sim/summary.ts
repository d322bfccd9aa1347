/**
 * The numbers a person wants after a run, folded second by second so a day costs no extra pass
 * and no per-second history.
 */

interface Summary {
  /** Largest visible + in-flight, and the first second it was reached. */
  readonly peakQueue: number;
  readonly peakQueueSecond: number;
  /** Largest replica count the engine asked for / largest count of Ready pods. */
  readonly peakReplicas: number;
  readonly peakReady: number;
  /**
   * Seconds from the peak queue until no message was waiting (none visible; in-flight ones are
   * being worked on). Undefined if the backlog never cleared, or there never was a message.
   */
  readonly drainSeconds: number | undefined;
  readonly finalReplicas: number;
  readonly finalReady: number;
  /** Evaluations whose replica count differed from the one before. */
  readonly scaleChanges: number;
  readonly evaluations: number;
  readonly messagesArrived: number;
  readonly messagesDeleted: number;
  /** Replicas asked for, integrated over time (what the pods cost), in hours. */
  readonly podHours: number;
  /**
   * Seconds from the first second a message is in the queue to the first second a replica is
   * Ready (0 when one already was). What a burst after a quiet night waits before any work starts.
   * Undefined when no message came, or no replica became Ready after it.
   */
  readonly timeToFirstReplicaSeconds: number | undefined;
  /**
   * Messages waiting (visible, not yet picked up), integrated over time: the total seconds all
   * messages spent waiting for a replica. Divided by messagesArrived, the mean wait.
   */
  readonly backlogSeconds: number;
}

/** One second's view, as the tracker needs it. */
interface SecondView {
  readonly second: number;
  /** Visible + in flight. */
  readonly queue: number;
  /** Visible only: messages no replica has picked up yet. */
  readonly waiting: number;
  readonly desired: number;
  readonly ready: number;
}

interface SummaryTracker {
  readonly observe: (view: SecondView) => void;
  readonly evaluated: (changed: boolean) => void;
  readonly finish: (totals: { readonly arrived: number; readonly deleted: number }) => Summary;
}

/**
 * A tracker the loop feeds once per second. Mutable inside, on purpose: it is private to one run
 * and keeps the per-second cost at a few comparisons.
 */
const createSummaryTracker = (): SummaryTracker => {
  let peakQueue = 0;
  let peakQueueSecond = 0;
  let peakReplicas = 0;
  let peakReady = 0;
  let drainedAt: number | undefined;
  let last: SecondView = { second: 0, queue: 0, waiting: 0, desired: 0, ready: 0 };
  let evaluations = 0;
  let scaleChanges = 0;
  let podSeconds = 0;
  let backlogSeconds = 0;
  let firstMessageAt: number | undefined;
  let firstReadyAt: number | undefined;

  const observe = (view: SecondView): void => {
    if (view.queue > peakQueue) {
      peakQueue = view.queue;
      peakQueueSecond = view.second;
      drainedAt = undefined;
    }
    if (drainedAt === undefined && peakQueue > 0 && view.waiting === 0) drainedAt = view.second;
    peakReplicas = Math.max(peakReplicas, view.desired);
    peakReady = Math.max(peakReady, view.ready);
    // The count holds until the next view: views are a second apart in a simulation, irregular in npm start.
    podSeconds += last.desired * Math.max(0, view.second - last.second);
    backlogSeconds += last.waiting * Math.max(0, view.second - last.second);
    if (firstMessageAt === undefined && view.queue > 0) firstMessageAt = view.second;
    if (firstMessageAt !== undefined && firstReadyAt === undefined && view.ready > 0) firstReadyAt = view.second;
    last = view;
  };

  const evaluated = (changed: boolean): void => {
    evaluations += 1;
    if (changed) scaleChanges += 1;
  };

  const finish: SummaryTracker['finish'] = (totals) => ({
    peakQueue,
    peakQueueSecond,
    peakReplicas,
    peakReady,
    drainSeconds: drainedAt === undefined ? undefined : drainedAt - peakQueueSecond,
    finalReplicas: last.desired,
    finalReady: last.ready,
    scaleChanges,
    evaluations,
    messagesArrived: totals.arrived,
    messagesDeleted: totals.deleted,
    podHours: podSeconds / 3_600,
    timeToFirstReplicaSeconds: firstMessageAt === undefined || firstReadyAt === undefined ? undefined : firstReadyAt - firstMessageAt,
    backlogSeconds,
  });

  return { observe, evaluated, finish };
};

export { createSummaryTracker };
export type { SecondView, Summary, SummaryTracker };
