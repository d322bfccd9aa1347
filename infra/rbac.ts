/**
 * The Kubernetes RBAC LPA needs (DESIGN.md §4), per namespace that holds a scale target: a Role
 * with only the verbs the runtime uses, bound to the Kubernetes group of LPA's EKS access entry.
 * The scale grants follow each target's kind and name the targets (`resourceNames`): manifests are
 * known at deploy time, so LPA may touch those objects and no others. Services a trigger reads through
 * the API server's proxy (an in-cluster Prometheus) get `services/proxy` on exactly those names. Pure, so the CDK construct
 * (`cluster.addManifest`, `lpa-rbac.yaml`) and `lpa rbac` print the same objects byte for byte.
 */
import { stringify } from 'yaml';
import { listsPods, readsPodMetrics } from '../shared/kube/access.js';
import type { ScaledObject } from '../shared/spec/types.js';
import { touchesOf } from '../shared/access/touches.js';
import type { KubernetesReads } from './authAccess.js';

/** Default Kubernetes group of the access entry, and the name of the Role and RoleBinding. */
const DEFAULT_KUBERNETES_GROUP = 'lpa-scaler';

/** A scale target known at deploy time: a ScaledObject's namespace and `scaleTargetRef`. */
interface ScaleTargetGrant {
  readonly namespace: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * Not scale-specific: pods list counts ready pods for `Value` metric targets and reads the pods of
 * cpu/memory targets (no `get`: LPA never reads one pod), so only in namespaces whose targets need it
 * (shared/kube/access.ts) or that the cluster source serves (its objects are not known at deploy time).
 * A list cannot be narrowed by `resourceNames`, so it is namespace-wide. Nothing reads the target
 * itself: no `deployments` get.
 */
const LPA_POLICY_RULES: readonly PolicyRule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }];

/**
 * The resource of a kind without asking the cluster (deploy time has no discovery): kubectl's
 * `UnsafeGuessKindToResource` (lower-case; `y` → `ies`, `s`/`x`/`ch`/`sh` → `es`, else `s`).
 * Right for Deployment, StatefulSet, ReplicaSet and CRDs following the convention (Argo's Rollout → rollouts).
 */
const resourceOfKind = (kind: string): string => {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
};

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');

/**
 * get, patch on `<resource>/scale` (merge-patch; no `update`, LPA never PUTs), one rule per kind, naming
 * the targets. Subresources must be named explicitly: `deployments` does not cover `deployments/scale`.
 */
const scaleRules = (targets: readonly ScaleTargetGrant[]): PolicyRule[] => {
  const byResource = new Map<string, { group: string; resource: string; names: Set<string> }>();
  for (const target of targets) {
    const group = groupOf(target.apiVersion);
    const resource = resourceOfKind(target.kind);
    const key = `${group}/${resource}`;
    const entry = byResource.get(key) ?? { group, resource, names: new Set<string>() };
    entry.names.add(target.name);
    byResource.set(key, entry);
  }
  return [...byResource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, { group, resource, names }]) => ({ apiGroups: [group], resources: [`${resource}/scale`], resourceNames: [...names].sort(), verbs: ['get', 'patch'] }));
};

/** A kind the cluster source may scale, as RBAC names it. */
interface ScaleKind {
  readonly group: string;
  readonly resource: string;
}

/** The cluster source: its objects are not known at deploy time, so its grants are namespace-wide. */
interface ClusterSourceGrant {
  /** Namespaces it serves; all (a ClusterRole) when absent or empty. */
  readonly namespaces?: readonly string[];
  /** Kinds besides Deployment and StatefulSet its objects may target (e.g. Argo Rollouts). */
  readonly scaleKinds?: readonly ScaleKind[];
}

/** cpu/memory triggers read `metrics.k8s.io` PodMetrics: granted only where such a trigger is. */
const POD_METRICS_RULE = { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] } as const;

/** An in-cluster Service LPA reaches through the API server's proxy (a Prometheus). */
interface ServiceProxyRef {
  readonly namespace: string;
  /** `<scheme>:<service>:<port>`: RBAC compares `resourceNames` with the path's segment exactly. */
  readonly proxyName: string;
}

interface RbacOptions {
  /** The scale targets of the manifests (duplicates and order do not matter). */
  readonly targets: readonly ScaleTargetGrant[];
  /** Namespaces whose targets need pods listed (metricType Value, shared/kube/access.ts). @default none */
  readonly podNamespaces?: readonly string[];
  /** Services read through `services/proxy`: `get` on exactly those names, in their namespaces. */
  readonly serviceProxies?: readonly ServiceProxyRef[];
  readonly fromCluster?: ClusterSourceGrant;
  /** @default 'lpa-scaler' */
  readonly group?: string;
  /** Secrets and (Cluster)TriggerAuthentications the TriggerAuthentications make LPA read, by name (authAccess.ts). */
  readonly reads?: KubernetesReads;
  /** Namespaces of objects with cpu/memory triggers: their Role also lists PodMetrics. */
  readonly podMetricsNamespaces?: readonly string[];
  /** Secrets the cluster source's tenancy allows in every namespace, when it serves them all (a ClusterRole, by name). */
  readonly secretsEverywhere?: readonly string[];
}

