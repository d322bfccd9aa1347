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
import { readTriggersEach } from '../triggers/registry.js';
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
 * One reading per request, in request order, each settling as soon as its trigger type's batch is
 * read (after the tick's authentications are resolved); none rejects.
 *
 * @example
 * const readings = readSignalsEach(deps, group, client, requests, now, signal);
 */
const readSignalsEach = (
  deps: SignalDeps,
  group: SignalScope,
  cluster: ScaleClient | undefined,
  requests: readonly TriggerRequest[],
  now: number,
  signal?: AbortSignal,
): Promise<MetricReading>[] => {
  if (requests.every((request) => request.trigger.authenticationRef === undefined)) return readTriggersEach(deps.triggers, requests, now, signal, cluster);
  const outcomes: Promise<readonly AuthOutcome[]> =
    deps.auth === undefined
      ? Promise.resolve(requests.map((request) => (request.trigger.authenticationRef === undefined ? { ok: true } : { ok: false, error: 'authenticationRef: no credential resolver is configured' })))
      : deps.auth.resolve(requests, {
          cluster: group.cluster.name,
          authentications: group.authentications,
          kube: cluster ?? NO_CLUSTER_OBJECTS,
          ...(signal === undefined ? {} : { signal }),
        });
  // The requests whose authentication resolved are read together; each reading waits for its own.
  const reads = outcomes.then((resolved) => {
    const ready = new Map<number, TriggerRequest>();
    resolved.forEach((outcome, index) => {
      if (outcome.ok) ready.set(index, withAuthentication(requests[index] as TriggerRequest, outcome));
    });
    const read = readTriggersEach(deps.triggers, [...ready.values()], now, signal, cluster);
    return { resolved, readOf: new Map([...ready.keys()].map((index, i) => [index, read[i] as Promise<MetricReading>])) };
  });
  return requests.map((request, index) =>
    reads.then(({ resolved, readOf }) => {
      const outcome = resolved[index];
      if (outcome?.ok === true) return readOf.get(index) as Promise<MetricReading>;
      return failedReading(request, outcome?.error ?? 'its authenticationRef was not resolved');
    }),
  );
};

/** `readSignalsEach`, all settled. */
const readSignals = (deps: SignalDeps, group: SignalScope, cluster: ScaleClient | undefined, requests: readonly TriggerRequest[], now: number, signal?: AbortSignal): Promise<MetricReading[]> =>
  Promise.all(readSignalsEach(deps, group, cluster, requests, now, signal));

export { readSignals, readSignalsEach };
export type { SignalDeps, SignalScope };
