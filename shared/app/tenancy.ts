/**
 * The cluster source's tenancy gate (shared/access/tenancy.ts): before any trigger of an object read
 * from the cluster is read, its TriggerAuthentications and the ClusterTriggerAuthentications its
 * namespace may reference are fetched once, every resource, role, host and Secret it would touch is
 * checked against its namespace's allowance (what a ClusterTriggerAuthentication reads, against that
 * object's declaration), and an object outside them is refused (Ready=False naming the field and the
 * rule) while the others go on.
 *
 * In a namespace with a `roleArn`, the object and its TriggerAuthentications are rewritten so that
 * every AWS read is made as that role (a trigger's `awsRoleArn`, the podIdentity and awsSecretManager
 * roles, where they name none), then checked as rewritten: what is checked is what will be read.
 * The fetched (Cluster)TriggerAuthentications are handed to the tick, so resolution reads exactly the
 * checked objects and never fetches them again. ClusterTriggerAuthentications are the operator's and
 * are never rewritten: one that reads outside its declaration refuses the objects that use it.
 */
import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import { allowanceOf, tenancyProblems, type Tenancy } from '../access/tenancy.js';
import { touchesOf } from '../access/touches.js';
import { authenticationLabel, parseTriggerAuthentication } from '../spec/auth/triggerAuthentication.js';
import type { AuthenticationKind, TriggerAuthentication } from '../spec/auth/types.js';
import { formatPath } from '../spec/issues.js';
import type { ScaledObject, Trigger } from '../spec/types.js';
import type { CallOptions } from '../kube/types.js';
import { prometheusServerOf } from '../spec/triggers/prometheusServer.js';
import type { AuthOutcome, AuthResolver } from '../auth/resolve.js';
import { DATADOG_DEFAULT_SITE, datadogApiUrl } from '../triggers/datadog.js';

/** The Kubernetes read the gate needs (the cluster's ScaleClient has it). */
interface TriggerAuthenticationReader {
  /** `namespace` undefined for a ClusterTriggerAuthentication. */
  getTriggerAuthentication(kind: AuthenticationKind, namespace: string | undefined, name: string, options?: CallOptions): Promise<unknown>;
}

interface Candidate<I> {
  readonly item: I;
  readonly scaledObject: ScaledObject;
}

type Refused<I> = Candidate<I> & { readonly message: string };

interface TenancyVerdicts<I> {
  /** Objects to evaluate, rewritten for their namespace's role where it has one. */
  readonly admitted: Candidate<I>[];
  readonly refused: Refused<I>[];
  /** The TriggerAuthentications the admitted objects reference, as checked. */
  readonly authentications: TriggerAuthentication[];
}

const FETCH_CONCURRENCY = 16;

const readsAmp = (trigger: Extract<Trigger, { type: 'prometheus' }>): boolean => {
  const located = prometheusServerOf(trigger.metadata.serverAddress, trigger.metadata.awsRegion);
  return located.ok && located.server.kind === 'amp';
};

/** Triggers whose AWS reads a metadata `awsRoleArn` decides. */
const readsAwsByMetadata = (trigger: Trigger): boolean =>
  trigger.type === 'aws-sqs-queue' || trigger.type === 'aws-cloudwatch' || (trigger.type === 'prometheus' && readsAmp(trigger));

/** Every AWS read of the object as `roleArn`, where a trigger names no role of its own. */
const objectAsRole = (so: ScaledObject, roleArn: string): ScaledObject => ({
  ...so,
  spec: {
    ...so.spec,
    triggers: so.spec.triggers.map((trigger) =>
      readsAwsByMetadata(trigger) && (trigger.metadata as { awsRoleArn?: string }).awsRoleArn === undefined ? ({ ...trigger, metadata: { ...trigger.metadata, awsRoleArn: roleArn } } as Trigger) : trigger,
    ),
  },
});

/** The TriggerAuthentication's reads as `roleArn`, where it names no role of its own. */
const authenticationAsRole = (auth: TriggerAuthentication, roleArn: string): TriggerAuthentication => {
  const manager = auth.spec.awsSecretManager;
  return {
    ...auth,
    spec: {
      ...auth.spec,
      podIdentity: auth.spec.podIdentity?.roleArn === undefined ? { provider: 'aws', roleArn } : auth.spec.podIdentity,
      ...(manager === undefined ? {} : { awsSecretManager: manager.podIdentity.roleArn === undefined ? { ...manager, podIdentity: { provider: 'aws', roleArn } } : manager }),
    },
  };
};

/**
 * Sorts `candidates` into admitted and refused; never rejects (a TriggerAuthentication that cannot be
 * read or is invalid refuses its objects: unchecked, it must not be read).
 *
 * @example
 * const { admitted, refused, authentications } = await gateTenancy(valid, group.fromCluster?.tenants, api.scale, { manifests: group.authentications });
 */
