/**
 * The Kubernetes RBAC LPA needs (DESIGN.md §4), per namespace that holds a scale target: a Role
 * with only the verbs the runtime uses, bound to the Kubernetes group of LPA's EKS access entry.
 * Pure, so the CDK construct (`cluster.addManifest`, `lpa-rbac.yaml`) and `lpa rbac` print the
 * same objects byte for byte.
 */
import { stringify } from 'yaml';
import { needsReadyPods } from '../shared/kube/access.js';
import type { ScaledObject } from '../shared/spec/types.js';

/** Default Kubernetes group of the access entry, and the name of the Role and RoleBinding. */
const DEFAULT_KUBERNETES_GROUP = 'lpa-scaler';

/**
 * Subresources must be named explicitly: `deployments` does not cover `deployments/scale`.
 * - deployments/scale get, patch: read and set replicas (merge-patch; no `update`, LPA never PUTs);
 * - pods list: count ready pods, only in namespaces with a `Value` metric target (no `get`: LPA
 *   never reads one pod). Nothing reads the Deployment itself, so `deployments` is not granted.
 */
const SCALE_RULE = { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] } as const;
const PODS_RULE = { apiGroups: [''], resources: ['pods'], verbs: ['list'] } as const;
const LPA_POLICY_RULES = [SCALE_RULE, PODS_RULE] as const;

interface RbacOptions {
  /** The namespaces that hold scale targets (duplicates and order do not matter). */
  readonly namespaces: readonly string[];
  /** Those whose targets need pods listed (metricType Value). @default none */
  readonly podNamespaces?: readonly string[];
  /** @default 'lpa-scaler' */
  readonly group?: string;
}

/** What the ScaledObjects need: every target's namespace, and where pods are read (shared/kube/access.ts). */
const rbacNeeds = (objects: readonly ScaledObject[]): Pick<RbacOptions, 'namespaces' | 'podNamespaces'> => ({
  namespaces: objects.map((so) => so.metadata.namespace),
  podNamespaces: objects.filter(needsReadyPods).map((so) => so.metadata.namespace),
});

/** A Kubernetes object as `kubectl apply` and `cluster.addManifest` take it. */
type KubernetesObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

const LABELS = { 'app.kubernetes.io/managed-by': 'lpa', 'app.kubernetes.io/name': 'lambda-pod-autoscaler' } as const;

const roleOf = (namespace: string, name: string, readsPods: boolean): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace, labels: { ...LABELS } },
  rules: (readsPods ? [SCALE_RULE, PODS_RULE] : [SCALE_RULE]).map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
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
 * rbacObjects({ ...rbacNeeds(scaledObjects), group });
 */
const rbacObjects = ({ namespaces, podNamespaces = [], group = DEFAULT_KUBERNETES_GROUP }: RbacOptions): KubernetesObject[] =>
  [...new Set(namespaces)].sort().flatMap((namespace) => [roleOf(namespace, group, podNamespaces.includes(namespace)), roleBindingOf(namespace, group, group)]);

/** The objects as one multi-document YAML stream, ready for `kubectl apply -f -`. */
const rbacYaml = (options: RbacOptions): string => {
  const header = `# LPA RBAC for Kubernetes group "${options.group ?? DEFAULT_KUBERNETES_GROUP}" (generated; apply with kubectl apply -f)\n`;
  return header + rbacObjects(options).map((object) => `---\n${stringify(object)}`).join('');
};

export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, rbacNeeds, rbacObjects, rbacYaml };
export type { KubernetesObject, RbacOptions };
