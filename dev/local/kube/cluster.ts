import { createHash, randomUUID } from 'node:crypto';
import { LpaError } from '../../../shared/errors.js';

/**
 * The state behind the local Kubernetes API: Deployments, their pods and the faults a test wants.
 * Readiness is computed lazily from the injected clock (no timers), so a test moves time and reads.
 *
 * Modelled behaviour: a scale-up creates the missing pods at once (status.replicas = spec at once) and
 * each becomes Ready `startupDelayMs` later (phase Running, Ready=False until then, as with a readiness
 * probe); a scale-down deletes pods at once, newest first (with `terminationGraceMs`, they stay listed
 * with a deletionTimestamp until the grace period ends, as terminating pods do). CPU usage follows the
 * work: `setCpuLoad` spreads a Deployment's demand over its Ready pods, which metrics-server reports
 * (see metrics.ts). `resourceVersion` comes from one cluster-wide
 * counter (like etcd's revision) and moves only when a Deployment's spec is written, so conflicts come from
 * writes, never from the passage of time.
 */

interface AddDeploymentInput {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  /** Time from pod creation to Ready. Default 0. The initial pods are Ready at once (the app was running). */
  readonly startupDelayMs?: number;
  /** Selector and pod labels. Default `{ app: <name> }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The container's resource requests, e.g. `{ cpu: '200m', memory: '128Mi' }`. Default none. */
  readonly requests?: Readonly<Record<string, string>>;
  /** How long a deleted pod stays listed as terminating. Default 0 (gone at once). */
  readonly terminationGraceMs?: number;
  /** Millicores a pod burns while starting (before Ready), like a JVM warming up. Default 0. */
  readonly startupCpuMillicores?: number;
}

interface ScaleChange {
  readonly time: number;
  readonly replicas: number;
  readonly by: string;
}

interface DeploymentSnapshot {
  readonly specReplicas: number;
  readonly readyReplicas: number;
  readonly statusReplicas: number;
  readonly resourceVersion: string;
  /** Spec changes after creation, oldest first (no-op writes leave no entry). */
  readonly history: readonly ScaleChange[];
}

interface DeploymentChange {
  readonly namespace: string;
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly by: string;
  readonly time: number;
}

interface FailureInjection {
  readonly status: 409 | 429 | 500 | 503;
  readonly count: number;
  /** Only requests with this HTTP method (any case). */
  readonly method?: string;
  /** Only requests whose path (with query) contains this text. */
  readonly pathIncludes?: string;
  /** Sent as `Retry-After` (and in the 429 body). 429 defaults to 1, as API Priority and Fairness does. */
  readonly retryAfterSeconds?: number;
}

interface PodRecord {
  readonly name: string;
  readonly uid: string;
  readonly createdAt: number;
  readonly readyAt: number;
  /** Set when the pod was deleted (scale-down); it is listed until `deletedAt + terminationGraceMs`. */
  readonly deletedAt?: number;
}

/** What the API server renders; mutated only through the cluster's methods. */
interface DeploymentRecord {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly templateHash: string;
  readonly startupDelayMs: number;
  readonly requests: Readonly<Record<string, string>>;
  readonly terminationGraceMs: number;
  readonly startupCpuMillicores: number;
  /** Total CPU the Deployment's work needs now, in millicores (shared by its Ready pods). */
  cpuDemandMillicores: number;
  /** Deleted pods still inside their grace period. */
  terminating: PodRecord[];
  specReplicas: number;
  generation: number;
  resourceVersion: number;
  pods: PodRecord[];
  history: ScaleChange[];
  writes: number;
  podSerial: number;
}

/** Misuse of the simulation by a test (unknown deployment, bad replica count). */
class KubeSimulationError extends LpaError {
  constructor(message: string) {
    super(message);
    this.name = 'KubeSimulationError';
  }
}

const POD_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** kube's pod-name suffixes use a consonant/digit alphabet; derive them from a hash so runs are stable. */
const shortHash = (seed: string, length: number): string =>
  [...createHash('sha256').update(seed).digest()]
    .slice(0, length)
    .map((byte) => POD_NAME_ALPHABET[byte % POD_NAME_ALPHABET.length])
    .join('');

const checkReplicas = (replicas: number, what: string): void => {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new KubeSimulationError(`${what}: replicas must be a non-negative integer, got ${replicas}`);
  }
};

