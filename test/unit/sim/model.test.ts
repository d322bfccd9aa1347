import { describe, expect, it } from 'vitest';
import { createModel, podCount, queueDepth } from '../../../shared/sim/model.js';
import type { QueueModel } from '../../../shared/sim/model.js';
import type { Workload } from '../../../shared/sim/workload.js';

const workload = (ratePerSecond: number, overrides: Partial<Omit<Workload, 'arrivals'>> = {}): Workload => ({
  arrivals: [{ fromSecond: 0, ratePerSecond }],
  processRatePerReplica: 5,
  processingSeconds: 1,
  startupSeconds: 10,
  ...overrides,
});

const run = (model: QueueModel, seconds: number): QueueModel => {
  for (let i = 0; i < seconds; i += 1) model.advance();
  return model;
};

describe('Function: createModel (the queue)', () => {
  it('keeps every arrival visible while no replica is ready', () => {
    // Act
    const s = run(createModel(workload(7)), 10).snapshot();

    // Assess
    expect(s).toMatchObject({ second: 10, visible: 70, inFlight: 0, arrived: 70, deleted: 0 });
  });

  it('lets each ready replica take up to its process rate per second into flight', () => {
    // Act
    const s = run(createModel(workload(30), 2), 1).snapshot();

    // Assess
    expect(s).toMatchObject({ visible: 20, inFlight: 10 });
  });

  it('deletes a message processingSeconds after it was received', () => {
    // Prepare: one replica, 2 msg/s, 3 s per message, a steady 2 msg/s
    const model = createModel(workload(2, { processRatePerReplica: 2, processingSeconds: 3 }), 1);

    // Act
    const seen = Array.from({ length: 5 }, () => run(model, 1).snapshot());

    // Assess: in flight grows to rate × processing time, then every second 2 leave and 2 enter
    expect(seen.map((s) => s.inFlight)).toEqual([2, 4, 6, 6, 6]);
    expect(seen.map((s) => s.deleted)).toEqual([0, 0, 0, 2, 4]);
  });

  it('carries fractional arrival rates over, one message every other second at 0.5/s', () => {
    expect(run(createModel(workload(0.5)), 9).snapshot().arrived).toBe(4);
  });

  it('switches rate at segment boundaries', () => {
    // Prepare
    const w: Workload = {
      ...workload(0),
      arrivals: [
        { fromSecond: 0, ratePerSecond: 1 },
        { fromSecond: 5, ratePerSecond: 10 },
      ],
    };

    // Act / Assess
    expect(run(createModel(w), 7).snapshot().arrived).toBe(5 * 1 + 2 * 10);
  });

  it('never loses a message: arrived = deleted + visible + in flight', () => {
    // Prepare
    const model = createModel(workload(3.3, { processRatePerReplica: 1.7, processingSeconds: 4, startupSeconds: 4 }));
    model.scaleTo(2);

    // Act
    for (let t = 0; t < 500; t += 1) {
      if (t === 100) model.scaleTo(5);
      if (t === 300) model.scaleTo(1);
      model.advance();
    }

    // Assess
    const s = model.snapshot();
    expect(s.arrived).toBe(s.deleted + queueDepth(s));
  });
});

describe('Function: createModel (the pods)', () => {
  it('makes a requested replica ready exactly after the start-up delay', () => {
    // Prepare
    const model = createModel(workload(0, { startupSeconds: 30 }));
    model.scaleTo(3);
    const requested = model.snapshot();

    // Act
    const before = run(model, 30).snapshot();
    const after = run(model, 1).snapshot();

    // Assess
    expect([podCount(requested), requested.ready]).toEqual([3, 0]);
    expect(before.ready).toBe(0);
    expect(after.ready).toBe(3);
  });

  it('removes starting pods before ready ones when scaling down, at once', () => {
    // Prepare
    const model = createModel(workload(0, { startupSeconds: 30 }), 4);
    model.scaleTo(8);

    // Act
    model.scaleTo(5);
    const fewer = model.snapshot();
    model.scaleTo(2);
    const fewest = model.snapshot();

    // Assess
    expect([fewer.ready, fewer.starting]).toEqual([4, 1]);
    expect([fewest.ready, fewest.starting]).toEqual([2, 0]);
  });

  it('lets the messages of removed pods finish, as a graceful shutdown would', () => {
    // Prepare: 8 messages in the first second, taken by two replicas that need 5 s each
    const w: Workload = {
      ...workload(0, { processRatePerReplica: 4, processingSeconds: 5 }),
      arrivals: [
        { fromSecond: 0, ratePerSecond: 8 },
        { fromSecond: 1, ratePerSecond: 0 },
      ],
    };
    const model = run(createModel(w, 2), 1);

    // Act
    model.scaleTo(0);
    const removed = model.snapshot();
    run(model, 5);

    // Assess
    expect([removed.inFlight, podCount(removed)]).toEqual([8, 0]);
    expect(model.snapshot()).toMatchObject({ inFlight: 0, deleted: 8 });
  });
});