const BUILT_IN_SCALE_KINDS: readonly ScaleKind[] = [
  { group: 'apps', resource: 'deployments' },
  { group: 'apps', resource: 'statefulsets' },
];

/**
 * What the cluster source does in a namespace: list and read ScaledObjects, patch them (LPA's finalizer
 * only) and their status, create Events and count repeats in their series, list HPAs (never two
 * autoscalers on one target), get/patch `/scale` of any object of the kinds it may scale, and list
 * Deployments and StatefulSets: one list per namespace replaces a scale GET per object (DESIGN.md §5).
 * That list also shows their pod templates, which `/scale` does not; manifests keep named `/scale`
 * GETs instead (their targets are few and known, and `list` cannot be limited to names).
 */
const clusterSourceRules = (kinds: readonly ScaleKind[]): PolicyRule[] => {
  const byGroup = new Map<string, Set<string>>();
  for (const kind of [...BUILT_IN_SCALE_KINDS, ...kinds]) byGroup.set(kind.group, (byGroup.get(kind.group) ?? new Set()).add(`${kind.resource}/scale`));
  return [
    ...[...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, resources]) => ({ apiGroups: [group], resources: [...resources].sort(), verbs: ['get', 'patch'] })),
    { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] },
    { apiGroups: ['keda.sh'], resources: ['scaledobjects/status'], verbs: ['patch'] },
    // The TriggerAuthentications its objects reference, read before the tenancy check (not secret: the Secrets they name are granted by name).
    { apiGroups: ['keda.sh'], resources: ['triggerauthentications'], verbs: ['get'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'get', 'patch'] },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list'] },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['list'] },
  ];
};

/** A Kubernetes object as `kubectl apply` and `cluster.addManifest` take it. */
type KubernetesObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string };

const LABELS = { 'app.kubernetes.io/managed-by': 'lpa', 'app.kubernetes.io/name': 'lambda-pod-autoscaler' } as const;

const copyRule = (rule: PolicyRule): Record<string, unknown> => ({
  apiGroups: [...rule.apiGroups],
  resources: [...rule.resources],
  ...(rule.resourceNames === undefined ? {} : { resourceNames: [...rule.resourceNames] }),
  verbs: [...rule.verbs],
});

const roleOf = (namespace: string, name: string, rules: readonly PolicyRule[]): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace, labels: { ...LABELS } },
  rules: rules.map(copyRule),
});

/** `get` by name only: RBAC's `resourceNames` cannot authorize a list, so nothing else is readable. */
const getByName = (apiGroup: string, resource: string, names: readonly string[] | undefined): PolicyRule[] =>
  names === undefined || names.length === 0 ? [] : [{ apiGroups: [apiGroup], resources: [resource], resourceNames: [...names], verbs: ['get'] }];

const roleBindingOf = (namespace: string, name: string, group: string): KubernetesObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace, labels: { ...LABELS } },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
});

/** What one namespace's Role must allow, besides the reads credentials need. */
interface NamespaceNeeds {
  /** The manifests' scale targets in the namespace. */
  readonly targets: readonly ScaleTargetGrant[];
  /** The cluster source's extra kinds when it serves the namespace. */
  readonly clusterSource: readonly ScaleKind[] | undefined;
  readonly readsPods: boolean;
  readonly readsPodMetrics: boolean;
  readonly proxyNames: readonly string[];
}

/**
 * The rules of one namespace's Role: the manifests' named targets, the cluster source's grants if it
 * serves the namespace, pods list where a target has a Value metric or cpu/memory trigger or the
 * cluster source serves it, PodMetrics list where cpu/memory triggers are (or the cluster source),
 * `services/proxy` on the named Services.
 */
const rulesFor = ({ targets, clusterSource, readsPods, readsPodMetrics, proxyNames }: NamespaceNeeds): PolicyRule[] => [
  ...scaleRules(targets),
  ...(clusterSource === undefined ? [] : clusterSourceRules(clusterSource)),
  ...(readsPods || clusterSource !== undefined ? LPA_POLICY_RULES : []),
  ...(readsPodMetrics || clusterSource !== undefined ? [POD_METRICS_RULE] : []),
  ...(proxyNames.length === 0 ? [] : [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: proxyNames, verbs: ['get'] }]),
];

/** `get` on exactly the Secrets and TriggerAuthentications the credentials name in the namespace. */
const readsIn = (namespace: string, reads: KubernetesReads | undefined): PolicyRule[] => [
  ...getByName('', 'secrets', reads?.secrets.get(namespace)),
  ...getByName('keda.sh', 'triggerauthentications', reads?.triggerAuthentications.get(namespace)),
];

const clusterRoleObjects = (name: string, group: string, rules: readonly PolicyRule[]): KubernetesObject[] => [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { ...LABELS } }, rules: rules.map(copyRule) },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...LABELS } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  },
];

