/**
 * The Kubernetes RBAC LPA needs (DESIGN.md §4), per namespace that holds a scale target: a Role
 * with only the verbs the runtime uses, bound to the Kubernetes group of LPA's EKS access entry.
 * Pure, so the CDK construct (`cluster.addManifest`, `lpa-rbac.yaml`) and `lpa rbac` print the
 * same objects byte for byte.
 */
import { stringify } from 'yaml';
import { needsReadyPods } from '../shared/kube/access.js';
import { isResourceTrigger, type ScaledObject } from '../shared/spec/types.js';
import { prometheusServerOf } from '../shared/spec/triggers/prometheusServer.js';
import type { KubernetesReads } from './authAccess.js';

/** Default Kubernetes group of the access entry, and the name of the Role and RoleBinding. */
const DEFAULT_KUBERNETES_GROUP = 'lpa-scaler';

/**
 * Subresources must be named explicitly: `deployments` does not cover `deployments/scale`.
 * - deployments/scale get, patch: read and set replicas (merge-patch; no `update`, LPA never PUTs);
 * - pods list: count ready pods for `Value` metric targets and read the pods of cpu/memory targets,
 *   only in those namespaces (no `get`: LPA never reads one pod). Nothing reads the Deployment
 *   itself, so `deployments` is not granted.
 */
const SCALE_RULE = { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] } as const;
const PODS_RULE = { apiGroups: [''], resources: ['pods'], verbs: ['list'] } as const;
const LPA_POLICY_RULES = [SCALE_RULE, PODS_RULE] as const;

/** cpu/memory triggers read `metrics.k8s.io` PodMetrics: granted only where such a trigger is. */
const POD_METRICS_RULE = { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] } as const;

/** An in-cluster Service LPA reaches through the API server's proxy (a Prometheus). */
interface ServiceProxyRef {
  readonly namespace: string;
  /** `<scheme>:<service>:<port>`: RBAC compares `resourceNames` with the path's segment exactly. */
  readonly proxyName: string;
}

interface RbacOptions {
  /** The namespaces that hold scale targets (duplicates and order do not matter). */
  readonly namespaces: readonly string[];
  /** Those whose targets need pods listed (metricType Value, shared/kube/access.ts). @default none */
  readonly podNamespaces?: readonly string[];
  /** Services read through `services/proxy`: `get` on exactly those names, in their namespaces. */
  readonly serviceProxies?: readonly ServiceProxyRef[];
  /** @default 'lpa-scaler' */
  readonly group?: string;
  /** Secrets and (Cluster)TriggerAuthentications the TriggerAuthentications make LPA read, by name (authAccess.ts). */
  readonly reads?: KubernetesReads;
  /** Namespaces of objects with cpu/memory triggers: their Role also lists PodMetrics. */
  readonly podMetricsNamespaces?: readonly string[];
}

/** A Kubernetes object as `kubectl apply` and `cluster.addManifest` take it. */
type KubernetesObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

const LABELS = { 'app.kubernetes.io/managed-by': 'lpa', 'app.kubernetes.io/name': 'lambda-pod-autoscaler' } as const;

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