class SimulatedCluster {
  readonly #now: () => number;
  readonly #deployments = new Map<string, DeploymentRecord>();
  /** Other objects LPA reads by name (Secrets, TriggerAuthentications), as JSON, by `group/resource/namespace/name`. */
  readonly #objects = new Map<string, Readonly<Record<string, unknown>>>();
  readonly #listeners = new Set<(change: DeploymentChange) => void>();
  #failures: FailureInjection[] = [];
  #revision = 0;
  #metricsServer = true;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The cluster's clock (the injected one). */
  now(): number {
    return this.#now();
  }

  /** The cluster-wide resourceVersion, as lists report it. */
  get revision(): string {
    return String(this.#revision);
  }

  addDeployment(input: AddDeploymentInput): void {
    const key = `${input.namespace}/${input.name}`;
    checkReplicas(input.replicas, `deployment ${key}`);
    if (this.#deployments.has(key)) throw new KubeSimulationError(`deployment ${key} already exists`);
    const record: DeploymentRecord = {
      namespace: input.namespace,
      name: input.name,
      uid: randomUUID(),
      createdAt: this.#now(),
      labels: input.labels ?? { app: input.name },
      templateHash: shortHash(key, 10),
      startupDelayMs: input.startupDelayMs ?? 0,
      requests: input.requests ?? {},
      terminationGraceMs: input.terminationGraceMs ?? 0,
      startupCpuMillicores: input.startupCpuMillicores ?? 0,
      cpuDemandMillicores: 0,
      terminating: [],
      specReplicas: input.replicas,
      generation: 1,
      resourceVersion: ++this.#revision,
      pods: [],
      history: [],
      writes: 0,
      podSerial: 0,
    };
    this.#deployments.set(key, record);
    this.#reconcilePods(record, 0);
  }

  deployment(namespace: string, name: string): DeploymentSnapshot {
    const record = this.#require(namespace, name);
    const now = this.#now();
    return {
      specReplicas: record.specReplicas,
      readyReplicas: record.pods.filter((pod) => pod.readyAt <= now).length,
      statusReplicas: record.pods.length,
      resourceVersion: String(record.resourceVersion),
      history: [...record.history],
    };
  }

  /** Changes spec.replicas as an admin (`kubectl scale`) would; not counted by `patchCount`. */
  setReplicas(namespace: string, name: string, replicas: number, by = 'admin'): void {
    checkReplicas(replicas, `deployment ${namespace}/${name}`);
    this.#apply(this.#require(namespace, name), replicas, by);
  }

  /** The CPU the Deployment's work needs from now on (millicores), shared by its Ready pods. */
  setCpuLoad(namespace: string, name: string, millicores: number): void {
    if (!(millicores >= 0)) throw new KubeSimulationError(`cpu load must be ≥ 0 millicores, got ${millicores}`);
    this.#require(namespace, name).cpuDemandMillicores = millicores;
  }

  /** Whether metrics-server is installed (the `metrics.k8s.io` API exists). Default true. */
  setMetricsServer(installed: boolean): void {
    this.#metricsServer = installed;
  }

  get metricsServer(): boolean {
    return this.#metricsServer;
  }

  /** @internal for the API server: a record's pods as listed now, terminating ones included. */
  listedPods(record: Readonly<DeploymentRecord>): readonly PodRecord[] {
    const now = this.#now();
    const terminating = record.terminating.filter((pod) => (pod.deletedAt ?? now) + record.terminationGraceMs > now);
    return [...record.pods, ...terminating];
  }

  /** The next `count` requests matching the filter fail with a realistic Status (after authentication). */
  injectFailures(failure: FailureInjection): void {
    this.#failures.push({ ...failure });
  }

  /** Called synchronously after every spec change; returns the unsubscribe function. */
  onChange(listener: (change: DeploymentChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Successful, non-dry-run writes to the scale subresource through the API (no-op writes included). */
  patchCount(namespace: string, name: string): number {
    return this.#require(namespace, name).writes;
  }

  /**
   * Stores an object LPA reads by name. A Secret's `stringData` is stored base64-encoded as `data`,
   * as the API server does; a cluster-scoped object has namespace ''.
   */
  putObject(apiGroup: string, resource: string, namespace: string, object: Readonly<Record<string, unknown>>): void {
    const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
    const { stringData, ...rest } = object as Readonly<Record<string, unknown>> & { readonly stringData?: Readonly<Record<string, string>> };
    const data = stringData === undefined ? {} : { data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) };
    this.#revision += 1;
    const metadata = { ...(rest.metadata as object), ...(namespace === '' ? {} : { namespace }), resourceVersion: String(this.#revision) };
    this.#objects.set(`${apiGroup}/${resource}/${namespace}/${name}`, { ...rest, ...data, metadata });
  }

  /** Removes an object stored with putObject; true when it existed. */
  deleteObject(apiGroup: string, resource: string, namespace: string, name: string): boolean {
    return this.#objects.delete(`${apiGroup}/${resource}/${namespace}/${name}`);
  }

  /** @internal for the API server: a stored object, or undefined when absent. */
  object(apiGroup: string, resource: string, namespace: string, name: string): Readonly<Record<string, unknown>> | undefined {
    return this.#objects.get(`${apiGroup}/${resource}/${namespace}/${name}`);
  }

  /** @internal for the API server: the live record, or undefined when absent. */
  find(namespace: string, name: string): Readonly<DeploymentRecord> | undefined {
    return this.#deployments.get(`${namespace}/${name}`);
  }

  /** @internal for the API server: all records of a namespace. */
  inNamespace(namespace: string): ReadonlyArray<Readonly<DeploymentRecord>> {
    return [...this.#deployments.values()].filter((record) => record.namespace === namespace);
  }

  /** @internal for the API server: a client's write to the scale subresource (already validated). */
  writeScale(namespace: string, name: string, replicas: number, by: string): void {
    const record = this.#require(namespace, name);
    record.writes += 1;
    this.#apply(record, replicas, by);
  }

  /** @internal for the API server: consumes one matching injected failure, if any. */
  takeFailure(method: string, path: string): FailureInjection | undefined {
    const index = this.#failures.findIndex(
      (failure) =>
        failure.count > 0 &&
        (failure.method === undefined || failure.method.toUpperCase() === method.toUpperCase()) &&
        (failure.pathIncludes === undefined || path.includes(failure.pathIncludes)),
    );
    const found = this.#failures[index];
    if (found === undefined) return undefined;
    this.#failures[index] = { ...found, count: found.count - 1 };
    return found;
  }

  #require(namespace: string, name: string): DeploymentRecord {
    const record = this.#deployments.get(`${namespace}/${name}`);
    if (record === undefined) throw new KubeSimulationError(`deployment ${namespace}/${name} does not exist`);
    return record;
  }

  /** A no-op write changes nothing, as in kube (no new resourceVersion, no generation bump). */
  #apply(record: DeploymentRecord, replicas: number, by: string): void {
    const from = record.specReplicas;
    if (replicas === from) return;
    const time = this.#now();
    record.specReplicas = replicas;
    record.generation += 1;
    record.resourceVersion = ++this.#revision;
    record.history.push({ time, replicas, by });
    this.#reconcilePods(record, record.startupDelayMs);
    const change = { namespace: record.namespace, name: record.name, from, to: replicas, by, time };
    for (const listener of this.#listeners) listener(change);
  }

  #reconcilePods(record: DeploymentRecord, startupDelayMs: number): void {
    const now = this.#now();
    while (record.pods.length < record.specReplicas) {
      record.podSerial += 1;
      const name = `${record.name}-${record.templateHash}-${shortHash(`${record.uid}/${record.podSerial}`, 5)}`;
      record.pods.push({ name, uid: randomUUID(), createdAt: now, readyAt: now + startupDelayMs });
    }
    // Newest first, like the ReplicaSet controller's preference for young pods when scaling down.
    const deleted = record.pods.splice(record.specReplicas);
    if (record.terminationGraceMs > 0) {
      record.terminating = [...record.terminating.filter((pod) => (pod.deletedAt ?? now) + record.terminationGraceMs > now), ...deleted.map((pod) => ({ ...pod, deletedAt: now }))];
    }
  }
}

export { KubeSimulationError, SimulatedCluster };
export type {
  AddDeploymentInput,
  DeploymentChange,
  DeploymentRecord,
  DeploymentSnapshot,
  FailureInjection,
  PodRecord,
  ScaleChange,
};
