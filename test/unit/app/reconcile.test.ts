import { describe, expect, it } from 'vitest';
import { reconcile, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import type { EngineState, MetricReading } from '../../../shared/engine/types.js';
import { createCannedTriggers, createFakeCluster, createRecordingStore } from './fakes.js';
import { CLUSTER, T0, cloudWatchScaledObject, groupOf, sqsScaledObject } from '../../helpers/manifests.js';

const MINUTE = 60_000;
const OWNER = 'invocation-1';
/** A state another evaluation wrote (no firstEvaluationTime: reconcile's own state always differs). */
const OTHER_STATE: EngineState = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures: {} };

/** Every port faked, at T0; `readings` keyed `<namespace>/<name>/<trigger key>`. */
const setup = (readings: Readonly<Record<string, MetricReading>> = {}) => {
  const log: string[] = [];
  const cluster = createFakeCluster(log);
  const state = createRecordingStore(log);
  const triggers = createCannedTriggers(readings);
  let time = T0;
  const deps: ReconcileDeps = { stateStore: state.store, connector: cluster.connector, triggers: triggers.registry, now: () => time, owner: OWNER };
  return { log, cluster, state, triggers, deps, advance: (ms: number) => void (time += ms) };
};

/** The log entries of the given methods, in order. */
const callsOf = (log: readonly string[], ...methods: string[]): string[] => log.filter((entry) => methods.includes(entry.split(' ')[0] ?? ''));

describe('reconcile: writes', () => {
  it('saves the first evaluation of an idle object without scaling it', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 0 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ id: 'demo/shop/orders', outcome: 'unchanged', desiredReplicas: 0, stateWritten: true });
    expect(callsOf(s.log, 'save', 'acquireLease', 'patchScale')).toEqual(['save demo/shop/orders']);
  });

  it('writes nothing when neither the replicas nor the state changed', async () => {
    // Prepare: a first evaluation stored the idle state.
    const s = setup({ 'shop/orders/queue': { value: 0 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const group = groupOf([sqsScaledObject('orders')]);
    await reconcile(group, s.deps);
    s.advance(MINUTE);
    s.log.length = 0;

    // Act
    const [report] = await reconcile(group, s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'unchanged', stateWritten: false });
    expect(callsOf(s.log, 'save', 'acquireLease', 'patchScale', 'recordDecision')).toEqual([]);
  });

  it('scales in the order acquireLease → patch → save: two state writes, the decision record in the save', async () => {
    // Prepare: 25 messages at 10 per replica, target at 0.
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', currentReplicas: 0, desiredReplicas: 3, stateWritten: true });
    expect(callsOf(s.log, 'acquireLease', 'patchScale', 'save', 'recordDecision', 'releaseLease')).toEqual([
      'acquireLease demo/shop/orders',
      'patchScale shop/orders',
      'save demo/shop/orders',
    ]);
    expect(s.cluster.replicasOf('shop', 'orders')).toBe(3);
  });

  it('records why it scaled: replicas before and after, reason and the values read', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(await s.state.inner.listDecisions('demo/shop/orders')).toEqual([
      { time: T0, fromReplicas: 0, toReplicas: 3, reason: report?.reason, message: report?.message, inputs: { queue: 25 } },
    ]);
  });

  it('leaves no lease behind after a scale: another evaluation can take it at once', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);
    const saved = (await s.state.inner.load(['demo/shop/orders'])).get('demo/shop/orders');

    // Act
    const other = s.state.inner.acquireLease('demo/shop/orders', 1, 'invocation-2', T0, 30_000);

    // Assess
    expect(saved).toMatchObject({ version: 1 });
    await expect(other).resolves.toBeUndefined();
  });
});

