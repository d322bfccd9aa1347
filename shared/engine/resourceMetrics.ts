/**
 * From pods and PodMetrics to what the HPA's Resource algorithm computes on, as k8s does it:
 * per-pod samples (`metrics/client.go` getPodMetrics / getContainerMetrics), per-pod requests
 * (`calculateRequests`) and the pod classes (`groupPods`). Pure; `now` is passed in.
 * Values are exact milli-values (`Quantity.MilliValue()`), BigInt so memory never loses a byte.
 *
 * One evaluation runs the algorithm once per replayed HPA sync on the same pods, so what depends
 * only on the (immutable) API objects is computed once per object: samples and requests per
 * resource and container, and each pod's times.
 */
import { milliValue } from '../spec/quantity.js';
import { parseGoDuration, parseTime, type PodMetricsObject, type PodObject } from './podObjects.js';

type ResourceName = 'cpu' | 'memory';

/** One pod's sample (`metricsclient.PodMetric`). */
interface PodSample {
  readonly value: bigint;
  readonly timestamp: number;
  readonly windowMs: number;
}

/** The controller flags the HPA's CPU readiness rule reads (EKS users cannot set them on the HPA). */
interface ControllerSettings {
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`, default 5 min. */
  readonly cpuInitializationPeriodSeconds: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`, default 30 s. */
  readonly initialReadinessDelaySeconds: number;
}

const DEFAULT_CONTROLLER_SETTINGS: ControllerSettings = { cpuInitializationPeriodSeconds: 300, initialReadinessDelaySeconds: 30 };

/** Go's zero `time.Time` (0001-01-01): what an unset `lastTransitionTime` compares as. */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/** Results derived from one immutable API list, by resource and container. */
const memo = <K extends object, V>(cache: WeakMap<K, Map<string, V>>, owner: K, key: string, compute: () => V): V => {
  let byKey = cache.get(owner);
  if (byKey === undefined) cache.set(owner, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = compute()));
  return value;
};

const quantityMilli = (text: string): bigint => milliValue(text) ?? 0n;

/**
 * Samples by pod name. Pod usage is the sum of its containers; a pod with no containers or one
 * lacking the resource has no sample (it is "missing"). With `container`, only that container's
 * usage counts, and a pod without it has no sample.
 */
const sampleCache = new WeakMap<readonly PodMetricsObject[], Map<string, ReadonlyMap<string, PodSample>>>();
const podSamples = (podMetrics: readonly PodMetricsObject[], resource: ResourceName, container: string | undefined): ReadonlyMap<string, PodSample> =>
  memo(sampleCache, podMetrics, `${resource}/${container ?? ''}`, () => readSamples(podMetrics, resource, container));

const readSamples = (podMetrics: readonly PodMetricsObject[], resource: ResourceName, container: string | undefined): Map<string, PodSample> => {
  const samples = new Map<string, PodSample>();
  for (const m of podMetrics) {
    const containers = m.containers ?? [];
    let value = 0n;
    let missing = containers.length === 0;
    if (container === undefined) {
      for (const c of containers) {
        const usage = c.usage[resource];
        if (usage === undefined) {
          missing = true;
          break;
        }
        value += quantityMilli(usage);
      }
    } else {
      const usage = containers.find((c) => c.name === container)?.usage[resource];
      missing = usage === undefined;
      if (usage !== undefined) value = quantityMilli(usage);
    }
    if (!missing) samples.set(m.metadata.name, { value, timestamp: parseTime(m.timestamp), windowMs: parseGoDuration(m.window) ?? 0 });
  }
  return samples;
};

/** The pod's containers, then its sidecars (init containers with restartPolicy Always); no copy without init containers. */
const podContainers = (pod: PodObject): readonly PodObject['spec']['containers'][number][] => {
  const init = pod.spec.initContainers;
  return init === undefined || init === null || init.length === 0 ? pod.spec.containers : [...pod.spec.containers, ...init.filter((c) => c.restartPolicy === 'Always')];
};

type Requests = { readonly ok: true; readonly byPod: ReadonlyMap<string, bigint> } | { readonly ok: false; readonly error: string };

/** `calculatePodRequestsFromContainers`: containers plus sidecars (init containers with restartPolicy Always). */
const containerRequest = (pod: PodObject, resource: ResourceName, container: string | undefined): bigint | string => {
  let request = 0n;
  for (const c of podContainers(pod)) {
    if (container === undefined || container === c.name) {
      const value = c.resources?.requests?.[resource];
      if (value === undefined) return `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`;
      request += quantityMilli(value);
    }
    // Container names are unique inside a pod.
    if (container === c.name) return request;
  }
  return container === undefined ? request : `container ${container} not found in Pod ${pod.metadata.name}`;
};

