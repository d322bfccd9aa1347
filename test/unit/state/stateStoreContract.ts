/**
 * The state port's contract, run against every adapter (in memory here, DynamoDB on dynalite in
 * test/integration/state): same inputs, same results, same errors.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../../shared/engine/types.js';
import type { StoredState } from '../../../shared/state/types.js';
import { LeaseHeldError, StateConflictError, StateCorruptError } from '../../../shared/state/errors.js';
import type { Item } from '../../../shared/state/items.js';
import type { DecisionRecord, StateStore } from '../../../shared/state/types.js';

/** A loaded entry that must have decoded. */
const okState = (loaded: Map<string, StoredState | StateCorruptError>, id: string): StoredState | undefined => {
  const entry = loaded.get(id);
  if (entry instanceof StateCorruptError) throw entry;
  return entry;
};

/** What a contract test needs from an adapter besides the port. */
interface StateStoreHarness {
  readonly store: StateStore;
  /** Epoch ms the store reads when `save` gets no `now`. */
  readonly clock: { now: number };
  /** Writes an item behind the store's back (to plant corrupt ones). */
  putRawItem(item: Item): Promise<void>;
  /** The raw decision items of one object, any order. */
  rawDecisionItems(id: string): Promise<Item[]>;
  readonly decisionTtlSeconds: number;
}

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LEASE_MS = 30_000;

const STATE_A: EngineState = {
  lastEvaluationTime: T0,
  lastActiveTime: T0 - 5_000,
  recommendations: [
    { replicas: 3, time: T0 - 15_000 },
    { replicas: 4, time: T0 },
  ],
  scaleUpEvents: [{ change: 1, time: T0 }],
  scaleDownEvents: [],
  failures: { queue: 2 },
  originalReplicas: 1,
};
const STATE_B: EngineState = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures: {}, paused: true };

/** Every test works on its own objects, so adapters sharing one table need no cleanup. */
const newId = (): string => `test-cluster/ns-${randomUUID().slice(0, 8)}/worker`;

const decision = (time: number, toReplicas: number): DecisionRecord => ({
  time,
  fromReplicas: toReplicas - 1,
  toReplicas,
  reason: 'DesiredWithinRange',
  message: `scaled to ${toReplicas}`,
  inputs: { queue: toReplicas * 10, cpu: 'metric unavailable' },
});

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

