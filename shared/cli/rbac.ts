/**
 * `lpa rbac FILE… [--from-cluster …] [--group NAME]`: the Kubernetes RBAC LPA needs for these
 * ScaledObjects (a Role and RoleBinding per namespace) and for the cluster source, for clusters CDK does
 * not manage: `lpa rbac *.yaml | kubectl apply -f -`. The generator is the CDK construct's
 * (infra/rbac.ts), so both print the same YAML.
 */
import { authAccessOf } from '../../infra/authAccess.js';
import { DEFAULT_KUBERNETES_GROUP, rbacNeedsOf, rbacYaml, resourceOfKind, type ScaleKind } from '../../infra/rbac.js';
import { tenancyReads, unreferencedDeclarations, withTenancyRbac } from '../../infra/tenancyAccess.js';
import { CLUSTER_OBJECT_NAMESPACE_FLAG, CLUSTER_OBJECT_NAMESPACE_HELP, clusterObjectNamespaceOf, parseCommandArgs } from './args.js';
import { loadTenantsFile } from './tenantsFile.js';
import { loadManifestFiles } from './manifestFiles.js';
import type { Command } from './io.js';

const HELP = `usage: lpa rbac [FILE...] [--from-cluster [--namespace NS]... [--scale-kind KIND.GROUP]... [--tenants FILE]] [--group NAME]

Prints, as YAML for 'kubectl apply -f -', a Role and a RoleBinding for every namespace that holds a
ScaledObject in FILE (YAML or JSON; '-' reads standard input). The Role allows what LPA does and
no more: get, patch on <resource>/scale of each scale target's kind, for the named targets only
(resourceNames); pods list only where a target has a metricType Value trigger (its ready pods are
counted) or a cpu/memory trigger, and metrics.k8s.io pods list where a cpu/memory trigger is; in the
namespace of an in-cluster Prometheus a trigger reads, services/proxy get on exactly that Service
(resourceNames "<scheme>:<service>:<port>"); for the TriggerAuthentications in FILE, get on exactly
the Secrets they name; a referenced TriggerAuthentication not in FILE is read from the cluster, so get
on it by name (a ClusterRole for a ClusterTriggerAuthentication). The RoleBinding binds it to the
Kubernetes group of LPA's EKS access entry.

With --from-cluster, adds what the cluster source needs in each namespace NS it serves (a ClusterRole
and ClusterRoleBinding when no --namespace is given): scaledobjects get, list, patch (LPA's
finalizer); scaledobjects/status patch; events create, get, patch (event series);
horizontalpodautoscalers list; pods list and metrics.k8s.io pods list (its objects' triggers are not
known at deploy time); get, patch on deployments/scale and statefulsets/scale of any object (ScaledObjects in the cluster
are not known at deploy time), and of each --scale-kind; triggerauthentications get (read before the tenancy
check). With --tenants (the construct's source.fromCluster.tenants as YAML or JSON), get on exactly
the Secrets each namespace may read (resourceNames), on the ClusterTriggerAuthentications allowed
and on the Secrets their declarations list (in the cluster object namespace), and services/proxy get on exactly the in-cluster
Services the namespaces may query (services), in those Services' namespaces.

options:
  --group NAME            the access entry's Kubernetes group (default ${DEFAULT_KUBERNETES_GROUP})
${CLUSTER_OBJECT_NAMESPACE_HELP}
  --from-cluster          also grant what the cluster source needs
  --namespace NS          a namespace the cluster source serves (repeatable; default all)
  --scale-kind KIND.GROUP another kind its objects may scale, e.g. Rollout.argoproj.io (repeatable)
  --tenants FILE          what each namespace's objects may read (README, "Tenancy")

Exit status: 0 with the YAML printed; 1 when a manifest is invalid or no ScaledObject was found
(nothing is printed then); 2 on usage errors.`;

/** `Rollout.argoproj.io` → group `argoproj.io`, resource `rollouts`; undefined when it is not KIND.GROUP. */
const scaleKindOf = (text: string): ScaleKind | undefined => {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  return { group: text.slice(dot + 1), resource: resourceOfKind(text.slice(0, dot)) };
};

const rbacCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('rbac', HELP, args, io, {
    group: { type: 'string', default: DEFAULT_KUBERNETES_GROUP },
    ...CLUSTER_OBJECT_NAMESPACE_FLAG,
    'from-cluster': { type: 'boolean', default: false },
    namespace: { type: 'string', multiple: true },
    'scale-kind': { type: 'string', multiple: true },
    tenants: { type: 'string' },
  });
  if ('exit' in parsed) return parsed.exit;
  const { group } = parsed.values;
  // The same rule as the construct's kubernetesGroup: EKS reserves the system: prefix.
  if (group.trim() === '' || group.startsWith('system:')) {
    io.stderr(`lpa rbac: --group must be a non-empty name outside the reserved "system:" prefix, got "${group}"`);
    return 2;
  }
  const clusterObjects = clusterObjectNamespaceOf('rbac', HELP, parsed.values['cluster-object-namespace'], io);
  if ('exit' in clusterObjects) return clusterObjects.exit;
  const clusterObjectNamespace = clusterObjects.namespace;
  const fromCluster = parsed.values['from-cluster'];
  const namespaces = parsed.values.namespace ?? [];
  const kindTexts = parsed.values['scale-kind'] ?? [];
  if (!fromCluster && (namespaces.length > 0 || kindTexts.length > 0 || parsed.values.tenants !== undefined)) {
    io.stderr(`lpa rbac: --namespace, --scale-kind and --tenants go with --from-cluster\n${HELP}`);
    return 2;
  }
  const badKind = kindTexts.find((text) => scaleKindOf(text) === undefined);
  if (badKind !== undefined) {
    io.stderr(`lpa rbac: --scale-kind ${badKind}: must be KIND.GROUP, e.g. Rollout.argoproj.io`);
    return 2;
  }
  if (parsed.positionals.length === 0 && !fromCluster) {
    io.stderr(`lpa rbac: no FILE given (or --from-cluster)\n${HELP}`);
    return 2;
  }
  const loaded = await loadManifestFiles('rbac', io, parsed.positionals);
  if (loaded === false) return 1;
  const { objects, authentications } = loaded;
  if (objects.length === 0 && !fromCluster) {
    io.stderr(`lpa rbac: no ScaledObject found in ${parsed.positionals.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  const scaleKinds = kindTexts.map(scaleKindOf).filter((kind) => kind !== undefined);
  const tenants = parsed.values.tenants === undefined ? undefined : await loadTenantsFile('rbac', io, parsed.values.tenants);
  if (tenants === false) return 1;
  const tenancy = tenants === undefined ? undefined : tenancyReads(tenants, namespaces, clusterObjectNamespace);
  for (const warning of unreferencedDeclarations(tenants ?? {})) io.stderr(`lpa rbac: warning: ${parsed.values.tenants === '-' ? '<stdin>' : parsed.values.tenants}: ${warning}`);
  const reads = authAccessOf(objects, authentications, clusterObjectNamespace).kubernetes;
  io.stdout(rbacYaml(withTenancyRbac({ ...rbacNeedsOf(objects), group, reads, ...(fromCluster ? { fromCluster: { namespaces, scaleKinds } } : {}) }, tenancy)));
  return 0;
};

export { rbacCommand };
