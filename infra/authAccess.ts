/**
 * What the ScaledObjects' TriggerAuthentications imply for LPA's access (pure; no CDK), so the IAM
 * policy and the RBAC name exactly what the runtime reads (shared/auth/resolve.ts):
 * - Kubernetes: `get` on each Secret a `secretTargetRef` names, by name (`resourceNames`), never a
 *   namespace-wide read; and `get` by name on each (Cluster)TriggerAuthentication that is not among
 *   the manifests (the runtime then reads it from the cluster). The Secrets of an object read from
 *   the cluster are unknown here: the operator grants them (README).
 * - AWS: `secretsmanager:GetSecretValue` on each `awsSecretManager` secret read as the functions'
 *   own role; an `awsSecretManager.podIdentity.roleArn` needs only `sts:AssumeRole` on that role,
 *   whose own policy grants the rest.
 * - Roles: `rolesOf` is the one derivation of every role the functions assume (`assumeRoles`): a
 *   trigger's reading role (`triggerRoleOf`: its object's `podIdentity.roleArn`, else its metadata's
 *   `awsRoleArn`) for the triggers that call AWS as a role, and its object's awsSecretManager role.
 */
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE } from '../shared/spec/auth/triggerAuthentication.js';
import type { ScaledObject, Trigger, TriggerAuthentication } from '../shared/spec/index.js';
import { prometheusServerOf } from '../shared/spec/triggers/prometheusServer.js';
import { authenticationFor, readingRoleOf } from '../shared/access/touches.js';

/** Names to `get` per namespace (cluster-scoped objects under ''). */
type NamesByNamespace = ReadonlyMap<string, readonly string[]>;

interface KubernetesReads {
  readonly secrets: NamesByNamespace;
  readonly triggerAuthentications: NamesByNamespace;
  readonly clusterTriggerAuthentications: readonly string[];
}

/** A secret read with the functions' own role. */
interface ManagedSecretRef {
  /** A name or a full ARN, as written. */
  readonly name: string;
  /** Undefined: the functions' region. */
  readonly region?: string;
}

interface AuthAccess {
  readonly kubernetes: KubernetesReads;
  readonly secrets: readonly ManagedSecretRef[];
  /** Every role the functions assume (`rolesOf`), sorted. */
  readonly assumeRoles: readonly string[];
}

/**
 * Does the trigger's reader call AWS as its object's podIdentity role? SQS and CloudWatch always,
 * Prometheus for an AMP workspace (SigV4), Kafka for MSK IAM (whose `sasl` may come from the object,
 * so every Kafka trigger). The others (cron, cpu, memory, New Relic, Datadog) never assume a role.
 */
const readsAsRole = (trigger: Trigger): boolean => {
  switch (trigger.type) {
    case 'aws-sqs-queue':
    case 'aws-cloudwatch':
    case 'kafka':
    case 'apache-kafka':
      return true;
    case 'prometheus': {
      const located = prometheusServerOf(trigger.metadata.serverAddress, trigger.metadata.awsRegion);
      return located.ok && located.server.kind === 'amp';
    }
    default:
      return false;
  }
};

/** The role a trigger reads as: its TriggerAuthentication's podIdentity.roleArn, else its metadata's awsRoleArn. */
const triggerRoleOf = (so: ScaledObject, trigger: Trigger, given: readonly TriggerAuthentication[]): string | undefined => {
  if (!readsAsRole(trigger)) return undefined;
  const metadataRole = 'awsRoleArn' in trigger.metadata ? trigger.metadata.awsRoleArn : undefined;
  return readingRoleOf(authenticationFor(so, trigger, given), metadataRole, '')?.arn;
};

/**
 * Every role the functions assume for `trigger`: its reading role and its object's awsSecretManager role.
 *
 * @example
 * rolesOf(so, so.spec.triggers[0], authentications); // ['arn:aws:iam::123456789012:role/msk-reader']
 */
const rolesOf = (so: ScaledObject, trigger: Trigger, given: readonly TriggerAuthentication[]): string[] => {
  const managerRole = authenticationFor(so, trigger, given)?.spec.awsSecretManager?.podIdentity.roleArn;
  return [triggerRoleOf(so, trigger, given), managerRole].filter((role): role is string => role !== undefined);
};

const add = (into: Map<string, Set<string>>, namespace: string, name: string): void => {
  const names = into.get(namespace) ?? new Set<string>();
  names.add(name);
  into.set(namespace, names);
};

const sorted = (map: Map<string, Set<string>>): NamesByNamespace =>
  new Map([...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([namespace, names]) => [namespace, [...names].sort()]));

/**
 * @example
 * authAccessOf(objects, authentications); // { kubernetes: { secrets: Map { 'shop' => ['nr'] }, … }, secrets: [], assumeRoles: [] }
 */
const authAccessOf = (objects: readonly ScaledObject[], given: readonly TriggerAuthentication[], clusterObjectNamespace = DEFAULT_CLUSTER_OBJECT_NAMESPACE): AuthAccess => {
  const secrets = new Map<string, Set<string>>();
  const triggerAuthentications = new Map<string, Set<string>>();
  const clusterTriggerAuthentications = new Set<string>();
  const managed = new Map<string, ManagedSecretRef>();
  const roles = new Set<string>();
  for (const so of objects) {
    for (const trigger of so.spec.triggers) {
      for (const role of rolesOf(so, trigger, given)) roles.add(role);
      const ref = trigger.authenticationRef;
      if (ref === undefined) continue;
      const auth = authenticationFor(so, trigger, given);
      if (auth === undefined) {
        if (ref.kind === 'TriggerAuthentication') add(triggerAuthentications, so.metadata.namespace, ref.name);
        else clusterTriggerAuthentications.add(ref.name);
        continue;
      }
      const secretNamespace = auth.metadata.namespace ?? clusterObjectNamespace;
      for (const target of auth.spec.secretTargetRef) add(secrets, secretNamespace, target.name);
      const manager = auth.spec.awsSecretManager;
      if (manager === undefined) continue;
      if (manager.podIdentity.roleArn !== undefined) continue;
      for (const secret of manager.secrets) {
        const secretRef = { name: secret.name, ...(manager.region === undefined ? {} : { region: manager.region }) };
        managed.set(JSON.stringify(secretRef), secretRef);
      }
    }
  }
  return {
    kubernetes: { secrets: sorted(secrets), triggerAuthentications: sorted(triggerAuthentications), clusterTriggerAuthentications: [...clusterTriggerAuthentications].sort() },
    secrets: [...managed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, secret]) => secret),
    assumeRoles: [...roles].sort(),
  };
};

export { authAccessOf, rolesOf, triggerRoleOf };
export type { AuthAccess, KubernetesReads, ManagedSecretRef, NamesByNamespace };
