/**
 * The intended scale (DESIGN.md §1, step 5). A scale's decision record and next state are written
 * with the lease, before the PATCH; the save after the PATCH removes them. An intent still there once
 * its lease is over means the evaluation stopped in between (a crash, a frozen container, a PATCH that
 * timed out on our side although the server applied it). The next evaluation settles it against the
 * target's replicas, so the behavior's rate limits always see the scale event.
 */
import type { Decision, Observation } from '../engine/types.js';
import type { DecisionRecord, ScaleIntent, StoredState } from '../state/types.js';

/** What a scale about to happen will have done: the decision record and the state to keep. */
const intentOf = (decision: Decision, observation: Observation, now: number): ScaleIntent => ({
  record: {
    time: now,
    fromReplicas: observation.specReplicas,
    toReplicas: decision.replicas,
    reason: decision.reason,
    message: decision.message,
    inputs: decision.values,
  },
  state: decision.state,
});

interface Settlement {
  /** The state to decide from. */
  readonly stored: StoredState | undefined;
  /** Set when an intent was settled: the next write must happen (it removes the intent), and this says how. */
  readonly note?: string;
  /** An adopted intent's decision record, written once the state is saved. */
  readonly record?: DecisionRecord;
}

/**
 * Adopts an abandoned intent whose PATCH took effect (the target has its replicas), drops one whose
 * PATCH did not. An intent under a live lease belongs to a scale still in progress: left alone.
 */
const settleIntent = (stored: StoredState | undefined, specReplicas: number, now: number): Settlement => {
  const intent = stored?.intent;
  if (stored === undefined || intent === undefined) return { stored };
  if (intent.leaseExpiresAt !== undefined && now < intent.leaseExpiresAt) return { stored };
  const what = `the scale to ${intent.record.toReplicas} at ${new Date(intent.record.time).toISOString()}`;
  if (specReplicas === intent.record.toReplicas) {
    return { stored: { state: intent.state, version: stored.version }, note: `adopted: ${what} took effect`, record: intent.record };
  }
  return { stored: { state: stored.state, version: stored.version }, note: `dropped: ${what} did not take effect (the target has ${specReplicas} replicas)` };
};

export { intentOf, settleIntent };
export type { Settlement };
