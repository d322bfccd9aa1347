import { describe, expect, it } from 'vitest';
import { objectsWokenBy } from '../../../shared/app/alarmTargets.js';
import type { AlarmData } from '../../../shared/app/events.js';
import { cloudWatchScaledObject, groupOf, sqsScaledObject } from '../../helpers/manifests.js';

interface AlarmMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions?: Record<string, string>;
}

/** An ALARM on one metric, optionally with a description. */
const alarmOn = (metric: AlarmMetric, description?: string | null): AlarmData => ({
  alarmName: 'lpa-wake-up',
  state: { value: 'ALARM' },
  configuration: { description, metrics: [{ id: 'm1', metricStat: { metric, period: 60, stat: 'Maximum' } }] },
});

const sqsAlarm = (queueName: string, namespace = 'AWS/SQS') => alarmOn({ namespace, name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: queueName } });

const names = (objects: readonly { metadata: { name: string } }[]): string[] => objects.map((so) => so.metadata.name);

describe('objectsWokenBy: aws-sqs-queue triggers', () => {
  it.each([
    { comment: 'a queue URL', queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', woken: true },
    { comment: 'a bare queue name', queueURL: 'orders', woken: true },
    { comment: 'another queue whose name starts the same', queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq', woken: false },
  ])('matches the alarm QueueName against $comment: $woken', ({ queueURL, woken }) => {
    // Prepare
    const group = groupOf([sqsScaledObject('worker', {}, 'shop', queueURL)]);

    // Act
    const objects = objectsWokenBy(sqsAlarm('orders'), group.objects);

    // Assess
    expect(names(objects)).toEqual(woken ? ['worker'] : []);
  });

  it('ignores a QueueName dimension outside the AWS/SQS namespace', () => {
    // Prepare
    const group = groupOf([sqsScaledObject('worker', {}, 'shop', 'orders')]);

    // Act
    const objects = objectsWokenBy(sqsAlarm('orders', 'Custom/Shop'), group.objects);

    // Assess
    expect(objects).toEqual([]);
  });
});

describe('objectsWokenBy: aws-cloudwatch triggers', () => {
  const trigger = { namespace: 'Shop', metricName: 'Backlog', dimensionName: 'QueueName;Env', dimensionValue: 'reports;prod' };
  const group = groupOf([cloudWatchScaledObject('reports', trigger)]);

  it.each<{ comment: string; metric: AlarmMetric; woken: boolean }>([
    { comment: 'the same namespace, metric and dimensions', metric: { namespace: 'Shop', name: 'Backlog', dimensions: { QueueName: 'reports', Env: 'prod' } }, woken: true },
    { comment: 'the same dimensions in another order', metric: { namespace: 'Shop', name: 'Backlog', dimensions: { Env: 'prod', QueueName: 'reports' } }, woken: true },
    { comment: 'one dimension fewer', metric: { namespace: 'Shop', name: 'Backlog', dimensions: { QueueName: 'reports' } }, woken: false },
    { comment: 'one dimension more', metric: { namespace: 'Shop', name: 'Backlog', dimensions: { QueueName: 'reports', Env: 'prod', Az: 'a' } }, woken: false },
    { comment: 'another dimension value', metric: { namespace: 'Shop', name: 'Backlog', dimensions: { QueueName: 'reports', Env: 'dev' } }, woken: false },
    { comment: 'another metric name', metric: { namespace: 'Shop', name: 'Age', dimensions: { QueueName: 'reports', Env: 'prod' } }, woken: false },
    { comment: 'another namespace', metric: { namespace: 'Other', name: 'Backlog', dimensions: { QueueName: 'reports', Env: 'prod' } }, woken: false },
    { comment: 'no dimensions', metric: { namespace: 'Shop', name: 'Backlog' }, woken: false },
  ])('wakes on $comment: $woken', ({ metric, woken }) => {
    // Act
    const objects = objectsWokenBy(alarmOn(metric), group.objects);

    // Assess
    expect(names(objects)).toEqual(woken ? ['reports'] : []);
  });
});

describe('objectsWokenBy: the description', () => {
  const group = groupOf([sqsScaledObject('a', {}, 'shop', 'qa'), sqsScaledObject('b', {}, 'shop', 'qb'), sqsScaledObject('c', {}, 'billing', 'qc')]);
  const unrelated = { namespace: 'Custom', name: 'Nothing' };

  it.each([
    { comment: 'one object', description: 'lpa:shop/a', woken: ['a'] },
    { comment: 'several objects, in group order', description: 'lpa:billing/c,shop/a', woken: ['a', 'c'] },
    { comment: 'objects after some words', description: 'Wake up the workers. lpa:shop/b', woken: ['b'] },
    { comment: 'an object of another namespace', description: 'lpa:billing/a', woken: [] },
    { comment: 'names without the lpa: marker', description: 'LPA wake-up for shop/a', woken: [] },
    { comment: 'no description', description: null, woken: [] },
  ])('wakes the objects it names: $comment', ({ description, woken }) => {
    // Act
    const objects = objectsWokenBy(alarmOn(unrelated, description), group.objects);

    // Assess
    expect(names(objects)).toEqual(woken);
  });

  it('adds the named objects to those reading the metric, once each', () => {
    // Act
    const objects = objectsWokenBy({ ...sqsAlarm('qa'), configuration: { ...sqsAlarm('qa').configuration, description: 'lpa:shop/a,shop/b' } }, group.objects);

    // Assess
    expect(names(objects)).toEqual(['a', 'b']);
  });
});

describe('objectsWokenBy: nothing to wake', () => {
  it.each([
    { comment: 'a metric no trigger reads', alarm: sqsAlarm('payments') },
    { comment: 'a metric math alarm (no metricStat)', alarm: { alarmName: 'math', state: { value: 'ALARM' as const }, configuration: { metrics: [{ id: 'e1', expression: 'm1 * 2' }] } } },
    { comment: 'an alarm without configuration', alarm: { alarmName: 'bare', state: { value: 'ALARM' as const } } },
  ])('returns no object for $comment', ({ alarm }) => {
    // Prepare
    const group = groupOf([sqsScaledObject('worker', {}, 'shop', 'orders')]);

    // Act
    const objects = objectsWokenBy(alarm, group.objects);

    // Assess
    expect(objects).toEqual([]);
  });
});
