/**
 * TriggerAuthentication resolution (KEDA `pkg/scaling/resolver/scale_resolvers.go` resolveAuthRef),
 * once per tick before the trigger readers run: every trigger with an `authenticationRef` gets its
 * `authParams`, or an error that names the object and the source that failed. Readers only look
 * at `authParams`; they never fetch credentials themselves.
 *
 * Where the object comes from: the (Cluster)TriggerAuthentications handed over with the
 * ScaledObjects (the construct's manifests), else a GET by name on the cluster. Precedence is
 * KEDA's: sources are applied in its order and a later one overwrites a parameter of an earlier
 * one — podIdentity (`awsRoleArn`), then secretTargetRef, then awsSecretManager.
 *
 * Unlike KEDA, a source that cannot be read is an error rather than an empty parameter: an empty
 * value would silently fall back to the trigger's metadata, and LPA never scales on data it could
 * not read. Secret values are cached per container for a short TTL (secretCache.ts).
 */
import pLimit from 'p-limit';
import { describeError, errorMessage } from '../errors.js';
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE, authenticationLabel, parseTriggerAuthentication } from '../spec/auth/triggerAuthentication.js';
import type { AuthenticationKind, AwsPodIdentity, AwsSecretManager, SecretTargetRef, TriggerAuthentication } from '../spec/auth/types.js';
import { formatPath } from '../spec/issues.js';
import type { ScaledObject, Trigger } from '../spec/types.js';
import { AuthResolutionError } from './errors.js';
import { createSecretCache } from './secretCache.js';
import { getSecretString, secretValue, type SecretsManagerClients } from './secretsManager.js';

/** Remote reads (Secrets, Secrets Manager, TriggerAuthentications) in flight at once. */
const CONCURRENCY = 16;

/** The Kubernetes reads resolution needs (the cluster's ScaleClient has them). */
interface AuthObjectsClient {
  getSecret(namespace: string, name: string, options?: { readonly signal?: AbortSignal }): Promise<Readonly<Record<string, string>>>;
  getTriggerAuthentication(kind: AuthenticationKind, namespace: string | undefined, name: string, options?: { readonly signal?: AbortSignal }): Promise<unknown>;
}

interface AuthResolverOptions {
  readonly secretsManager: SecretsManagerClients;
  readonly clock: () => number;
  /** Region of `awsSecretManager` without `region`: the functions' own (`AWS_REGION`). */
  readonly defaultRegion?: string;
  /** Where the Secrets of ClusterTriggerAuthentications live. @default 'keda' */
  readonly clusterObjectNamespace?: string;
  /** Secret cache TTL. @default 2 minutes */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
}

/** What one tick hands over: its cluster, the objects given with its ScaledObjects, and the cluster's client. */
interface AuthContext {
  readonly cluster: string;
  readonly authentications: readonly TriggerAuthentication[];
  readonly kube: AuthObjectsClient;
  /** The tick's budget: every remote read ends with it. */
  readonly signal?: AbortSignal;
}

/** What one object resolves to: KEDA's authParams, and its podIdentity (some triggers refuse other modes beside one). */
interface Resolved {
  readonly authParams: Readonly<Record<string, string>>;
  readonly podIdentity?: AwsPodIdentity;
}

/** Per trigger: what its object resolved to (nothing without an authenticationRef), or why it could not be resolved. */
type AuthOutcome = ({ readonly ok: true } & Partial<Resolved>) | { readonly ok: false; readonly error: string };

interface AuthTarget {
  readonly scaledObject: ScaledObject;
  readonly trigger: Trigger;
}

interface AuthResolver {
  /** Where it reads ClusterTriggerAuthentications' Secrets: the tenancy gate checks and names them there. @default 'keda' */
  readonly clusterObjectNamespace?: string;
  /** One outcome per target, in order; never rejects. */
  resolve(targets: readonly AuthTarget[], context: AuthContext): Promise<AuthOutcome[]>;
}

type Limit = <T>(task: () => Promise<T>) => Promise<T>;

const keyOf = (kind: AuthenticationKind, namespace: string | undefined, name: string): string => `${kind}\n${namespace ?? ''}\n${name}`;