const gateTenancy = async <I>(
  candidates: readonly Candidate<I>[],
  tenancy: Tenancy | undefined,
  kube: TriggerAuthenticationReader,
  options: { readonly signal?: AbortSignal; readonly manifests?: readonly TriggerAuthentication[]; readonly clusterObjectNamespace?: string } = {},
): Promise<TenancyVerdicts<I>> => {
  const { signal, clusterObjectNamespace } = options;
  const manifests = options.manifests ?? [];
  // Resolution would read the manifests' object of the same name, not the one checked here.
  const fromManifests = new Set(manifests.filter((a) => a.kind === 'TriggerAuthentication').map((a) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`));
  // A ClusterTriggerAuthentication among the manifests is the one resolution reads: that one is checked.
  const clusterManifests = new Map(manifests.filter((a) => a.kind === 'ClusterTriggerAuthentication').map((a) => [a.metadata.name, a]));
  const limit = pLimit(FETCH_CONCURRENCY);
  const fetched = new Map<string, Promise<TriggerAuthentication>>();
  const fetch = (kind: AuthenticationKind, namespace: string | undefined, name: string): Promise<TriggerAuthentication> => {
    const key = `${kind}/${namespace ?? ''}/${name}`;
    let pending = fetched.get(key);
    if (pending === undefined) {
      pending = limit(async () => {
        const label = authenticationLabel({ kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } });
        const object = await kube.getTriggerAuthentication(kind, namespace, name, { signal }).catch((error: unknown) => {
          throw new Error(`${label}: ${errorMessage(error)}`);
        });
        if (object === undefined) throw new Error(`${label} not found`);
        const parsed = parseTriggerAuthentication(object);
        if (!parsed.ok) throw new Error(`${label} is invalid: ${parsed.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
        return parsed.value;
      });
      fetched.set(key, pending);
    }
    return pending;
  };

  const verdicts = await Promise.all(
    candidates.map(async ({ item, scaledObject }): Promise<Refused<I> | Candidate<I> & { readonly authentications: TriggerAuthentication[] }> => {
      const namespace = scaledObject.metadata.namespace;
      const allowance = allowanceOf(tenancy, namespace);
      const role = allowance.allowance.roleArn;
      const refsOf = (kind: AuthenticationKind) => [...new Set(scaledObject.spec.triggers.flatMap((t) => (t.authenticationRef?.kind === kind ? [t.authenticationRef.name] : [])))];
      const refs = refsOf('TriggerAuthentication');
      // Only those the namespace may reference: the check refuses the others by name, unread.
      const clusterRefs = refsOf('ClusterTriggerAuthentication').filter((name) => (allowance.allowance.clusterTriggerAuthentications ?? []).includes(name));
      const shadowed = refs.find((name) => fromManifests.has(`${namespace}/${name}`));
      if (shadowed !== undefined) {
        return { item, scaledObject, message: `authenticationRef: TriggerAuthentication ${namespace}/${shadowed} is also one of the construct's manifests; an object from the cluster may only use the cluster's: keep one` };
      }
      let authentications: TriggerAuthentication[];
      let clusterAuthentications: TriggerAuthentication[];
      try {
        [authentications, clusterAuthentications] = await Promise.all([
          Promise.all(refs.map((name) => fetch('TriggerAuthentication', namespace, name))),
          Promise.all(clusterRefs.map((name) => clusterManifests.get(name) ?? fetch('ClusterTriggerAuthentication', undefined, name))),
        ]);
      } catch (error) {
        return { item, scaledObject, message: `authenticationRef cannot be checked against the namespace's allowance: ${errorMessage(error)}` };
      }
      const so = role === undefined ? scaledObject : objectAsRole(scaledObject, role);
      const auths = [...(role === undefined ? authentications : authentications.map((auth) => authenticationAsRole(auth, role))), ...clusterAuthentications];
      const problems = tenancyProblems(touchesOf(so, auths, { account: tenancy?.account, region: tenancy?.region, clusterObjectNamespace }), allowance, namespace);
      if (problems.length > 0) return { item, scaledObject, message: `ScaledObject reads outside what its namespace is allowed: ${problems.join('; ')}` };
      // The manifests' own ClusterTriggerAuthentications are already the tick's.
      return { item, scaledObject: so, authentications: auths.filter((auth) => !manifests.includes(auth)) };
    }),
  );
  const admitted: Candidate<I>[] = [];
  const refused: Refused<I>[] = [];
  const authentications = new Map<string, TriggerAuthentication>();
  for (const verdict of verdicts) {
    if (!('authentications' in verdict)) {
      refused.push(verdict);
      continue;
    }
    admitted.push({ item: verdict.item, scaledObject: verdict.scaledObject });
    for (const auth of verdict.authentications) authentications.set(`${auth.kind}/${auth.metadata.namespace ?? ''}/${auth.metadata.name}`, auth);
  }
  return { admitted, refused, authentications: [...authentications.values()] };
};

/**
 * Hosts only known once a TriggerAuthentication is resolved: a Datadog site (`datadogSite` from a
 * Secret). The resolver of the cluster's objects is wrapped so that such a trigger whose host its
 * namespace may not reach fails before it is read (a trigger error: the object holds its replicas).
 *
 * @example
 * const auth = guardResolvedEndpoints(deps.auth, group.fromCluster?.tenants, new Set(admitted.keys()));
 */
const guardResolvedEndpoints = (auth: AuthResolver, tenancy: Tenancy | undefined, fromCluster: ReadonlySet<ScaledObject>): AuthResolver => ({
  clusterObjectNamespace: auth.clusterObjectNamespace,
  resolve: async (targets, context) => {
    const outcomes = await auth.resolve(targets, context);
    return outcomes.map((outcome, i): AuthOutcome => {
      const target = targets[i];
      if (!outcome.ok || target === undefined || target.trigger.type !== 'datadog' || !fromCluster.has(target.scaledObject)) return outcome;
      const namespace = target.scaledObject.metadata.namespace;
      const host = new URL(datadogApiUrl(outcome.authParams?.datadogSite ?? DATADOG_DEFAULT_SITE)).hostname;
      const touch = { kind: 'endpoint' as const, path: `spec.triggers[${target.trigger.index}].authenticationRef (datadogSite)`, host };
      const problems = tenancyProblems([touch], allowanceOf(tenancy, namespace), namespace);
      return problems.length === 0 ? outcome : { ok: false, error: problems.join('; ') };
    });
  },
});

export { gateTenancy, guardResolvedEndpoints };
export type { TenancyVerdicts, TriggerAuthenticationReader };
