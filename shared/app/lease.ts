/**
 * The scale lease and the clock (DESIGN.md §1, step 5). A lease is taken with the clock read at that
 * moment, never with a time read earlier in the tick: a slow tick would otherwise take a lease that
 * has already run out, and a concurrent evaluation (the alarm wake-up) could scale the same object.
 * The PATCH runs only inside the lease, with a margin left for the save that releases it; a PATCH
 * that cannot finish by then is aborted rather than left to land under someone else's lease.
 */
import type { ScaleIntent, StateStore } from '../state/types.js';

/** How long a lease protects a scale in progress. */
const DEFAULT_LEASE_MS = 30_000;
/** Kept free at the end of a lease for the save after the PATCH. */
const LEASE_MARGIN_MS = 5_000;

interface Lease {
  readonly owner: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** Takes the lease on `id` at version `expectedVersion`, with the intent; throws what `acquireLease` throws. */
const takeLease = async (
  store: StateStore,
  args: {
    readonly id: string;
    readonly expectedVersion: number | undefined;
    readonly owner: string;
    readonly now: () => number;
    readonly ttlMs?: number;
    /** Written with the lease, before the PATCH (shared/app/scaleIntent.ts). */
    readonly intent: ScaleIntent;
  },
): Promise<Lease> => {
  const ttlMs = args.ttlMs ?? DEFAULT_LEASE_MS;
  const takenAt = args.now();
  await store.acquireLease(args.id, args.expectedVersion, args.owner, takenAt, ttlMs, args.intent);
  return { owner: args.owner, expiresAt: takenAt + ttlMs };
};

/** How long a PATCH started `now` may run, or undefined when the lease is too near its end to start one. */
const patchWindowMs = (lease: Lease, now: number): number | undefined => {
  const left = lease.expiresAt - LEASE_MARGIN_MS - now;
  return left > 0 ? left : undefined;
};

export { DEFAULT_LEASE_MS, LEASE_MARGIN_MS, patchWindowMs, takeLease };
export type { Lease };
