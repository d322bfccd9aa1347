import { describe, expect, it } from 'vitest';
import { stateChanged } from '../../../shared/engine/state.js';
import { NOW, emptyState, evaluate, observe, rec, value } from '../../helpers/evaluation.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

describe('Function: stateChanged', () => {
  it('needs a first write', () => {
    expect(stateChanged(undefined, emptyState())).toBe(true);
  });

  it('skips the write when only lastEvaluationTime moved (idle at zero)', () => {
    // Prepare: inactive at 0, evaluated a minute apart.
    const so = makeScaledObject();
    const first = evaluate(so, observe({ spec: 0, metrics: { '0': value(0) } }), emptyState({ firstEvaluationTime: NOW - 60_000 }), NOW);
    // Act
    const second = evaluate(so, observe({ spec: 0, metrics: { '0': value(0) } }), first.state, NOW + 60_000);
    // Assess
    expect(stateChanged(first.state, second.state)).toBe(false);
  });

  it.each([
    { comment: 'a new recommendation', next: { recommendations: [rec(3, 0)] } },
    { comment: 'lastActiveTime refreshed', next: { lastActiveTime: NOW } },
    { comment: 'a failure counted', next: { failures: { '0': 1 } } },
    { comment: 'a scale event', next: { scaleUpEvents: [{ change: 1, time: NOW }] } },
    { comment: 'paused', next: { paused: true } },
  ])('writes when the state gains $comment', ({ next }) => {
    expect(stateChanged(emptyState(), emptyState(next))).toBe(true);
  });

  it('treats an absent optional field like undefined', () => {
    expect(stateChanged(emptyState({ lastActiveTime: undefined }), emptyState())).toBe(false);
  });
});