describe('reconcile: a failing PATCH', () => {
  it('reports failed FailedUpdateScale, releases the lease and writes no state', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.cluster.fail('patchScale shop/orders', new Error('Kubernetes PATCH …/scale answered 409 Conflict'));

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'failed', reason: 'FailedUpdateScale', error: 'Kubernetes PATCH …/scale answered 409 Conflict', stateWritten: false });
    expect(callsOf(s.log, 'acquireLease', 'patchScale', 'releaseLease', 'save', 'recordDecision')).toEqual([
      'acquireLease demo/shop/orders',
      'patchScale shop/orders',
      'releaseLease demo/shop/orders',
    ]);
  });

  it('lets the next evaluation scale at once (the lease it took is gone)', async () => {
    // Prepare: the first evaluation's PATCH fails, the second one's succeeds.
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.cluster.fail('patchScale shop/orders', new Error('503 Service Unavailable'));
    const group = groupOf([sqsScaledObject('orders')]);
    await reconcile(group, s.deps);
    const retry = createFakeCluster([]);
    retry.target('shop', 'orders', { specReplicas: 0 });

    // Act: a second invocation, same instant, same store.
    const [report] = await reconcile(group, { ...s.deps, connector: retry.connector, owner: 'invocation-2' });

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
  });
});

describe('reconcile: failures after the scale', () => {
  it('reports scaled with the error when the state cannot be saved, and releases the lease', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.state.hooks.save = async () => {
      throw new Error('DynamoDB is unavailable');
    };

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', stateWritten: false });
    expect(report?.error).toContain('DynamoDB is unavailable');
    expect(callsOf(s.log, 'patchScale', 'releaseLease')).toEqual(['patchScale shop/orders', 'releaseLease demo/shop/orders']);
  });

  it('hands the decision record to the save after the PATCH, so it is written exactly when the state is', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const saved: unknown[] = [];
    s.state.hooks.save = async (_id, _state, _version, options) => void saved.push(options?.records);

    // Act
    await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(saved).toEqual([[expect.objectContaining({ time: T0, fromReplicas: 0, toReplicas: 3 })]]);
  });
});

describe('reconcile: concurrent evaluations', () => {
  it('re-reads the state and saves again when another evaluation saved first (no scale)', async () => {
    // Prepare: another evaluation saves the object just before this one does, once.
    const s = setup({ 'shop/orders/queue': { value: 0 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    let raced = false;
    s.state.hooks.save = async (id) => {
      if (raced) return;
      raced = true;
      await s.state.inner.save(id, OTHER_STATE, undefined, { now: T0 });
    };

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'unchanged', stateWritten: true });
    expect(callsOf(s.log, 'load', 'save')).toEqual(['load demo/shop/orders', 'save demo/shop/orders', 'load demo/shop/orders', 'save demo/shop/orders']);
    expect((await s.state.inner.load(['demo/shop/orders'])).get('demo/shop/orders')).toMatchObject({ version: 2 });
  });

  it('stands down after 3 attempts when the state keeps moving, reporting skipped', async () => {
    // Prepare: another evaluation saves before every save of this one.
    const s = setup({ 'shop/orders/queue': { value: 0 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.state.hooks.save = async (id) => {
      const current = (await s.state.inner.load([id])).get(id);
      await s.state.inner.save(id, OTHER_STATE, current !== undefined && 'version' in current ? current.version : undefined, { now: T0 });
    };

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'StateConflict' });
    expect(report?.message).toContain('changed since it was read');
    expect(callsOf(s.log, 'save')).toHaveLength(3);
  });

  it.each([
    { comment: 'about to scale (acquireLease refused)', value: 25, calls: ['acquireLease demo/shop/orders'] },
    { comment: 'only saving state (save refused)', value: 0, calls: ['save demo/shop/orders'] },
  ])('skips with LeaseHeld when another evaluation holds the lease, $comment', async ({ value, calls }) => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    await s.state.inner.acquireLease('demo/shop/orders', undefined, 'invocation-0', T0 - 1_000, 30_000);

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'LeaseHeld', stateWritten: false });
    expect(report?.message).toContain('invocation-0');
    expect(callsOf(s.log, 'acquireLease', 'save', 'patchScale')).toEqual(calls);
  });
});

