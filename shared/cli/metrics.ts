/**
 * `lpa metrics FILE… [--json]`: what the scalers see. Reads every trigger of every ScaledObject once
 * against the real services (the default AWS credential chain; the cluster with the `lpa doctor`
 * flags) and prints each value or error, the target, the activation target, whether it is active,
 * and the replicas the HPA would propose now. Changes nothing.
 */
import { readTriggerMetrics, type TriggerMetric } from '../app/triggerMetrics.js';
import { createAuthResolver } from '../auth/resolve.js';
import { errorMessage } from '../errors.js';
import type { ScaleClient } from '../kube/types.js';
import type { Trust } from '../spec/index.js';
import { createAwsClients, type AwsClientsOptions } from '../triggers/awsClients.js';
import { createPrometheusHttp } from '../triggers/prometheusHttp.js';
import { createTriggerRegistry } from '../triggers/registry.js';
import { CLUSTER_OBJECT_NAMESPACE_FLAG, CLUSTER_OBJECT_NAMESPACE_HELP, clusterObjectNamespaceOf, parseCommandArgs, TRUST_FLAG, TRUST_HELP, trustOf } from './args.js';
import {
  CLUSTER_ACCESS_FLAGS,
  CLUSTER_ACCESS_HELP,
  clusterAccessOptions,
  clusterAccessProblem,
  connectCluster,
  type ClusterAccessDeps,
  type ClusterAccessOptions,
} from './clusterAccess.js';
import type { CliIO, Command } from './io.js';
import { loadManifestFiles } from './manifestFiles.js';

const HELP = `usage: lpa metrics FILE... [--json] [--cluster NAME [--region REGION] | --server URL --ca-file PEM] [--token TOKEN]
                   [--trust-aws-endpoint HOST]... [--cluster-object-namespace NS]

Reads every trigger of every ScaledObject in FILE (YAML or JSON; '-' reads standard input) once,
as LPA would now, and prints per trigger: the value or the error, the target, the activation
target, whether it is active, and the replicas the HPA would propose for it from the target's
current replicas. Nothing is changed. AWS triggers use the default AWS credential chain.
authenticationRefs resolve as LPA resolves them: (Cluster)TriggerAuthentications in FILE first,
AWS Secrets Manager with the AWS credential chain; Secrets and the other objects are read from
the cluster by name when cluster access is given.
With cluster access, the targets' replicas are read and in-cluster Prometheus addresses are
reached through the API server; without it, replicas are not shown.
  --json               print a JSON array, one object per trigger
${CLUSTER_ACCESS_HELP}
${TRUST_HELP}
${CLUSTER_OBJECT_NAMESPACE_HELP}
Exit status: 0 when every read succeeded; 1 when any failed or a manifest is invalid; 2 on usage errors.`;

interface MetricsDeps extends ClusterAccessDeps {
  readonly aws?: AwsClientsOptions;
}

const hasClusterFlags = (o: ClusterAccessOptions): boolean => o.cluster !== undefined || o.server !== undefined || o.caFile !== undefined || o.token !== undefined;

const COLUMNS = ['SCALEDOBJECT', 'TRIGGER', 'TYPE', 'VALUE', 'TARGET', 'ACTIVATION', 'ACTIVE', 'REPLICAS (NOW → HPA)'] as const;

const replicasCell = (row: TriggerMetric): string =>
  row.currentReplicas === null ? '-' : `${row.currentReplicas} → ${row.proposedReplicas ?? '?'}`;

/** A kubectl-style table; each failure on its own indented line under its row. */
const textOf = (rows: readonly TriggerMetric[]): string => {
  const cells = rows.map((row) => [
    row.scaledObject,
    row.trigger,
    row.type,
    row.value === null ? 'error' : String(row.value),
    String(row.target),
    String(row.activationTarget),
    row.active ? 'yes' : 'no',
    replicasCell(row),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i] as number)).join('  ').trimEnd();
  const out = [line(COLUMNS)];
  rows.forEach((row, i) => {
    out.push(line(cells[i] as string[]));
    if (row.error !== null) out.push(`    error: ${row.error}`);
    else if (row.proposalError !== null && row.currentReplicas !== null) out.push(`    no proposal: ${row.proposalError}`);
  });
  return out.join('\n');
};

