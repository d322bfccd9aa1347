import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../shared/triggers/concurrency.js';

/** Tasks that finish only when released, so that the test sees how many run at once. */
const gatedTasks = () => {
  let running = 0;
  let peak = 0;
  const gates: (() => void)[] = [];
  const task = async (item: number): Promise<number> => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running -= 1;
    return item * 10;
  };
  /** Releases every waiting task until all are done. */
  const drain = async (done: Promise<unknown>): Promise<void> => {
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      gates.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { task, drain, peak: () => peak };
};

describe('Function: mapWithConcurrency', () => {
  it('never runs more than the limit at once', async () => {
    const { task, drain, peak } = gatedTasks();

    const done = mapWithConcurrency(Array.from({ length: 50 }, (_, i) => i), 16, task);
    await drain(done);

    expect(peak()).toBe(16);
  });

  it('returns the results in input order', async () => {
    const { task, drain } = gatedTasks();

    const done = mapWithConcurrency([3, 1, 2], 2, task);
    await drain(done);

    expect(await done).toEqual([30, 10, 20]);
  });

  it('maps an empty list to an empty list', async () => {
    expect(await mapWithConcurrency([], 16, () => Promise.resolve(1))).toEqual([]);
  });
});
