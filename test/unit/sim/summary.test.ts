import { describe, expect, it } from 'vitest';
import { createSummaryTracker } from '../../../shared/sim/summary.js';
import type { SecondView } from '../../../shared/sim/summary.js';

const view = (second: number, queue: number, waiting = queue, desired = 0, ready = 0): SecondView => ({
  second,
  queue,
  waiting,
  desired,
  ready,
});

const summarize = (views: readonly SecondView[]) => {
  const tracker = createSummaryTracker();
  for (const v of views) tracker.observe(v);
  return tracker.finish({ arrived: 0, deleted: 0 });
};

describe('Function: createSummaryTracker', () => {
  it('keeps the first second the peak queue was reached', () => {
    const s = summarize([view(0, 5), view(1, 9), view(2, 9), view(3, 4)]);
    expect([s.peakQueue, s.peakQueueSecond]).toEqual([9, 1]);
  });

  it('times the drain from the peak until no message is waiting, in-flight ones aside', () => {
    const s = summarize([view(0, 50), view(10, 20, 12), view(25, 6, 0), view(30, 0)]);
    expect(s.drainSeconds).toBe(25);
  });

  it('restarts the drain clock when a higher peak follows', () => {
    const s = summarize([view(0, 10), view(5, 0), view(8, 30), view(20, 2, 0)]);
    expect([s.peakQueueSecond, s.drainSeconds]).toEqual([8, 12]);
  });

  it('has no drain time when no message ever arrived or the backlog never cleared', () => {
    expect(summarize([view(0, 0), view(1, 0)]).drainSeconds).toBeUndefined();
    expect(summarize([view(0, 10), view(1, 20)]).drainSeconds).toBeUndefined();
  });

  it('tracks peak and final replicas and counts scale changes', () => {
    // Prepare
    const tracker = createSummaryTracker();

    // Act
    tracker.observe(view(0, 0, 0, 4, 2));
    tracker.observe(view(1, 0, 0, 9, 7));
    tracker.observe(view(2, 0, 0, 1, 1));
    tracker.evaluated(true);
    tracker.evaluated(false);
    const s = tracker.finish({ arrived: 3, deleted: 2 });

    // Assess
    expect(s).toMatchObject({ peakReplicas: 9, peakReady: 7, finalReplicas: 1, finalReady: 1, scaleChanges: 1, evaluations: 2 });
  });

  it('integrates the replicas asked for over time into pod-hours, each count holding until the next view', () => {
    const s = summarize([view(0, 0, 0, 2), view(1_800, 0, 0, 4), view(2_700, 0, 0, 0), view(3_600, 0, 0, 0)]);
    expect(s.podHours).toBe(2 * 0.5 + 4 * 0.25);
  });

  it('times the first replica from the first queued message to the first Ready pod', () => {
    const s = summarize([view(0, 0), view(10, 5, 5, 1, 0), view(40, 9, 9, 1, 0), view(70, 3, 3, 2, 1)]);
    expect(s.timeToFirstReplicaSeconds).toBe(60);
  });

  it('counts a pod already Ready when the first message comes as no wait, and none Ready after it as no time', () => {
    expect(summarize([view(0, 0, 0, 1, 1), view(5, 4, 4, 1, 1)]).timeToFirstReplicaSeconds).toBe(0);
    expect(summarize([view(0, 0), view(5, 4)]).timeToFirstReplicaSeconds).toBeUndefined();
  });

  it('integrates waiting messages (in-flight ones aside) into backlog-seconds, each count holding until the next view', () => {
    const s = summarize([view(0, 0), view(10, 50, 20), view(40, 30, 0), view(100, 0)]);
    expect(s.backlogSeconds).toBe(20 * 30);
  });
});
