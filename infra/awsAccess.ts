/**
 * Which AWS resources the functions touch, read from the ScaledObjects alone (pure; no CDK), so
 * the IAM policy names exactly those resources (DESIGN.md §5: least privilege per trigger).
 *
 * A trigger with `awsRoleArn` reads its signal as that role (LPA's stand-in for KEDA's
 * TriggerAuthentication): the functions then need only `sts:AssumeRole` on it, and the role's own
 * policy grants the queue or metric, which is why such triggers add no SQS or CloudWatch access.
 */
import type { ScaledObject, TriggerAuthentication } from '../shared/spec/index.js';
import { prometheusServerOf } from '../shared/spec/triggers/prometheusServer.js';
import { queueRefOf, type QueueRef } from '../shared/access/touches.js';
import { authAccessOf, triggerRoleOf, type ManagedSecretRef } from './authAccess.js';

/** An Amazon Managed Service for Prometheus workspace, queried with the functions' own credentials. */
interface AmpWorkspaceRef {
  readonly region: string;
  readonly workspaceId: string;
}

interface AwsAccess {
  /** Queues read with the functions' own credentials, deduplicated and sorted. */
  readonly queues: readonly QueueRef[];
  /** Some aws-cloudwatch trigger reads with the functions' own credentials. */
  readonly getMetricData: boolean;
  /** Every role the functions assume (authAccess.ts `rolesOf`), sorted. */
  readonly assumeRoles: readonly string[];
  /** AMP workspaces read with the functions' own credentials (`aps:QueryMetrics`), deduplicated and sorted. */
  readonly ampWorkspaces: readonly AmpWorkspaceRef[];
  /** Secrets Manager secrets read with the functions' own credentials (TriggerAuthentications' awsSecretManager). */
  readonly secrets: readonly ManagedSecretRef[];
}

const queueKey = (queue: QueueRef): string => `${queue.region}/${queue.account ?? ''}/${queue.name}/${queue.byName}/${queue.roleArn ?? ''}`;

/** Every SQS queue the objects read, whoever reads it (wake-up alarms are per queue). */
const queuesOf = (objects: readonly ScaledObject[], authentications: readonly TriggerAuthentication[] = []): QueueRef[] => {
  const queues = new Map<string, QueueRef>();
  for (const so of objects) {
    for (const trigger of so.spec.triggers) {
      if (trigger.type !== 'aws-sqs-queue') continue;
      const queue = queueRefOf(trigger, triggerRoleOf(so, trigger, authentications));
      queues.set(queueKey(queue), queue);
    }
  }
  return [...queues.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, queue]) => queue);
};

/**
 * @example
 * awsAccessOf(objects); // { queues: [...], getMetricData: true, assumeRoles: ['arn:aws:iam::…:role/reader'], ampWorkspaces: [] }
 */
const awsAccessOf = (objects: readonly ScaledObject[], authentications: readonly TriggerAuthentication[] = []): AwsAccess => {
  const auth = authAccessOf(objects, authentications);
  const workspaces = new Map<string, AmpWorkspaceRef>();
  let getMetricData = false;
  for (const so of objects) {
    for (const trigger of so.spec.triggers) {
      // A trigger that reads as a role needs only sts:AssumeRole on it (authAccess.ts `rolesOf`).
      if (triggerRoleOf(so, trigger, authentications) !== undefined) continue;
      if (trigger.type === 'aws-cloudwatch') getMetricData = true;
      if (trigger.type !== 'prometheus') continue;
      const located = prometheusServerOf(trigger.metadata.serverAddress, trigger.metadata.awsRegion);
      if (located.ok && located.server.kind === 'amp') {
        const { region, workspaceId } = located.server;
        workspaces.set(`${region}/${workspaceId}`, { region, workspaceId });
      }
    }
  }
  return {
    queues: queuesOf(objects, authentications).filter((queue) => queue.roleArn === undefined),
    getMetricData,
    assumeRoles: auth.assumeRoles,
    ampWorkspaces: [...workspaces.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, workspace]) => workspace),
    secrets: auth.secrets,
  };
};

export { awsAccessOf, queueRefOf, queuesOf };
export type { AmpWorkspaceRef, AwsAccess, QueueRef };
