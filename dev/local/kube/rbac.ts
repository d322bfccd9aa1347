import type { ResourceAttributes } from './status.js';
import type { KubeUser } from './tokenVerifier.js';

/**
 * RBAC as the kube-apiserver evaluates a Role bound by a RoleBinding: allow-list only, namespaced,
 * subresources named explicitly (`deployments/scale` is not covered by `deployments`), `*` wildcards,
 * `resourceNames` compared with the name exactly as the path spells it (`http:prometheus:9090`).
 */

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** When set, only requests naming one of these objects match (a list, which names none, never does). */
  readonly resourceNames?: readonly string[];
}

/** A Role and its RoleBinding in one: these subjects get these rules in this namespace ('' = a ClusterRole for cluster-scoped resources). */
interface RbacBinding {
  readonly subjects: { readonly users?: readonly string[]; readonly groups?: readonly string[] };
  /** A RoleBinding's namespace; '' with `clusterWide` for a ClusterRoleBinding. */
  readonly namespace: string;
  /** A ClusterRoleBinding: its rules apply in every namespace and to cluster-scoped objects. */
  readonly clusterWide?: boolean;
  readonly rules: readonly PolicyRule[];
}

/** Bound to cluster-admin by every cluster's bootstrap policy. */
const SUPERUSER_GROUP = 'system:masters';

const matches = (allowed: readonly string[], value: string): boolean => allowed.includes('*') || allowed.includes(value);

/** kube's `ResourceMatches`: `*`, the exact `resource/subresource`, or `*\/subresource`. */
const resourceMatches = (allowed: readonly string[], resource: string, subresource: string | undefined): boolean => {
  if (allowed.includes('*')) return true;
  if (subresource === undefined) return allowed.includes(resource);
  return allowed.includes(`${resource}/${subresource}`) || allowed.includes(`*/${subresource}`);
};

const isSubject = (binding: RbacBinding, user: KubeUser): boolean =>
  (binding.subjects.users ?? []).includes(user.username) ||
  (binding.subjects.groups ?? []).some((group) => user.groups.includes(group));

/** kube's `ResourceNameMatches`: an empty list matches everything; otherwise the request's name must be listed. */
const nameMatches = (rule: PolicyRule, name: string | undefined): boolean =>
  rule.resourceNames === undefined || rule.resourceNames.length === 0 || (name !== undefined && rule.resourceNames.includes(name));

const ruleAllows = (rule: PolicyRule, request: ResourceAttributes): boolean =>
  matches(rule.verbs, request.verb) &&
  matches(rule.apiGroups, request.apiGroup) &&
  resourceMatches(rule.resources, request.resource, request.subresource) &&
  nameMatches(rule, request.name);

/**
 * @example
 * const allowed = isAllowed(bindings, { username: 'scaler', groups: [] },
 *   { verb: 'patch', namespace: 'demo', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' });
 */
const isAllowed = (bindings: readonly RbacBinding[], user: KubeUser, request: ResourceAttributes): boolean =>
  user.groups.includes(SUPERUSER_GROUP) ||
  bindings.some(
    (binding) =>
      (binding.clusterWide === true || binding.namespace === request.namespace) &&
      isSubject(binding, user) &&
      binding.rules.some((rule) => ruleAllows(rule, request)),
  );

export { isAllowed };
export type { PolicyRule, RbacBinding };
