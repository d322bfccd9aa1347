import { describe, expect, it } from 'vitest';
import { parseScaledObject, SUPPORTED_TRIGGER_TYPES } from '../../../shared/spec/index.js';
import type { CloudWatchTrigger, CronTrigger, SqsQueueTrigger } from '../../../shared/spec/types.js';
import { cloudwatchTriggerJson, cronTriggerJson, expectOneIssue, manifest, sqsTriggerJson, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const withTrigger = (trigger: Json) => manifest((m) => (m.spec.triggers = [trigger]));
const onlyTrigger = <T>(trigger: Json): T => valid(parseScaledObject(withTrigger(trigger))).spec.triggers[0] as T;

describe('Constant: SUPPORTED_TRIGGER_TYPES', () => {
  it('lists the supported trigger types, sorted', () => {
    expect(SUPPORTED_TRIGGER_TYPES).toEqual(['apache-kafka', 'aws-cloudwatch', 'aws-sqs-queue', 'cpu', 'cron', 'datadog', 'kafka', 'memory', 'new-relic', 'prometheus']);
  });
});

describe('Function: parseScaledObject (aws-sqs-queue)', () => {
  it('applies the SQS defaults and derives target and activationTarget', () => {
    // Act
    const trigger = onlyTrigger<SqsQueueTrigger>(sqsTriggerJson());

    // Assess
    expect(trigger.metadata).toEqual({
      queueURL: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
      awsRegion: 'us-east-1',
      queueLength: 5,
      activationQueueLength: 0,
      scaleOnInFlight: true,
      scaleOnDelayed: false,
    });
    expect(trigger).toMatchObject({ target: 5, activationTarget: 0 });
  });

  it('reads KEDA-style strings and plain YAML scalars alike', () => {
    // Prepare
    const trigger = sqsTriggerJson({ queueLength: '20', activationQueueLength: 3, scaleOnInFlight: 'F', scaleOnDelayed: true });

    // Act
    const parsed = onlyTrigger<SqsQueueTrigger>(trigger);

    // Assess
    expect(parsed.metadata).toMatchObject({ queueLength: 20, activationQueueLength: 3, scaleOnInFlight: false, scaleOnDelayed: true });
    expect(parsed).toMatchObject({ target: 20, activationTarget: 3 });
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(onlyTrigger<SqsQueueTrigger>(sqsTriggerJson({ queueLength: '' })).metadata.queueLength).toBe(5);
  });

  it.each([
    { comment: 'a bare queue name', metadata: { queueURL: 'orders.fifo' } },
    { comment: 'a VPC endpoint and a role', metadata: { awsEndpoint: 'https://vpce-0a1b-c2d3.sqs.us-east-1.vpce.amazonaws.com', awsRoleArn: 'arn:aws:iam::123456789012:role/reader' } },
    { comment: 'deprecated identityOwner operator', metadata: { identityOwner: 'operator' } },
  ])('accepts $comment', ({ metadata }) => {
    expect(parseScaledObject(withTrigger(sqsTriggerJson(metadata))).ok).toBe(true);
  });

  it('refuses queueURLFromEnv with the reason, and asks for queueURL without suggesting it', () => {
    const result = parseScaledObject(withTrigger(sqsTriggerJson({ queueURL: undefined, queueURLFromEnv: 'QUEUE_URL' })));
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.message])).toEqual([
      ['spec.triggers[0].metadata.queueURL', 'is required'],
      [
        'spec.triggers[0].metadata.queueURLFromEnv',
        "is not supported: LPA runs outside the cluster and cannot read the target container's environment, nor grant access to a queue it cannot name; set queueURL",
      ],
    ]);
  });

  it('warns that identityOwner is deprecated and ignored', () => {
    const result = parseScaledObject(withTrigger(sqsTriggerJson({ identityOwner: 'pod' })));
    expect(result.warnings.map((w) => [w.path, w.message])).toEqual([
      ['spec.triggers[0].metadata.identityOwner', expect.stringContaining('deprecated since KEDA 2.13')],
    ]);
  });

  it.each([
    { comment: 'queueURL missing', metadata: { queueURL: undefined }, key: 'queueURL', fragment: 'is required' },
    { comment: 'queueURLFromEnv beside queueURL', metadata: { queueURLFromEnv: 'QUEUE_URL' }, key: 'queueURLFromEnv', fragment: "cannot read the target container's environment" },
    { comment: 'URL without the account segment', metadata: { queueURL: 'https://sqs.us-east-1.amazonaws.com/orders' }, key: 'queueURL', fragment: 'must have the path /<account>/<queue name>' },
    { comment: 'URL with an extra segment', metadata: { queueURL: 'https://sqs.us-east-1.amazonaws.com/1/2/orders' }, key: 'queueURL', fragment: 'got "/1/2/orders"' },
    { comment: 'neither URL nor queue name', metadata: { queueURL: 'sqs.us-east-1.amazonaws.com/123/orders' }, key: 'queueURL', fragment: 'neither a queue URL' },
    { comment: 'queueLength 5.5 (KEDA parses an int)', metadata: { queueLength: '5.5' }, key: 'queueLength', fragment: 'must be an integer (KEDA parses it with strconv.ParseInt), got "5.5"' },
    { comment: 'queueLength 0 (the HPA needs a positive target)', metadata: { queueLength: '0' }, key: 'queueLength', fragment: 'must be ≥ 1, got 0' },
    { comment: 'activationQueueLength not a number', metadata: { activationQueueLength: 'ten' }, key: 'activationQueueLength', fragment: 'must be an integer' },
    { comment: 'scaleOnInFlight "yes" (not a Go ParseBool spelling)', metadata: { scaleOnInFlight: 'yes' }, key: 'scaleOnInFlight', fragment: 'strconv.ParseBool' },
    { comment: 'awsRegion missing', metadata: { awsRegion: undefined }, key: 'awsRegion', fragment: 'is required' },
    { comment: 'awsRegion misspelt', metadata: { awsRegion: 'ap-northeast2' }, key: 'awsRegion', fragment: 'must be an AWS region' },
    { comment: 'awsEndpoint not a URL', metadata: { awsEndpoint: 'localhost:4566' }, key: 'awsEndpoint', fragment: 'must be https' },
    { comment: 'awsRoleArn not a role ARN', metadata: { awsRoleArn: 'arn:aws:iam::123:user/bob' }, key: 'awsRoleArn', fragment: 'must be an IAM role ARN' },
    { comment: 'identityOwner neither pod nor operator', metadata: { identityOwner: 'node' }, key: 'identityOwner', fragment: 'must be one of "pod", "operator"' },
    { comment: 'a legacy key LPA does not support', metadata: { awsAccessKeyIDFromEnv: 'AWS_KEY' }, key: 'awsAccessKeyIDFromEnv', fragment: 'unknown key' },
    { comment: 'a metadata value that is a mapping', metadata: { awsRegion: { name: 'us-east-1' } }, key: 'awsRegion', fragment: 'must be a string, got a mapping' },
  ])('rejects: $comment', ({ metadata, key, fragment }) => {
    expectOneIssue(parseScaledObject(withTrigger(sqsTriggerJson(metadata))), `spec.triggers[0].metadata.${key}`, fragment);
  });
});

