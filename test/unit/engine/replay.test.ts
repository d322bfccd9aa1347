/**
 * The one deliberate difference (DESIGN.md §3): an evaluation replays the HPA's 15 s syncs since
 * the previous one, and activation from zero plus the first HPA step happen in one evaluation.
 */
import { describe, expect, it } from 'vitest';
import { syncTimesSince } from '../../../shared/engine/hpa.js';
import { NOW, SECOND, emptyState, evaluate, observe, rec, replay, value } from '../../helpers/evaluation.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

const queue = (depth: number) => ({ '0': value(depth) });
const withDefaults = (overrides: Parameters<typeof makeScaledObject>[0] = {}) =>
  makeScaledObject({ target: 10, minReplicaCount: 1, maxReplicaCount: 50, behavior: {}, ...overrides });

describe('Function: syncTimesSince', () => {
  it.each([
    { comment: 'no previous sync: one sync at now', last: undefined, expected: [0] },
    { comment: 'a minute ago: four syncs on the 15 s grid, the last at now', last: -60, expected: [-45, -30, -15, 0] },
    { comment: '50 s ago: three syncs on the grid of the last one, the last at now', last: -50, expected: [-35, -20, 0] },
    { comment: '59.9 s ago (a late schedule): still four syncs', last: -59.9, expected: [-44.9, -29.9, -14.9, 0] },
    { comment: '10 s ago: no sync due (the HPA syncs every 15 s)', last: -10, expected: [] },
    { comment: '14 s ago: due within the jitter allowance', last: -14, expected: [0] },
    { comment: 'clock went backwards: no sync', last: 30, expected: [] },
  ])('$comment', ({ last, expected }) => {
    // Act
    const times = syncTimesSince(last === undefined ? undefined : NOW + last * SECOND, NOW);
    // Assess
    expect(times.map((t) => Math.round((t - NOW) / 100) / 10)).toEqual(expected);
  });

  it('replays at most an hour of syncs after a long outage', () => {
    expect(syncTimesSince(NOW - 24 * 3600 * SECOND, NOW)).toHaveLength(240);
  });
});

describe('Function: decide (replayed syncs)', () => {
  it('follows the worked example of hpa-spec §11.1 in one sync: 3 → 7 limited by Pods 4', () => {
    // Prepare: queue 95, target 10, history seeded with 3, no previous evaluation.
    const so = withDefaults();
    // Act
    const decision = evaluate(so, observe({ spec: 3, metrics: queue(95) }), emptyState({ recommendations: [rec(3, 0)] }));
    // Assess
    expect(decision.replicas).toBe(7);
    expect(decision.reason).toBe('ScaleUpLimit');
    expect(decision.state.scaleUpEvents).toEqual([{ change: 4, time: NOW }]);
  });

  it('reaches what two HPA syncs reach when the previous evaluation was 30 s ago: 3 → 7 → 10', () => {
    const so = withDefaults();
    const state = emptyState({ lastEvaluationTime: NOW - 30 * SECOND, recommendations: [rec(3, 30)] });
    const decision = evaluate(so, observe({ spec: 3, metrics: queue(95) }), state);
    expect(decision.replicas).toBe(10);
    // The +4 of the replayed sync is already 15 s old: outside every 15 s period, so it is pruned.
    expect(decision.state.scaleUpEvents).toEqual([{ change: 3, time: NOW }]);
  });

  it('records the observed recommendation once, at now, not at each replayed sync', () => {
    const so = withDefaults();
    const state = emptyState({ lastEvaluationTime: NOW - 60 * SECOND, recommendations: [rec(3, 60)] });
    const decision = evaluate(so, observe({ spec: 3, metrics: queue(95) }), state);
    expect(decision.state.recommendations).toEqual([
      { replicas: 3, time: NOW - 60 * SECOND },
      { replicas: 10, time: NOW },
    ]);
  });

  it('keeps the scale-down stabilization window: a recommendation of 10 a minute ago holds 10', () => {
    const so = withDefaults();
    const state = emptyState({ lastEvaluationTime: NOW - 60 * SECOND, recommendations: [rec(10, 60)] });
    const decision = evaluate(so, observe({ spec: 10, metrics: queue(20) }), state);
    expect(decision.replicas).toBe(10);
    expect(decision.reason).toBe('ScaleDownStabilized');
  });

  it('scales down once the window has passed, in one step under the default Percent 100 policy', () => {
    const so = withDefaults();
    const state = emptyState({ lastEvaluationTime: NOW - 60 * SECOND, recommendations: [rec(10, 301)] });
    const decision = evaluate(so, observe({ spec: 10, metrics: queue(20) }), state);
    expect(decision.replicas).toBe(2);
  });

  it('replays the legacy path too: max(2C, 4) per sync, 1 → 4 → 8 → 16 → 32 in a minute', () => {
    const so = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 100 });
    const state = emptyState({ lastEvaluationTime: NOW - 60 * SECOND });
    const decision = evaluate(so, observe({ spec: 1, metrics: queue(1000) }), state);
    expect(decision.replicas).toBe(32);
    expect(decision.reason).toBe('ScaleUpLimit');
  });
});

