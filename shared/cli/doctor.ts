/**
 * `lpa doctor`: can LPA scale this Deployment? Runs the calls a tick makes, in order, without
 * changing anything (the PATCH is a server-side dry run with the current replicas), and says for
 * each what works and what is missing, down to the RBAC rule to add. The token never appears.
 */
import { errorMessage } from '../errors.js';
import type { BearerTokenSource } from '../kube/bearerToken.js';
import { KubeForbiddenError, rbacRuleYaml } from '../kube/errors.js';
import { createKubeAgent, createScaleClient } from '../kube/scaleClient.js';
import type { Scale, ScaleClient } from '../kube/types.js';
import { noPositionals, parseCommandArgs } from './args.js';
import {
  CLUSTER_ACCESS_FLAGS,
  CLUSTER_ACCESS_HELP,
  clusterAccessOptions,
  clusterAccessProblem,
  clusterEndpointFor,
  eksTokenProvider,
  tokenSourceFor,
  type ClusterAccessDeps,
  type ClusterAccessOptions,
} from './clusterAccess.js';
import type { CliIO, Command } from './io.js';

const HELP = `usage: lpa doctor --namespace NS --deployment NAME
                  (--cluster NAME [--region REGION] | --server URL --ca-file PEM) [--token TOKEN]

Checks, without changing anything, that LPA can scale a Deployment: makes a token, finds the API
server, reads the scale subresource, sends the scale PATCH as a dry run (?dryRun=All) with the
current replicas, and lists the Deployment's pods. Prints one line per check.
  --namespace NS       namespace of the Deployment
  --deployment NAME    the Deployment LPA scales
${CLUSTER_ACCESS_HELP}
Exit status: 0 when every check passes, 1 when any fails, 2 on usage errors.`;

type DoctorDeps = ClusterAccessDeps;

interface DoctorOptions extends ClusterAccessOptions {
  readonly namespace: string;
  readonly deployment: string;
}

/** One line per check; `detail` lines are indented under it. */
interface Reporter {
  pass(check: string, text: string): void;
  fail(check: string, text: string, detail?: readonly string[]): void;
  skip(check: string, text: string): void;
  readonly failures: number;
}

const createReporter = (io: CliIO, secrets: () => readonly string[]): Reporter => {
  let failures = 0;
  // Belt and braces: no message we print may carry a token, whoever wrote the message.
  const scrub = (text: string): string => secrets().reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const line = (mark: string, check: string, text: string, detail: readonly string[] = []): void =>
    io.stdout(scrub([`${mark} ${check.padEnd(12)} ${text}`, ...detail.map((d) => `    ${d}`)].join('\n')));
  return {
    pass: (check, text) => line('✓', check, text),
    fail: (check, text, detail) => {
      failures++;
      line('✗', check, text, detail);
    },
    skip: (check, text) => line('-', check, `skipped: ${text}`),
    get failures() {
      return failures;
    },
  };
};


/** A failed API check: RBAC refusals print the exact rule to add. */
const failApi = (report: Reporter, check: string, error: unknown): void => {
  if (error instanceof KubeForbiddenError) {
    const { verb, resource, namespace } = error.rule;
    const rule = rbacRuleYaml(error.rule).split('\n');
    report.fail(check, `RBAC refuses "${verb}" on "${resource}" in namespace "${namespace}"; add to the Role bound to LPA's group:`, rule);
    return;
  }
  report.fail(check, errorMessage(error));
};

const checkToken = async (options: DoctorOptions, deps: DoctorDeps, report: Reporter, secrets: string[]): Promise<BearerTokenSource | undefined> => {
  if (options.token !== undefined) {
    secrets.push(options.token);
    report.pass('token', 'given with --token; the API server judges it below');
    return tokenSourceFor(options, deps);
  }
  try {
    const provider = eksTokenProvider(options, deps);
    const token = await provider.getToken();
    secrets.push(token.reveal());
    report.pass('token', `signed for EKS cluster "${provider.cluster}" (${provider.region}), valid until ${token.expiresAt.toISOString()}; no AWS call needed`);
    return provider;
  } catch (error) {
    report.fail('token', errorMessage(error));
    return undefined;
  }
};