describe('reconcile: the scale lease', () => {
  it('keeps an alarm at T0+31 s from scaling while a slow tick from T0 holds its PATCH', async () => {
    // Prepare: the tick's trigger read takes 31 s, then its PATCH is held.
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const group = groupOf([sqsScaledObject('orders')]);
    s.triggers.beforeRead = () => s.advance(31_000);
    const held = s.cluster.hold('patchScale shop/orders');
    const tick = reconcile(group, { ...s.deps, owner: 'tick' });
    await held.reached;
    s.triggers.beforeRead = undefined;

    // Act: the alarm wake-up evaluates the same object at T0+31 s.
    const [alarm] = await reconcile(group, { ...s.deps, owner: 'alarm' });
    held.release();
    const [ticked] = await tick;

    // Assess
    expect(alarm).toMatchObject({ outcome: 'skipped', reason: 'LeaseHeld' });
    expect(ticked).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
    expect(callsOf(s.log, 'patchScale')).toEqual(['patchScale shop/orders']);
  });

  it('never PATCHes on a lease that expired before the PATCH could start', async () => {
    // Prepare: taking the lease takes 31 s (the write was slow to come back).
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.state.hooks.acquireLease = () => s.advance(31_000);

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), s.deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'LeaseExpired', stateWritten: false });
    expect(callsOf(s.log, 'patchScale')).toEqual([]);
    expect(s.cluster.replicasOf('shop', 'orders')).toBe(0);
  });

  it('bounds the PATCH by the lease: its signal aborts the call when the lease runs out', async () => {
    // Prepare
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const timers: number[] = [];
    const deps: ReconcileDeps = { ...s.deps, abortAfter: (ms, reason) => (timers.push(ms), AbortSignal.abort(reason)) };

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('orders')]), deps);

    // Assess: the lease was taken at T0 for 30 s; the PATCH must end with a margin before it expires.
    expect(timers).toEqual([30_000 - 5_000]);
    expect(report).toMatchObject({ outcome: 'failed', reason: 'FailedUpdateScale' });
    expect(s.cluster.replicasOf('shop', 'orders')).toBe(0);
  });
});