/**
 * A Role and its RoleBinding per namespace, namespaces sorted so the output is stable; a cluster
 * source serving every namespace gets one ClusterRole and ClusterRoleBinding instead.
 *
 * @example
 * rbacObjects({ targets: [{ namespace: 'shop', apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' }] });
 * // [Role shop/lpa-scaler (deployments/scale of "orders"), RoleBinding shop/lpa-scaler]
 */
const rbacObjects = ({
  targets,
  podNamespaces = [],
  podMetricsNamespaces = [],
  serviceProxies = [],
  fromCluster,
  group = DEFAULT_KUBERNETES_GROUP,
  reads,
  secretsEverywhere,
}: RbacOptions): KubernetesObject[] => {
  const everywhere = fromCluster !== undefined && (fromCluster.namespaces ?? []).length === 0;
  const served = new Set(everywhere ? [] : (fromCluster?.namespaces ?? []));
  const podReaders = new Set(podNamespaces);
  const podMetrics = new Set(podMetricsNamespaces);
  const all = [
    ...targets.map((t) => t.namespace),
    ...served,
    ...serviceProxies.map((p) => p.namespace),
    ...(reads?.secrets.keys() ?? []),
    ...(reads?.triggerAuthentications.keys() ?? []),
  ];
  const namespaced = [...new Set(all)].sort().flatMap((namespace) => {
    const needs: NamespaceNeeds = {
      targets: targets.filter((t) => t.namespace === namespace),
      clusterSource: served.has(namespace) ? (fromCluster?.scaleKinds ?? []) : undefined,
      readsPods: podReaders.has(namespace),
      readsPodMetrics: podMetrics.has(namespace),
      proxyNames: [...new Set(serviceProxies.filter((p) => p.namespace === namespace).map((p) => p.proxyName))].sort(),
    };
    return [roleOf(namespace, group, [...rulesFor(needs), ...readsIn(namespace, reads)]), roleBindingOf(namespace, group, group)];
  });
  // ClusterTriggerAuthentications read from the cluster are cluster-scoped: a ClusterRole, by name.
  const clusterRules = [
    ...(everywhere ? [...clusterSourceRules(fromCluster.scaleKinds ?? []), ...LPA_POLICY_RULES, POD_METRICS_RULE] : []),
    ...getByName('keda.sh', 'clustertriggerauthentications', reads?.clusterTriggerAuthentications),
    ...(everywhere ? getByName('', 'secrets', secretsEverywhere) : []),
  ];
  return clusterRules.length === 0 ? namespaced : [...namespaced, ...clusterRoleObjects(group, group, clusterRules)];
};

/** The objects as one multi-document YAML stream, ready for `kubectl apply -f -`. */
const rbacYaml = (options: RbacOptions): string => {
  const header = `# LPA RBAC for Kubernetes group "${options.group ?? DEFAULT_KUBERNETES_GROUP}" (generated; apply with kubectl apply -f)\n`;
  return header + rbacObjects(options).map((object) => `---\n${stringify(object)}`).join('');
};

/** The grants of a ScaledObject: its namespace and scale target. */
const grantOf = (so: { readonly metadata: { readonly namespace: string }; readonly spec: { readonly scaleTargetRef: Omit<ScaleTargetGrant, 'namespace'> } }): ScaleTargetGrant => ({
  namespace: so.metadata.namespace,
  apiVersion: so.spec.scaleTargetRef.apiVersion,
  kind: so.spec.scaleTargetRef.kind,
  name: so.spec.scaleTargetRef.name,
});

/**
 * What the RBAC must cover for these ScaledObjects: their scale targets, the namespaces where pods
 * are read (Value targets, cpu/memory triggers), those whose cpu/memory triggers read PodMetrics, and
 * the in-cluster Prometheus Services their triggers reach through the API server.
 *
 * @example
 * rbacNeedsOf(objects); // { targets: [{ namespace: 'shop', … name: 'orders' }], podNamespaces: [], serviceProxies: [{ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' }] }
 */
const rbacNeedsOf = (objects: readonly ScaledObject[]): Required<Pick<RbacOptions, 'targets' | 'podNamespaces' | 'podMetricsNamespaces' | 'serviceProxies'>> => ({
  targets: objects.map(grantOf),
  podNamespaces: objects.filter(listsPods).map((so) => so.metadata.namespace),
  podMetricsNamespaces: objects.filter(readsPodMetrics).map((so) => so.metadata.namespace),
  // The one derivation of what a trigger reads (shared/access/touches.ts), as the cluster source's tenancy check uses it.
  serviceProxies: objects.flatMap((so) => touchesOf(so).flatMap((touch) => (touch.kind === 'service' ? [{ namespace: touch.namespace, proxyName: touch.proxyName }] : []))),
});

export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, POD_METRICS_RULE, grantOf, rbacNeedsOf, rbacObjects, rbacYaml, resourceOfKind };
export type { ClusterSourceGrant, KubernetesObject, PolicyRule, RbacOptions, ScaleKind, ScaleTargetGrant, ServiceProxyRef };