/**
 * `calculateRequests` for every listed pod (ignored ones too, as the HPA does). A pod-level request
 * (PodLevelResources, on by default since v1.34) wins when no container is named.
 */
const requestCache = new WeakMap<readonly PodObject[], Map<string, Requests>>();
const podRequests = (pods: readonly PodObject[], resource: ResourceName, container: string | undefined): Requests =>
  memo(requestCache, pods, `${resource}/${container ?? ''}`, () => readRequests(pods, resource, container));

const readRequests = (pods: readonly PodObject[], resource: ResourceName, container: string | undefined): Requests => {
  const byPod = new Map<string, bigint>();
  for (const pod of pods) {
    const podLevel = container === undefined ? pod.spec.resources?.requests?.[resource] : undefined;
    const request = podLevel === undefined ? containerRequest(pod, resource, container) : quantityMilli(podLevel);
    if (typeof request === 'string') return { ok: false, error: request };
    byPod.set(pod.metadata.name, request);
  }
  return { ok: true, byPod };
};

interface PodGroups {
  readonly readyPodCount: number;
  readonly unready: ReadonlySet<string>;
  readonly missing: ReadonlySet<string>;
  readonly ignored: ReadonlySet<string>;
}

/**
 * Is a running pod's CPU sample unready? No Ready condition or start time: yes. Inside the
 * initialization period: when Ready is False, or the sample's window began before the last Ready
 * transition. After it: only a pod that never became ready (Ready False, last transition before
 * start + initial readiness delay). Go's `After`/`Before` are strict.
 */
/** A pod's Ready condition and start, as times; undefined without either (always unready for cpu). */
interface Readiness {
  readonly start: number;
  readonly status: string;
  readonly transition: number;
}
const readinessOf = (pod: PodObject): Readiness | undefined => {
  const condition = pod.status.conditions?.find((c) => c.type === 'Ready');
  const startTime = pod.status.startTime;
  if (condition === undefined || startTime === undefined || startTime === null) return undefined;
  return { start: parseTime(startTime), status: condition.status, transition: condition.lastTransitionTime == null ? GO_ZERO_TIME : parseTime(condition.lastTransitionTime) };
};

/** Each pod's readiness, by index, read once per pod list (one cache entry per list, not per pod: fewer weak entries for the GC). */
const readinessCache = new WeakMap<readonly PodObject[], readonly (Readiness | undefined)[]>();
const podReadiness = (pods: readonly PodObject[]): readonly (Readiness | undefined)[] => {
  let readiness = readinessCache.get(pods);
  if (readiness === undefined) readinessCache.set(pods, (readiness = pods.map(readinessOf)));
  return readiness;
};

const cpuUnready = (readiness: Readiness | undefined, sample: PodSample, settings: ControllerSettings, now: number): boolean => {
  if (readiness === undefined) return true;
  const { start, transition } = readiness;
  const condition = { status: readiness.status };
  if (start + settings.cpuInitializationPeriodSeconds * 1000 > now) {
    return condition.status === 'False' || sample.timestamp < transition + sample.windowMs;
  }
  return condition.status === 'False' && start + settings.initialReadinessDelaySeconds * 1000 > transition;
};

/** `groupPods`: each pod in exactly one class, rules tried in order. */
const groupPods = (
  pods: readonly PodObject[],
  samples: ReadonlyMap<string, PodSample>,
  resource: ResourceName,
  settings: ControllerSettings,
  now: number,
): PodGroups => {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  const readiness = resource === 'cpu' ? podReadiness(pods) : [];
  for (const [index, pod] of pods.entries()) {
    const name = pod.metadata.name;
    const phase = pod.status.phase;
    if ((pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null) || phase === 'Failed' || phase === 'Succeeded') {
      ignored.add(name);
      continue;
    }
    if (phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const sample = samples.get(name);
    if (sample === undefined) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuUnready(readiness[index], sample, settings, now)) {
      unready.add(name);
      continue;
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
};

export { DEFAULT_CONTROLLER_SETTINGS, GO_ZERO_TIME, groupPods, podRequests, podSamples };
export type { ControllerSettings, PodGroups, PodSample, ResourceName };
