/**
 * The in-memory state store behind exactly `latencyMs` per call: the latency model the budgets state
 * (DESIGN.md §5), without an emulator's own throughput in the measure. Counts calls per method.
 */
import { InMemoryStateStore } from '../shared/state/inMemoryStateStore.js';
import type { StateStore } from '../shared/state/types.js';

const delayedStore = (latencyMs: number, inner: StateStore = new InMemoryStateStore()): { store: StateStore; calls: Map<string, number> } => {
  const calls = new Map<string, number>();
  const delayed =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return call(...args);
    };
  return {
    calls,
    store: {
      load: delayed('load', (ids) => inner.load(ids)),
      save: delayed('save', (...a: Parameters<StateStore['save']>) => inner.save(...a)),
      acquireLease: delayed('acquireLease', (...a: Parameters<StateStore['acquireLease']>) => inner.acquireLease(...a)),
      releaseLease: delayed('releaseLease', (...a: Parameters<StateStore['releaseLease']>) => inner.releaseLease(...a)),
      recordDecision: delayed('recordDecision', (...a: Parameters<StateStore['recordDecision']>) => inner.recordDecision(...a)),
      remove: delayed('remove', (id: string) => inner.remove(id)),
      listDecisions: delayed('listDecisions', (...a: Parameters<StateStore['listDecisions']>) => inner.listDecisions(...a)),
    },
  };
};

export { delayedStore };
