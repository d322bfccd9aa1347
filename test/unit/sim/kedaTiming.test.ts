import { describe, expect, it } from 'vitest';
import { decide } from '../../../shared/engine/decide.js';
import { kedaController } from '../../../shared/sim/kedaTiming.js';
import { runSimulation } from '../../../shared/sim/loop.js';
import type { SimulationArg } from '../../../shared/sim/loop.js';
import { loadManifest } from '../../../shared/sim/manifest.js';
import { findScenario } from '../../../shared/sim/scenarios.js';
import type { Workload } from '../../../shared/sim/workload.js';
import { scaledObject, sqsTrigger } from './fixtures.js';

// 10 msg/s from second 40 to 100; a replica takes 10 msg/s, so one Ready replica keeps up.
const WORKLOAD: Workload = {
  arrivals: [
    { fromSecond: 0, ratePerSecond: 0 },
    { fromSecond: 40, ratePerSecond: 10 },
    { fromSecond: 100, ratePerSecond: 0 },
  ],
  processRatePerReplica: 10,
  processingSeconds: 1,
  startupSeconds: 0,
};

const arg = (overrides: Partial<SimulationArg> = {}): SimulationArg => ({
  scaledObject: scaledObject({ triggers: [sqsTrigger({ scaleOnInFlight: false })] }),
  workload: WORKLOAD,
  durationSeconds: 600,
  decide,
  ...overrides,
});

const changesOf = (a: SimulationArg) => runSimulation(a).changes.map(({ second, from, to, reason }) => ({ second, from, to, reason }));

describe('Function: kedaController', () => {
  it('activates 0 → 1 at the first poll after the first message and lets the HPA step at its next sync, 7 s later', () => {
    // Prepare: messages from second 40; polls at 0, 30, 60; HPA syncs at 7, 22, 37, 52, 67.
    // The poll at 60 sees 200 visible and activates; the HPA at 67 (target 10/replica) wants 20,
    // capped by the HPA's scale-up limit without behavior, max(2 × 1, 4) = 4.
    const changes = changesOf(arg({ controller: kedaController() }));
    // Assert
    expect(changes.slice(0, 2)).toEqual([
      { second: 60, from: 0, to: 1, reason: 'KEDAScaleTargetActivated' },
      { second: 67, from: 1, to: 4, reason: 'ScaleUpLimit' },
    ]);
  });

  it('runs the poll before a sync that falls on the same second (phase 0): activation and the HPA step at once', () => {
    const changes = changesOf(arg({ controller: kedaController({ hpaPhaseSeconds: 0 }) }));
    expect(changes[0]).toEqual({ second: 60, from: 0, to: 4, reason: 'ScaleUpLimit' });
  });

  it('moves replicas between 1 and max only on the HPA grid, and to 0 only at a poll after the cooldown', () => {
    // Prepare: cooldownPeriod 120 (fixtures). The replicas started at 60 and 67 drain the queue
    // before the poll at 90, so the poll at 60 is the last active one; 60 + 120 = 180 is not before
    // the poll at 180 (KEDA compares with a strict Before), so the operator scales to zero at 210.
    const changes = changesOf(arg({ controller: kedaController() }));
    const hpaSteps = changes.filter((c) => c.from >= 1 && c.to >= 1);
    // Assert
    expect(hpaSteps.length).toBeGreaterThan(0);
    expect(hpaSteps.every((c) => (c.second - 7) % 15 === 0)).toBe(true);
    expect(changes.at(-1)).toMatchObject({ second: 210, to: 0, reason: 'KEDAScaleTargetDeactivated' });
  });

  it('answers the HPA from the last poll for a trigger with useCachedMetrics', () => {
    // Prepare: one replica handles 1 msg/s and a scale-up policy of 100 pods lifts the HPA's limit.
    // The poll at 60 stores 200 visible; by the sync at 67 the queue holds 270 - 7 = 263.
    const workload = { ...WORKLOAD, processRatePerReplica: 1 };
    const behavior = { scaleUp: { policies: [{ type: 'Pods' as const, value: 100, periodSeconds: 15 }] } };
    const so = (cached: boolean) => {
      const base = scaledObject({ maxReplicaCount: 100, triggers: [{ ...sqsTrigger({ scaleOnInFlight: false }), useCachedMetrics: cached }] });
      return { ...base, spec: { ...base.spec, advanced: { ...base.spec.advanced, horizontalPodAutoscalerConfig: { behavior } } } };
    };
    const live = changesOf(arg({ scaledObject: so(false), workload, controller: kedaController() }));
    const cached = changesOf(arg({ scaledObject: so(true), workload, controller: kedaController() }));
    // Assert: live ceil(263 / 10) = 27; cached 200 / 10 = 20.
    expect(live[1]).toMatchObject({ second: 67, to: 27 });
    expect(cached[1]).toMatchObject({ second: 67, to: 20 });
  });
});

describe('Scenario: burst, LPA beside KEDA + HPA', () => {
  it('gives LPA a time to first replica no later than KEDA + HPA', () => {
    // Prepare
    const scenario = findScenario('burst');
    if (scenario === undefined) throw new Error('no burst scenario');
    const manifest = loadManifest(scenario.manifest, 'scenario:burst');
    if (!manifest.ok) throw new Error(manifest.messages.join('\n'));
    const base = { scaledObject: manifest.scaledObject, workload: scenario.workload, durationSeconds: scenario.durationSeconds, decide };
    // Act
    const lpa = runSimulation(base).summary.timeToFirstReplicaSeconds;
    const keda = runSimulation({ ...base, controller: kedaController() }).summary.timeToFirstReplicaSeconds;
    // Assert
    expect(lpa).toBeDefined();
    expect(keda).toBeDefined();
    expect(lpa ?? Infinity).toBeLessThanOrEqual(keda ?? 0);
  });
});
