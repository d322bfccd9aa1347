/**
 * `lpa run`: the scheduled use case outside Lambda (DESIGN.md §2, "thin over the same use cases"), for
 * a first try against a real cluster and for running beside KEDA before switching. With `--dry-run`
 * it scales nothing (server-side dry-run PATCHes) and writes no status, event or finalizer, and prints
 * per object what LPA would set beside what KEDA's HPA wants (`status.desiredReplicas`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClusterApi, type ClusterApi } from '../kube/clusterApi.js';
import { dryRunClusterApi } from '../app/dryRun.js';
import type { ObjectReport } from '../app/objectReport.js';
import type { ScaleGroup } from '../app/scaleGroup.js';
import { runTick } from '../app/tick.js';
import { createAuthResolver } from '../auth/resolve.js';
import { errorMessage } from '../errors.js';
import { parseDuration } from '../sim/duration.js';
import { DynamoDbStateStore } from '../state/dynamoDbStateStore.js';
import { FileStateStore } from '../state/fileStateStore.js';
import { InMemoryStateStore } from '../state/inMemoryStateStore.js';
import type { StateStore } from '../state/types.js';
import { createAwsClients } from '../triggers/awsClients.js';
import { createTriggerRegistry } from '../triggers/registry.js';
import { CLUSTER_OBJECT_NAMESPACE_FLAG, CLUSTER_OBJECT_NAMESPACE_HELP, clusterObjectNamespaceOf, parseCommandArgs } from './args.js';
import type { Command } from './io.js';
import { loadManifestFiles } from './manifestFiles.js';
import { loadTenantsFile } from './tenantsFile.js';
import { CLUSTER_ACCESS_FLAGS, CLUSTER_ACCESS_HELP, clusterAccessOptions, clusterAccessProblem, connectCluster } from './clusterAccess.js';

const HELP = `usage: lpa run [--once] (--cluster NAME [--region R] | --server URL --ca-file PEM) [--token T]
               (--manifests FILE... | --from-cluster [--namespace NS]... [--selector SEL] [--tenants FILE])
               [--state-file F | --table T] [--dry-run] [--every 60s] [--cluster-object-namespace NS]

Runs LPA's tick here, against a real cluster: reads the triggers with your AWS credentials, decides,
scales, and (for ScaledObjects in the cluster) writes KEDA's status and events. One line per object.
${CLUSTER_ACCESS_HELP}
  --manifests FILE     ScaledObject manifests to evaluate (repeatable; YAML or JSON)
  --from-cluster       evaluate the cluster's ScaledObjects (scaledobjects.keda.sh)
  --namespace NS       only this namespace (repeatable; default all)
  --selector SEL       only objects with these labels (a label selector)
  --tenants FILE       what each namespace's objects may make LPA read (README, "Tenancy"); without it,
                       an object whose triggers read anything outside the cluster is refused
  --state-file F       keep the engine's state in this JSON file (default: in memory, for this run)
  --table T            keep it in LPA's DynamoDB table T instead
  --dry-run            scale nothing (server-side dry runs), write no status, event or finalizer; print what
                       LPA would set and, where an HPA (KEDA's) owns the target, what it wants now
  --once               one tick, then exit (default: a tick every --every until interrupted)
  --every DURATION     time between ticks (default 60s)
${CLUSTER_OBJECT_NAMESPACE_HELP}
Exit status: 0 when the last tick failed nothing, 1 otherwise, 2 on usage errors.`;

const CLUSTER_NAME_FOR_SERVER = 'local';

/** `demo/shop/orders  scaled  1 → 3  KEDAScaleTargetActivated  | HPA keda-hpa-orders wants 2`. */
const lineOf = (report: ObjectReport, dryRun: boolean): string => {
  const counts = report.currentReplicas === undefined ? '' : `${report.currentReplicas} → ${report.desiredReplicas ?? report.currentReplicas}`;
  const outcome = dryRun && report.outcome === 'scaled' ? 'would scale' : report.outcome;
  const hpa = report.hpa === undefined ? '' : `  | HPA ${report.hpa.name} wants ${report.hpa.desiredReplicas ?? 'unknown (no status yet)'}`;
  const problem = report.error === undefined || report.error === report.message ? '' : `  ! ${report.error}`;
  return [report.id, outcome, counts, report.reason, report.outcome === 'failed' || report.outcome === 'invalid' ? report.message : ''].filter((p) => p !== '').join('  ') + hpa + problem;
};

