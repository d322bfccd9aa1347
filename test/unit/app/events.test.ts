import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlarmEvent, scaleGroupOfScheduledEvent } from '../../../shared/app/events.js';
import { resolveScaleGroup } from '../../../shared/app/scaleGroup.js';
import { CLUSTER, sqsScaledObject } from '../../helpers/manifests.js';

const GROUP = { cluster: CLUSTER, scaledObjects: [sqsScaledObject('orders-worker')] };

const scheduledEvent = (detail: unknown) => ({
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-23T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/lpa-demo'],
  detail,
});

/** The part both alarm shapes share (anchors-ecosystem.md §4). */
const alarmData = (value = 'ALARM') => ({
  alarmName: 'lpa-shop-orders-worker',
  state: { value, reason: 'Threshold Crossed', reasonData: '{}', timestamp: '2026-11-23T10:00:00.000+0000' },
  previousState: { value: 'OK', reason: 'Threshold Crossed', timestamp: '2026-11-23T09:00:00.000+0000' },
  configuration: {
    description: null,
    metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: 'orders' } }, period: 60, stat: 'Maximum' }, returnData: true }],
  },
});

/** EventBridge "CloudWatch Alarm State Change". */
const stateChange = (detail: unknown = alarmData()) => ({
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: '2026-11-23T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:lpa-shop-orders-worker'],
  detail,
});

/** The direct alarm action (alarm → Lambda). */
const alarmAction = (data: unknown = alarmData()) => ({
  source: 'aws.cloudwatch',
  alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:lpa-shop-orders-worker',
  accountId: '123456789012',
  time: '2026-11-23T10:00:00.000+0000',
  region: 'eu-west-1',
  alarmData: data,
});

describe('scaleGroupOfScheduledEvent', () => {
  it.each([
    { comment: 'the Scheduler input itself', event: GROUP, group: GROUP },
    { comment: 'the detail of a "Scheduled Event" envelope', event: scheduledEvent(GROUP), group: GROUP },
    { comment: 'nothing for an envelope with an empty detail (use the configuration)', event: scheduledEvent({}), group: undefined },
    { comment: 'nothing for an envelope without a detail', event: { ...scheduledEvent(undefined), detail: undefined }, group: undefined },
    { comment: 'nothing for an envelope whose detail is not an object', event: scheduledEvent('tick'), group: undefined },
  ])('returns $comment', ({ event, group }) => {
    // Act
    const result = scaleGroupOfScheduledEvent(event);

    // Assess
    expect(result).toEqual(group);
  });

  it('passes any other event through for the ScaleGroup parser to judge', () => {
    // Prepare
    const event = { 'detail-type': 'Something Else', detail: GROUP };

    // Act
    const result = scaleGroupOfScheduledEvent(event);

    // Assess
    expect(result).toBe(event);
  });
});

describe('parseAlarmEvent: accepted shapes', () => {
  it.each([
    { comment: 'an EventBridge "CloudWatch Alarm State Change"', event: stateChange(), scaleGroup: undefined },
    { comment: 'a direct alarm action', event: alarmAction(), scaleGroup: undefined },
    { comment: 'LPA’s rule input {scaleGroup, alarm} around a state change', event: { scaleGroup: GROUP, alarm: stateChange() }, scaleGroup: GROUP },
    { comment: '{scaleGroup, alarm} around an alarm action', event: { scaleGroup: GROUP, alarm: alarmAction() }, scaleGroup: GROUP },
  ])('reads $comment', ({ event, scaleGroup }) => {
    // Act
    const parsed = parseAlarmEvent(event);

    // Assess
    expect(parsed).toMatchObject({ ok: true, scaleGroup, alarm: { alarmName: 'lpa-shop-orders-worker', state: { value: 'ALARM' } } });
  });

  it('reads the alarm metric with its dimensions', () => {
    // Act
    const parsed = parseAlarmEvent(stateChange());

    // Assess
    expect(parsed.ok && parsed.alarm.configuration?.metrics?.[0]?.metricStat?.metric).toEqual({
      namespace: 'AWS/SQS',
      name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'orders' },
    });
  });

  it.each(['ALARM', 'OK', 'INSUFFICIENT_DATA'])('accepts the state %s', (value) => {
    // Act
    const parsed = parseAlarmEvent(alarmAction(alarmData(value)));

    // Assess
    expect(parsed).toMatchObject({ ok: true, alarm: { state: { value } } });
  });

  it('accepts an alarm with no configuration and a metric math alarm (expression, no metricStat)', () => {
    // Prepare
    const { configuration: _, ...bare } = alarmData();
    const math = { ...alarmData(), configuration: { metrics: [{ id: 'e1', expression: 'm1 + m2' }] } };

    // Act
    const results = [parseAlarmEvent(stateChange(bare)), parseAlarmEvent(stateChange(math))];

    // Assess
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });
});

