import { describe, expect, it } from 'vitest';
import type { EvaluationInput } from '../../../shared/engine/types.js';
import type { ScaleChange } from '../../../shared/sim/loop.js';
import { runSimulation } from '../../../shared/sim/loop.js';
import { analyzeOscillation, candidateWindows, loadReversals, replicaReversals, withScaleDownWindow } from '../../../shared/sim/oscillation.js';
import { burst } from '../../../shared/sim/workload.js';
import { recordingDecide, scaledObject } from './fixtures.js';

const changes = (...counts: readonly number[]): ScaleChange[] =>
  counts.slice(1).map((to, i) => ({ second: i * 30, from: counts[i] ?? 0, to, reason: 'DesiredWithinRange', message: '' }));

describe('Function: replicaReversals', () => {
  it.each([
    ['no change', [], 0],
    ['a climb', [0, 3, 6, 8], 0],
    ['up then down to zero', [0, 4, 16, 30, 20, 0], 1],
    ['the day scenario at 06:20–06:50: 8 → 1 → 13 → 3 → 6', [0, 8, 1, 13, 3, 6], 4],
  ] as const)('%s', (_name, counts, expected) => {
    expect(replicaReversals(changes(...counts))).toBe(expected);
  });
});

describe('Function: loadReversals', () => {
  it('counts the direction changes of the arrival rate within the run', () => {
    expect(loadReversals(burst({ atSecond: 60, durationSeconds: 600, ratePerSecond: 40 }), 3_600)).toBe(1);
    expect(loadReversals(burst({ atSecond: 60, durationSeconds: 600, ratePerSecond: 40 }), 300)).toBe(0);
  });
});

describe('Function: candidateWindows', () => {
  it('tries longer windows, on whole minutes, up to Kubernetes limit of 3600 s', () => {
    expect(candidateWindows(600)).toEqual([900, 1_200, 1_800, 3_600]);
    expect(candidateWindows(300)).toEqual([480, 600, 900, 1_800]);
    expect(candidateWindows(3_600)).toEqual([]);
  });
});

describe('Function: withScaleDownWindow', () => {
  it('changes only the scale-down window, keeping the rest of the behavior', () => {
    // Prepare
    const so = scaledObject();
    const withBehavior = {
      ...so,
      spec: {
        ...so.spec,
        advanced: {
          ...so.spec.advanced,
          horizontalPodAutoscalerConfig: { behavior: { scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } } },
        },
      },
    };

    // Act
    const changed = withScaleDownWindow(withBehavior, 900).spec.advanced.horizontalPodAutoscalerConfig?.behavior;

    // Assess
    expect(changed).toEqual({
      scaleUp: { stabilizationWindowSeconds: 30 },
      scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], stabilizationWindowSeconds: 900 },
    });
    expect(withScaleDownWindow(so, 600).spec.advanced.horizontalPodAutoscalerConfig?.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 600 } });
  });
});

describe('Function: analyzeOscillation', () => {
  const arg = (decide: (input: EvaluationInput) => ReturnType<ReturnType<typeof recordingDecide>['decide']>) => ({
    scaledObject: scaledObject({ pollingInterval: 30 }),
    workload: { arrivals: [{ fromSecond: 0, ratePerSecond: 1 }], processRatePerReplica: 1, processingSeconds: 10, startupSeconds: 0 },
    durationSeconds: 1_800,
    decide,
  });

  it('does not call a run that follows its load an oscillation, and tries nothing', () => {
    // Prepare: up once and stays.
    const { decide, inputs } = recordingDecide(() => 3);
    const result = runSimulation(arg(decide));
    const calls = inputs.length;

    // Act
    const o = analyzeOscillation(arg(decide), result);

    // Assess
    expect(o).toMatchObject({ replicaReversals: 0, loadReversals: 0, oscillating: false });
    expect(o.trials).toBeUndefined();
    expect(inputs).toHaveLength(calls);
  });

  it('reports an oscillation that no scale-down window damps, with no suggestion', () => {
    // Prepare: flips between 1 and 5 at every evaluation, whatever the behavior says.
    const { decide } = recordingDecide((input) => (input.now / 30_000) % 2 === 0 ? 1 : 5);
    const a = arg(decide);

    // Act
    const o = analyzeOscillation(a, runSimulation(a));

    // Assess
    expect(o.oscillating).toBe(true);
    expect(o.replicaReversals).toBeGreaterThan(50);
    expect(o.trials?.map((t) => t.stabilizationWindowSeconds)).toEqual([480, 600, 900, 1_800]);
    expect(o.suggestion).toBeUndefined();
  });
});