const createAuthResolver = (options: AuthResolverOptions): AuthResolver => {
  const cache = createSecretCache({ clock: options.clock, ttlMs: options.ttlMs, maxEntries: options.maxEntries });
  const clusterNamespace = options.clusterObjectNamespace ?? DEFAULT_CLUSTER_OBJECT_NAMESPACE;

  /** The object from the cluster, validated like a manifest; missing or invalid is an error naming it. */
  const fetchAuthentication = async (kind: AuthenticationKind, namespace: string | undefined, name: string, context: AuthContext): Promise<TriggerAuthentication> => {
    const label = authenticationLabel({ kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } });
    let object: unknown;
    try {
      object = await context.kube.getTriggerAuthentication(kind, namespace, name, { signal: context.signal });
    } catch (error) {
      throw new AuthResolutionError(`${label}: ${describeError(error)}`, { cause: error });
    }
    if (object === undefined) throw new AuthResolutionError(`${label} not found: it is neither among the manifests given to LPA nor in the cluster`);
    const parsed = parseTriggerAuthentication(object);
    if (!parsed.ok) throw new AuthResolutionError(`${label} in the cluster is invalid: ${parsed.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
    return parsed.value;
  };

  const fromSecrets = (auth: TriggerAuthentication, context: AuthContext, limit: Limit) => {
    const namespace = auth.metadata.namespace ?? clusterNamespace;
    return auth.spec.secretTargetRef.map(async (ref: SecretTargetRef, index): Promise<[string, string]> => {
      const where = `secretTargetRef[${index}] (parameter "${ref.parameter}")`;
      let data: Readonly<Record<string, string>>;
      try {
        data = await cache.get(`secret\n${context.cluster}\n${namespace}\n${ref.name}`, () => limit(() => context.kube.getSecret(namespace, ref.name, { signal: context.signal })));
      } catch (error) {
        throw new AuthResolutionError(`${where}: ${describeError(error)}`, { cause: error });
      }
      if (!Object.hasOwn(data, ref.key)) throw new AuthResolutionError(`${where}: Secret ${namespace}/${ref.name} has no key "${ref.key}"`);
      return [ref.parameter, data[ref.key] as string];
    });
  };

  const fromSecretsManager = (manager: AwsSecretManager | undefined, limit: Limit, signal: AbortSignal | undefined) => {
    if (manager === undefined) return [];
    const region = manager.region ?? options.defaultRegion;
    const target = { region: region ?? '', ...(manager.podIdentity.roleArn === undefined ? {} : { roleArn: manager.podIdentity.roleArn }) };
    return manager.secrets.map(async (secret, index): Promise<[string, string]> => {
      const where = `awsSecretManager.secrets[${index}] (parameter "${secret.parameter}")`;
      if (region === undefined) throw new AuthResolutionError(`${where}: awsSecretManager.region is not set and the functions' region is unknown`);
      const key = ['secretsmanager', region, target.roleArn ?? '', secret.name, secret.versionId ?? '', secret.versionStage ?? ''].join('\n');
      try {
        const text = await cache.get<string>(key, () => limit(() => getSecretString(options.secretsManager, target, secret, signal)));
        return [secret.parameter, secretValue(text, secret)];
      } catch (error) {
        throw new AuthResolutionError(`${where}: ${errorMessage(error)}`, { cause: error });
      }
    });
  };

  /** KEDA's order: a later source overwrites a parameter an earlier one set. */
  const paramsOf = async (auth: TriggerAuthentication, context: AuthContext, limit: Limit): Promise<Resolved> => {
    const label = authenticationLabel(auth);
    try {
      const identity = auth.spec.podIdentity?.roleArn === undefined ? [] : [['awsRoleArn', auth.spec.podIdentity.roleArn] as [string, string]];
      const secrets = await Promise.all(fromSecrets(auth, context, limit));
      const managed = await Promise.all(fromSecretsManager(auth.spec.awsSecretManager, limit, context.signal));
      const authParams = Object.fromEntries([...identity, ...secrets, ...managed]);
      return auth.spec.podIdentity === undefined ? { authParams } : { authParams, podIdentity: auth.spec.podIdentity };
    } catch (error) {
      throw new AuthResolutionError(`${label}: ${errorMessage(error)}`, { cause: error });
    }
  };

  return {
    clusterObjectNamespace: clusterNamespace,
    resolve: async (targets, context) => {
      const limit = pLimit(CONCURRENCY);
      const given = new Map(context.authentications.map((auth) => [keyOf(auth.kind, auth.metadata.namespace, auth.metadata.name), auth]));
      // One resolution per object and tick, however many triggers share it.
      const resolutions = new Map<string, Promise<Resolved>>();
      return Promise.all(
        targets.map(async ({ scaledObject, trigger }): Promise<AuthOutcome> => {
          const ref = trigger.authenticationRef;
          if (ref === undefined) return { ok: true };
          const namespace = ref.kind === 'TriggerAuthentication' ? scaledObject.metadata.namespace : undefined;
          const key = keyOf(ref.kind, namespace, ref.name);
          let resolution = resolutions.get(key);
          if (resolution === undefined) {
            const known = given.get(key);
            resolution = (known === undefined ? limit(() => fetchAuthentication(ref.kind, namespace, ref.name, context)) : Promise.resolve(known)).then((auth) =>
              paramsOf(auth, context, limit),
            );
            resolutions.set(key, resolution);
          }
          try {
            return { ok: true, ...(await resolution) };
          } catch (error) {
            return { ok: false, error: `authenticationRef: ${errorMessage(error)}` };
          }
        }),
      );
    },
  };
};

export { createAuthResolver };
export type { AuthContext, AuthObjectsClient, AuthOutcome, AuthResolver, AuthResolverOptions, AuthTarget };
