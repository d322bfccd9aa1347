/**
 * `lpa rbac FILE… [--group NAME]`: the Kubernetes RBAC LPA needs for these ScaledObjects (a Role
 * and RoleBinding per namespace), for clusters CDK does not manage: `lpa rbac *.yaml | kubectl
 * apply -f -`. The generator is the CDK construct's (infra/rbac.ts), so both print the same YAML.
 */
import { authAccessOf } from '../../infra/authAccess.js';
import { DEFAULT_KUBERNETES_GROUP, rbacYaml } from '../../infra/rbac.js';
import { errorMessage, formatIssue } from '../errors.js';
import { loadDocuments } from '../spec/index.js';
import type { ScaledObject, TriggerAuthentication } from '../spec/index.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, Command } from './io.js';

const HELP = `usage: lpa rbac FILE... [--group NAME]

Prints, as YAML for 'kubectl apply -f -', a Role and a RoleBinding for every namespace that holds a
ScaledObject in FILE (YAML or JSON; '-' reads standard input). The Role allows what LPA does and
no more: deployments get; deployments/scale get, patch; pods list; and, for the TriggerAuthentications
in FILE, get on exactly the Secrets they name (resourceNames). A referenced TriggerAuthentication
that is not in FILE is read from the cluster: get on it by name (a ClusterRole for a
ClusterTriggerAuthentication). The RoleBinding binds it to the Kubernetes group of LPA's EKS access entry.

options:
  --group NAME   the access entry's Kubernetes group (default ${DEFAULT_KUBERNETES_GROUP})

Exit status: 0 with the YAML printed; 1 when a manifest is invalid or no ScaledObject was found
(nothing is printed then); 2 on usage errors.`;


interface Manifests {
  readonly objects: ScaledObject[];
  readonly authentications: TriggerAuthentication[];
}

/** The valid ScaledObjects and TriggerAuthentications, or false once any document is invalid (reported on stderr). */
const manifestsOf = async (io: CliIO, files: readonly string[]): Promise<Manifests | false> => {
  const manifests: Manifests = { objects: [], authentications: [] };
  let failed = false;
  for (const file of files) {
    const source = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (error) {
      io.stderr(`lpa rbac: cannot read ${source}: ${errorMessage(error)}`);
      failed = true;
      continue;
    }
    for (const { result } of loadDocuments(text, source)) {
      if ('skipped' in result) continue;
      if (!result.ok) {
        failed = true;
        for (const issue of result.issues) io.stderr(formatIssue(issue));
      } else if ('authentication' in result) manifests.authentications.push(result.triggerAuthentication);
      else manifests.objects.push(result.scaledObject);
    }
  }
  return failed ? false : manifests;
};

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
  const manifests = await manifestsOf(io, parsed.positionals);
  if (manifests === false) return 1;
  if (manifests.objects.length === 0) {
    io.stderr(`lpa rbac: no ScaledObject found in ${parsed.positionals.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  const namespaces = manifests.objects.map((so) => so.metadata.namespace);
  io.stdout(rbacYaml({ namespaces, group, reads: authAccessOf(manifests.objects, manifests.authentications).kubernetes }));
  return 0;
};

export { rbacCommand };
