/**
 * Readings and state the engine cannot take at face value: a formula that yields ±Infinity or NaN
 * is a failed reading (errors never lower replicas; fallback applies), and a state written under a
 * clock ahead of ours is read as of `now`.
 */
import { describe, expect, it } from 'vitest';
import { findCondition, MINUTE, NOW, SECOND, emptyState, evaluate, observe, rec, replay, value } from '../../helpers/evaluation.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

const withFormula = (formula: string, fallback?: { failureThreshold: number; replicas: number }) =>
  makeScaledObject({
    name: 'orders',
    target: 10,
    minReplicaCount: 1,
    maxReplicaCount: 50,
    behavior: {},
    scalingModifiers: { formula, target: 10, activationTarget: 0, metricType: 'AverageValue' },
    ...(fallback === undefined ? {} : { fallback }),
  });

/** A state whose HPA would scale 8 down at once if the composite read 0. */
const settled = emptyState({ lastEvaluationTime: NOW - 30 * SECOND, lastSyncTime: NOW - 30 * SECOND, lastActiveTime: NOW - 10 * MINUTE, recommendations: [rec(8, 400)] });

describe('Function: decide (a formula with no finite result)', () => {
  it.each([
    { formula: 'orders / 0', shown: 'Infinity' },
    { formula: '-orders / 0', shown: '-Infinity' },
    { formula: '(orders - orders) / 0', shown: 'NaN' },
  ])('$formula is a failed reading that holds the replicas', ({ formula, shown }) => {
    // Act
    const decision = evaluate(withFormula(formula), observe({ spec: 8, metrics: { orders: value(240) } }), settled);
    // Assess
    expect(decision).toMatchObject({ replicas: 8, reason: 'FailedGetExternalMetric' });
    expect(decision.message).toContain(`formula evaluated to ${shown} (a division by zero?), which is no reading`);
    expect(decision.state.failures).toEqual({ 'composite-metric': 1 });
  });

  it('falls back once the formula has failed more than failureThreshold times in a row', () => {
    // Act: threshold 1 tolerates one failure and falls back on the second (as for a trigger).
    const decisions = replay(
      withFormula('orders / 0', { failureThreshold: 1, replicas: 4 }),
      [
        { at: NOW, metrics: { orders: value(240) } },
        { at: NOW + 30 * SECOND, metrics: { orders: value(240) } },
      ],
      { initialSpec: 8, state: settled },
    );
    // Assess
    expect(decisions.map((d) => [d.replicas, findCondition(d, 'Fallback')?.status])).toEqual([
      [8, 'False'],
      [4, 'True'],
    ]);
    expect(decisions[1]?.state.failures).toEqual({ 'composite-metric': 2 });
  });

  it('forgets the failures once the formula yields a number again', () => {
    const decision = evaluate(withFormula('orders / 2'), observe({ spec: 8, metrics: { orders: value(160) } }), { ...settled, failures: { 'composite-metric': 3 } });
    expect(decision.state.failures).toEqual({});
  });
});

describe('Function: decide (state times later than now)', () => {
  const ahead = emptyState({
    lastEvaluationTime: NOW + 3600 * SECOND,
    lastSyncTime: NOW + 3600 * SECOND,
    lastActiveTime: NOW + 3600 * SECOND,
    recommendations: [rec(2, -3600)],
  });
  const so = makeScaledObject({ target: 10, minReplicaCount: 1, maxReplicaCount: 50, behavior: {} });

  it('says the state was ahead of the clock, and keeps no time later than now', () => {
    const decision = evaluate(so, observe({ spec: 2, metrics: { '0': value(200) } }), ahead);
    expect(decision.message).toContain('the state had times later than now (clock skew between invocations?), read as now');
    expect(decision.state.recommendations.every((r) => r.time <= NOW)).toBe(true);
    expect([decision.state.lastSyncTime, decision.state.lastActiveTime].every((t) => t !== undefined && t <= NOW)).toBe(true);
  });

  it('resumes the HPA syncs on their 15 s grid instead of freezing them until the clock catches up', () => {
    const [, next] = replay(
      so,
      [
        { at: NOW, metrics: { '0': value(200) } },
        { at: NOW + 15 * SECOND, metrics: { '0': value(200) } },
      ],
      { initialSpec: 2, state: ahead },
    );
    expect(next?.replicas).toBeGreaterThan(2);
    expect(next?.message).not.toContain('later than now');
  });
});
