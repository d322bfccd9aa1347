/**
 * When must the state be written? Not when an evaluation only moved `lastEvaluationTime`: that
 * happens exactly when the HPA did not run (0 replicas, idle, paused) — it records a recommendation
 * at `now` whenever it runs — and replays only start from a running HPA, which always writes. So
 * an idle fleet at zero costs no DynamoDB writes (DESIGN.md §5).
 */
import type { EngineState } from './types.js';

const sameList = <T extends object>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((item, i) => shallowEqual(item, b[i] as T));

const shallowEqual = (a: object, b: object): boolean => {
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
};

const stateChanged = (previous: EngineState | undefined, next: EngineState): boolean => {
  if (previous === undefined) return true;
  const { lastEvaluationTime: _a, recommendations: ra, scaleUpEvents: ua, scaleDownEvents: da, failures: fa, ...restA } = previous;
  const { lastEvaluationTime: _b, recommendations: rb, scaleUpEvents: ub, scaleDownEvents: db, failures: fb, ...restB } = next;
  return !(
    shallowEqual(restA, restB) &&
    shallowEqual(fa, fb) &&
    sameList(ra, rb) &&
    sameList(ua, ub) &&
    sameList(da, db)
  );
};

export { stateChanged };
