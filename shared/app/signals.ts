/**
 * Step 3 of a tick: credentials first, then every trigger. TriggerAuthentications are resolved
 * once for the tick's requests (shared/auth), so readers only look at `authParams`; a trigger whose
 * authentication failed gets that failure as its reading and is never read without it.
 */
import type { AuthOutcome, AuthResolver } from '../auth/resolve.js';
import type { MetricReading } from '../engine/types.js';
import type { ScaleClient } from '../kube/types.js';
import { failedReading } from '../triggers/errors.js';
import { readTriggers } from '../triggers/registry.js';
import type { TriggerRegistry, TriggerRequest } from '../triggers/types.js';
import type { ScaleGroup } from './scaleGroup.js';

interface SignalDeps {
  readonly triggers: TriggerRegistry;
  /** Resolves `authenticationRef`s; without it such triggers fail (and only they). */
  readonly auth?: AuthResolver;
}

/** The request with what its authenticationRef resolved to. */
const withAuthentication = (request: TriggerRequest, outcome: Extract<AuthOutcome, { ok: true }>): TriggerRequest => ({
  ...request,
  ...(outcome.authParams === undefined ? {} : { authParams: outcome.authParams }),
  ...(outcome.podIdentity === undefined ? {} : { podIdentity: outcome.podIdentity }),
});

/**
 * One reading per request, in request order; never rejects.
 *
 * @example
 * const readings = await readSignals(deps, group, client, requests, now, signal);
 */
const readSignals = async (
  deps: SignalDeps,
  group: ScaleGroup,
  kube: ScaleClient,
  requests: readonly TriggerRequest[],
  now: number,
  signal?: AbortSignal,
): Promise<MetricReading[]> => {
  if (requests.every((request) => request.trigger.authenticationRef === undefined)) return readTriggers(deps.triggers, requests, now, signal, kube);
  const outcomes: readonly AuthOutcome[] =
    deps.auth === undefined
      ? requests.map((request) => (request.trigger.authenticationRef === undefined ? { ok: true } : { ok: false, error: 'authenticationRef: no credential resolver is configured' }))
      : await deps.auth.resolve(requests, { cluster: group.cluster.name, authentications: group.authentications, kube, ...(signal === undefined ? {} : { signal }) });
  const readings = new Array<MetricReading>(requests.length);
  const ready: { index: number; request: TriggerRequest }[] = [];
  outcomes.forEach((outcome, index) => {
    const request = requests[index] as TriggerRequest;
    if (!outcome.ok) readings[index] = failedReading(request, outcome.error);
    else ready.push({ index, request: withAuthentication(request, outcome) });
  });
  const read = await readTriggers(deps.triggers, ready.map(({ request }) => request), now, signal, kube);
  ready.forEach(({ index }, i) => {
    readings[index] = read[i] as MetricReading;
  });
  return readings;
};

export { readSignals };
export type { SignalDeps };