describe('Function: decide (the 15 s grid)', () => {
  it('does not sync more often than the HPA when evaluated every 5 s (legacy path: 1 → 4, not 1 → 4 → 8 → 16)', () => {
    const so = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 100 });
    const steps = [0, 5, 10].map((s) => ({ at: NOW + s * SECOND, metrics: { '0': value(1000) } }));
    const decisions = replay(so, steps, { initialSpec: 1, state: emptyState({ lastSyncTime: NOW - 15 * SECOND }) });
    expect(decisions.map((d) => d.replicas)).toEqual([4, 4, 4]);
    expect(decisions[1]?.message).toContain('no sync due yet');
  });

  it("reports the last sync's reason between syncs, as the HPA's status would", () => {
    const so = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 100 });
    const steps = [0, 5].map((s) => ({ at: NOW + s * SECOND, metrics: { '0': value(1000) } }));
    const decisions = replay(so, steps, { initialSpec: 1, state: emptyState({ lastSyncTime: NOW - 15 * SECOND }) });
    expect(decisions.map((d) => d.reason)).toEqual(['ScaleUpLimit', 'ScaleUpLimit']);
  });

  it('syncs again once 15 s have passed since the last sync', () => {
    const so = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 100 });
    const steps = [0, 5, 10, 15].map((s) => ({ at: NOW + s * SECOND, metrics: { '0': value(1000) } }));
    const decisions = replay(so, steps, { initialSpec: 1, state: emptyState({ lastSyncTime: NOW - 15 * SECOND }) });
    expect(decisions.map((d) => d.replicas)).toEqual([4, 4, 4, 8]);
  });

  it('corrects a count above maxReplicaCount at once, without waiting for the grid', () => {
    const so = makeScaledObject({ target: 1, minReplicaCount: 1, maxReplicaCount: 5 });
    const decision = evaluate(so, observe({ spec: 9, metrics: { '0': value(9) } }), emptyState({ lastSyncTime: NOW - 5 * SECOND }));
    expect(decision).toMatchObject({ replicas: 5, reason: 'TooManyReplicas' });
  });
});

describe('Function: decide (activation and the first HPA step together)', () => {
  it('goes 0 → 1 → 5 in one evaluation with the default behavior (KEDA + one HPA sync)', () => {
    const so = withDefaults({ minReplicaCount: 0 });
    const decision = evaluate(so, observe({ spec: 0, metrics: queue(95) }));
    expect(decision.replicas).toBe(5);
    expect(decision.reason).toBe('KEDAScaleTargetActivated');
    expect(decision.state.lastActiveTime).toBe(NOW);
  });

  it('goes 0 → 1 → 4 on the legacy path (no behavior): max(2×1, 4)', () => {
    const so = makeScaledObject({ target: 10, maxReplicaCount: 50 });
    const decision = evaluate(so, observe({ spec: 0, metrics: queue(95) }));
    expect(decision.replicas).toBe(4);
  });

  it('does not replay syncs from before the activation: the HPA was disabled at 0', () => {
    const so = withDefaults({ minReplicaCount: 0 });
    const state = emptyState({ lastEvaluationTime: NOW - 120 * SECOND });
    const decision = evaluate(so, observe({ spec: 0, metrics: queue(95) }), state);
    expect(decision.replicas).toBe(5);
  });

  it('then converges at the HPA pace: 5 → 10 at the next 30 s evaluation', () => {
    const so = withDefaults({ minReplicaCount: 0 });
    const decisions = replay(so, [{ at: NOW, metrics: queue(95) }, { at: NOW + 30 * SECOND, metrics: queue(95) }], { initialSpec: 0 });
    expect(decisions.map((d) => d.replicas)).toEqual([5, 10]);
  });
});
