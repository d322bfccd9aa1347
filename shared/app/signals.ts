/**
 * Step 3 of a tick: credentials first, then every trigger. TriggerAuthentications are resolved
 * once for the tick's requests (shared/auth), so readers only look at `authParams`; a trigger whose
 * authentication failed gets that failure as its reading and is never read without it.
 */
import { AuthResolutionError } from '../auth/errors.js';
import type { AuthObjectsClient, AuthOutcome, AuthResolver } from '../auth/resolve.js';
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

/** Where a tick's objects come from: their cluster's name and the authentication objects given with them. */
type SignalScope = { readonly cluster: Pick<ScaleGroup['cluster'], 'name'> } & Pick<ScaleGroup, 'authentications'>;

/** Without a cluster (`lpa metrics` without access flags), only what needs no Kubernetes read resolves. */
const NO_CLUSTER_OBJECTS: AuthObjectsClient = {
  getSecret: (namespace, name) => Promise.reject(new AuthResolutionError(`Secret ${namespace}/${name} cannot be read: no cluster is connected`)),
  getTriggerAuthentication: () => Promise.reject(new AuthResolutionError('it is not among the given manifests and no cluster is connected to read it from')),
};

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
  group: SignalScope,
  cluster: ScaleClient | undefined,
  requests: readonly TriggerRequest[],
  now: number,
  signal?: AbortSignal,
): Promise<MetricReading[]> => {
  if (requests.every((request) => request.trigger.authenticationRef === undefined)) return readTriggers(deps.triggers, requests, now, signal, cluster);
  const outcomes: readonly AuthOutcome[] =
    deps.auth === undefined
      ? requests.map((request) => (request.trigger.authenticationRef === undefined ? { ok: true } : { ok: false, error: 'authenticationRef: no credential resolver is configured' }))
      : await deps.auth.resolve(requests, {
          cluster: group.cluster.name,
          authentications: group.authentications,
          kube: cluster ?? NO_CLUSTER_OBJECTS,
          ...(signal === undefined ? {} : { signal }),
        });
  const readings = new Array<MetricReading>(requests.length);
  const ready: { index: number; request: TriggerRequest }[] = [];
  outcomes.forEach((outcome, index) => {
    const request = requests[index] as TriggerRequest;
    if (!outcome.ok) readings[index] = failedReading(request, outcome.error);
    else ready.push({ index, request: withAuthentication(request, outcome) });
  });
  const read = await readTriggers(deps.triggers, ready.map(({ request }) => request), now, signal, cluster);
  ready.forEach(({ index }, i) => {
    readings[index] = read[i] as MetricReading;
  });
  return readings;
};

export { readSignals };
export type { SignalDeps, SignalScope };