const describeStateStoreContract = (adapter: string, makeHarness: () => StateStoreHarness): void => {
  describe(`Contract: StateStore (${adapter})`, () => {
    describe('load and save', () => {
      it('returns nothing for an object never saved', async () => {
        const { store } = makeHarness();
        expect(await store.load([newId()])).toEqual(new Map());
      });

      it('saves a first state as version 1 and loads it back exactly', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();

        // Act
        const version = await store.save(id, STATE_A, undefined, { now: T0 });

        // Assess
        expect(version).toBe(1);
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_A, version: 1 });
      });

      it('saves over the version it names and returns the next one', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });

        // Act
        const version = await store.save(id, STATE_B, 1, { now: T0 });

        // Assess
        expect(version).toBe(2);
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_B, version: 2 });
      });

      it.each([
        { comment: 'an old version', saves: 2, expected: 1 as number | undefined, actual: 2 as number | undefined },
        { comment: 'a future version', saves: 1, expected: 3, actual: 1 },
        { comment: 'no item, but one exists', saves: 1, expected: undefined, actual: 1 },
        { comment: 'a version, but no item exists', saves: 0, expected: 1, actual: undefined },
      ])('refuses a save expecting $comment with StateConflictError', async ({ saves, expected, actual }) => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        for (let v = 0; v < saves; v += 1) await store.save(id, STATE_A, v === 0 ? undefined : v, { now: T0 });

        // Act
        const error = await rejection(store.save(id, STATE_B, expected, { now: T0 }));

        // Assess
        expect(error).toBeInstanceOf(StateConflictError);
        expect(error).not.toBeInstanceOf(LeaseHeldError);
        expect(error).toMatchObject({ id, expectedVersion: expected, actualVersion: actual });
        expect(okState(await store.load([id]), id)?.version).toBe(saves === 0 ? undefined : saves);
      });

      it('loads 250 objects at once, leaving out the unknown and ignoring repeated ids', async () => {
        // Prepare
        const { store } = makeHarness();
        const ids = Array.from({ length: 250 }, newId);
        await Promise.all(ids.map((id, i) => store.save(id, { ...STATE_B, originalReplicas: i }, undefined, { now: T0 })));
        const unknown = newId();

        // Act
        const loaded = await store.load([...ids, unknown, ids[0] ?? '']);

        // Assess
        expect(loaded.size).toBe(250);
        expect(loaded.has(unknown)).toBe(false);
        expect(ids.every((id, i) => okState(loaded, id)?.state?.originalReplicas === i && okState(loaded, id)?.version === 1)).toBe(true);
      });
    });

    describe('leases', () => {
      it('refuses a second owner while the first holds a live lease, naming holder and expiry', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        const error = await rejection(store.acquireLease(id, 1, 'eval-b', T0 + LEASE_MS - 1, LEASE_MS));

        // Assess
        expect(error).toBeInstanceOf(LeaseHeldError);
        expect(error).toBeInstanceOf(StateConflictError);
        expect(error).toMatchObject({ id, holder: 'eval-a', expiresAt: T0 + LEASE_MS });
      });

      it.each([
        { comment: 'at the moment it expires', at: T0 + LEASE_MS },
        { comment: 'after it expired', at: T0 + LEASE_MS + 60_000 },
      ])('lets another owner take a lease $comment', async ({ at }) => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act + Assess
        await expect(store.acquireLease(id, 1, 'eval-b', at, LEASE_MS)).resolves.toBeUndefined();
      });

      it('lets the holder take its own lease again (extending it)', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        await store.acquireLease(id, 1, 'eval-a', T0 + 10_000, LEASE_MS);

        // Assess: the extended lease still blocks past the first expiry
        const error = await rejection(store.acquireLease(id, 1, 'eval-b', T0 + LEASE_MS + 1, LEASE_MS));
        expect(error).toMatchObject({ name: 'LeaseHeldError', expiresAt: T0 + 10_000 + LEASE_MS });
      });

      it('refuses a lease on a version that moved with StateConflictError, not LeaseHeldError', async () => {
        // Prepare: evaluation B read version 1, then A saved version 2
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.save(id, STATE_B, 1, { now: T0 });

        // Act
        const error = await rejection(store.acquireLease(id, 1, 'eval-b', T0, LEASE_MS));

        // Assess
        expect(error).toBeInstanceOf(StateConflictError);
        expect(error).not.toBeInstanceOf(LeaseHeldError);
        expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      });

      it.each([
        { comment: 'an object saved before', version: 1 as number | undefined },
        { comment: 'an object never saved', version: undefined },
      ])('grants exactly one of 20 concurrent leases on $comment', async ({ version }) => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        if (version !== undefined) await store.save(id, STATE_A, undefined, { now: T0 });

        // Act
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => store.acquireLease(id, version, `eval-${i}`, T0, LEASE_MS)),
        );

        // Assess
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(refused.every((r) => r.reason instanceof LeaseHeldError)).toBe(true);
      });

      it('releases the lease with the holder\'s save, so the next evaluation can lease the new version', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        const version = await store.save(id, STATE_B, 1, { leaseOwner: 'eval-a', now: T0 + 1_000 });

        // Assess
        expect(version).toBe(2);
        await expect(store.acquireLease(id, 2, 'eval-b', T0 + 2_000, LEASE_MS)).resolves.toBeUndefined();
      });

      it('refuses a save by anyone else while the lease is live', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        const withoutOwner = await rejection(store.save(id, STATE_B, 1, { now: T0 + 1_000 }));
        const otherOwner = await rejection(store.save(id, STATE_B, 1, { leaseOwner: 'eval-b', now: T0 + 1_000 }));

        // Assess
        expect(withoutOwner).toMatchObject({ name: 'LeaseHeldError', holder: 'eval-a' });
        expect(otherOwner).toMatchObject({ name: 'LeaseHeldError', holder: 'eval-a' });
      });

      it('lets anyone save once the lease expired, judged by the store clock when save gets no now', async () => {
        // Prepare
        const { store, clock } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);
        clock.now = T0 + LEASE_MS;

        // Act + Assess
        await expect(store.save(id, STATE_B, 1)).resolves.toBe(2);
      });

      it('drops the lease on releaseLease by its holder, leaving the state as it was', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        await store.releaseLease(id, 'eval-a');

        // Assess
        await expect(store.acquireLease(id, 1, 'eval-b', T0 + 1, LEASE_MS)).resolves.toBeUndefined();
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_A, version: 1 });
      });

      it('ignores releaseLease by someone who does not hold the lease', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        await store.releaseLease(id, 'eval-b');

        // Assess
        expect(await rejection(store.acquireLease(id, 1, 'eval-b', T0 + 1, LEASE_MS))).toMatchObject({ holder: 'eval-a' });
      });

      it('ignores releaseLease on an object with no item, creating none', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();

        // Act
        await store.releaseLease(id, 'eval-a');

        // Assess: still "no item", so a first save succeeds
        await expect(store.save(id, STATE_A, undefined, { now: T0 })).resolves.toBe(1);
      });

      it('leases a never-saved object through a placeholder that load does not show and the first save replaces', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.acquireLease(id, undefined, 'eval-a', T0, LEASE_MS);
        const whileLeased = await store.load([id]);

        // Act
        const version = await store.save(id, STATE_A, undefined, { leaseOwner: 'eval-a', now: T0 + 1_000 });

        // Assess
        expect(whileLeased.has(id)).toBe(false);
        expect(version).toBe(1);
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_A, version: 1 });
        await expect(store.acquireLease(id, 1, 'eval-b', T0 + 2_000, LEASE_MS)).resolves.toBeUndefined();
      });
    });

    describe('intents (a scale recorded with its lease, before the PATCH)', () => {
      const INTENT = { record: decision(T0, 4), state: STATE_B };

      it('loads the intent with the lease it was written with', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });

        // Act
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS, INTENT);

        // Assess
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_A, version: 1, intent: { ...INTENT, leaseExpiresAt: T0 + LEASE_MS } });
      });

      it('keeps the intent through releaseLease, without the lease', async () => {
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS, INTENT);
        await store.releaseLease(id, 'eval-a');
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_A, version: 1, intent: { ...INTENT, leaseExpiresAt: undefined } });
      });

      it('removes the intent with the next save', async () => {
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS, INTENT);
        await store.save(id, STATE_B, 1, { leaseOwner: 'eval-a', now: T0 + 1_000 });
        expect((await store.load([id])).get(id)).toStrictEqual({ state: STATE_B, version: 2 });
      });

      it('shows a never-saved object that carries an intent as version 0 with no state', async () => {
        const { store } = makeHarness();
        const id = newId();
        await store.acquireLease(id, undefined, 'eval-a', T0, LEASE_MS, INTENT);
        expect((await store.load([id])).get(id)).toStrictEqual({ state: undefined, version: 0, intent: { ...INTENT, leaseExpiresAt: T0 + LEASE_MS } });
      });
    });

    describe('decision records', () => {
      it('lists decisions newest first, up to the limit', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        for (const [minute, replicas] of [[2, 3], [0, 1], [5, 6], [1, 2]] as const) {
          await store.recordDecision(id, decision(T0 + minute * 60_000, replicas));
        }

        // Act
        const all = await store.listDecisions(id);
        const latest = await store.listDecisions(id, 2);

        // Assess
        expect(all.map((d) => d.toReplicas)).toEqual([6, 3, 2, 1]);
        expect(latest).toStrictEqual([decision(T0 + 5 * 60_000, 6), decision(T0 + 2 * 60_000, 3)]);
      });

      it('keeps two decisions of the same millisecond', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();

        // Act
        await store.recordDecision(id, decision(T0, 2));
        await store.recordDecision(id, decision(T0, 3));

        // Assess
        expect((await store.listDecisions(id)).map((d) => d.toReplicas).sort()).toEqual([2, 3]);
      });

      it('sets the TTL attribute expiresAt in epoch seconds on decision items', async () => {
        // Prepare
        const harness = makeHarness();
        const id = newId();

        // Act
        await harness.store.recordDecision(id, decision(T0 + 999, 2));

        // Assess
        const [item] = await harness.rawDecisionItems(id);
        expect(item?.expiresAt).toEqual({ N: String(T0 / 1000 + harness.decisionTtlSeconds) });
      });

      it('does not mix decisions into load, nor the state into decisions', async () => {
        // Prepare
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.recordDecision(id, decision(T0, 2));

        // Act + Assess
        expect(okState(await store.load([id]), id)?.version).toBe(1);
        expect(await store.listDecisions(id)).toHaveLength(1);
      });

      it('refuses a limit below 1', async () => {
        const { store } = makeHarness();
        await expect(store.listDecisions(newId(), 0)).rejects.toThrow(RangeError);
      });

      it('writes the records a save carries with its state, releasing the lease in the same write', async () => {
        // Prepare: the scale path's lease.
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.acquireLease(id, 1, 'eval-a', T0, LEASE_MS);

        // Act
        const version = await store.save(id, STATE_B, 1, { leaseOwner: 'eval-a', now: T0 + 1_000, records: [decision(T0, 2), decision(T0 + 1, 3)] });

        // Assess
        expect(version).toBe(2);
        expect(okState(await store.load([id]), id)?.state).toStrictEqual(STATE_B);
        expect(await store.listDecisions(id)).toStrictEqual([decision(T0 + 1, 3), decision(T0, 2)]);
        await expect(store.acquireLease(id, 2, 'eval-b', T0 + 2_000, LEASE_MS)).resolves.toBeUndefined();
      });

      it.each([
        { comment: 'the version moved', error: 'StateConflictError', owner: undefined, expected: 1 },
        { comment: "another owner's lease is live", error: 'LeaseHeldError', owner: 'eval-b', expected: 2 },
      ])('writes none of its records when the save is refused because $comment', async ({ error, owner, expected }) => {
        // Prepare: version 2, leased by eval-a.
        const { store } = makeHarness();
        const id = newId();
        await store.save(id, STATE_A, undefined, { now: T0 });
        await store.save(id, STATE_A, 1, { now: T0 });
        await store.acquireLease(id, 2, 'eval-a', T0, LEASE_MS);

        // Act
        const refused = await rejection(store.save(id, STATE_B, expected, { ...(owner === undefined ? {} : { leaseOwner: owner }), now: T0 + 1_000, records: [decision(T0, 2)] }));

        // Assess
        expect(refused).toMatchObject({ name: error });
        expect(await store.listDecisions(id)).toEqual([]);
        expect(okState(await store.load([id]), id)).toMatchObject({ version: 2, state: STATE_A });
      });
    });

    describe('corrupt items', () => {
      it.each<{ readonly comment: string; readonly attributes: Item; readonly attribute: string }>([
        { comment: 'state is not JSON', attributes: { version: { N: '3' }, state: { S: '{"format":1' } }, attribute: 'state' },
        { comment: 'state is a number', attributes: { version: { N: '3' }, state: { N: '7' } }, attribute: 'state' },
        {
          comment: 'a pair list is cut short',
          attributes: { version: { N: '3' }, state: { S: '{"format":1,"recommendations":[1],"scaleUpEvents":[],"scaleDownEvents":[],"failures":{}}' } },
          attribute: 'state.recommendations',
        },
        { comment: 'version is missing', attributes: { state: { S: '{}' } }, attribute: 'version' },
        { comment: 'state is missing from a saved version', attributes: { version: { N: '3' } }, attribute: 'state' },
        { comment: 'intent is not JSON', attributes: { version: { N: '0' }, intent: { S: '{"record"' } }, attribute: 'intent' },
        { comment: 'intent has no record', attributes: { version: { N: '0' }, intent: { S: '{"state":"{}"}' } }, attribute: 'intent' },
      ])('loads the other objects and returns the error naming the object and attribute when $comment', async ({ attributes, attribute }) => {
        // Prepare
        const harness = makeHarness();
        const id = newId();
        const healthy = newId();
        await harness.store.save(healthy, STATE_A, undefined, { now: T0 });
        await harness.putRawItem({ pk: { S: id }, sk: { S: 'state' }, ...attributes });

        // Act
        const loaded = await harness.store.load([healthy, id]);

        // Assess
        expect(loaded.get(healthy)).toMatchObject({ version: 1 });
        expect(loaded.get(id)).toBeInstanceOf(StateCorruptError);
        expect(loaded.get(id)).toMatchObject({ id, attribute });
      });

      it('rejects listDecisions naming the attribute of a corrupt record', async () => {
        // Prepare
        const harness = makeHarness();
        const id = newId();
        const attributes = { time: { N: String(T0) }, fromReplicas: { N: '1' }, toReplicas: { N: '2' }, reason: { S: 'r' }, message: { S: 'm' } };
        await harness.putRawItem({ pk: { S: id }, sk: { S: 'decision#2026-01-15T12:00:00.000Z#00' }, ...attributes, inputs: { S: '[1]' } });

        // Act + Assess
        expect(await rejection(harness.store.listDecisions(id))).toMatchObject({ name: 'StateCorruptError', id, attribute: 'inputs' });
      });
    });
  });
};

export { describeStateStoreContract, okState };
export type { StateStoreHarness };
