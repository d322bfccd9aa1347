/**
 * The Kubernetes RBAC LPA needs (DESIGN.md §4), per namespace that holds a scale target or a
 * Secret a TriggerAuthentication names: a Role with only the verbs the runtime uses (Secrets and
 * TriggerAuthentications by name only), plus a ClusterRole for ClusterTriggerAuthentications read
 * from the cluster, bound to the Kubernetes group of LPA's EKS access entry.
 * Pure, so the CDK construct (`cluster.addManifest`, `lpa-rbac.yaml`) and `lpa rbac` print the
 * same objects byte for byte.
 */
import { stringify } from 'yaml';
import type { KubernetesReads } from './authAccess.js';

/** Default Kubernetes group of the access entry, and the name of the Role and RoleBinding. */
const DEFAULT_KUBERNETES_GROUP = 'lpa-scaler';

/**
 * Subresources must be named explicitly: `deployments` does not cover `deployments/scale`.
 * - deployments get: read the target (its annotations and status);
 * - deployments/scale get, patch: read and set replicas (merge-patch; no `update`, LPA never PUTs);
 * - pods list: count ready pods for `Value` metric targets (no `get`: LPA never reads one pod).
 */
const LPA_POLICY_RULES = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
] as const;

interface RbacOptions {
  /** The namespaces that hold scale targets (duplicates and order do not matter). */
  readonly namespaces: readonly string[];
  /** @default 'lpa-scaler' */
  readonly group?: string;
  /** Secrets and (Cluster)TriggerAuthentications the TriggerAuthentications make LPA read, by name (authAccess.ts). */
  readonly reads?: KubernetesReads;
}

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** A Kubernetes object as `kubectl apply` and `cluster.addManifest` take it. */
type KubernetesObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

const LABELS = { 'app.kubernetes.io/managed-by': 'lpa', 'app.kubernetes.io/name': 'lambda-pod-autoscaler' } as const;

/** `get` by name only: RBAC's `resourceNames` cannot authorize a list, so nothing else is readable. */
const getByName = (apiGroup: string, resource: string, names: readonly string[] | undefined): PolicyRule[] =>
  names === undefined || names.length === 0 ? [] : [{ apiGroups: [apiGroup], resources: [resource], verbs: ['get'], resourceNames: [...names] }];

/** The scale-target rules where the namespace holds targets, then the by-name reads of credentials. */
const rulesOf = (namespace: string, hasTargets: boolean, reads: KubernetesReads | undefined): PolicyRule[] => [
  ...(hasTargets ? LPA_POLICY_RULES.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })) : []),
  ...getByName('', 'secrets', reads?.secrets.get(namespace)),
  ...getByName('keda.sh', 'triggerauthentications', reads?.triggerAuthentications.get(namespace)),
];

const roleOf = (namespace: string, name: string, rules: readonly PolicyRule[]): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace, labels: { ...LABELS } },
  rules,
});

const roleBindingOf = (namespace: string, name: string, group: string): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace, labels: { ...LABELS } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
});

/**
 * A Role and its RoleBinding per namespace, namespaces sorted so the output is stable.
 *
 * @example
 * rbacObjects({ namespaces: ['shop'] }); // [Role shop/lpa-scaler, RoleBinding shop/lpa-scaler]
 */
const rbacObjects = ({ namespaces, group = DEFAULT_KUBERNETES_GROUP, reads }: RbacOptions): KubernetesObject[] => {
  const targets = new Set(namespaces);
  const all = new Set([...namespaces, ...(reads?.secrets.keys() ?? []), ...(reads?.triggerAuthentications.keys() ?? [])]);
  const namespaced = [...all].sort().flatMap((namespace) => [roleOf(namespace, group, rulesOf(namespace, targets.has(namespace), reads)), roleBindingOf(namespace, group, group)]);
  const clusterRules = getByName('keda.sh', 'clustertriggerauthentications', reads?.clusterTriggerAuthentications);
  if (clusterRules.length === 0) return namespaced;
  return [
    ...namespaced,
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: group, labels: { ...LABELS } }, rules: clusterRules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: group, labels: { ...LABELS } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: group },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    },
  ];
};

/** The objects as one multi-document YAML stream, ready for `kubectl apply -f -`. */
const rbacYaml = (options: RbacOptions): string => {
  const header = `# LPA RBAC for Kubernetes group "${options.group ?? DEFAULT_KUBERNETES_GROUP}" (generated; apply with kubectl apply -f)\n`;
  return header + rbacObjects(options).map((object) => `---\n${stringify(object)}`).join('');
};

export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, rbacObjects, rbacYaml };
export type { KubernetesObject, RbacOptions };