/** The documented JSON fields, plus the replicas. */
const jsonOf = (rows: readonly TriggerMetric[]): string =>
  JSON.stringify(
    rows.map(({ scaledObject, trigger, type, value, error, target, activationTarget, active, currentReplicas, proposedReplicas }) => ({
      scaledObject,
      trigger,
      type,
      value,
      error,
      target,
      activationTarget,
      active,
      currentReplicas,
      proposedReplicas,
    })),
    null,
    2,
  );

interface RunOptions {
  readonly json: boolean;
  readonly access: ClusterAccessOptions | undefined;
  readonly trust: Trust;
  readonly clusterObjectNamespace: string;
}

const run = async (files: readonly string[], { json, access, trust, clusterObjectNamespace }: RunOptions, deps: MetricsDeps, io: CliIO): Promise<number> => {
  const loaded = await loadManifestFiles('metrics', io, files, trust);
  if (loaded === false) return 1;
  const { objects, authentications } = loaded;
  if (objects.length === 0) {
    io.stderr(`lpa metrics: no ScaledObject found in ${files.map((f) => (f === '-' ? '<stdin>' : f)).join(', ')}`);
    return 1;
  }
  let cluster: { readonly client: ScaleClient; close(): Promise<void> } | undefined;
  if (access !== undefined) {
    try {
      cluster = await connectCluster(access, deps, io);
    } catch (error) {
      io.stderr(`lpa metrics: cannot reach the cluster: ${errorMessage(error)}`);
      return 1;
    }
  }
  const clients = createAwsClients(deps.aws);
  const prometheusHttp = createPrometheusHttp({ clients });
  try {
    const rows = await readTriggerMetrics(objects, {
      triggers: createTriggerRegistry({ clients, prometheusHttp }),
      cluster: cluster?.client,
      now: (deps.now ?? Date.now)(),
      authentications,
      auth: createAuthResolver({ secretsManager: (target) => clients.secretsManager(target), clock: deps.now ?? Date.now, defaultRegion: access?.region ?? process.env.AWS_REGION, clusterObjectNamespace }),
      ...(access?.cluster === undefined ? {} : { clusterName: access.cluster }),
    });
    io.stdout(json ? jsonOf(rows) : textOf(rows));
    const failedReads = rows.filter((row) => row.error !== null).length;
    // With a cluster, a target whose replicas could not be read is a failed read too.
    const failedTargets = cluster === undefined ? 0 : new Set(rows.filter((row) => row.currentReplicas === null).map((row) => row.scaledObject)).size;
    if (!json) {
      const failures = [failedReads > 0 ? `${failedReads} failed` : '', failedTargets > 0 ? `${failedTargets} target(s) unreadable` : ''].filter((s) => s !== '');
      io.stdout(`${rows.length} trigger(s) of ${objects.length} ScaledObject(s) read${failures.length > 0 ? `; ${failures.join(', ')}` : ''}.`);
    }
    return failedReads + failedTargets === 0 ? 0 : 1;
  } finally {
    prometheusHttp.close();
    clients.destroy();
    await cluster?.close();
  }
};

const createMetricsCommand =
  (deps: MetricsDeps = {}): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs('metrics', HELP, args, io, { json: { type: 'boolean', default: false }, ...CLUSTER_ACCESS_FLAGS, ...TRUST_FLAG, ...CLUSTER_OBJECT_NAMESPACE_FLAG });
    if ('exit' in parsed) return parsed.exit;
    const trusted = trustOf('metrics', HELP, parsed.values['trust-aws-endpoint'], io);
    if ('exit' in trusted) return trusted.exit;
    const clusterObjects = clusterObjectNamespaceOf('metrics', HELP, parsed.values['cluster-object-namespace'], io);
    if ('exit' in clusterObjects) return clusterObjects.exit;
    if (parsed.positionals.length === 0) {
      io.stderr(`lpa metrics: no FILE given\n${HELP}`);
      return 2;
    }
    const access = clusterAccessOptions(parsed.values);
    const problem = hasClusterFlags(access) ? clusterAccessProblem(access) : undefined;
    if (problem !== undefined) {
      io.stderr(`lpa metrics: ${problem}\n${HELP}`);
      return 2;
    }
    return run(parsed.positionals, { json: parsed.values.json, access: hasClusterFlags(access) ? access : undefined, trust: trusted.trust, clusterObjectNamespace: clusterObjects.namespace }, deps, io);
  };

const metricsCommand: Command = createMetricsCommand();

export { createMetricsCommand, metricsCommand };
export type { MetricsDeps };
