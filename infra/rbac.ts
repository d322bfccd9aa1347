/**
 * The Kubernetes RBAC LPA needs (DESIGN.md §4), per namespace that holds a scale target: a Role
 * with only the verbs the runtime uses, bound to the Kubernetes group of LPA's EKS access entry.
 * Pure, so the CDK construct (`cluster.addManifest`, `lpa-rbac.yaml`) and `lpa rbac` print the
 * same objects byte for byte.
 */
import { stringify } from 'yaml';
import { isResourceTrigger, type ScaledObject } from '../shared/spec/types.js';

/** Default Kubernetes group of the access entry, and the name of the Role and RoleBinding. */
const DEFAULT_KUBERNETES_GROUP = 'lpa-scaler';

/**
 * Subresources must be named explicitly: `deployments` does not cover `deployments/scale`.
 * - deployments get: read the target (its annotations and status);
 * - deployments/scale get, patch: read and set replicas (merge-patch; no `update`, LPA never PUTs);
 * - pods list: count ready pods for `Value` metric targets and read the pods of cpu/memory targets
 *   (no `get`: LPA never reads one pod).
 */
const LPA_POLICY_RULES = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
] as const;

/** cpu/memory triggers read `metrics.k8s.io` PodMetrics: granted only where such a trigger is. */
const POD_METRICS_RULE = { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] } as const;

interface RbacOptions {
  /** The namespaces that hold scale targets (duplicates and order do not matter). */
  readonly namespaces: readonly string[];
  /** @default 'lpa-scaler' */
  readonly group?: string;
  /** Namespaces of objects with cpu/memory triggers: their Role also lists PodMetrics. */
  readonly podMetricsNamespaces?: readonly string[];
}

/** The RBAC the objects need: a Role in each of their namespaces, PodMetrics where cpu/memory triggers read them. */
const rbacOptionsOf = (objects: readonly ScaledObject[], group?: string): RbacOptions => ({
  namespaces: objects.map((so) => so.metadata.namespace),
  podMetricsNamespaces: objects.filter((so) => so.spec.triggers.some(isResourceTrigger)).map((so) => so.metadata.namespace),
  ...(group === undefined ? {} : { group }),
});

/** A Kubernetes object as `kubectl apply` and `cluster.addManifest` take it. */
type KubernetesObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

const LABELS = { 'app.kubernetes.io/managed-by': 'lpa', 'app.kubernetes.io/name': 'lambda-pod-autoscaler' } as const;

const roleOf = (namespace: string, name: string, podMetrics: boolean): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace, labels: { ...LABELS } },
  rules: [...LPA_POLICY_RULES, ...(podMetrics ? [POD_METRICS_RULE] : [])].map((rule) => ({
    apiGroups: [...rule.apiGroups],
    resources: [...rule.resources],
    verbs: [...rule.verbs],
  })),
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
const rbacObjects = ({ namespaces, group = DEFAULT_KUBERNETES_GROUP, podMetricsNamespaces = [] }: RbacOptions): KubernetesObject[] =>
  [...new Set(namespaces)]
    .sort()
    .flatMap((namespace) => [roleOf(namespace, group, podMetricsNamespaces.includes(namespace)), roleBindingOf(namespace, group, group)]);

/** The objects as one multi-document YAML stream, ready for `kubectl apply -f -`. */
const rbacYaml = (options: RbacOptions): string => {
  const header = `# LPA RBAC for Kubernetes group "${options.group ?? DEFAULT_KUBERNETES_GROUP}" (generated; apply with kubectl apply -f)\n`;
  return header + rbacObjects(options).map((object) => `---\n${stringify(object)}`).join('');
};

export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, POD_METRICS_RULE, rbacObjects, rbacOptionsOf, rbacYaml };
export type { KubernetesObject, RbacOptions };