describe('Function: parseScaledObject (aws-cloudwatch)', () => {
  it('applies the CloudWatch defaults, splits dimensions and derives targets', () => {
    // Act
    const trigger = onlyTrigger<CloudWatchTrigger>(cloudwatchTriggerJson({ activationTargetMetricValue: '2.5' }));

    // Assess
    expect(trigger.metadata).toEqual({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensionName: ['QueueName'],
      dimensionValue: ['orders'],
      targetMetricValue: 100,
      activationTargetMetricValue: 2.5,
      minMetricValue: 0,
      ignoreNullValues: true,
      metricStat: 'Average',
      metricStatPeriod: 300,
      metricCollectionTime: 300,
      metricEndTimeOffset: 0,
      awsRegion: 'us-east-1',
    });
    expect(trigger).toMatchObject({ target: 100, activationTarget: 2.5 });
  });

  it('splits ;-separated dimension lists', () => {
    const trigger = onlyTrigger<CloudWatchTrigger>(cloudwatchTriggerJson({ dimensionName: 'A; B', dimensionValue: 'x;y' }));
    expect(trigger.metadata).toMatchObject({ dimensionName: ['A', 'B'], dimensionValue: ['x', 'y'] });
  });

  it('needs no namespace, metric or dimensions when expression is set', () => {
    // Prepare
    const trigger = cloudwatchTriggerJson({
      namespace: undefined,
      metricName: undefined,
      dimensionName: undefined,
      dimensionValue: undefined,
      expression: 'SELECT MAX(CPUUtilization) FROM "AWS/EC2"',
    });

    // Act
    const parsed = onlyTrigger<CloudWatchTrigger>(trigger);

    // Assess
    expect(parsed.metadata).toMatchObject({ dimensionName: [], dimensionValue: [], expression: 'SELECT MAX(CPUUtilization) FROM "AWS/EC2"' });
  });

  it.each([
    { comment: 'p95', metricStat: 'p95' },
    { comment: 'p99.9', metricStat: 'p99.9' },
    { comment: 'tm99', metricStat: 'tm99' },
    { comment: 'TM(10%:90%)', metricStat: 'TM(10%:90%)' },
    { comment: 'SampleCount', metricStat: 'SampleCount' },
  ])('accepts the statistic $comment', ({ metricStat }) => {
    expect(parseScaledObject(withTrigger(cloudwatchTriggerJson({ metricStat }))).ok).toBe(true);
  });

  it.each([
    { comment: '1 s (high resolution)', period: '1', collection: '60' },
    { comment: '30 s', period: '30', collection: '90' },
    { comment: '120 s', period: '120', collection: '240' },
    { comment: 'collection time 0', period: '60', collection: '0' },
  ])('accepts metricStatPeriod/metricCollectionTime: $comment', ({ period, collection }) => {
    expect(parseScaledObject(withTrigger(cloudwatchTriggerJson({ metricStatPeriod: period, metricCollectionTime: collection }))).ok).toBe(true);
  });

  it.each([
    { comment: 'namespace missing without expression', metadata: { namespace: undefined }, key: 'namespace', fragment: 'is required unless expression is set' },
    { comment: 'metricName missing without expression', metadata: { metricName: undefined }, key: 'metricName', fragment: 'is required unless expression is set' },
    { comment: 'dimensionName missing without expression', metadata: { dimensionName: undefined }, key: 'dimensionName', fragment: 'is required unless expression is set' },
    { comment: 'dimension lists of different lengths', metadata: { dimensionName: 'A;B' }, key: 'dimensionValue', fragment: 'has 1 ;-separated value(s) but dimensionName has 2' },
    { comment: 'targetMetricValue missing', metadata: { targetMetricValue: undefined }, key: 'targetMetricValue', fragment: 'is required' },
    { comment: 'targetMetricValue 0', metadata: { targetMetricValue: '0' }, key: 'targetMetricValue', fragment: 'must be > 0, got 0' },
    { comment: 'targetMetricValue not a number', metadata: { targetMetricValue: '10k' }, key: 'targetMetricValue', fragment: 'strconv.ParseFloat' },
    { comment: 'minMetricValue missing (KEDA\'s code requires it)', metadata: { minMetricValue: undefined }, key: 'minMetricValue', fragment: 'is required' },
    { comment: 'metricStatPeriod 45', metadata: { metricStatPeriod: '45' }, key: 'metricStatPeriod', fragment: 'must be 1, 5, 10, 30, 60 or a multiple of 60, got 45' },
    { comment: 'metricStatPeriod 90', metadata: { metricStatPeriod: '90', metricCollectionTime: '180' }, key: 'metricStatPeriod', fragment: 'got 90' },
    { comment: 'metricCollectionTime not a multiple of the period', metadata: { metricStatPeriod: '60', metricCollectionTime: '90' }, key: 'metricCollectionTime', fragment: 'must be a multiple of metricStatPeriod (60), got 90' },
    { comment: 'metricCollectionTime negative', metadata: { metricCollectionTime: '-60' }, key: 'metricCollectionTime', fragment: 'must be ≥ 0' },
    { comment: 'metricEndTimeOffset negative', metadata: { metricEndTimeOffset: '-1' }, key: 'metricEndTimeOffset', fragment: 'must be ≥ 0' },
    { comment: 'metricUnit not a StandardUnit', metadata: { metricUnit: 'count' }, key: 'metricUnit', fragment: '"Count"' },
    { comment: 'metricStat unknown', metadata: { metricStat: 'Avg' }, key: 'metricStat', fragment: 'must be a CloudWatch statistic' },
    { comment: 'ignoreNullValues not a boolean', metadata: { ignoreNullValues: 'no' }, key: 'ignoreNullValues', fragment: 'strconv.ParseBool' },
    { comment: 'awsAccountId not 12 digits', metadata: { awsAccountId: '1234' }, key: 'awsAccountId', fragment: '12-digit' },
  ])('rejects: $comment', ({ metadata, key, fragment }) => {
    expectOneIssue(parseScaledObject(withTrigger(cloudwatchTriggerJson(metadata))), `spec.triggers[0].metadata.${key}`, fragment);
  });
});

