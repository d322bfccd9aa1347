/**
 * End-to-end harness: every local stand-in started on 127.0.0.1, LPA's real runtime (SDK clients,
 * EKS token, node:https scale client, DynamoDB store) pointed at them through the standard endpoint
 * variables, and a virtual clock shared by LPA and the Kubernetes stand-in so minutes pass in
 * milliseconds. SQS keeps real time (it only holds messages).
 */
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createRuntime, type Runtime } from '../../../shared/app/runtime.js';
import type { ObjectReport } from '../../../shared/app/objectReport.js';
import { reconcile, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { parseScaleGroup, type ScaleGroup } from '../../../shared/app/scaleGroup.js';
import { sqsScaledObject as sqsManifest } from '../../helpers/manifests.js';
import { LOCAL_CREDENTIALS, startLocalEnvironment, type LocalEnvironment, type LocalEnvironmentOptions } from '../../../dev/local/environment.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');

interface Clock {
  now(): number;
  advance(ms: number): void;
}

const createClock = (start = T0): Clock => {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
};

interface Harness {
  readonly env: LocalEnvironment;
  readonly clock: Clock;
  /** LPA's runtime as a Lambda container would build it (one per harness, like a warm container). */
  readonly runtime: Runtime;
  /** How many times LPA asked for credentials to mint an EKS token. */
  readonly tokenMints: () => number;
  /** The ScaleGroup of these manifests, with the (Cluster)TriggerAuthentications given alongside. */
  group(manifests: readonly unknown[], triggerAuthentications?: readonly unknown[]): ScaleGroup;
  /** One evaluation of the group at the current virtual time (ports may be swapped for one tick). */
  tick(group: ScaleGroup, owner?: string, overrides?: Partial<ReconcileDeps>): Promise<ObjectReport[]>;
  createQueue(name: string): Promise<string>;
  send(queueUrl: string, count: number): Promise<void>;
  close(): Promise<void>;
}

interface HarnessOptions extends LocalEnvironmentOptions {
  /** How far the Kubernetes stand-in's clock runs ahead of LPA's (token expiry tests). */
  readonly kubeClockOffsetMs?: number;
}

const startHarness = async (options: HarnessOptions = {}): Promise<Harness> => {
  const clock = createClock();
  const env = await startLocalEnvironment({ ...options, kubeNow: () => clock.now() + (options.kubeClockOffsetMs ?? 0) });
  const restoreEnv = env.applyEnv();
  let mints = 0;
  const runtime = createRuntime(
    { tableName: env.dynamo.tableName },
    {
      aws: { credentials: LOCAL_CREDENTIALS, clock: () => clock.now() },
      endpoints: { newRelic: env.nerdGraph.endpoints },
      region: env.region,
      // Retries wait for nothing: the clock is virtual.
      kube: { credentials: async () => (mints++, LOCAL_CREDENTIALS), now: () => clock.now(), sleep: async () => undefined },
    },
  );
  let owners = 0;
  return {
    env,
    clock,
    runtime,
    tokenMints: () => mints,
    group: (manifests, triggerAuthentications) => {
      const parsed = parseScaleGroup({
        cluster: { name: env.clusterName, region: env.region },
        scaledObjects: manifests,
        ...(triggerAuthentications === undefined ? {} : { triggerAuthentications }),
      });
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
      return parsed.group;
    },
    tick: (group, owner, overrides) => reconcile(group, { ...runtime, owner: owner ?? `invocation-${++owners}`, now: () => clock.now(), ...overrides }),
    createQueue: async (name) => (await env.sqs.client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '',
    send: async (queueUrl, count) => {
      for (let sent = 0; sent < count; sent += 10) {
        const n = Math.min(10, count - sent);
        await env.sqs.client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `job ${sent + i}` })) }),
        );
      }
    },
    close: async () => {
      await runtime.close();
      await env.close();
      restoreEnv();
    },
  };
};

/** A ScaledObject manifest on an SQS queue, as a user writes it (the shared builder, queue first). */
const sqsScaledObject = (name: string, queueUrl: string, spec: Record<string, unknown> = {}, namespace = 'shop'): unknown =>
  sqsManifest(name, spec, namespace, queueUrl);

const MINUTE = 60_000;

export { MINUTE, T0, createClock, sqsScaledObject, startHarness };
export type { Clock, Harness };
