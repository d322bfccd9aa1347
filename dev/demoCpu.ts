/**
 * `npm start -- --scenario cpu`: php-apache, as in the Kubernetes HPA walkthrough, scaled by LPA on
 * CPU. LPA's real runtime (EKS token, node:https client, DynamoDB state) reads the pods and the
 * `metrics.k8s.io` PodMetrics of the local Kubernetes API, whose metrics-server reports the CPU each
 * Ready pod spends on the load. The load ramps up, replicas follow at 50 % utilization, the load
 * stops, and the replicas come back to 1 once the HPA's 5-minute downscale window has passed.
 * Time is virtual and runs 60× faster (one 15 s evaluation every 250 ms), so the run takes ~15 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRuntime } from '../shared/app/runtime.js';
import { reconcile } from '../shared/app/reconcile.js';
import { parseScaleGroup } from '../shared/app/scaleGroup.js';
import type { Reason } from '../shared/engine/types.js';
import type { Sample, ScaleChange, SimulationResult } from '../shared/sim/loop.js';
import { createSummaryTracker } from '../shared/sim/summary.js';
import { renderSvg } from '../shared/sim/svg.js';
import { LOCAL_CREDENTIALS, startLocalEnvironment } from './local/environment.js';

const NAMESPACE = 'web';
const DEPLOYMENT = 'php-apache';
const STEP_SECONDS = 15;
const REAL_MS_PER_STEP = 250;
const CPU_REQUEST_MILLICORES = 200;
const STARTUP_SECONDS = 20;
/** Load (millicores the requests need): idle, a 2-minute ramp to 0.8 cores, held, then stopped. */
const LOAD = { rampFrom: 30, rampTo: 150, peakMillicores: 800, stopAt: 330 } as const;
const GIVE_UP_SECONDS = 20 * 60;
const OUT = 'out';

const manifest = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: DEPLOYMENT, namespace: NAMESPACE },
  spec: {
    scaleTargetRef: { name: DEPLOYMENT },
    pollingInterval: STEP_SECONDS,
    minReplicaCount: 1,
    maxReplicaCount: 10,
    triggers: [{ type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '50' } }],
  },
};

const loadAt = (second: number): number => {
  if (second < LOAD.rampFrom || second >= LOAD.stopAt) return 0;
  return Math.round(LOAD.peakMillicores * Math.min(1, (second - LOAD.rampFrom) / (LOAD.rampTo - LOAD.rampFrom)));
};

const pad = (value: string | number, width: number) => String(value).padStart(width);
const clock = (second: number) => `${Math.floor(second / 60)}:${String(second % 60).padStart(2, '0')}`;

interface CpuDemoOptions {
  /** Real time per 15 s evaluation (the pace of the live table). Default 250 ms. */
  readonly realMsPerStep?: number;
  /** Where the chart goes. Default `out/`. */
  readonly out?: string;
  readonly log?: (line: string) => void;
}

