import { describe, expect, it } from 'vitest';
import { chartResolution, runSimulation, SimulationError } from '../../../shared/sim/loop.js';
import type { Workload } from '../../../shared/sim/workload.js';
import { cronTrigger, proportionalDecide, recordingDecide, scaledObject, sqsTrigger } from './fixtures.js';

const START = Date.UTC(2025, 0, 1);

const steady = (ratePerSecond: number, startupSeconds = 0): Workload => ({
  arrivals: [{ fromSecond: 0, ratePerSecond }],
  processRatePerReplica: 5,
  processingSeconds: 1,
  startupSeconds,
});

describe('Function: runSimulation', () => {
  it('calls decide once per pollingInterval, with now advancing in virtual time', () => {
    // Prepare
    const fake = recordingDecide();

    // Act
    runSimulation({ scaledObject: scaledObject({ pollingInterval: 15 }), workload: steady(0), durationSeconds: 60, decide: fake.decide });

    // Assess
    expect(fake.inputs.map((i) => i.now - START)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
  });

  it('passes each decision state to the next evaluation and none to the first', () => {
    // Prepare
    const fake = recordingDecide();

    // Act
    runSimulation({ scaledObject: scaledObject(), workload: steady(0), durationSeconds: 90, decide: fake.decide });

    // Assess
    expect(fake.inputs.map((i) => i.state?.failures['calls'])).toEqual([undefined, 1, 2, 3]);
  });

  it('observes the last decided replicas, existing pods, ready pods and visible + in-flight messages', () => {
    // Prepare: 2 replicas from the first evaluation on, 20 s start-up, 3 msg/s
    const fake = recordingDecide(() => 2);

    // Act
    runSimulation({ scaledObject: scaledObject(), workload: steady(3, 20), durationSeconds: 60, decide: fake.decide });

    // Assess: both pods have been Ready since second 20; they drained the 60-message backlog at
    // 10 msg/s and now hold only the last second's 3 arrivals in flight
    const at30 = fake.inputs[1]?.observation;
    expect(at30).toEqual({ specReplicas: 2, statusReplicas: 2, readyReplicas: 2, metrics: { '0': { value: 3 } } });
  });

  it('reads only visible messages when scaleOnInFlight is false', () => {
    // Prepare
    const fake = recordingDecide(() => 1);
    const so = scaledObject({ triggers: [sqsTrigger({ scaleOnInFlight: false })] });

    // Act
    runSimulation({ scaledObject: so, workload: steady(8), durationSeconds: 30, decide: fake.decide });

    // Assess: one replica (Ready at once) holds 5 in flight each second; 3 a second pile up from second 0
    expect(fake.inputs[1]?.observation.metrics['0']).toEqual({ value: 30 * 3 });
  });

  it('feeds triggers the queue does not drive from the signal, 0 by default', () => {
    // Prepare
    const withSignal = recordingDecide();
    const withoutSignal = recordingDecide();
    const so = scaledObject({ triggers: [sqsTrigger(), cronTrigger('office-hours')] });

    // Act
    runSimulation({ scaledObject: so, workload: steady(0), durationSeconds: 30, decide: withSignal.decide, signal: (_t, s) => ({ value: s }) });
    runSimulation({ scaledObject: so, workload: steady(0), durationSeconds: 30, decide: withoutSignal.decide });

    // Assess
    expect(withSignal.inputs[1]?.observation.metrics['office-hours']).toEqual({ value: 30 });
    expect(withoutSignal.inputs[1]?.observation.metrics['office-hours']).toEqual({ value: 0 });
  });

  it('starts with idleReplicaCount ?? minReplicaCount pods already Ready', () => {
    // Prepare
    const fake = recordingDecide();

    // Act
    runSimulation({ scaledObject: scaledObject({ minReplicaCount: 2 }), workload: steady(0), durationSeconds: 0, decide: fake.decide });

    // Assess
    expect(fake.inputs[0]?.observation).toMatchObject({ specReplicas: 2, statusReplicas: 2, readyReplicas: 2 });
  });

  it('records scale changes with their time, direction and reason', () => {
    // Prepare: up to 4 at 30 s, down to 0 at 90 s
    const fake = recordingDecide((i) => (i.now - START === 30_000 ? 4 : i.now - START >= 90_000 ? 0 : i.observation.specReplicas));

    // Act
    const result = runSimulation({ scaledObject: scaledObject(), workload: steady(0), durationSeconds: 120, decide: fake.decide });

    // Assess
    expect(result.changes.map(({ second, from, to }) => ({ second, from, to }))).toEqual([
      { second: 30, from: 0, to: 4 },
      { second: 90, from: 4, to: 0 },
    ]);
    expect(result.summary.scaleChanges).toBe(2);
  });

  it('records a table row every rowEverySeconds plus the final second', () => {
    // Act
    const result = runSimulation({
      scaledObject: scaledObject(),
      workload: steady(0),
      durationSeconds: 150,
      rowEverySeconds: 60,
      decide: recordingDecide().decide,
    });

    // Assess
    expect(result.rows.map((r) => r.second)).toEqual([0, 60, 120, 150]);
  });

  it('summarizes peak queue, drain time and final replicas', () => {
    // Prepare: 2 minutes of 20 msg/s, then nothing; the fake engine asks one replica per 10 messages
    const fake = proportionalDecide(10, 20);
    const workload: Workload = {
      arrivals: [
        { fromSecond: 0, ratePerSecond: 20 },
        { fromSecond: 120, ratePerSecond: 0 },
      ],
      processRatePerReplica: 5,
      processingSeconds: 1,
      startupSeconds: 10,
    };

    // Act
    const result = runSimulation({ scaledObject: scaledObject(), workload, durationSeconds: 600, decide: fake.decide });

    // Assess
    const s = result.summary;
    expect(s.peakQueue).toBeGreaterThan(0);
    expect(s.drainSeconds).toBeDefined();
    expect(s.finalReplicas).toBe(0);
    expect(s.messagesArrived).toBe(2_400);
    expect(s.messagesDeleted).toBe(2_400);
  });

  it('wraps an engine failure with the simulated time', () => {
    // Prepare
    const decide = recordingDecide((i) => {
      if (i.now - START === 60_000) throw new Error('boom');
      return 0;
    }).decide;

    // Act
    const act = () => runSimulation({ scaledObject: scaledObject(), workload: steady(0), durationSeconds: 120, decide });

    // Assess
    expect(act).toThrow(SimulationError);
    expect(act).toThrow(/at 01:00 \(second 60\): boom/);
  });

  it('keeps a day of chart samples under 1,500 points', () => {
    expect(86_400 / chartResolution(86_400)).toBeLessThanOrEqual(1_500);
    expect(chartResolution(1_800)).toBe(2);
  });
});
