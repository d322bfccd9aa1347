import type { DeploymentRecord, PodRecord } from './cluster.js';

/**
 * JSON renderings of the simulated objects in kube-apiserver's field order and `omitempty` habits
 * (team notes `kube-api-responses.md`). Two habits matter to clients: Scale `spec.replicas` is omitted
 * at 0 (`int32 omitempty`), and Deployment status counters are omitted at 0.
 */

type Json = Record<string, unknown>;

/** RFC 3339 at second precision, as metav1.Time marshals. */
const timestamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** `metav1.FormatLabelSelector` for matchLabels: `k=v` pairs sorted by key. */
const selectorOf = (labels: Readonly<Record<string, string>>): string =>
  Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');

const isReady = (pod: PodRecord, now: number): boolean => pod.readyAt <= now;

const omitZero = (key: string, value: number): Json => (value === 0 ? {} : { [key]: value });

/** `specReplicas` overrides the stored value, for dry runs and for rendering a write before it lands. */
const renderScale = (record: Readonly<DeploymentRecord>, specReplicas = record.specReplicas): Json => ({
  kind: 'Scale',
  apiVersion: 'autoscaling/v1',
  metadata: {
    name: record.name,
    namespace: record.namespace,
    uid: record.uid,
    resourceVersion: String(record.resourceVersion),
    creationTimestamp: timestamp(record.createdAt),
  },
  spec: omitZero('replicas', specReplicas),
  // A custom resource nobody writes status for: replicas reads as 0 and the selector key is absent.
  status: record.withoutStatus ? { replicas: 0 } : { replicas: record.pods.length, selector: selectorOf(record.labels) },
});

const containerOf = (record: Readonly<DeploymentRecord>): Json => ({
  name: record.name,
  image: `example.invalid/${record.name}:1`,
  resources: Object.keys(record.requests).length === 0 ? {} : { requests: { ...record.requests } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
});

const renderDeployment = (record: Readonly<DeploymentRecord>, now: number): Json => {
  const ready = record.pods.filter((pod) => isReady(pod, now)).length;
  return {
    kind: record.type.kind,
    apiVersion: `${record.type.group}/${record.type.version}`,
    metadata: {
      name: record.name,
      namespace: record.namespace,
      uid: record.uid,
      resourceVersion: String(record.resourceVersion),
      generation: record.generation,
      creationTimestamp: timestamp(record.createdAt),
      labels: record.labels,
    },
    spec: {
      replicas: record.specReplicas,
      selector: { matchLabels: record.labels },
      template: {
        metadata: { creationTimestamp: null, labels: record.labels },
        spec: {
          containers: [containerOf(record)],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: record.generation,
      ...omitZero('replicas', record.pods.length),
      ...omitZero('updatedReplicas', record.pods.length),
      ...omitZero('readyReplicas', ready),
      ...omitZero('availableReplicas', ready),
      ...omitZero('unavailableReplicas', Math.max(record.specReplicas - ready, 0)),
    },
  };
};

const condition = (type: string, ok: boolean, since: number, unready = ''): Json => ({
  type,
  status: ok ? 'True' : 'False',
  lastProbeTime: null,
  lastTransitionTime: timestamp(since),
  ...(ok ? {} : { reason: 'ContainersNotReady', message: unready }),
});

/**
 * A list item (no kind/apiVersion, as in a real PodList): Running at once, Ready after the startup
 * delay; a deleted pod in its grace period carries its deletionTimestamp and is no longer Ready.
 */
const renderPod = (record: Readonly<DeploymentRecord>, pod: PodRecord, now: number): Json => {
  const deleting = pod.deletedAt !== undefined;
  const ready = isReady(pod, now) && !deleting;
  const readySince = deleting ? (pod.deletedAt as number) : ready ? pod.readyAt : pod.createdAt;
  const unready = `containers with unready status: [${record.name}]`;
  return {
    metadata: {
      name: pod.name,
      generateName: `${record.name}-${record.templateHash}-`,
      namespace: record.namespace,
      uid: pod.uid,
      resourceVersion: String(record.resourceVersion),
      creationTimestamp: timestamp(pod.createdAt),
      ...(deleting ? { deletionTimestamp: timestamp((pod.deletedAt as number) + record.terminationGraceMs), deletionGracePeriodSeconds: Math.round(record.terminationGraceMs / 1000) } : {}),
      labels: { ...record.labels, 'pod-template-hash': record.templateHash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${record.name}-${record.templateHash}`,
          uid: record.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { containers: [containerOf(record)], restartPolicy: 'Always', nodeName: 'ip-10-0-1-23.ec2.internal' },
    status: {
      phase: 'Running',
      conditions: [
        condition('Initialized', true, pod.createdAt),
        condition('Ready', ready, readySince, unready),
        condition('ContainersReady', ready, readySince, unready),
        condition('PodScheduled', true, pod.createdAt),
      ],
      startTime: timestamp(pod.createdAt),
    },
  };
};

const renderPodList = (items: readonly Json[], revision: string): Json => ({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: revision },
  items,
});

export { renderDeployment, renderPod, renderPodList, renderScale };