describe('Function: parseScaledObject (cron)', () => {
  it('reads the metadata and fixes target 1 and activationTarget 0', () => {
    // Act
    const trigger = onlyTrigger<CronTrigger>(cronTriggerJson({ desiredReplicas: 4 }));

    // Assess
    expect(trigger.metadata).toEqual({ timezone: 'Asia/Seoul', start: '0 9 * * *', end: '0 18 * * *', desiredReplicas: 4 });
    expect(trigger).toMatchObject({ target: 1, activationTarget: 0 });
  });

  it.each([
    { comment: 'lists with leading zeros (seed 001)', start: '00,15,30,45 * * * *', end: '05,20,35,50 * * * *' },
    { comment: 'ranges, steps and names', start: '*/15 8-17 * JAN-DEC MON-FRI', end: '0 18 ? * sat' },
    { comment: 'day of month and month', start: '0 0 1 1 *', end: '0 0 31 12 *' },
  ])('accepts cron specs: $comment', ({ start, end }) => {
    expect(parseScaledObject(withTrigger(cronTriggerJson({ start, end }))).ok).toBe(true);
  });

  it.each([
    { comment: 'start missing', metadata: { start: undefined }, key: 'start', fragment: 'is required' },
    { comment: 'timezone missing', metadata: { timezone: undefined }, key: 'timezone', fragment: 'is required' },
    { comment: 'desiredReplicas missing', metadata: { desiredReplicas: undefined }, key: 'desiredReplicas', fragment: 'is required' },
    { comment: '6 fields (seconds are not supported)', metadata: { start: '0 0 9 * * *' }, key: 'start', fragment: 'must have 5 fields' },
    { comment: 'a descriptor', metadata: { end: '@hourly' }, key: 'end', fragment: 'must have 5 fields' },
    { comment: 'minute 60', metadata: { start: '60 9 * * *' }, key: 'start', fragment: 'minute "60" is out of range 0-59' },
    { comment: 'day of week 7', metadata: { start: '0 9 * * 7' }, key: 'start', fragment: 'day of week "7" is out of range 0-6' },
    { comment: 'day of month 0', metadata: { end: '0 9 0 * *' }, key: 'end', fragment: 'day of month "0" is out of range 1-31' },
    { comment: 'backwards range', metadata: { start: '0 17-9 * * *' }, key: 'start', fragment: 'runs backwards' },
    { comment: 'bad step', metadata: { start: '*/0 * * * *' }, key: 'start', fragment: 'bad step' },
    { comment: 'start equals end', metadata: { end: '0 9 * * *' }, key: 'end', fragment: 'must differ from start' },
    { comment: 'unknown time zone', metadata: { timezone: 'Asia/Busan' }, key: 'timezone', fragment: 'is not an IANA time zone' },
    { comment: 'time zone in the wrong case (Go is case-sensitive)', metadata: { timezone: 'asia/seoul' }, key: 'timezone', fragment: 'write "Asia/Seoul"' },
    { comment: 'desiredReplicas 0', metadata: { desiredReplicas: '0' }, key: 'desiredReplicas', fragment: 'must be ≥ 1, got 0' },
    { comment: 'desiredReplicas 1.5', metadata: { desiredReplicas: '1.5' }, key: 'desiredReplicas', fragment: 'must be an integer' },
  ])('rejects: $comment', ({ metadata, key, fragment }) => {
    expectOneIssue(parseScaledObject(withTrigger(cronTriggerJson(metadata))), `spec.triggers[0].metadata.${key}`, fragment);
  });
});
