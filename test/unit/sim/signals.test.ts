import { describe, expect, it } from 'vitest';
import type { ModelSnapshot } from '../../../shared/sim/model.js';
import { createMetricReader, findQueueTrigger } from '../../../shared/sim/signals.js';
import type { Trigger } from '../../../shared/spec/types.js';
import { cronTrigger, scaledObject, sqsTrigger } from './fixtures.js';

const snapshot: ModelSnapshot = { second: 42, visible: 30, inFlight: 12, ready: 2, starting: 0, arrived: 0, deleted: 0 };

const cloudWatchTrigger = (metricName: string): Trigger => ({
  type: 'aws-cloudwatch',
  index: 0,
  key: 'cw',
  metricType: 'AverageValue',
  useCachedMetrics: false,
  target: 100,
  activationTarget: 0,
  metadata: {
    namespace: 'AWS/SQS',
    metricName,
    dimensionName: ['QueueName'],
    dimensionValue: ['orders'],
    targetMetricValue: 100,
    activationTargetMetricValue: 0,
    minMetricValue: 0,
    ignoreNullValues: true,
    metricStat: 'Average',
    metricStatPeriod: 300,
    metricCollectionTime: 300,
    metricEndTimeOffset: 0,
    awsRegion: 'eu-west-1',
  },
});

describe('Function: createMetricReader', () => {
  it('feeds the first aws-sqs-queue trigger visible + in-flight and a second one the signal', () => {
    // Prepare
    const so = scaledObject({ triggers: [sqsTrigger({ key: 'a' }), sqsTrigger({ key: 'b' })] });

    // Act
    const metrics = createMetricReader(so, () => ({ value: 7 }))(snapshot);

    // Assess
    expect(metrics).toEqual({ a: { value: 42 }, b: { value: 7 } });
  });

  it('feeds an AWS/SQS CloudWatch trigger when there is no aws-sqs-queue trigger', () => {
    // Prepare
    const visible = scaledObject({ triggers: [cloudWatchTrigger('ApproximateNumberOfMessagesVisible')] });
    const notVisible = scaledObject({ triggers: [cloudWatchTrigger('ApproximateNumberOfMessagesNotVisible')] });

    // Act / Assess
    expect(createMetricReader(visible)(snapshot)).toEqual({ cw: { value: 30 } });
    expect(createMetricReader(notVisible)(snapshot)).toEqual({ cw: { value: 12 } });
  });

  it('finds no queue trigger for a cron-only object, whose triggers then read the signal', () => {
    // Prepare
    const so = scaledObject({ triggers: [cronTrigger('office')] });

    // Act / Assess
    expect(findQueueTrigger(so)).toBeUndefined();
    expect(createMetricReader(so, (_t, second) => ({ value: second }))(snapshot)).toEqual({ office: { value: 42 } });
  });
});