describe('reconcile: the intended scale, recorded before the PATCH', () => {
  /** The object's state as stored, which must decode. */
  const storedState = async (s: ReturnType<typeof setup>) => {
    const stored = (await s.state.inner.load(['demo/shop/orders'])).get('demo/shop/orders');
    if (stored instanceof Error) throw stored;
    return stored;
  };

  it('records the scale with the lease, before the PATCH', async () => {
    // Prepare: look at the item while the PATCH is held.
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const held = s.cluster.hold('patchScale shop/orders');
    const run = reconcile(groupOf([sqsScaledObject('orders')]), s.deps);
    await held.reached;

    // Act
    const during = await storedState(s);
    held.release();
    await run;

    // Assess
    expect(during?.intent).toMatchObject({ record: { time: T0, fromReplicas: 0, toReplicas: 3, inputs: { queue: 25 } }, leaseExpiresAt: T0 + 30_000 });
    expect((await storedState(s))?.intent).toBeUndefined();
  });

  it.each([
    { comment: 'the evaluation died between the PATCH and the save', break: (s: ReturnType<typeof setup>) => void (s.state.hooks.save = () => Promise.reject(new Error('the container was frozen'))) },
    { comment: 'the PATCH timed out on our side but the server applied it', break: (s: ReturnType<typeof setup>) => s.cluster.applyThenFail('shop/orders', new Error('no response within 5000 ms')) },
  ])('keeps the scale event when $comment: the next evaluation adopts it and the rate limit holds', async ({ break: breakIt }) => {
    // Prepare: at most 1 pod more per 2 minutes. The first evaluation scales 1 → 2 but its state is not saved.
    const s = setup({ 'shop/orders/queue': { value: 50 } });
    s.cluster.target('shop', 'orders', { specReplicas: 1 });
    const behavior = { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] } };
    const group = groupOf([sqsScaledObject('orders', { advanced: { horizontalPodAutoscalerConfig: { behavior } } })]);
    breakIt(s);
    await reconcile(group, s.deps);
    const intent = (await storedState(s))?.intent;
    s.state.hooks.save = undefined;
    s.advance(MINUTE);

    // Act
    const [report] = await reconcile(group, { ...s.deps, owner: 'invocation-2' });

    // Assess: the scale event still limits (2, not 3), the intended state is kept and its decision record written.
    expect(intent?.state.scaleUpEvents).toEqual([{ time: T0, change: 1 }]);
    expect(s.cluster.replicasOf('shop', 'orders')).toBe(2);
    expect(report).toMatchObject({ outcome: 'unchanged', stateWritten: true, intent: 'adopted: the scale to 2 at 2026-11-23T10:00:00.000Z took effect' });
    expect((await storedState(s))?.state?.scaleUpEvents).toEqual([{ time: T0, change: 1 }]);
    expect((await storedState(s))?.intent).toBeUndefined();
    expect(await s.state.inner.listDecisions('demo/shop/orders')).toEqual([expect.objectContaining({ time: T0, fromReplicas: 1, toReplicas: 2 })]);
  });

  it('drops the intent of a PATCH that did not take effect, and decides afresh', async () => {
    // Prepare: the PATCH is refused; the target stays at 0.
    const s = setup({ 'shop/orders/queue': { value: 25 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    const group = groupOf([sqsScaledObject('orders')]);
    s.cluster.fail('patchScale shop/orders', new Error('422 Invalid'));
    await reconcile(group, s.deps);
    const retry = createFakeCluster([]);
    retry.target('shop', 'orders', { specReplicas: 0 });
    s.advance(MINUTE);

    // Act
    const [report] = await reconcile(group, { ...s.deps, connector: retry.connector, owner: 'invocation-2' });

    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', intent: 'dropped: the scale to 3 at 2026-11-23T10:00:00.000Z did not take effect (the target has 0 replicas)' });
    expect(await s.state.inner.listDecisions('demo/shop/orders')).toEqual([expect.objectContaining({ time: T0 + MINUTE, toReplicas: 3 })]);
  });
});

describe('reconcile: the time budget', () => {
  it('reports the objects its deadline did not reach as skipped DeadlineExceeded, and scales none of them', async () => {
    // Prepare: reading the triggers takes 20 s of a 10 s budget.
    const s = setup({ 'shop/a/queue': { value: 25 }, 'shop/b/queue': { value: 25 } });
    s.cluster.target('shop', 'a', { specReplicas: 0 });
    s.cluster.target('shop', 'b', { specReplicas: 0 });
    s.triggers.beforeRead = () => s.advance(20_000);

    // Act
    const reports = await reconcile(groupOf([sqsScaledObject('a'), sqsScaledObject('b')]), { ...s.deps, deadline: T0 + 10_000 });

    // Assess
    expect(reports.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['demo/shop/a', 'skipped', 'DeadlineExceeded'],
      ['demo/shop/b', 'skipped', 'DeadlineExceeded'],
    ]);
    expect(reports[0]?.message).toBe("not evaluated: the invocation's time budget ran out at 2026-11-23T10:00:10.000Z");
    expect(callsOf(s.log, 'acquireLease', 'patchScale', 'save')).toEqual([]);
  });

  it('reports an object whose remote call the deadline ended as skipped DeadlineExceeded, not failed', async () => {
    // Prepare: the GET hangs until the budget's signal fires.
    const s = setup({ 'shop/a/queue': { value: 25 } });
    s.cluster.target('shop', 'a', { specReplicas: 0 });
    const budget = new AbortController();
    const held = s.cluster.hold('getScale shop/a');
    const deps: ReconcileDeps = { ...s.deps, deadline: T0 + 10_000, abortAfter: (_, reason) => (held.reached.then(() => budget.abort(reason)), budget.signal) };

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('a')]), deps);

    // Assess
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'DeadlineExceeded', stateWritten: false });
    expect(callsOf(s.log, 'patchScale')).toEqual([]);
  });

  it('hands the deadline’s signal to every remote call: trigger reads, cluster lookup, GET and PATCH', async () => {
    // Prepare
    const s = setup({ 'shop/a/queue': { value: 25 } });
    s.cluster.target('shop', 'a', { specReplicas: 0 });

    // Act
    await reconcile(groupOf([sqsScaledObject('a')]), { ...s.deps, deadline: T0 + 10_000 });

    // Assess
    expect(s.triggers.reads.map((r) => r.signal)).toEqual([expect.any(AbortSignal)]);
    expect(s.cluster.signals.map(({ call, signal }) => [call, signal instanceof AbortSignal])).toEqual([
      ['connect demo', true],
      ['getScale shop/a', true],
      ['patchScale shop/a', true],
    ]);
  });
});