describe('parseAlarmEvent: refused events name the first bad path', () => {
  const prefix = 'not a CloudWatch alarm event (EventBridge "CloudWatch Alarm State Change" or alarm action); ';

  it.each([
    { comment: 'a scheduled event', event: scheduledEvent(GROUP), where: 'detail-type: ' },
    { comment: 'a ScaleGroup alone', event: GROUP, where: 'detail-type: ' },
    { comment: 'a wrapped non-alarm', event: { scaleGroup: GROUP, alarm: { hello: 'world' } }, where: 'alarm.detail-type: ' },
    { comment: 'a state change with a bad state', event: stateChange(alarmData('FIRING')), where: 'detail.state.value: ' },
    {
      comment: 'a metric without a name',
      event: stateChange({ ...alarmData(), configuration: { metrics: [{ metricStat: { metric: { namespace: 'AWS/SQS' } } }] } }),
      where: 'detail.configuration.metrics[0].metricStat.metric.name: ',
    },
    { comment: 'an alarm action with a bad state', event: alarmAction(alarmData('FIRING')), where: 'alarmData.state.value: ' },
    { comment: 'an alarm action without its ARN', event: { ...alarmAction(), alarmArn: undefined }, where: 'alarmArn: ' },
    { comment: 'a wrapped alarm action with a bad state', event: { scaleGroup: GROUP, alarm: alarmAction(alarmData('FIRING')) }, where: 'alarm.alarmData.state.value: ' },
  ])('$comment → $where', ({ event, where }) => {
    // Act
    const parsed = parseAlarmEvent(event);

    // Assess
    expect(parsed.ok ? 'accepted' : parsed.message).toContain(`${prefix}${where}`);
  });

  it('says what was expected, without a path, when the event is not an object', () => {
    // Act
    const parsed = parseAlarmEvent(null);

    // Assess
    expect(parsed).toEqual({ ok: false, message: `${prefix}Invalid input: expected object, received null` });
  });
});

describe('the sample events in events/', () => {
  const directory = new URL('../../../events/', import.meta.url);
  const files = readdirSync(directory).filter((file) => file.endsWith('.json'));
  const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, directory), 'utf8'));

  it('has every sample named for the function it feeds (scheduled-* or alarm-*)', () => {
    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !file.startsWith('scheduled-') && !file.startsWith('alarm-'))).toEqual([]);
  });

  it.each(files.filter((file) => file.startsWith('scheduled-')))('%s is a scheduler event whose group parses without an invalid object', (file) => {
    // Act
    const group = resolveScaleGroup(scaleGroupOfScheduledEvent(load(file)), undefined, file);

    // Assess
    expect(group.objects.length).toBeGreaterThan(0);
    expect(group.invalid).toEqual([]);
  });

  it.each(files.filter((file) => file.startsWith('alarm-')))('%s is an alarm event, and any group it carries parses', (file) => {
    // Act
    const parsed = parseAlarmEvent(load(file));
    if (!parsed.ok) throw new Error(parsed.message);
    const group = parsed.scaleGroup === undefined ? undefined : resolveScaleGroup(parsed.scaleGroup, undefined, file);

    // Assess
    expect(parsed.alarm.state.value).toBe('ALARM');
    expect(group?.invalid ?? []).toEqual([]);
  });
});
