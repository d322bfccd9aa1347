/** What one evaluation of one ScaledObject did: the handler logs it as one line and emits it as metrics. */
import type { Decision, Observation } from '../engine/types.js';

interface ObjectReport {
  /** `<cluster>/<namespace>/<name>` */
  readonly id: string;
  readonly outcome: 'scaled' | 'unchanged' | 'skipped' | 'failed' | 'invalid';
  readonly reason: string;
  readonly message: string;
  readonly currentReplicas?: number;
  readonly desiredReplicas?: number;
  readonly readyReplicas?: number;
  readonly active?: boolean;
  /** Trigger key → value read, or the error text. */
  readonly metrics?: Readonly<Record<string, number | string>>;
  readonly stateWritten: boolean;
  readonly error?: string;
  /** What became of a scale an earlier evaluation recorded but never saved (shared/app/scaleIntent.ts). */
  readonly intent?: string;
}

const reportOf = (
  id: string,
  observation: Observation,
  decision: Decision,
  outcome: ObjectReport['outcome'],
  extra: Partial<ObjectReport>,
): ObjectReport => ({
  id,
  outcome,
  reason: decision.reason,
  message: decision.message,
  currentReplicas: observation.specReplicas,
  desiredReplicas: decision.replicas,
  readyReplicas: observation.readyReplicas,
  active: decision.active,
  metrics: decision.values,
  stateWritten: false,
  ...extra,
});

const failedReport = (id: string, outcome: 'failed' | 'invalid', reason: string, message: string): ObjectReport => ({
  id,
  outcome,
  reason,
  message,
  stateWritten: false,
  error: message,
});

/** An object the invocation's time budget did not reach: nothing was decided or written for it. */
const notEvaluatedReport = (id: string, why: string): ObjectReport => ({
  id,
  outcome: 'skipped',
  reason: 'DeadlineExceeded',
  message: `not evaluated: ${why}`,
  stateWritten: false,
});

export { failedReport, notEvaluatedReport, reportOf };
export type { ObjectReport };
