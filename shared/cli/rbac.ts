/**
 * `lpa rbac FILE… [--group NAME]`: the Kubernetes RBAC LPA needs for these ScaledObjects (a Role
 * and RoleBinding per namespace), for clusters CDK does not manage: `lpa rbac *.yaml | kubectl
 * apply -f -`. The generator is the CDK construct's (infra/rbac.ts), so both print the same YAML.
 */
import { DEFAULT_KUBERNETES_GROUP, rbacOptionsOf, rbacYaml } from '../../infra/rbac.js';
import type { ScaledObject } from '../spec/types.js';
import { errorMessage, formatIssue } from '../errors.js';
import { loadScaledObjects } from '../spec/index.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, Command } from './io.js';

const HELP = `usage: lpa rbac FILE... [--group NAME]

Prints, as YAML for 'kubectl apply -f -', a Role and a RoleBinding for every namespace that holds a
ScaledObject in FILE (YAML or JSON; '-' reads standard input). The Role allows what LPA does and
no more: deployments get; deployments/scale get, patch; pods list. The RoleBinding binds it to
the Kubernetes group of LPA's EKS access entry.

options:
  --group NAME   the access entry's Kubernetes group (default ${DEFAULT_KUBERNETES_GROUP})

Exit status: 0 with the YAML printed; 1 when a manifest is invalid or no ScaledObject was found
(nothing is printed then); 2 on usage errors.`;


/** The valid ScaledObjects, or false once any document is invalid (reported on stderr). */
const scaledObjectsOf = async (io: CliIO, files: readonly string[]): Promise<ScaledObject[] | false> => {
  const objects: ScaledObject[] = [];
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
    for (const { result } of loadScaledObjects(text, source)) {
      if ('skipped' in result) continue;
      if (result.ok) objects.push(result.scaledObject);
      else {
        failed = true;
        for (const issue of result.issues) io.stderr(formatIssue(issue));
      }
    }
  }
  return failed ? false : objects;
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
  const objects = await scaledObjectsOf(io, parsed.positionals);
  if (objects === false) return 1;
  if (objects.length === 0) {
    io.stderr(`lpa rbac: no ScaledObject found in ${parsed.positionals.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  io.stdout(rbacYaml(rbacOptionsOf(objects, group)));
  return 0;
};

export { rbacCommand };
