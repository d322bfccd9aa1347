import { describe, expect, it } from 'vitest';
import { demoLambdaContext, runDemo } from '../../../dev/demoRun.js';
import { invocationBudget } from '../../../shared/app/deadline.js';
import type { DemoPlan, DemoWorld } from '../../../dev/demoRun.js';

const PLAN: DemoPlan = { burst: { atSecond: 5, messages: 600 }, invokeEverySeconds: 5, tailSeconds: 10, giveUpSeconds: 300 };

/**
 * `npm start`'s world in virtual time: pods take 2 msg/s each and hold a message 10 s in flight,
 * start in 10 s; the "handler" asks for one pod per 20 messages (at most 12) and goes back to 0
 * 20 s after the queue is empty. Sending the burst takes 0.3 s, as 60 batch calls would.
 */
const fakeWorld = (options: { readonly pods?: boolean } = {}): DemoWorld => {
  let now = 0;
  let visible = 0;
  let desired = 0;
  let lastActive = 0;
  let tick = 0;
  const pods: number[] = [];
  const held: { doneAt: number; count: number }[] = [];
  const inFlight = () => held.reduce((sum, h) => sum + h.count, 0);
  const ready = () => pods.filter((at) => at <= now).length;
  return {
    elapsed: () => now,
    waitUntil: async (second) => {
      now = Math.max(now, second);
    },
    send: async (messages) => {
      now += 0.3;
      visible += messages;
    },
    invoke: async () => {
      const queue = visible + inFlight();
      if (queue > 0) lastActive = now;
      const wanted = queue > 0 ? Math.min(12, Math.ceil(queue / 20)) : now - lastActive >= 20 ? 0 : desired;
      if (options.pods !== false) {
        while (pods.length < wanted) pods.push(now + 10);
        pods.length = wanted;
      }
      const reason = wanted === desired ? 'DesiredWithinRange' : 'ScaleUpLimit';
      desired = wanted;
      return { reason, message: `→ ${wanted}` };
    },
    work: async () => {
      tick += 1;
      while ((held[0]?.doneAt ?? Infinity) <= tick) held.shift();
      const taken = Math.min(visible, ready() * 2);
      visible -= taken;
      if (taken > 0) held.push({ doneAt: tick + 10, count: taken });
    },
    view: async () => ({ visible, inFlight: inFlight(), desired, ready: ready() }),
  };
};

const queueOf = (s: { readonly visible: number; readonly inFlight: number }): number => s.visible + s.inFlight;

describe('Function: runDemo (npm start, in virtual time)', () => {
  it('draws the queue at 0 until the burst is sent, then at 600 when it was sent', async () => {
    // Act
    const { samples } = await runDemo(fakeWorld(), PLAN);

    // Assess: the last empty sample is taken at the burst second, the first full one 0.3 s later.
    const first = samples.findIndex((s) => queueOf(s) > 0);
    expect(samples.slice(0, first).every((s) => s.second <= PLAN.burst.atSecond)).toBe(true);
    expect(samples[first - 1]).toMatchObject({ second: 5, visible: 0, inFlight: 0 });
    expect(samples[first]).toMatchObject({ second: 5.3, visible: 600 });
  });

  it('draws the arrival rate as the burst over the time sending it took, and 0 otherwise', async () => {
    // Act
    const { samples } = await runDemo(fakeWorld(), PLAN);

    // Assess: a step from the moment sending began (the chart holds a rate until the next sample).
    const sending = samples.filter((s) => s.arrivalsPerSecond > 0);
    expect(sending.map((s) => [s.second, s.arrivalsPerSecond])).toEqual([[5, 2_000]]);
    expect(samples[samples.indexOf(sending[0]!) + 1]).toMatchObject({ second: 5.3, arrivalsPerSecond: 0 });
  });

  it('records the messages pods hold in flight apart from the visible ones', async () => {
    // Act
    const { samples } = await runDemo(fakeWorld(), PLAN);

    // Assess: while pods work, in-flight is what they hold: 2 msg/s × 10 s per Ready pod.
    const working = samples.filter((s) => s.ready > 0 && s.visible > 0);
    expect(working.length).toBeGreaterThan(0);
    for (const s of working) expect(s.inFlight).toBeGreaterThan(0);
    expect(Math.max(...samples.map((s) => s.inFlight))).toBe(12 * 2 * 10);
  });

  it('keeps recording after the drop to zero, so the drop sits inside the chart and not on its right border', async () => {
    // Act
    const recording = await runDemo(fakeWorld(), PLAN);

    // Assess
    const { samples } = recording;
    const drop = samples.findIndex((s, i) => i > 0 && s.desired === 0 && (samples[i - 1]?.desired ?? 0) > 0);
    expect(drop).toBeGreaterThan(0);
    const last = samples.at(-1);
    expect((last?.second ?? 0) - (samples[drop]?.second ?? 0)).toBeGreaterThanOrEqual(PLAN.tailSeconds);
    expect(recording.settled).toBe(true);
    expect(recording.changes.at(-1)).toMatchObject({ to: 0 });
  });

  it('gives up, unsettled, when the queue never drains', async () => {
    // Act: the "handler" scales, but no pod ever starts.
    const recording = await runDemo(fakeWorld({ pods: false }), { ...PLAN, giveUpSeconds: 60 });

    // Assess
    expect(recording.settled).toBe(false);
    expect(recording.samples.at(-1)?.second).toBeLessThanOrEqual(62);
  });
});

describe('Function: demoLambdaContext', () => {
  it('leaves each npm start invocation 4 s of budget after the return margin (with less, every tick ended DeadlineExceeded)', () => {
    const now = Date.parse('2026-12-02T17:00:00Z');
    const context = demoLambdaContext(1);
    expect(invocationBudget(now, context.getRemainingTimeInMillis()) - now).toBe(4_000);
  });
});
