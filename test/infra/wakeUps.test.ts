import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { objectsWokenBy } from '../../shared/app/alarmTargets.js';
import { parseAlarmEvent } from '../../shared/app/events.js';
import { resolveScaleGroup } from '../../shared/app/scaleGroup.js';
import { PodAutoscalerPropsError } from '../../infra/index.js';
import { cloudwatchTrigger, policyStatements, queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

const manifests = [
  scaledObject('orders-worker', 'shop', [sqsTrigger(queueUrl('orders'))], { minReplicaCount: 0 }),
  scaledObject('orders-audit', 'audit', [sqsTrigger(queueUrl('orders'))]),
  scaledObject('latency', 'shop', [cloudwatchTrigger()]),
];

/** The event EventBridge delivers for an alarm, built from the alarm's own template properties. */
const alarmEvent = (alarm: Record<string, any>) => {
  const event = JSON.parse(readFileSync('events/alarm-state-change-bare.json', 'utf8'));
  event.detail.configuration.metrics = [
    {
      id: 'm1',
      metricStat: {
        metric: { namespace: alarm.Namespace, name: alarm.MetricName, dimensions: Object.fromEntries(alarm.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value])) },
        period: alarm.Period,
        stat: alarm.Statistic,
      },
      returnData: true,
    },
  ];
  return event;
};

describe('Construct: PodAutoscaler — alarm wake-ups', () => {
  it('alarms when any message is visible in the queue over one minute, silence meaning empty', () => {
    const { template } = synthesize({ manifests, wakeUps: {} });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'orders' }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  it('sends only that alarm’s change to ALARM to the alarm function', () => {
    const { template } = synthesize({ manifests, wakeUps: {} });
    const [alarmId] = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ 'Fn::GetAtt': [alarmId, 'Arn'] }],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LpaAlarmFunction'), 'Arn'] },
          Id: 'Target0',
          InputTransformer: { InputTemplate: Match.stringLikeRegexp('^\\{"scaleGroup":\\{.*\\},"alarm":<aws\\.events\\.event\\.json>\\}$') },
          RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300 },
        },
      ],
    });
  });

  it('wraps the whole event with the ScaleGroup of the queue’s objects, and the alarm function wakes exactly those', () => {
    // Prepare
    const { template } = synthesize({ manifests, wakeUps: {} });
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const [rule] = Object.values(template.findResources('AWS::Events::Rule'));
    const inputTemplate: string = rule?.Properties.Targets[0].InputTransformer.InputTemplate;
    // Act: what EventBridge does with <aws.events.event.json>.
    const delivered = JSON.parse(inputTemplate.replace('<aws.events.event.json>', JSON.stringify(alarmEvent(alarm?.Properties))));
    // Assess: the handler's own parsing and selection (functions/alarm/handler.ts).
    const parsed = parseAlarmEvent(delivered);
    if (!parsed.ok) throw new Error(parsed.message);
    const group = resolveScaleGroup(parsed.scaleGroup, undefined);
    expect(group.objects.map((so) => so.metadata.name)).toEqual(['orders-worker', 'orders-audit']);
    expect(objectsWokenBy(parsed.alarm, group.objects).map((so) => so.metadata.name)).toEqual(['orders-worker', 'orders-audit']);
  });

  it('grants the alarm function only what the objects it wakes read', () => {
    const { template } = synthesize({ manifests, wakeUps: {} });
    const sids = policyStatements(template, 'LpaAlarmRole').flatMap((s) => (s.Sid === undefined ? [] : [s.Sid]));
    expect(sids).toEqual(['StateTable', 'ReadQueueLength', 'DescribeCluster']);
  });

  it('creates no alarm function, alarm or rule without wakeUps', () => {
    const { template } = synthesize({ manifests });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('refuses a rule input larger than EventBridge allows, naming the queue', () => {
    const crowd = Array.from({ length: 40 }, (_, i) => scaledObject(`w${i}`, 'shop', [sqsTrigger(queueUrl('orders'))]));
    expect(() => synthesize({ manifests: crowd, wakeUps: {} })).toThrow(PodAutoscalerPropsError);
    expect(() => synthesize({ manifests: crowd, wakeUps: {} })).toThrow(/wakeUps: the rule input for queue orders \(40 objects\) is \d+ characters; EventBridge allows 8192/);
  });

  it('refuses to alarm on a queue no trigger reads', () => {
    expect(() => synthesize({ manifests, wakeUps: { queueNames: ['payments'] } })).toThrow('wakeUps.queueNames: "payments" is not a queue any aws-sqs-queue trigger reads');
  });
});
