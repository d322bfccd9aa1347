/**
 * In-memory stand-ins for the ports of the reconcile use case. Every call lands in one shared log
 * (`"<method> <subject>"`), so a test can assert the order of calls across ports; each fake can be
 * told to fail a given call. The state store is the real InMemoryStateStore (real write rules),
 * wrapped only to log calls and to run a hook before each one (to fail it, or to write behind it).
 */
import type { PodSet } from '../../../shared/engine/podObjects.js';
import type { MetricReading } from '../../../shared/engine/types.js';
import type { ClusterConnector, ClusterRef, Scale, ScaleClient } from '../../../shared/kube/types.js';
import type { Trigger, TriggerType } from '../../../shared/spec/types.js';
import { InMemoryStateStore, InMemoryTable } from '../../../shared/state/inMemoryStateStore.js';
import type { StateStore } from '../../../shared/state/types.js';
import type { TriggerReader, TriggerRegistry, TriggerRequest } from '../../../shared/triggers/types.js';

interface FakeTarget {
  readonly specReplicas: number;
  /** Defaults to specReplicas. */
  readonly statusReplicas?: number;
  readonly selector?: string;
  /** What countReadyPods answers for this target's selector. */
  readonly readyPods?: number;
  /** What readPodSet answers for this target's selector. */
  readonly podSet?: PodSet;
}

interface FakeCluster {
  readonly connector: ClusterConnector;
  /** Adds (or replaces) the Deployment `<namespace>/<name>`. */
  target(namespace: string, name: string, target: FakeTarget): void;
  /** `spec.replicas` as last set (by `target` or a patch). */
  replicasOf(namespace: string, name: string): number | undefined;
  /** Makes every later call `"<method> <subject>"` (e.g. `"getScale shop/a"`, `"connect demo"`) reject with `error`. */
  fail(call: string, error: Error): void;
}

const createFakeCluster = (log: string[]): FakeCluster => {
  const targets = new Map<string, FakeTarget>();
  const failures = new Map<string, Error>();
  const call = (entry: string): void => {
    log.push(entry);
    const failure = failures.get(entry);
    if (failure !== undefined) throw failure;
  };
  const targetOf = (namespace: string, name: string): FakeTarget => {
    const target = targets.get(`${namespace}/${name}`);
    if (target === undefined) throw new Error(`deployments.apps "${name}" not found in ${namespace}`);
    return target;
  };
  const scaleOf = (target: FakeTarget): Scale => ({ specReplicas: target.specReplicas, statusReplicas: target.statusReplicas ?? target.specReplicas, selector: target.selector });

  const client: ScaleClient = {
    getScale: async (namespace, name) => {
      call(`getScale ${namespace}/${name}`);
      return scaleOf(targetOf(namespace, name));
    },
    patchScale: async (namespace, name, replicas) => {
      call(`patchScale ${namespace}/${name}`);
      const patched = { ...targetOf(namespace, name), specReplicas: replicas };
      targets.set(`${namespace}/${name}`, patched);
      return scaleOf(patched);
    },
    countReadyPods: async (namespace, selector) => {
      call(`countReadyPods ${namespace} ${selector}`);
      const target = [...targets.entries()].find(([key, t]) => key.startsWith(`${namespace}/`) && t.selector === selector)?.[1];
      return target?.readyPods ?? 0;
    },
    readPodSet: async (namespace, selector) => {
      call(`readPodSet ${namespace} ${selector}`);
      const target = [...targets.entries()].find(([key, t]) => key.startsWith(`${namespace}/`) && t.selector === selector)?.[1];
      return target?.podSet ?? { pods: [], podMetrics: [] };
    },
  };
  return {
    connector: {
      connect: async (cluster: ClusterRef) => {
        call(`connect ${cluster.name}`);
        return client;
      },
    },
    target: (namespace, name, target) => void targets.set(`${namespace}/${name}`, target),
    replicasOf: (namespace, name) => targets.get(`${namespace}/${name}`)?.specReplicas,
    fail: (entry, error) => void failures.set(entry, error),
  };
};

/** Runs before the store's own method with the same arguments; throwing fails the call. Settable at any time. */
type StoreHooks = { [K in keyof StateStore]?: (...args: Parameters<StateStore[K]>) => unknown };

interface RecordingStore {
  /** What reconcile is given. */
  readonly store: StateStore;
  /** The real store underneath: for seeding and inspecting state, and for writes "by another evaluation". */
  readonly inner: InMemoryStateStore;
  /** The raw table (to plant corrupt items). */
  readonly table: InMemoryTable;
  readonly hooks: StoreHooks;
}

const createRecordingStore = (log: string[]): RecordingStore => {
  const hooks: StoreHooks = {};
  const table = new InMemoryTable();
  const inner = new InMemoryStateStore({ table });
  const store: StateStore = {
    load: async (ids) => {
      log.push(`load ${ids.join(',')}`);
      await hooks.load?.(ids);
      return inner.load(ids);
    },
    save: async (id, state, expectedVersion, options) => {
      log.push(`save ${id}`);
      await hooks.save?.(id, state, expectedVersion, options);
      return inner.save(id, state, expectedVersion, options);
    },
    acquireLease: async (id, expectedVersion, owner, now, ttlMs) => {
      log.push(`acquireLease ${id}`);
      await hooks.acquireLease?.(id, expectedVersion, owner, now, ttlMs);
      return inner.acquireLease(id, expectedVersion, owner, now, ttlMs);
    },
    releaseLease: async (id, owner) => {
      log.push(`releaseLease ${id}`);
      await hooks.releaseLease?.(id, owner);
      return inner.releaseLease(id, owner);
    },
    recordDecision: async (id, record) => {
      log.push(`recordDecision ${id}`);
      await hooks.recordDecision?.(id, record);
      return inner.recordDecision(id, record);
    },
    listDecisions: async (id, limit) => inner.listDecisions(id, limit),
  };
  return { store, inner, table, hooks };
};

interface TriggerRead {
  readonly type: TriggerType;
  /** `<namespace>/<name>/<trigger key>` of each request, in order. */
  readonly keys: readonly string[];
  readonly now: number;
}

interface CannedTriggers {
  readonly registry: TriggerRegistry;
  /** One entry per reader call. */
  readonly reads: TriggerRead[];
}

const requestKey = ({ scaledObject, trigger }: TriggerRequest): string => `${scaledObject.metadata.namespace}/${scaledObject.metadata.name}/${trigger.key}`;

/** Readers answering from `readings`, keyed `<namespace>/<name>/<trigger key>`; an unknown key reads as an error. */
const createCannedTriggers = (readings: Readonly<Record<string, MetricReading>>): CannedTriggers => {
  const reads: TriggerRead[] = [];
  const reader = <T extends Trigger>(type: T['type']): TriggerReader<T> => ({
    type,
    read: async (requests, now) => {
      reads.push({ type, keys: requests.map(requestKey), now });
      return requests.map((request) => readings[requestKey(request)] ?? { error: `no canned reading for ${requestKey(request)}` });
    },
  });
  return {
    registry: { 'aws-cloudwatch': reader('aws-cloudwatch'), 'aws-sqs-queue': reader('aws-sqs-queue'), cpu: reader('cpu'), cron: reader('cron'), memory: reader('memory') },
    reads,
  };
};

export { createCannedTriggers, createFakeCluster, createRecordingStore };