describe('reconcile: one object failing never stops the others', () => {
  it('reports a corrupt state item as failed FailedGetState and evaluates the rest', async () => {
    // Prepare: `a` has an item whose state does not decode.
    const s = setup({ 'shop/a/queue': { value: 25 }, 'shop/b/queue': { value: 25 } });
    s.cluster.target('shop', 'a', { specReplicas: 0 });
    s.cluster.target('shop', 'b', { specReplicas: 0 });
    s.state.table.put({ pk: { S: 'demo/shop/a' }, sk: { S: 'state' }, version: { N: '3' }, state: { S: '{"format":1' } });

    // Act
    const [a, b] = await reconcile(groupOf([sqsScaledObject('a'), sqsScaledObject('b')]), s.deps);

    // Assess
    expect(a).toMatchObject({ id: 'demo/shop/a', outcome: 'failed', reason: 'FailedGetState' });
    expect(a?.message).toContain('attribute state');
    expect(b).toMatchObject({ id: 'demo/shop/b', outcome: 'scaled' });
    expect(s.cluster.replicasOf('shop', 'a')).toBe(0);
  });

  it('reports a failing GET …/scale as failed FailedGetScale and evaluates the rest', async () => {
    // Prepare
    const s = setup({ 'shop/a/queue': { value: 25 }, 'shop/b/queue': { value: 25 } });
    s.cluster.target('shop', 'b', { specReplicas: 0 });
    s.cluster.fail('getScale shop/a', new Error('deployments.apps "a" is forbidden'));

    // Act
    const [a, b] = await reconcile(groupOf([sqsScaledObject('a'), sqsScaledObject('b')]), s.deps);

    // Assess
    expect(a).toMatchObject({ id: 'demo/shop/a', outcome: 'failed', reason: 'FailedGetScale', error: 'deployments.apps "a" is forbidden' });
    expect(b).toMatchObject({ id: 'demo/shop/b', outcome: 'scaled', desiredReplicas: 3 });
  });

  it.each([
    { comment: 'the state cannot be loaded', fail: (s: ReturnType<typeof setup>) => void (s.state.hooks.load = () => Promise.reject(new Error('DynamoDB BatchGetItem failed'))) },
    { comment: 'the cluster cannot be reached', fail: (s: ReturnType<typeof setup>) => s.cluster.fail('connect demo', new Error('DescribeCluster failed')) },
  ])('reports every object failed FailedPrecondition when $comment, invalid ones still invalid', async ({ fail }) => {
    // Prepare
    const s = setup({ 'shop/a/queue': { value: 25 }, 'shop/b/queue': { value: 25 } });
    s.cluster.target('shop', 'a', { specReplicas: 0 });
    s.cluster.target('shop', 'b', { specReplicas: 0 });
    fail(s);
    const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a'), sqsScaledObject('broken', { maxReplicaCount: 'lots' }), sqsScaledObject('b')] });
    if (!parsed.ok) throw new Error('the group envelope is valid');

    // Act
    const reports = await reconcile(parsed.group, s.deps);

    // Assess
    expect(reports.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      ['demo/shop/broken', 'invalid', 'InvalidScaledObject'],
      ['demo/shop/a', 'failed', 'FailedPrecondition'],
      ['demo/shop/b', 'failed', 'FailedPrecondition'],
    ]);
    expect(callsOf(s.log, 'getScale', 'patchScale')).toEqual([]);
  });

  it('reports an invalid manifest with the paths it broke, without reading anything for it', async () => {
    // Prepare
    const s = setup();
    const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('broken', { maxReplicaCount: 'lots' })] });
    if (!parsed.ok) throw new Error('the group envelope is valid');

    // Act
    const reports = await reconcile(parsed.group, s.deps);

    // Assess
    expect(reports).toEqual([
      expect.objectContaining({ id: 'demo/shop/broken', outcome: 'invalid', reason: 'InvalidScaledObject', stateWritten: false }),
    ]);
    expect(reports[0]?.message).toContain('scaledObjects[0].spec.maxReplicaCount');
    expect(s.log).toEqual([]);
  });
});

