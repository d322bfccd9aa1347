import { describe, expect, it } from 'vitest';
import { parseScaleGroup, type ScaleGroup } from '../../../shared/app/scaleGroup.js';
import { runTick, subMinuteOffsets, type TickDeps } from '../../../shared/app/tick.js';
import { createCannedTriggers, createFakeCluster, createRecordingStore } from './fakes.js';
import { CLUSTER, T0, groupOf, sqsScaledObject } from '../../helpers/manifests.js';

/** Objects named by their polling interval: `every-15` has pollingInterval 15. */
const every = (seconds: number) => sqsScaledObject(`every-${seconds}`, { pollingInterval: seconds });

/**
 * Every port faked; `sleepUntil` records the time asked for and moves the clock there at once (never back).
 * `passes` lists, per reconcile pass, its offset and the ids it reported.
 */
const setup = (group: ScaleGroup, deadline?: number) => {
  const log: string[] = [];
  const cluster = createFakeCluster(log);
  for (const so of group.objects) cluster.target(so.metadata.namespace, so.metadata.name, { specReplicas: 0 });
  const triggers = createCannedTriggers({});
  let time = T0;
  const slept: number[] = [];
  const passes: Array<{ offsetMs: number; ids: string[] }> = [];
  const deps: TickDeps = {
    stateStore: createRecordingStore(log).store,
    connector: cluster.connector,
    triggers: triggers.registry,
    now: () => time,
    owner: 'invocation-1',
    deadline,
    sleepUntil: async (until) => {
      slept.push(until - T0);
      time = Math.max(time, until);
    },
    onReports: (reports, offsetMs) => passes.push({ offsetMs, ids: reports.map((r) => r.id) }),
  };
  return { deps, slept, passes, triggers, advance: (ms: number) => void (time += ms), elapsed: () => time - T0 };
};

describe('subMinuteOffsets', () => {
  it.each([
    { seconds: 15, offsets: [15_000, 30_000, 45_000] },
    { seconds: 30, offsets: [30_000] },
    { seconds: 20, offsets: [20_000, 40_000] },
    { seconds: 10, offsets: [10_000, 20_000, 30_000, 40_000, 50_000] },
    { seconds: 11, offsets: [11_000, 22_000, 33_000, 44_000, 55_000] },
    { seconds: 55, offsets: [55_000] },
    { seconds: 56, offsets: [] },
    { seconds: 60, offsets: [] },
  ])('re-evaluates a $seconds s object at $offsets (none later than 5 s before the next tick)', ({ seconds, offsets }) => {
    // Act
    const result = subMinuteOffsets(seconds);

    // Assess
    expect(result).toEqual(offsets);
  });
});

