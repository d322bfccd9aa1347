import { describe, expect, it } from 'vitest';
import { InMemoryStateStore, InMemoryTable } from '../../../shared/state/inMemoryStateStore.js';
import { DECISION_SORT_KEY_PREFIX } from '../../../shared/state/tableDefinition.js';
import { describeStateStoreContract, okState } from './stateStoreContract.js';

const DECISION_TTL_SECONDS = 3_600;

describeStateStoreContract('in memory', () => {
  const clock = { now: 0 };
  const table = new InMemoryTable();
  const store = new InMemoryStateStore({ table, clock: () => clock.now, decisionTtlSeconds: DECISION_TTL_SECONDS });
  return {
    store,
    clock,
    decisionTtlSeconds: DECISION_TTL_SECONDS,
    putRawItem: async (item) => table.put(item),
    rawDecisionItems: async (id) => table.queryDescending(id, DECISION_SORT_KEY_PREFIX),
  };
});

describe('Class: InMemoryStateStore', () => {
  it('keeps decisions for 7 days unless told otherwise', async () => {
    // Prepare
    const table = new InMemoryTable();
    const store = new InMemoryStateStore({ table });

    // Act
    await store.recordDecision('c/ns/app', { time: 0, fromReplicas: 1, toReplicas: 2, reason: 'r', message: 'm', inputs: {} });

    // Assess
    expect(table.queryDescending('c/ns/app', DECISION_SORT_KEY_PREFIX)[0]?.expiresAt).toEqual({ N: String(7 * 24 * 3_600) });
  });

  it('stores its own copy: changing a saved state object afterwards changes nothing stored', async () => {
    // Prepare
    const store = new InMemoryStateStore();
    const failures: Record<string, number> = { queue: 1 };
    await store.save('c/ns/app', { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], failures }, undefined, { now: 0 });

    // Act
    failures.queue = 9;

    // Assess
    expect(okState(await store.load(['c/ns/app']), 'c/ns/app')?.state?.failures).toEqual({ queue: 1 });
  });
});
