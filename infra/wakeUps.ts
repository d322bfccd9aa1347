/**
 * Alarm wake-ups: a CloudWatch alarm per SQS queue (messages visible > 0 over one minute) and an
 * EventBridge rule that sends its change to ALARM to the alarm function, wrapped with the
 * ScaleGroup of the objects reading that queue: `{scaleGroup, alarm: <the whole event>}`
 * (functions/alarm/handler.ts). SQS publishes its metrics once a minute, so the alarm fires 1–3
 * minutes after the first message, later than the next tick (which reads the queue itself): it is
 * a second path that evaluates the objects when a tick is lost, not a faster one.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { queueRefOf } from './awsAccess.js';
import { LIMITS } from './defaults.js';
import { WAKE_UP_DELIVERY } from './functions.js';
import type { LoadedAuthentication, LoadedObject } from './manifests.js';
import { PodAutoscalerPropsError } from './props.js';
import { referencedAuthentications } from './scaleGroups.js';
import type { ScaleGroupCluster, ScaleGroupEvent } from './scaleGroups.js';

/** A queue to alarm on and the objects its alarm wakes (all objects reading a queue of that name, as the alarm function matches by QueueName). */
interface WakeUpQueue {
  readonly queueName: string;
  readonly objects: readonly LoadedObject[];
}

interface WakeUpSelection {
  readonly queues: readonly WakeUpQueue[];
  /** Queues left out by default, and why (for a synth warning). */
  readonly skipped: readonly string[];
  /** Explicitly named queues that cannot be alarmed (for the props error). */
  readonly problems: readonly string[];
}

interface SelectOptions {
  /** `wakeUps.queueNames`; undefined means every eligible queue. */
  readonly queueNames?: readonly string[];
  /** The stack's region and account, when known at synth time. */
  readonly region?: string;
  readonly account?: string;
}

/**
 * CloudWatch alarms watch metrics of their own account and region only, so a queue elsewhere
 * cannot wake anything from this stack: left out by default, an error when named explicitly.
 */
const selectWakeUpQueues = (objects: readonly LoadedObject[], options: SelectOptions): WakeUpSelection => {
  const byName = new Map<string, { objects: LoadedObject[]; local: boolean; where: string }>();
  for (const object of objects) {
    for (const trigger of object.scaledObject.spec.triggers) {
      if (trigger.type !== 'aws-sqs-queue') continue;
      const queue = queueRefOf(trigger);
      const local = (options.region === undefined || queue.region === options.region) && (options.account === undefined || queue.account === undefined || queue.account === options.account);
      const entry = byName.get(queue.name) ?? { objects: [], local: false, where: `${queue.region}${queue.account === undefined ? '' : `/${queue.account}`}` };
      if (!entry.objects.includes(object)) entry.objects.push(object);
      entry.local ||= local;
      byName.set(queue.name, entry);
    }
  }
  const here = `${options.region ?? 'this region'}${options.account === undefined ? '' : `/${options.account}`}`;
  const queues: WakeUpQueue[] = [];
  const skipped: string[] = [];
  const problems: string[] = [];
  for (const queueName of options.queueNames ?? [...byName.keys()].sort()) {
    const entry = byName.get(queueName);
    if (entry === undefined) problems.push(`wakeUps.queueNames: "${queueName}" is not a queue any aws-sqs-queue trigger reads`);
    else if (entry.local) queues.push({ queueName, objects: entry.objects });
    else if (options.queueNames === undefined) skipped.push(`no wake-up alarm for queue ${queueName}: it is in ${entry.where}, alarms see only ${here}`);
    else problems.push(`wakeUps.queueNames: queue "${queueName}" is in ${entry.where}; an alarm in this stack sees only ${here}`);
  }
  return { queues, skipped, problems };
};

/** `{"scaleGroup": …, "alarm": <aws.events.event.json>}`: the full event, detail included, as the handler parses it. */
class AlarmEventInput extends events.RuleTargetInput {
  constructor(
    private readonly stack: Stack,
    private readonly scaleGroup: ScaleGroupEvent,
  ) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    return { inputTemplate: `{"scaleGroup":${this.stack.toJsonString(this.scaleGroup)},"alarm":<aws.events.event.json>}` };
  }
}

interface AlarmWakeUpsProps {
  readonly queues: readonly WakeUpQueue[];
  readonly cluster: ScaleGroupCluster;
  readonly target: lambda.IFunction;
  /** Bytes the cluster fields gain at deploy time (see DEFAULTS.unresolvedClusterBytes). */
  readonly reservedBytes: number;
  /** The (Cluster)TriggerAuthentications given with the manifests; each group carries those its objects reference. */
  readonly authentications?: readonly LoadedAuthentication[];
}

/** The wrapper around the group: `{"scaleGroup":` … `,"alarm":<aws.events.event.json>}`. */
const TEMPLATE_OVERHEAD = '{"scaleGroup":,"alarm":<aws.events.event.json>}'.length;

class AlarmWakeUps extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: AlarmWakeUpsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const groups = props.queues.map(({ queueName, objects }) => {
      const auths = referencedAuthentications(objects, props.authentications ?? []);
      return { queueName, group: { cluster: props.cluster, scaledObjects: objects.map((o) => o.manifest), ...(auths.length === 0 ? {} : { triggerAuthentications: auths }) } };
    });
    const oversized = groups.flatMap(({ queueName, group }) => {
      const size = JSON.stringify(group).length + TEMPLATE_OVERHEAD + props.reservedBytes;
      return size > LIMITS.inputTemplateChars
        ? [`wakeUps: the rule input for queue ${queueName} (${group.scaledObjects.length} objects) is ${size} characters; EventBridge allows ${LIMITS.inputTemplateChars}. Leave the queue out of wakeUps.queueNames`]
        : [];
    });
    if (oversized.length > 0) throw new PodAutoscalerPropsError(oversized);

    const alarms: cloudwatch.Alarm[] = [];
    const rules: events.Rule[] = [];
    for (const { queueName, group } of groups) {
      const alarm = new cloudwatch.Alarm(this, `Alarm-${queueName}`, {
        alarmDescription: `LPA wake-up: messages visible in ${queueName} wake the ScaledObjects that read it`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensionsMap: { QueueName: queueName },
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        // SQS stops publishing for idle queues; silence means empty, not trouble.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const rule = new events.Rule(this, `Rule-${queueName}`, {
        description: `LPA wake-up: ${queueName} alarm state changed to ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [alarm.alarmArn],
          detail: { state: { value: ['ALARM'] } },
        },
      });
      rule.addTarget(new targets.LambdaFunction(props.target, { event: new AlarmEventInput(stack, group), ...WAKE_UP_DELIVERY }));
      alarms.push(alarm);
      rules.push(rule);
    }
    this.alarms = alarms;
    this.rules = rules;
  }
}

export { AlarmWakeUps, selectWakeUpQueues };
export type { AlarmWakeUpsProps, WakeUpQueue, WakeUpSelection };