const stateStoreOf = (values: { 'state-file'?: string; table?: string; region?: string; 'dry-run'?: boolean }): StateStore => {
  // A dry run decides from the saved state but never changes it.
  if (values['dry-run'] === true) return new InMemoryStateStore();
  if (values['state-file'] !== undefined) return new FileStateStore(values['state-file']);
  if (values.table !== undefined) return new DynamoDbStateStore({ tableName: values.table, clientConfig: values.region === undefined ? {} : { region: values.region } });
  return new InMemoryStateStore();
};

const runCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('run', HELP, args, io, {
    ...CLUSTER_ACCESS_FLAGS,
    once: { type: 'boolean', default: false },
    manifests: { type: 'string', multiple: true },
    'from-cluster': { type: 'boolean', default: false },
    namespace: { type: 'string', multiple: true },
    selector: { type: 'string' },
    tenants: { type: 'string' },
    'state-file': { type: 'string' },
    table: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    every: { type: 'string', default: '60s' },
    ...CLUSTER_OBJECT_NAMESPACE_FLAG,
  });
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const clusterObjects = clusterObjectNamespaceOf('run', HELP, values['cluster-object-namespace'], io);
  if ('exit' in clusterObjects) return clusterObjects.exit;
  const clusterObjectNamespace = clusterObjects.namespace;
  const manifests = [...(values.manifests ?? []), ...parsed.positionals];
  const everySeconds = parseDuration(values.every);
  const access = clusterAccessOptions(values);
  const problem =
    clusterAccessProblem(access) ??
    (manifests.length === 0 && !values['from-cluster'] ? 'give --manifests FILE… or --from-cluster' : undefined) ??
    (values['state-file'] !== undefined && values.table !== undefined ? '--state-file and --table: give one' : undefined) ??
    (!values['from-cluster'] && (values.namespace !== undefined || values.selector !== undefined || values.tenants !== undefined) ? '--namespace, --selector and --tenants go with --from-cluster' : undefined) ??
    (everySeconds === undefined || everySeconds < 1 ? `--every ${values.every}: must be a duration such as 15s, 1m` : undefined);
  if (problem !== undefined) {
    io.stderr(`lpa run: ${problem}\n${HELP}`);
    return 2;
  }
  const loaded = await loadManifestFiles('run', io, manifests);
  if (loaded === false) return 1;
  const tenants = values.tenants === undefined ? undefined : await loadTenantsFile('run', io, values.tenants);
  if (tenants === false) return 1;

  const dryRun = values['dry-run'];
  const connection = await connectCluster(access, {}, io);
  const clients = createAwsClients();
  try {
    const live: ClusterApi = createClusterApi(connection.transport, { instance: 'lpa-run' });
    const api = dryRun ? dryRunClusterApi(live) : live;
    const connector = { connect: async () => api.scale, connectCluster: async () => api };
    const region = access.region ?? 'us-east-1';
    const group: ScaleGroup = {
      cluster: { name: values.cluster ?? CLUSTER_NAME_FOR_SERVER, region },
      objects: loaded.objects,
      invalid: [],
      authentications: loaded.authentications,
      ...(values['from-cluster']
        ? { fromCluster: { ...(values.namespace === undefined ? {} : { namespaces: values.namespace }), ...(values.selector === undefined ? {} : { labelSelector: values.selector }), ...(tenants === undefined ? {} : { tenants }) } }
        : {}),
    };
    const stateStore = stateStoreOf({ ...values, region });
    const triggers = createTriggerRegistry({ clients });
    // One resolver for the whole run: its Secret cache spans ticks, as a Lambda container's does.
    const auth = createAuthResolver({ secretsManager: (target) => clients.secretsManager(target), clock: Date.now, defaultRegion: region, clusterObjectNamespace });
    for (;;) {
      const start = Date.now();
      const reports = await runTick(group, {
        stateStore,
        connector,
        clusterApi: connector,
        triggers,
        auth,
        now: Date.now,
        owner: `lpa-run-${process.pid}`,
        besideHpas: dryRun,
        deadline: start + (everySeconds as number) * 1000,
        sleepUntil: async (time) => void (await sleep(Math.max(0, time - Date.now()))),
        onReports: (batch) => batch.forEach((report) => io.stdout(lineOf(report, dryRun))),
      });
      if (values.once) return reports.some((r) => r.outcome === 'failed' || r.outcome === 'invalid') ? 1 : 0;
      await sleep(Math.max(0, start + (everySeconds as number) * 1000 - Date.now()));
    }
  } catch (error) {
    io.stderr(`lpa run: ${errorMessage(error)}`);
    return 1;
  } finally {
    clients.destroy();
    await connection.close();
  }
};

export { runCommand };
