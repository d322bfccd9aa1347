/**
 * Every command parses its flags the same way: strict (an unknown flag is a usage error), `-h` /
 * `--help` prints the help, a usage error prints the message with the help and exits 2.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { errorMessage } from '../errors.js';
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE } from '../spec/auth/triggerAuthentication.js';
import { trustEntryProblem } from '../spec/awsEndpoint.js';
import { dns1123LabelProblem } from '../spec/kubeNames.js';
import { echo, quote } from '../spec/echo.js';
import type { Trust } from '../spec/awsEndpoint.js';
import type { CliIO } from './io.js';

const HELP_FLAG = { help: { type: 'boolean', short: 'h', default: false } } as const;

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof HELP_FLAG; strict: true; allowPositionals: true }>>;

/** The parsed flags and positionals, or the exit code when the command must stop here. */
const parseCommandArgs = <const O extends ParseArgsOptionsConfig>(
  command: string,
  help: string,
  args: readonly string[],
  io: CliIO,
  options: O,
): { readonly values: Parsed<O>['values']; readonly positionals: string[] } | { readonly exit: number } => {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, ...HELP_FLAG }, strict: true, allowPositionals: true });
  } catch (error) {
    io.stderr(`lpa ${command}: ${echo(errorMessage(error), 200)}\n${help}`);
    return { exit: 2 };
  }
  if ((parsed.values as { readonly help?: boolean }).help === true) {
    io.stdout(help);
    return { exit: 0 };
  }
  return { values: parsed.values, positionals: parsed.positionals };
};

/** For commands that take no positional arguments. */
const noPositionals = (command: string, help: string, positionals: readonly string[], io: CliIO): number | undefined => {
  if (positionals.length === 0) return undefined;
  io.stderr(`lpa ${command}: unexpected argument ${quote(positionals[0] ?? '')}\n${help}`);
  return 2;
};

/** For commands that read ScaledObjects: the hosts an `awsEndpoint` may name besides AWS's own (repeatable). */
const TRUST_FLAG = { 'trust-aws-endpoint': { type: 'string', multiple: true } } as const;
const TRUST_HELP = `  --trust-aws-endpoint HOST  accept awsEndpoint URLs to HOST (https only), or to http://HOST (plain http
                             too, for local stand-ins); repeatable. AWS's own hosts need no flag`;

/** The trust the flag gives, or the exit code of a usage error (an entry that is not a host). */
const trustOf = (command: string, help: string, entries: readonly string[] | undefined, io: CliIO): { readonly trust: Trust } | { readonly exit: number } => {
  const problem = (entries ?? []).map(trustEntryProblem).find((p) => p !== undefined);
  if (problem === undefined) return { trust: { awsEndpoints: entries ?? [] } };
  io.stderr(`lpa ${command}: --trust-aws-endpoint ${problem}\n${help}`);
  return { exit: 2 };
};

/** For commands that read ClusterTriggerAuthentications' Secrets: where they are (the construct's clusterObjectNamespace). */
const CLUSTER_OBJECT_NAMESPACE_FLAG = { 'cluster-object-namespace': { type: 'string', default: DEFAULT_CLUSTER_OBJECT_NAMESPACE } } as const;
const CLUSTER_OBJECT_NAMESPACE_HELP = `  --cluster-object-namespace NS  where ClusterTriggerAuthentications' Secrets are: KEDA's
                             KEDA_CLUSTER_OBJECT_NAMESPACE, the construct's clusterObjectNamespace (default ${DEFAULT_CLUSTER_OBJECT_NAMESPACE})`;

/** The flag's namespace, or the exit code of a usage error (not a namespace name). */
const clusterObjectNamespaceOf = (command: string, help: string, namespace: string, io: CliIO): { readonly namespace: string } | { readonly exit: number } => {
  const problem = dns1123LabelProblem(namespace);
  if (problem === undefined) return { namespace };
  io.stderr(`lpa ${command}: --cluster-object-namespace ${quote(namespace)}: ${problem}\n${help}`);
  return { exit: 2 };
};

export { CLUSTER_OBJECT_NAMESPACE_FLAG, CLUSTER_OBJECT_NAMESPACE_HELP, clusterObjectNamespaceOf, noPositionals, parseCommandArgs, TRUST_FLAG, TRUST_HELP, trustOf };
