/**
 * Builders for the pods and PodMetrics that cpu/memory triggers read, shaped as the Kubernetes API
 * returns them (quantities as strings, RFC 3339 times, Go-duration windows), and for the
 * normalized cpu/memory triggers themselves.
 */
import type { PodMetricsObject, PodObject } from '../../shared/engine/podObjects.js';
import { milliValue } from '../../shared/spec/quantity.js';
import type { ResourceTrigger, ScaledObject, Trigger } from '../../shared/spec/types.js';

const iso = (time: number): string => new Date(time).toISOString();

interface ContainerFixture {
  readonly name: string;
  /** e.g. `{ cpu: '500m', memory: '128Mi' }`; absent: no requests at all. */
  readonly requests?: Readonly<Record<string, string>>;
}

interface PodFixture {
  readonly containers: readonly ContainerFixture[];
  /** default Running */
  readonly phase?: string;
  /** Ready condition status; undefined: no Ready condition. Default 'True'. */
  readonly ready?: 'True' | 'False' | null;
  readonly startTime?: number;
  /** Ready's lastTransitionTime; absent: not set (Go's zero time). */
  readonly readySince?: number;
  readonly deleting?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

const pod = (name: string, fixture: PodFixture): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels: fixture.labels ?? { app: 'worker' },
    ...(fixture.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: {
    containers: fixture.containers.map((c) => ({ name: c.name, image: 'registry.example/worker:1', resources: c.requests === undefined ? {} : { requests: { ...c.requests } } })),
  },
  status: {
    phase: fixture.phase ?? 'Running',
    ...(fixture.startTime === undefined ? {} : { startTime: iso(fixture.startTime) }),
    conditions:
      fixture.ready === null
        ? []
        : [{ type: 'Ready', status: fixture.ready ?? 'True', ...(fixture.readySince === undefined ? {} : { lastTransitionTime: iso(fixture.readySince) }) }],
  },
});

interface ContainerUsage {
  readonly name: string;
  readonly usage: Readonly<Record<string, string>>;
}

const podMetrics = (name: string, containers: readonly ContainerUsage[], timestamp: number, window = '1m0s'): PodMetricsObject => ({
  kind: 'PodMetrics',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: { name, namespace: 'default', labels: { app: 'worker' } },
  timestamp: iso(timestamp),
  window,
  containers: containers.map((c) => ({ name: c.name, usage: { ...c.usage } })),
});

interface ResourceTriggerFixture {
  readonly type?: 'cpu' | 'memory';
  readonly metricType?: 'Utilization' | 'AverageValue';
  /** "50" (percent) or a quantity for AverageValue. */
  readonly value: string;
  readonly container?: string;
  readonly name?: string;
  readonly index?: number;
}

/** A normalized cpu/memory trigger, as `parseScaledObject` would build it. */
const resourceTrigger = (fixture: ResourceTriggerFixture): ResourceTrigger => {
  const metricType = fixture.metricType ?? 'Utilization';
  const targetMilli = metricType === 'Utilization' ? BigInt(fixture.value) : (milliValue(fixture.value) as bigint);
  const index = fixture.index ?? 0;
  return {
    type: fixture.type ?? 'cpu',
    index,
    ...(fixture.name === undefined ? {} : { name: fixture.name }),
    key: fixture.name ?? String(index),
    metricType,
    useCachedMetrics: false,
    metadata: { value: fixture.value, ...(fixture.container === undefined ? {} : { containerName: fixture.container }) },
    target: metricType === 'Utilization' ? Number(targetMilli) : Number(targetMilli) / 1000,
    activationTarget: 0,
    targetMilli,
  } as ResourceTrigger;
};

/** `so` with its triggers replaced. */
const withTriggers = (so: ScaledObject, triggers: readonly Trigger[]): ScaledObject => ({ ...so, spec: { ...so.spec, triggers } });

export { iso, pod, podMetrics, resourceTrigger, withTriggers };
export type { ContainerFixture, PodFixture };