describe('reconcile: signals', () => {
  it('reads every trigger of every object in one call per trigger type, at `now`', async () => {
    // Prepare
    const s = setup();
    s.cluster.target('shop', 'a', { specReplicas: 0 });
    s.cluster.target('shop', 'b', { specReplicas: 0 });

    // Act
    await reconcile(groupOf([sqsScaledObject('a'), sqsScaledObject('b')]), s.deps);

    // Assess
    expect(s.triggers.reads).toEqual([{ type: 'aws-sqs-queue', keys: ['shop/a/queue', 'shop/b/queue'], now: T0 }]);
  });

  it('scales an object as soon as its own triggers are read, while another trigger type is still being read', async () => {
    // Prepare: the CloudWatch read is held until the SQS object has been scaled.
    const s = setup({ 'shop/orders/queue': { value: 25 }, 'shop/reports/metric': { value: 250 } });
    s.cluster.target('shop', 'orders', { specReplicas: 0 });
    s.cluster.target('shop', 'reports', { specReplicas: 1 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const cloudwatch = s.triggers.registry['aws-cloudwatch'];
    const deps: ReconcileDeps = { ...s.deps, triggers: { ...s.triggers.registry, 'aws-cloudwatch': { ...cloudwatch, read: async (...args) => held.then(() => cloudwatch.read(...args)) } } };
    const group = groupOf([sqsScaledObject('orders'), cloudWatchScaledObject('reports', { namespace: 'App', metricName: 'Backlog', dimensionName: 'Queue', dimensionValue: 'reports' })]);

    // Act
    const reconciled = reconcile(group, deps);
    for (let turn = 0; turn < 100 && !s.log.includes('save demo/shop/orders'); turn += 1) await new Promise((resolve) => setImmediate(resolve));
    const beforeRelease = callsOf(s.log, 'patchScale', 'save');
    release();
    const reports = await reconciled;

    // Assess
    expect(beforeRelease).toEqual(['patchScale shop/orders', 'save demo/shop/orders']);
    expect(reports.map((r) => [r.id, r.outcome, r.desiredReplicas])).toEqual([
      ['demo/shop/orders', 'scaled', 3],
      ['demo/shop/reports', 'scaled', 3],
    ]);
  });

  it('evaluates only the objects it is given (an alarm wake-up)', async () => {
    // Prepare
    const s = setup({ 'shop/b/queue': { value: 25 } });
    s.cluster.target('shop', 'b', { specReplicas: 0 });
    const group = groupOf([sqsScaledObject('a'), sqsScaledObject('b')]);

    // Act
    const reports = await reconcile(group, s.deps, group.objects.slice(1));

    // Assess
    expect(reports.map((r) => r.id)).toEqual(['demo/shop/b']);
    expect(s.triggers.reads.flatMap((r) => r.keys)).toEqual(['shop/b/queue']);
  });
});

describe('reconcile: Value metrics and ready pods', () => {
  /** Two triggers: `value` (metricType Value) and `queue` (AverageValue). */
  const mixed = (name: string) =>
    sqsScaledObject(name, {
      triggers: [
        { type: 'aws-sqs-queue', name: 'value', metricType: 'Value', metadata: { queueURL: 'jobs', queueLength: '10', awsRegion: 'eu-west-1' } },
        { type: 'aws-sqs-queue', name: 'queue', metadata: { queueURL: 'orders', queueLength: '10', awsRegion: 'eu-west-1' } },
      ],
    });

  it('counts ready pods with the scale selector for an object with a Value metric', async () => {
    // Prepare: 5 pods exist, 3 are ready.
    const s = setup({ 'shop/a/value': { value: 0 }, 'shop/a/queue': { value: 0 } });
    s.cluster.target('shop', 'a', { specReplicas: 5, statusReplicas: 5, selector: 'app=a', readyPods: 3 });

    // Act
    const [report] = await reconcile(groupOf([mixed('a')]), s.deps);

    // Assess
    expect(report?.readyReplicas).toBe(3);
    expect(callsOf(s.log, 'countReadyPods')).toEqual(['countReadyPods shop app=a']);
  });

  it('counts no pods for AverageValue metrics: ready replicas are status.replicas', async () => {
    // Prepare
    const s = setup({ 'shop/a/queue': { value: 0 } });
    s.cluster.target('shop', 'a', { specReplicas: 5, statusReplicas: 4, selector: 'app=a', readyPods: 3 });

    // Act
    const [report] = await reconcile(groupOf([sqsScaledObject('a')]), s.deps);

    // Assess
    expect(report?.readyReplicas).toBe(4);
    expect(callsOf(s.log, 'countReadyPods')).toEqual([]);
  });

  it.each([
    { comment: 'the pod list fails', selector: 'app=a', error: 'ready pods unknown: pods is forbidden' },
    { comment: 'the scale has no selector', selector: undefined, error: 'ready pods unknown: the scale subresource has no status.selector' },
  ])('turns only the Value metrics into errors when $comment', async ({ selector, error }) => {
    // Prepare
    const s = setup({ 'shop/a/value': { value: 40 }, 'shop/a/queue': { value: 7 } });
    s.cluster.target('shop', 'a', { specReplicas: 2, selector });
    s.cluster.fail('countReadyPods shop app=a', new Error('pods is forbidden'));

    // Act
    const [report] = await reconcile(groupOf([mixed('a')]), s.deps);

    // Assess
    expect(report?.metrics).toEqual({ value: error, queue: 7 });
  });

  it('turns every metric into an error when a Value scalingModifiers formula lacks ready pods', async () => {
    // Prepare
    const s = setup({ 'shop/a/value': { value: 40 }, 'shop/a/queue': { value: 7 } });
    s.cluster.target('shop', 'a', { specReplicas: 2, selector: 'app=a' });
    s.cluster.fail('countReadyPods shop app=a', new Error('pods is forbidden'));
    const manifest = mixed('a') as { spec: Record<string, unknown> };
    manifest.spec.advanced = { scalingModifiers: { formula: 'value + queue', target: '10', metricType: 'Value' } };

    // Act
    const [report] = await reconcile(groupOf([manifest]), s.deps);

    // Assess
    expect(report?.metrics).toEqual({ value: 'ready pods unknown: pods is forbidden', queue: 'ready pods unknown: pods is forbidden' });
  });
});