describe('runTick', () => {
  it('evaluates everything once, then each sub-minute object again at its offsets, sharing passes', async () => {
    // Prepare
    const group = groupOf([every(15), every(30), every(60)]);
    const t = setup(group);

    // Act
    await runTick(group, t.deps);

    // Assess
    expect(t.passes).toEqual([
      { offsetMs: 0, ids: ['demo/shop/every-15', 'demo/shop/every-30', 'demo/shop/every-60'] },
      { offsetMs: 15_000, ids: ['demo/shop/every-15'] },
      { offsetMs: 30_000, ids: ['demo/shop/every-15', 'demo/shop/every-30'] },
      { offsetMs: 45_000, ids: ['demo/shop/every-15'] },
    ]);
  });

  it('waits for each offset through sleepUntil, with the time measured from the tick start', async () => {
    // Prepare
    const group = groupOf([every(20), every(30)]);
    const t = setup(group);

    // Act
    await runTick(group, t.deps);

    // Assess
    expect(t.slept).toEqual([20_000, 30_000, 40_000]);
  });

  it('reads the triggers of each pass at the time of that pass', async () => {
    // Prepare
    const group = groupOf([every(30)]);
    const t = setup(group);

    // Act
    await runTick(group, t.deps);

    // Assess
    expect(t.triggers.reads.map((r) => r.now - T0)).toEqual([0, 30_000]);
  });

  it.each([
    { comment: 'pollingInterval 60', seconds: 60 },
    { comment: 'pollingInterval 300', seconds: 300 },
  ])('evaluates an object with $comment once and never sleeps', async ({ seconds }) => {
    // Prepare
    const group = groupOf([every(seconds)]);
    const t = setup(group);

    // Act
    const reports = await runTick(group, t.deps);

    // Assess
    expect(reports.map((r) => r.id)).toEqual([`demo/shop/every-${seconds}`]);
    expect(t.slept).toEqual([]);
  });

  it.each([
    { comment: 'a deadline 40 s after the start skips +45 s (it would end within 5 s of it)', deadline: T0 + 40_000, offsets: [0, 15_000, 30_000] },
    { comment: 'a deadline 50 s after the start keeps +45 s', deadline: T0 + 50_000, offsets: [0, 15_000, 30_000, 45_000] },
    { comment: 'a deadline 10 s after the start keeps only the first pass', deadline: T0 + 10_000, offsets: [0] },
  ])('stops before the deadline: $comment', async ({ deadline, offsets }) => {
    // Prepare
    const group = groupOf([every(15)]);
    const t = setup(group, deadline);

    // Act
    await runTick(group, t.deps);

    // Assess
    expect(t.passes.map((p) => p.offsetMs)).toEqual(offsets);
    expect(t.slept).toEqual(offsets.slice(1));
  });

  it('bounds passes by the real clock: 25 s passes of a 15 s object end before the next tick, not at 100 s', async () => {
    // Prepare: every pass takes 25 s; the Lambda has 90 s.
    const group = groupOf([every(15)]);
    const t = setup(group, T0 + 90_000);
    t.triggers.beforeRead = () => t.advance(25_000);

    // Act
    await runTick(group, t.deps);

    // Assess: +15 s is late and runs at once (25 s); +30 s and +45 s would end past 55 s.
    expect(t.passes.map((p) => p.offsetMs)).toEqual([0, 15_000]);
    expect(t.elapsed()).toBe(50_000);
  });

  it('runs offsets that a slow pass overran as one pass, not back to back', async () => {
    // Prepare: the first pass takes 21 s, later ones 1 s.
    const group = groupOf([every(10)]);
    const t = setup(group);
    let first = true;
    t.triggers.beforeRead = () => (t.advance(first ? 21_000 : 1_000), (first = false));

    // Act
    await runTick(group, t.deps);

    // Assess: +10 s and +20 s were both due at 21 s.
    expect(t.passes.map((p) => p.offsetMs)).toEqual([0, 20_000, 30_000, 40_000, 50_000]);
  });

  it.each([
    { comment: 'the Lambda deadline less 5 s, when that comes first', deadline: T0 + 40_000, budget: '10:00:35.000' },
    { comment: '5 s before the next tick otherwise', deadline: T0 + 900_000, budget: '10:00:55.000' },
  ])('gives every pass the tick’s one budget: $comment', async ({ deadline, budget }) => {
    // Prepare
    const group = groupOf([every(30)]);
    const t = setup(group, deadline);
    const budgets: string[] = [];

    // Act
    await runTick(group, { ...t.deps, abortAfter: (_, reason) => (budgets.push(reason.message), new AbortController().signal) });

    // Assess
    expect(budgets).toEqual([0, 30_000].map(() => `the invocation's time budget ran out at 2026-11-23T${budget}Z`));
  });

  it('reports invalid objects in the first pass only', async () => {
    // Prepare
    const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('broken', { maxReplicaCount: 'lots' }), every(30)] });
    if (!parsed.ok) throw new Error('the group envelope is valid');
    const t = setup(parsed.group);

    // Act
    const reports = await runTick(parsed.group, t.deps);

    // Assess
    expect(reports.map((r) => [r.id, r.outcome])).toEqual([
      ['demo/shop/broken', 'invalid'],
      ['demo/shop/every-30', 'unchanged'],
      ['demo/shop/every-30', 'unchanged'],
    ]);
  });

  it('returns every pass’s reports in order, as onReports saw them', async () => {
    // Prepare
    const group = groupOf([every(15), every(60)]);
    const t = setup(group);

    // Act
    const reports = await runTick(group, t.deps);

    // Assess
    expect(reports.map((r) => r.id)).toEqual(t.passes.flatMap((p) => p.ids));
  });
});