const checkCluster = async (
  options: DoctorOptions,
  deps: DoctorDeps,
  io: CliIO,
  report: Reporter,
): Promise<{ readonly endpoint: string; readonly caPem: string } | undefined> => {
  try {
    const info = await clusterEndpointFor(options, deps, io);
    report.pass(
      'cluster',
      options.server === undefined
        ? `EKS cluster "${options.cluster}" (${options.region}) serves at ${info.endpoint}; TLS verified against its CA`
        : `${options.server}, TLS verified against ${options.caFile}`,
    );
    return info;
  } catch (error) {
    report.fail('cluster', errorMessage(error));
    return undefined;
  }
};

const checkApi = async (client: ScaleClient, options: DoctorOptions, report: Reporter): Promise<void> => {
  const { namespace, deployment } = options;
  let scale: Scale;
  try {
    scale = await client.getScale(namespace, deployment);
    const selector = scale.selector === undefined ? 'no selector' : `selector "${scale.selector}"`;
    report.pass('get scale', `deployment ${namespace}/${deployment}: spec.replicas ${scale.specReplicas}, status.replicas ${scale.statusReplicas}, ${selector}`);
  } catch (error) {
    failApi(report, 'get scale', error);
    report.skip('patch scale', 'needs the current replicas from get scale');
    report.skip('list pods', 'needs the selector from get scale');
    return;
  }
  try {
    await client.patchScale(namespace, deployment, scale.specReplicas, { dryRun: true });
    report.pass('patch scale', `dry run of replicas ${scale.specReplicas} accepted; nothing was changed`);
  } catch (error) {
    failApi(report, 'patch scale', error);
  }
  if (scale.selector === undefined) {
    report.skip('list pods', 'the scale subresource has no status.selector');
    return;
  }
  try {
    const ready = await client.countReadyPods(namespace, scale.selector);
    report.pass('list pods', `${ready} ready pod(s) match "${scale.selector}" (read for metricType Value)`);
  } catch (error) {
    // Least privilege: the Role grants pods list only where a target scales by ready pods.
    if (error instanceof KubeForbiddenError) report.skip('list pods', 'not granted, which is right unless a trigger of this target has metricType Value (then add pods list; lpa rbac does)');
    else failApi(report, 'list pods', error);
  }
};

/** The checks, in the order a tick needs them; later checks are skipped when an earlier one they need failed. */
const runDoctor = async (options: DoctorOptions, deps: DoctorDeps, io: CliIO): Promise<number> => {
  const secrets: string[] = [];
  const report = createReporter(io, () => secrets);
  const tokens = await checkToken(options, deps, report, secrets);
  const cluster = await checkCluster(options, deps, io, report);
  if (tokens === undefined || cluster === undefined) {
    for (const check of ['get scale', 'patch scale', 'list pods']) report.skip(check, 'needs a token and a cluster');
  } else {
    const agent = createKubeAgent(cluster.caPem);
    try {
      await checkApi(createScaleClient({ endpoint: cluster.endpoint, agent, tokens, retry: deps.retry, now: deps.now }), options, report);
    } finally {
      await agent.close();
    }
  }
  const target = `deployment ${options.namespace}/${options.deployment}`;
  io.stdout(report.failures === 0 ? `LPA can scale ${target}.` : `${report.failures} check(s) failed: LPA cannot yet scale ${target}.`);
  return report.failures === 0 ? 0 : 1;
};

/** Flag combinations that cannot work, as a usage message; `undefined` when fine. */
const usageProblem = (o: DoctorOptions): string | undefined => {
  if (o.namespace === '' || o.deployment === '') return '--namespace and --deployment are required';
  return clusterAccessProblem(o);
};

const createDoctorCommand =
  (deps: DoctorDeps = {}): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs('doctor', HELP, args, io, {
      namespace: { type: 'string' },
      deployment: { type: 'string' },
      ...CLUSTER_ACCESS_FLAGS,
    });
    if ('exit' in parsed) return parsed.exit;
    const unexpected = noPositionals('doctor', HELP, parsed.positionals, io);
    if (unexpected !== undefined) return unexpected;
    const { values } = parsed;
    const options: DoctorOptions = {
      namespace: values.namespace ?? '',
      deployment: values.deployment ?? '',
      ...clusterAccessOptions(values),
    };
    const problem = usageProblem(options);
    if (problem !== undefined) {
      io.stderr(`lpa doctor: ${problem}\n${HELP}`);
      return 2;
    }
    return runDoctor(options, deps, io);
  };

const doctorCommand: Command = createDoctorCommand();

export { createDoctorCommand, doctorCommand };
export type { DoctorDeps };