const roleOf = (namespace: string, name: string, rules: readonly PolicyRule[]): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace, labels: { ...LABELS } },
  rules: rules.map((rule) => ({ ...rule, apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
});

/** `get` by name only: RBAC's `resourceNames` cannot authorize a list, so nothing else is readable. */
const getByName = (apiGroup: string, resource: string, names: readonly string[] | undefined): PolicyRule[] =>
  names === undefined || names.length === 0 ? [] : [{ apiGroups: [apiGroup], resources: [resource], resourceNames: [...names], verbs: ['get'] }];

/**
 * The rules of one namespace: the scale rule where targets live, pods where they scale by ready pods
 * or by cpu/memory, PodMetrics where cpu/memory triggers read them, `services/proxy` on the named
 * Services, and `get` on exactly the Secrets and TriggerAuthentications the credentials name.
 */
const rulesOf = (
  namespace: string,
  targets: ReadonlySet<string>,
  podReaders: ReadonlySet<string>,
  proxies: readonly ServiceProxyRef[],
  podMetrics: ReadonlySet<string>,
  reads: KubernetesReads | undefined,
): PolicyRule[] => {
  const names = [...new Set(proxies.filter((p) => p.namespace === namespace).map((p) => p.proxyName))].sort();
  return [
    ...(targets.has(namespace) ? [SCALE_RULE] : []),
    ...(podReaders.has(namespace) ? [PODS_RULE] : []),
    ...(podMetrics.has(namespace) ? [POD_METRICS_RULE] : []),
    ...(names.length === 0 ? [] : [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: names, verbs: ['get'] }]),
    ...getByName('', 'secrets', reads?.secrets.get(namespace)),
    ...getByName('keda.sh', 'triggerauthentications', reads?.triggerAuthentications.get(namespace)),
  ];
};

/**
 * What the RBAC must cover for these ScaledObjects: their namespaces, those where pods are read (Value
 * targets, cpu/memory triggers), those whose cpu/memory triggers read PodMetrics, and the in-cluster
 * Prometheus Services their triggers reach through the API server.
 *
 * @example
 * rbacNeedsOf(objects); // { namespaces: ['shop'], podNamespaces: [], serviceProxies: [{ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' }] }
 */
const rbacNeedsOf = (objects: readonly ScaledObject[]): Required<Pick<RbacOptions, 'namespaces' | 'podNamespaces' | 'podMetricsNamespaces' | 'serviceProxies'>> => ({
  namespaces: objects.map((so) => so.metadata.namespace),
  podNamespaces: objects.filter((so) => needsReadyPods(so) || so.spec.triggers.some(isResourceTrigger)).map((so) => so.metadata.namespace),
  podMetricsNamespaces: objects.filter((so) => so.spec.triggers.some(isResourceTrigger)).map((so) => so.metadata.namespace),
  serviceProxies: objects.flatMap((so) =>
    so.spec.triggers.flatMap((trigger) => {
      if (trigger.type !== 'prometheus') return [];
      const located = prometheusServerOf(trigger.metadata.serverAddress, trigger.metadata.awsRegion);
      return located.ok && located.server.kind === 'service' ? [{ namespace: located.server.namespace, proxyName: located.server.proxyName }] : [];
    }),
  ),
});

const roleBindingOf = (namespace: string, name: string, group: string): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace, labels: { ...LABELS } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
});

/**
 * A Role and its RoleBinding per namespace (targets' and proxied Services'), sorted so the output is stable.
 *
 * @example
 * rbacObjects({ namespaces: ['shop'] }); // [Role shop/lpa-scaler, RoleBinding shop/lpa-scaler]
 */
const rbacObjects = ({ namespaces, podNamespaces = [], podMetricsNamespaces = [], serviceProxies = [], group = DEFAULT_KUBERNETES_GROUP, reads }: RbacOptions): KubernetesObject[] => {
  const targets = new Set(namespaces);
  const podReaders = new Set(podNamespaces);
  const podMetrics = new Set(podMetricsNamespaces);
  const all = [...namespaces, ...serviceProxies.map((p) => p.namespace), ...(reads?.secrets.keys() ?? []), ...(reads?.triggerAuthentications.keys() ?? [])];
  const namespaced = [...new Set(all)]
    .sort()
    .flatMap((namespace) => [roleOf(namespace, group, rulesOf(namespace, targets, podReaders, serviceProxies, podMetrics, reads)), roleBindingOf(namespace, group, group)]);
  // ClusterTriggerAuthentications read from the cluster are cluster-scoped: a ClusterRole, by name.
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

export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, POD_METRICS_RULE, rbacNeedsOf, rbacObjects, rbacYaml };
export type { KubernetesObject, RbacOptions, ServiceProxyRef };
