/**
 * State housekeeping: reading times written under another clock (`withoutFutureTimes`), and when
 * the state must be written (`stateChanged`). Not when an evaluation only moved `lastEvaluationTime`: that
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

const at = (time: number | undefined, now: number): number | undefined => (time === undefined ? undefined : Math.min(time, now));

/**
 * The state with every time later than `now` read as `now`. Clocks of two invocations can disagree
 * (or a state was written by a host with a fast clock): a future `lastSyncTime` would otherwise
 * freeze the HPA's syncs until the clock caught up, a future event would count against rate limits
 * for longer than its period. `moved` says whether anything was in the future, for the message.
 */
const withoutFutureTimes = (state: EngineState, now: number): { readonly state: EngineState; readonly moved: boolean } => {
  // Runs on every decision: plain loops, no closures or arrays allocated for the common case.
  let moved = [state.lastEvaluationTime, state.lastSyncTime, state.lastActiveTime, state.firstEvaluationTime].some((t) => t !== undefined && t > now);
  for (const list of [state.recommendations, state.scaleUpEvents, state.scaleDownEvents]) {
    for (let i = 0; !moved && i < list.length; i++) moved = (list[i] as { readonly time: number }).time > now;
  }
  if (!moved) return { state, moved: false };
  const clamped: EngineState = {
    ...state,
    lastEvaluationTime: at(state.lastEvaluationTime, now),
    lastSyncTime: at(state.lastSyncTime, now),
    lastActiveTime: at(state.lastActiveTime, now),
    firstEvaluationTime: at(state.firstEvaluationTime, now),
    recommendations: state.recommendations.map((r) => ({ ...r, time: Math.min(r.time, now) })),
    scaleUpEvents: state.scaleUpEvents.map((e) => ({ ...e, time: Math.min(e.time, now) })),
    scaleDownEvents: state.scaleDownEvents.map((e) => ({ ...e, time: Math.min(e.time, now) })),
  };
  return { state: clamped, moved: true };
};

export { stateChanged, withoutFutureTimes };
