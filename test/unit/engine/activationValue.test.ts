/**
 * A reading's `activationValue` (KEDA scalers that decide activity on another number than the
 * metric: kafka with excludePersistentLag) decides activation; the metric alone feeds the HPA.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, observe } from '../../helpers/evaluation.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

describe('Function: decide (reading activationValue)', () => {
  it('activates from zero on the activation value when the metric is 0 (stuck partitions only)', () => {
    const decision = evaluate(makeScaledObject({ minReplicaCount: 0 }), observe({ spec: 0, metrics: { '0': { value: 0, activationValue: 40 } } }));
    expect(decision).toMatchObject({ active: true, replicas: 1, reason: 'KEDAScaleTargetActivated' });
  });

  it('stays inactive when only the metric is above the activation target', () => {
    const decision = evaluate(makeScaledObject({ minReplicaCount: 0 }), observe({ spec: 0, metrics: { '0': { value: 40, activationValue: 0 } } }));
    expect(decision).toMatchObject({ active: false, replicas: 0 });
  });
});
