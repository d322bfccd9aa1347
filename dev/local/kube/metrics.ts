/**
 * metrics-server for the simulated cluster: `metrics.k8s.io/v1beta1` PodMetrics as the real one
 * serves them. It scrapes every 15 s; a pod appears after its first scrape, with the usage of that
 * moment: a Ready pod's share of its Deployment's CPU demand, a starting pod its startup burn, a
 * terminating pod nothing (plus a small idle baseline). CPU is written in nanocores with an uneven
 * tail (`"299276543n"`), memory in kibibytes, the window as a Go duration, as metrics-server does.
 */
import { createHash } from 'node:crypto';
import type { DeploymentRecord, PodRecord } from './cluster.js';

/** metrics-server's `--metric-resolution`. */
const SCRAPE_INTERVAL_MS = 15_000;
const WINDOW = '15s';
const IDLE_MILLICORES = 2;
const MEMORY_KIB = 96 * 1024;

type Json = Record<string, unknown>;

const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A stable per-pod jitter below one millicore, so nanocores look like metrics-server's. */
const jitterNanocores = (pod: PodRecord, scrape: number): number =>
  createHash('sha256').update(`${pod.uid}/${scrape}`).digest().readUInt32BE(0) % 1_000_000;

/** The last scrape at or before `now`. */
const lastScrape = (now: number): number => Math.floor(now / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;

/** A pod's CPU at `time`, in millicores. */
const cpuMillicores = (record: Readonly<DeploymentRecord>, pod: PodRecord, readyPods: number, time: number): number => {
  if (pod.deletedAt !== undefined) return IDLE_MILLICORES;
  if (pod.readyAt > time) return IDLE_MILLICORES + record.startupCpuMillicores;
  return IDLE_MILLICORES + (readyPods === 0 ? 0 : record.cpuDemandMillicores / readyPods);
};

/** A list item: PodMetrics of one pod at the last scrape, or undefined before its first scrape. */
const renderPodMetrics = (record: Readonly<DeploymentRecord>, pod: PodRecord, now: number): Json | undefined => {
  const scrape = lastScrape(now);
  if (scrape < pod.createdAt + SCRAPE_INTERVAL_MS) return undefined;
  const readyPods = record.pods.filter((p) => p.readyAt <= scrape).length;
  const nanocores = Math.round(cpuMillicores(record, pod, readyPods, scrape) * 1_000_000) + jitterNanocores(pod, scrape);
  return {
    metadata: {
      name: pod.name,
      namespace: record.namespace,
      creationTimestamp: timestamp(now),
      labels: { ...record.labels, 'pod-template-hash': record.templateHash },
    },
    timestamp: timestamp(scrape),
    window: WINDOW,
    containers: [{ name: record.name, usage: { cpu: `${nanocores}n`, memory: `${MEMORY_KIB}Ki` } }],
  };
};

const renderPodMetricsList = (items: readonly Json[]): Json => ({
  kind: 'PodMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: {},
  items,
});

export { SCRAPE_INTERVAL_MS, renderPodMetrics, renderPodMetricsList };
