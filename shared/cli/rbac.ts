/**
 * `lpa rbac FILE… [--group NAME]`: the Kubernetes RBAC LPA needs for these ScaledObjects (a Role
 * and RoleBinding per namespace), for clusters CDK does not manage: `lpa rbac *.yaml | kubectl
 * apply -f -`. The generator is the CDK construct's (infra/rbac.ts), so both print the same YAML.
 */
import { authAccessOf } from '../../infra/authAccess.js';
import { DEFAULT_KUBERNETES_GROUP, rbacNeedsOf, rbacYaml } from '../../infra/rbac.js';
import { parseCommandArgs } from './args.js';
import { loadManifestFiles } from './manifestFiles.js';
import type { Command } from './io.js';

const HELP = `usage: lpa rbac FILE... [--group NAME]

Prints, as YAML for 'kubectl apply -f -', a Role and a RoleBinding for every namespace that holds a
ScaledObject in FILE (YAML or JSON; '-' reads standard input). The Role allows what LPA does and
no more: deployments/scale get, patch; pods list only where a target has a metricType Value
trigger (its ready pods are counted); in the namespace of an in-cluster Prometheus a trigger reads,
services/proxy get on exactly that Service (resourceNames "<scheme>:<service>:<port>"); for the
TriggerAuthentications in FILE, get on exactly the Secrets they name; a referenced
TriggerAuthentication not in FILE is read from the cluster, so get on it by name (a ClusterRole for a
ClusterTriggerAuthentication). The RoleBinding binds it to the Kubernetes group of LPA's EKS access entry.

options:
  --group NAME   the access entry's Kubernetes group (default ${DEFAULT_KUBERNETES_GROUP})

Exit status: 0 with the YAML printed; 1 when a manifest is invalid or no ScaledObject was found
(nothing is printed then); 2 on usage errors.`;


const rbacCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('rbac', HELP, args, io, { group: { type: 'string', default: DEFAULT_KUBERNETES_GROUP } });
  if ('exit' in parsed) return parsed.exit;
  const { group } = parsed.values;
  // The same rule as the construct's kubernetesGroup: EKS reserves the system: prefix.
  if (group.trim() === '' || group.startsWith('system:')) {
    io.stderr(`lpa rbac: --group must be a non-empty name outside the reserved "system:" prefix, got "${group}"`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    io.stderr(`lpa rbac: no FILE given\n${HELP}`);
    return 2;
  }
  const loaded = await loadManifestFiles('rbac', io, parsed.positionals);
  if (loaded === false) return 1;
  const { objects, authentications } = loaded;
  if (objects.length === 0) {
    io.stderr(`lpa rbac: no ScaledObject found in ${parsed.positionals.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  io.stdout(rbacYaml({ ...rbacNeedsOf(objects), group, reads: authAccessOf(objects, authentications).kubernetes }));
  return 0;
};

export { rbacCommand };
