/**
 * The loop of `npm start`, apart from the services it drives, so a test can run it in virtual time.
 *
 * Once a second it lets the pods work, sends the burst when its second comes, invokes the handler
 * every `invokeEverySeconds`, and records what the queue and the Deployment look like. What it
 * records is what the chart draws, so it is recorded as it happened:
 * - a sample just before the burst is sent and one just after, at the times they were taken, so the
 *   queue line rises while the messages arrive and not across the second before; the arrival rate
 *   is the burst over the time sending it took;
 * - visible and in-flight messages apart (the pods hold what they work on in flight);
 * - a few quiet seconds after the Deployment is back at zero, so the final drop is inside the chart.
 */
import type { Context } from 'aws-lambda';
import { RETURN_MARGIN_MS } from '../shared/app/deadline.js';
import type { Reason } from '../shared/engine/types.js';
import type { Sample, ScaleChange } from '../shared/sim/loop.js';
import { createSummaryTracker } from '../shared/sim/summary.js';
import type { Summary } from '../shared/sim/summary.js';
import { fakeLambdaContext } from './local/lambdaContext.js';

/** The queue and the Deployment at one moment. */
interface WorldView {
  readonly visible: number;
  readonly inFlight: number;
  /** The Deployment's spec.replicas. */
  readonly desired: number;
  readonly ready: number;
}

/** What the demo drives: the local services in `npm start`, a model in tests. */
interface DemoWorld {
  /** Seconds since the demo started. */
  readonly elapsed: () => number;
  /** Resolves once `elapsed()` reaches `second`. */
  readonly waitUntil: (second: number) => Promise<void>;
  readonly send: (messages: number) => Promise<void>;
  /** One invocation of the scaler handler; its decision for the demo's object. */
  readonly invoke: () => Promise<{ readonly reason: Reason; readonly message: string }>;
  /** Lets the Ready pods work for one second. */
  readonly work: () => Promise<void>;
  readonly view: () => Promise<WorldView>;
}

interface DemoPlan {
  readonly burst: { readonly atSecond: number; readonly messages: number };
  readonly invokeEverySeconds: number;
  /** Quiet seconds recorded after the Deployment is back at zero with an empty queue. */
  readonly tailSeconds: number;
  readonly giveUpSeconds: number;
}

interface DemoRecording {
  readonly samples: readonly Sample[];
  readonly changes: readonly ScaleChange[];
  readonly summary: (deleted: number) => Summary;
  /** True when the run ended at zero replicas and an empty queue, false when it gave up. */
  readonly settled: boolean;
}

/** Seconds to 0.1: samples are placed where they were taken, not on the whole second before. */
const tenths = (seconds: number): number => Math.round(seconds * 10) / 10;

/**
 * Runs the demo against `world`; `onSample` sees each sample as it is taken, and whether the
 * handler ran just before it (the live table prints those).
 *
 * @example
 * const recording = await runDemo(world, { burst: { atSecond: 5, messages: 600 }, invokeEverySeconds: 5, tailSeconds: 10, giveUpSeconds: 180 });
 */
const runDemo = async (world: DemoWorld, plan: DemoPlan, onSample: (sample: Sample, invoked: boolean) => void = () => {}): Promise<DemoRecording> => {
  const samples: Sample[] = [];
  const changes: ScaleChange[] = [];
  const tracker = createSummaryTracker();
  let reason: Reason | undefined;
  let sent = false;
  let scaledUp = false;
  let quietSince: number | undefined;

  const take = async (): Promise<{ readonly second: number; readonly view: WorldView }> => ({ second: tenths(world.elapsed()), view: await world.view() });
  const record = ({ second, view }: { readonly second: number; readonly view: WorldView }, arrivalsPerSecond: number, invoked = false): WorldView => {
    const sample: Sample = { second, arrivalsPerSecond, ...view, reason };
    samples.push(sample);
    tracker.observe({ second, queue: view.visible + view.inFlight, waiting: view.visible, desired: view.desired, ready: view.ready });
    onSample(sample, invoked);
    return view;
  };

  for (let second = 0; ; second += 1) {
    await world.waitUntil(second);
    if (second > 0) await world.work();
    if (!sent && second >= plan.burst.atSecond) {
      // The messages arrive while they are being sent: the rate over that span, from the moment it began.
      const before = await take();
      await world.send(plan.burst.messages);
      sent = true;
      const took = Math.max(0.1, tenths(world.elapsed()) - before.second);
      record(before, Math.round(plan.burst.messages / took));
    }
    const invoke = second % plan.invokeEverySeconds === 0;
    if (invoke) {
      const before = (await world.view()).desired;
      const decision = await world.invoke();
      reason = decision.reason;
      const after = (await world.view()).desired;
      tracker.evaluated(after !== before);
      if (after !== before) changes.push({ second: tenths(world.elapsed()), from: before, to: after, reason, message: decision.message });
    }
    const view = record(await take(), 0, invoke);
    scaledUp ||= view.desired > 0;
    const quiet = sent && scaledUp && view.visible + view.inFlight === 0 && view.desired === 0;
    quietSince = quiet ? (quietSince ?? world.elapsed()) : undefined;
    if (quietSince !== undefined && world.elapsed() - quietSince >= plan.tailSeconds) {
      return { samples, changes, summary: (deleted) => tracker.finish({ arrived: plan.burst.messages, deleted }), settled: true };
    }
    if (world.elapsed() > plan.giveUpSeconds) {
      return { samples, changes, summary: (deleted) => tracker.finish({ arrived: sent ? plan.burst.messages : 0, deleted }), settled: false };
    }
  }
};

/**
 * The Lambda context of the demo's n-th invocation: 4 s of work (a tick every 5 s, so no sub-minute
 * pass), on top of the margin the handler keeps for returning; with less, no tick had any budget.
 */
const demoLambdaContext = (n: number): Context =>
  fakeLambdaContext({ requestId: `demo-${n}`, functionName: 'lpa-scaler', remainingMs: RETURN_MARGIN_MS + 4_000 });

export { demoLambdaContext, runDemo };
export type { DemoPlan, DemoRecording, DemoWorld, WorldView };