/** Runs the scenario; resolves with the exit status (0 when it scaled up and came back to 1). */
const runCpuDemo = async (options: CpuDemoOptions = {}): Promise<number> => {
  const out = options.out ?? OUT;
  const log = options.log ?? console.log;
  mkdirSync(out, { recursive: true });
  let now = Date.parse('2026-12-02T10:00:00Z');
  const start = now;
  log('Starting local DynamoDB, SQS, CloudWatch, STS, EKS and an HTTPS Kubernetes API (with metrics-server) on 127.0.0.1 …');
  const env = await startLocalEnvironment({ namespaces: [NAMESPACE], kubeNow: () => now });
  const restoreEnv = env.applyEnv();
  // The runtime a Lambda container builds, on the virtual clock (as the e2e tests run it).
  const runtime = createRuntime(
    { tableName: env.dynamo.tableName, clusters: [{ name: env.clusterName, region: env.region, endpoint: env.kube.url, caData: env.kube.caData }] },
    { aws: { credentials: LOCAL_CREDENTIALS, clock: () => now }, kube: { credentials: async () => LOCAL_CREDENTIALS, now: () => now, sleep: async () => undefined } },
  );
  try {
    env.kube.cluster.addDeployment({
      namespace: NAMESPACE,
      name: DEPLOYMENT,
      replicas: 1,
      requests: { cpu: `${CPU_REQUEST_MILLICORES}m`, memory: '64Mi' },
      startupDelayMs: STARTUP_SECONDS * 1000,
      terminationGraceMs: 30_000,
      startupCpuMillicores: 150,
    });
    const parsed = parseScaleGroup({ cluster: { name: env.clusterName, region: env.region }, scaledObjects: [manifest] });
    const scaledObject = parsed.ok ? parsed.group.objects[0] : undefined;
    if (!parsed.ok || scaledObject === undefined) throw new Error('the demo manifest is invalid');
    const group = parsed.group;

    log(`php-apache requests ${CPU_REQUEST_MILLICORES}m of CPU per pod; target 50 % utilization; pods Ready ${STARTUP_SECONDS}s after they start.`);
    log(`Load: ramps to ${LOAD.peakMillicores}m from ${clock(LOAD.rampFrom)} to ${clock(LOAD.rampTo)}, stops at ${clock(LOAD.stopAt)}. Virtual time, one evaluation every ${STEP_SECONDS}s.\n`);
    log(`${pad('time', 6)} ${pad('load', 6)} ${pad('cpu', 6)} ${pad('desired', 8)} ${pad('ready', 6)}  reason`);

    const samples: Sample[] = [];
    const changes: ScaleChange[] = [];
    const tracker = createSummaryTracker();
    // metrics-server scrapes every 15 s: the first evaluation comes after its first scrape.
    let second = STEP_SECONDS;
    let scaledBackAt: number | undefined;
    now = start + second * 1000;
    for (;;) {
      const load = loadAt(second);
      env.kube.cluster.setCpuLoad(NAMESPACE, DEPLOYMENT, load);
      const before = env.kube.cluster.deployment(NAMESPACE, DEPLOYMENT).specReplicas;
      const [report] = await reconcile(group, { ...runtime, owner: `demo-${second}`, now: () => now });
      const after = env.kube.cluster.deployment(NAMESPACE, DEPLOYMENT);
      const cpu = report?.metrics?.cpu;
      const utilization = typeof cpu === 'number' ? cpu : 0;
      const reason = (report?.reason ?? 'DesiredWithinRange') as Reason;
      if (after.specReplicas !== before) changes.push({ second, from: before, to: after.specReplicas, reason, message: report?.message ?? '' });
      samples.push({ second, arrivalsPerSecond: load, visible: utilization, inFlight: 0, desired: after.specReplicas, ready: after.readyReplicas, reason });
      tracker.observe({ second, queue: 0, waiting: 0, desired: after.specReplicas, ready: after.readyReplicas });
      tracker.evaluated(after.specReplicas !== before);
      log(`${pad(clock(second), 6)} ${pad(`${load}m`, 6)} ${pad(typeof cpu === 'number' ? `${cpu}%` : 'n/a', 6)} ${pad(after.specReplicas, 8)} ${pad(after.readyReplicas, 6)}  ${reason}`);
      scaledBackAt ??= second > LOAD.stopAt && after.specReplicas === 1 && changes.length > 1 ? second : undefined;
      // A minute more after the scale-in, so the chart shows where it settled.
      if ((scaledBackAt !== undefined && second >= scaledBackAt + 60) || second >= GIVE_UP_SECONDS) break;
      await sleep(options.realMsPerStep ?? REAL_MS_PER_STEP);
      second += STEP_SECONDS;
      now = start + second * 1000;
    }

    const result: SimulationResult = {
      scaledObject,
      workload: { arrivals: [], processRatePerReplica: 0, processingSeconds: 0, startupSeconds: STARTUP_SECONDS },
      durationSeconds: Math.max(second, 1),
      pollingIntervalSeconds: STEP_SECONDS,
      rowEverySeconds: STEP_SECONDS,
      rows: samples,
      samples,
      changes,
      summary: tracker.finish({ arrived: 0, deleted: 0 }),
    };
    const chart = `${out}/demo-cpu.svg`;
    const signal = { rate: 'load (millicores)', level: 'cpu utilization (%)', subtitle: `cpu Utilization target 50 % · request ${CPU_REQUEST_MILLICORES}m/pod · replicas 1–10 · start-up ${STARTUP_SECONDS}s · HPA downscale window 5 min` };
    writeFileSync(chart, renderSvg(result, { scenario: 'npm start -- --scenario cpu', timeLabel: 'virtual time', signal }));
    const peak = Math.max(...samples.map((s) => s.desired));
    const final = samples.at(-1)?.desired ?? -1;
    log(`\n${final === 1 ? 'Done' : 'Stopped'} after ${clock(second)} of virtual time: peak ${peak} replicas, ${changes.length} scale changes, final replicas ${final}.`);
    log(`Chart: ${chart} (open it in a browser).`);
    return final === 1 && peak > 1 ? 0 : 1;
  } finally {
    await runtime.close();
    restoreEnv();
    await env.close();
  }
};

export { runCpuDemo };
export type { CpuDemoOptions };
