/**
 * In-memory stand-ins for the ports of the reconcile use case. Every call lands in one shared log
 * (`"<method> <subject>"`), so a test can assert the order of calls across ports; each fake can be
 * told to fail a given call. The state store is the real InMemoryStateStore (real write rules),
 * wrapped only to log calls and to run a hook before each one (to fail it, or to write behind it).
 */
import type { PodSet } from '../../../shared/engine/podObjects.js';
import type { MetricReading } from '../../../shared/engine/types.js';
import type { ClusterConnector, ClusterRef, Scale, ScaleClient } from '../../../shared/kube/types.js';
import { SUPPORTED_TRIGGER_TYPES } from '../../../shared/spec/index.js';
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
  /** Adds the Secret `<namespace>/<name>` with this (decoded) data. */
  secret(namespace: string, name: string, data: Readonly<Record<string, string>>): void;
  /** Adds a (Cluster)TriggerAuthentication as the cluster would return it (namespace undefined: cluster-scoped). */
  triggerAuthentication(namespace: string | undefined, name: string, object: unknown): void;
  /** Makes the next PATCH of `<namespace>/<name>` take effect, then reject with `error` (a client-side timeout the server applied). */
  applyThenFail(target: string, error: Error): void;
  /**
   * Holds the next such call before it acts: `reached` resolves when it arrives, `release()` lets it go.
   * A held call honours its AbortSignal, rejecting with the signal's reason, as the kube client does.
   */
  hold(call: string): { readonly reached: Promise<void>; release(): void };
  /** The AbortSignal each call got, in order (undefined when none). */
  readonly signals: Array<{ readonly call: string; readonly signal: AbortSignal | undefined }>;
}

const createFakeCluster = (log: string[]): FakeCluster => {
  const targets = new Map<string, FakeTarget>();
  const secrets = new Map<string, Readonly<Record<string, string>>>();
  const authentications = new Map<string, unknown>();
  const failures = new Map<string, Error>();
  const appliedFailures = new Map<string, Error>();
  const holds = new Map<string, { arrived: () => void; released: Promise<void> }>();
  const signals: FakeCluster['signals'] = [];
  const call = async (entry: string, signal?: AbortSignal): Promise<void> => {
    log.push(entry);
    signals.push({ call: entry, signal });
    const hold = holds.get(entry);
    if (hold !== undefined) {
      holds.delete(entry);
      hold.arrived();
      const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
      await Promise.race([hold.released, aborted]);
    }
    signal?.throwIfAborted();
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
    getScale: async (namespace, name, options) => {
      await call(`getScale ${namespace}/${name}`, options?.signal);
      return scaleOf(targetOf(namespace, name));
    },
    patchScale: async (namespace, name, replicas, options) => {
      await call(`patchScale ${namespace}/${name}`, options?.signal);
      const patched = { ...targetOf(namespace, name), specReplicas: replicas };
      targets.set(`${namespace}/${name}`, patched);
      const failure = appliedFailures.get(`${namespace}/${name}`);
      appliedFailures.delete(`${namespace}/${name}`);
      if (failure !== undefined) throw failure;
      return scaleOf(patched);
    },
    countReadyPods: async (namespace, selector, options) => {
      await call(`countReadyPods ${namespace} ${selector}`, options?.signal);
      const target = [...targets.entries()].find(([key, t]) => key.startsWith(`${namespace}/`) && t.selector === selector)?.[1];
      return target?.readyPods ?? 0;
    },
    getSecret: async (namespace, name) => {
      call(`getSecret ${namespace}/${name}`);
      const data = secrets.get(`${namespace}/${name}`);
      if (data === undefined) throw new Error(`secrets "${name}" not found in ${namespace}`);
      return data;
    },
    getTriggerAuthentication: async (kind, namespace, name) => {
      call(`getTriggerAuthentication ${kind} ${namespace ?? ''}/${name}`);
      return authentications.get(`${namespace ?? ''}/${name}`);
    },
    readPodSet: async (namespace, selector) => {
      call(`readPodSet ${namespace} ${selector}`);
      const target = [...targets.entries()].find(([key, t]) => key.startsWith(`${namespace}/`) && t.selector === selector)?.[1];
      return target?.podSet ?? { pods: [], podMetrics: [] };
    },
    proxyGet: async ({ namespace, proxyName }) => {
      call(`proxyGet ${namespace}/${proxyName}`);
      throw new Error(`the fake cluster has no Service ${namespace}/${proxyName}`);
    },
  };
  return {
    connector: {
      connect: async (cluster: ClusterRef, options) => {
        await call(`connect ${cluster.name}`, options?.signal);
        return client;
      },
    },
    target: (namespace, name, target) => void targets.set(`${namespace}/${name}`, target),
    replicasOf: (namespace, name) => targets.get(`${namespace}/${name}`)?.specReplicas,
    fail: (entry, error) => void failures.set(entry, error),
    secret: (namespace, name, data) => void secrets.set(`${namespace}/${name}`, data),
    triggerAuthentication: (namespace, name, object) => void authentications.set(`${namespace ?? ''}/${name}`, object),
    applyThenFail: (target, error) => void appliedFailures.set(target, error),
    hold: (entry) => {
      let arrived = (): void => undefined;
      let release = (): void => undefined;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      holds.set(entry, { arrived, released: new Promise<void>((resolve) => (release = resolve)) });
      return { reached, release };
    },
    signals,
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
    acquireLease: async (id, expectedVersion, owner, now, ttlMs, intent) => {
      log.push(`acquireLease ${id}`);
      await hooks.acquireLease?.(id, expectedVersion, owner, now, ttlMs, intent);
      return inner.acquireLease(id, expectedVersion, owner, now, ttlMs, intent);
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
  readonly signal: AbortSignal | undefined;
}

interface CannedTriggers {
  readonly registry: TriggerRegistry;
  /** One entry per reader call. */
  readonly reads: TriggerRead[];
  /** Runs at the start of every reader call (e.g. to let time pass: a slow trigger). Settable at any time. */
  beforeRead: (() => void) | undefined;
}

const requestKey = ({ scaledObject, trigger }: TriggerRequest): string => `${scaledObject.metadata.namespace}/${scaledObject.metadata.name}/${trigger.key}`;

/** Readers answering from `readings`, keyed `<namespace>/<name>/<trigger key>`; an unknown key reads as an error. */
const createCannedTriggers = (readings: Readonly<Record<string, MetricReading>>): CannedTriggers => {
  const reads: TriggerRead[] = [];
  const hooks: Pick<CannedTriggers, 'beforeRead'> = { beforeRead: undefined };
  const reader = <T extends Trigger>(type: T['type']): TriggerReader<T> => ({
    type,
    read: async (requests, now, signal) => {
      hooks.beforeRead?.();
      reads.push({ type, keys: requests.map(requestKey), now, signal });
      return requests.map((request) => readings[requestKey(request)] ?? { error: `no canned reading for ${requestKey(request)}` });
    },
  });
  const registry = Object.fromEntries(SUPPORTED_TRIGGER_TYPES.map((type) => [type, reader(type)])) as unknown as TriggerRegistry;
  return Object.assign(hooks, { registry, reads });
};

export { createCannedTriggers, createFakeCluster, createRecordingStore };
