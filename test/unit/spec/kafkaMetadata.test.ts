/**
 * KEDA's metadata tables for both Kafka triggers, transcribed row by row (kafka_scaler_test.go
 * `parseKafkaMetadataTestDataset`, apache_kafka_scaler_test.go `parseApacheKafkaMetadataTestDataset`),
 * each row named after its comment in KEDA (with its index, as comments repeat). Rows are parsed
 * without a TriggerAuthentication: KEDA runs each with and without `sasl: plaintext` authParams and
 * expects the same outcome, and the authParams rules have their own tables (kafka/connection.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import type { ApacheKafkaTrigger, KafkaTrigger } from '../../../shared/spec/types.js';
import { issuesOf, manifest, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

interface Expected {
  readonly brokers: string[];
  readonly group: string;
  readonly topics: string[];
  readonly partitionLimitation?: number[];
  readonly offsetResetPolicy?: 'latest' | 'earliest';
  readonly allowIdleConsumers?: boolean;
  readonly excludePersistentLag?: boolean;
  readonly limitToPartitionsWithLag?: boolean;
  readonly ensureEvenDistributionOfPartitions?: boolean;
  readonly fullMetadata?: boolean;
}

type Row = readonly [name: string, metadata: Record<string, string>, expected: Expected | 'error'];

const parseTrigger = (type: string, metadata: Json) => parseScaledObject(manifest((m) => (m.spec.triggers = [{ type, metadata }])));

const one = (brokers: string, topics: string[] = ['my-topic'], extra: Partial<Expected> = {}): Expected => ({
  brokers: brokers.split(','),
  group: 'my-group',
  topics,
  ...extra,
});

const KAFKA_ROWS: readonly Row[] = [
  ['#0 failure, no bootstrapServers', {}, 'error'],
  ['#1 failure, no consumer group', { bootstrapServers: 'foobar:9092' }, 'error'],
  ['#2 success, no topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group' }, one('foobar:9092', [])],
  ['#3 success, ignore partitionLimitation if no topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '1,2,3,4,5,6' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#4 success, no limitation with whitespaced limitation value', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '           ' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#5 success, no limitation', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#6 failure, version not supported', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', version: '1.2.3.4' }, 'error'],
  ['#7 failure, lagThreshold is negative value', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', lagThreshold: '-1' }, 'error'],
  ['#8 failure, lagThreshold is 0', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', lagThreshold: '0' }, 'error'],
  ['#9 success, lagThreshold is 1000000', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', lagThreshold: '1000000', activationLagThreshold: '0' }, one('foobar:9092')],
  ['#10 failure, activationLagThreshold is not int', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', lagThreshold: '10', activationLagThreshold: 'AA' }, 'error'],
  ['#11 success, activationLagThreshold is 0', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', lagThreshold: '10', activationLagThreshold: '0' }, one('foobar:9092')],
  ['#12 success', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic' }, one('foobar:9092', ['my-topic'], { offsetResetPolicy: 'latest', fullMetadata: true })],
  ['#13 success, partitionLimitation as list', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', partitionLimitation: '1,2,3,4' }, one('foobar:9092', ['my-topic'], { partitionLimitation: [1, 2, 3, 4] })],
  ['#14 success, partitionLimitation as range', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', partitionLimitation: '1-4' }, one('foobar:9092', ['my-topic'], { partitionLimitation: [1, 2, 3, 4] })],
  ['#15 success, partitionLimitation mixed list + ranges', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', partitionLimitation: '1-4,8,10-12' }, one('foobar:9092', ['my-topic'], { partitionLimitation: [1, 2, 3, 4, 8, 10, 11, 12] })],
  ['#16 failure, partitionLimitation wrong data type', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', partitionLimitation: 'a,b,c,d' }, 'error'],
  ['#17 success, more brokers', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topic' }, one('foo:9092,bar:9092')],
  ['#18 success, offsetResetPolicy policy latest', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topic', offsetResetPolicy: 'latest' }, one('foo:9092,bar:9092', ['my-topic'], { offsetResetPolicy: 'latest' })],
  ['#19 failure, offsetResetPolicy policy wrong', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topic', offsetResetPolicy: 'foo' }, 'error'],
  ['#20 success, offsetResetPolicy policy earliest', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topic', offsetResetPolicy: 'earliest' }, one('foo:9092,bar:9092', ['my-topic'], { offsetResetPolicy: 'earliest' })],
  ['#21 failure, allowIdleConsumers malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'notvalid' }, 'error'],
  ['#22 success, allowIdleConsumers is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'true' }, one('foobar:9092', ['my-topic'], { allowIdleConsumers: true })],
  ['#23 failure, excludePersistentLag is malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', excludePersistentLag: 'notvalid' }, 'error'],
  ['#24 success, excludePersistentLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', excludePersistentLag: 'true' }, one('foobar:9092', ['my-topic'], { excludePersistentLag: true })],
  ['#25 success, version supported', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'true', version: '1.0.0' }, one('foobar:9092', ['my-topic'], { allowIdleConsumers: true })],
  ['#26 success, limitToPartitionsWithLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', limitToPartitionsWithLag: 'true' }, one('foobar:9092', ['my-topic'], { limitToPartitionsWithLag: true })],
  ['#27 failure, limitToPartitionsWithLag is malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', limitToPartitionsWithLag: 'notvalid' }, 'error'],
  ['#28 failure, allowIdleConsumers and limitToPartitionsWithLag cannot be set to true simultaneously', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'true', limitToPartitionsWithLag: 'true' }, 'error'],
  ['#29 success, allowIdleConsumers can be set when limitToPartitionsWithLag is false', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', allowIdleConsumers: 'true', limitToPartitionsWithLag: 'false' }, one('foobar:9092', ['my-topic'], { allowIdleConsumers: true, limitToPartitionsWithLag: false })],
  ['#30 failure, topic must be specified when limitToPartitionsWithLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', limitToPartitionsWithLag: 'true' }, 'error'],
  ['#31 success, ensureEvenDistributionOfPartitions is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', ensureEvenDistributionOfPartitions: 'true' }, one('foobar:9092', ['my-topic'], { ensureEvenDistributionOfPartitions: true })],
  ['#32 failure, limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set to true simultaneously', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', ensureEvenDistributionOfPartitions: 'true', limitToPartitionsWithLag: 'true' }, 'error'],
  ['#33 success, fullMetadata true with topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', fullMetadata: 'true' }, one('foobar:9092', ['my-topic'], { fullMetadata: true })],
  ['#34 success, fullMetadata true without topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', fullMetadata: 'true' }, one('foobar:9092', [], { fullMetadata: true })],
  ['#35 success, fullMetadata false with topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', fullMetadata: 'false' }, one('foobar:9092', ['my-topic'], { fullMetadata: false })],
  ['#36 failure, fullMetadata false without topic', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', fullMetadata: 'false' }, 'error'],
  ['#37 failure, fullMetadata malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topic', fullMetadata: 'notabool' }, 'error'],
];

const APACHE_KAFKA_ROWS: readonly Row[] = [
  ['#0 failure, no consumer group', { bootstrapServers: 'foobar:9092' }, 'error'],
  ['#1 success, no topics', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group' }, one('foobar:9092', [])],
  ['#2 success, ignore partitionLimitation if no topics', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '1,2,3,4,5,6' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#3 success, no limitation with whitespaced limitation value', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '           ' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#4 success, no limitation', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', partitionLimitation: '' }, one('foobar:9092', [], { partitionLimitation: [] })],
  ['#5 failure, lagThreshold is negative value', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', lagThreshold: '-1' }, 'error'],
  ['#6 failure, lagThreshold is 0', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', lagThreshold: '0' }, 'error'],
  ['#7 success, LagThreshold is 1000000', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', lagThreshold: '1000000', activationLagThreshold: '0' }, one('foobar:9092', ['my-topics'])],
  ['#8 success, activationLagThreshold is 0', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', lagThreshold: '10', activationLagThreshold: '0' }, one('foobar:9092', ['my-topics'])],
  ['#9 success', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics' }, one('foobar:9092', ['my-topics'], { offsetResetPolicy: 'latest' })],
  ['#10 success, partitionLimitation as list', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', partitionLimitation: '1,2,3,4' }, one('foobar:9092', ['my-topics'], { partitionLimitation: [1, 2, 3, 4] })],
  ['#11 success, partitionLimitation as range', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', partitionLimitation: '1-4' }, one('foobar:9092', ['my-topics'], { partitionLimitation: [1, 2, 3, 4] })],
  ['#12 success, partitionLimitation mixed list + ranges', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', partitionLimitation: '1-4,8,10-12' }, one('foobar:9092', ['my-topics'], { partitionLimitation: [1, 2, 3, 4, 8, 10, 11, 12] })],
  ['#13 failure, partitionLimitation wrong data type', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', partitionLimitation: 'a,b,c,d' }, 'error'],
  ['#14 success, more brokers', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topics' }, one('foo:9092,bar:9092', ['my-topics'])],
  ['#15 success, offsetResetPolicy policy latest', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topics', offsetResetPolicy: 'latest' }, one('foo:9092,bar:9092', ['my-topics'], { offsetResetPolicy: 'latest' })],
  ['#16 failure, offsetResetPolicy policy wrong', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topics', offsetResetPolicy: 'foo' }, 'error'],
  ['#17 success, offsetResetPolicy policy earliest', { bootstrapServers: 'foo:9092,bar:9092', consumerGroup: 'my-group', topic: 'my-topics', offsetResetPolicy: 'earliest' }, one('foo:9092,bar:9092', ['my-topics'], { offsetResetPolicy: 'earliest' })],
  ['#18 failure, allowIdleConsumers malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'notvalid' }, 'error'],
  ['#19 success, allowIdleConsumers is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'true' }, one('foobar:9092', ['my-topics'], { allowIdleConsumers: true })],
  ['#20 failure, excludePersistentLag is malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', excludePersistentLag: 'notvalid' }, 'error'],
  ['#21 success, excludePersistentLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', excludePersistentLag: 'true' }, one('foobar:9092', ['my-topics'], { excludePersistentLag: true })],
  ['#22 success, version supported', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'true' }, one('foobar:9092', ['my-topics'], { allowIdleConsumers: true })],
  ['#23 success, limitToPartitionsWithLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', limitToPartitionsWithLag: 'true' }, one('foobar:9092', ['my-topics'], { limitToPartitionsWithLag: true })],
  ['#24 failure, limitToPartitionsWithLag is malformed', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', limitToPartitionsWithLag: 'notvalid' }, 'error'],
  ['#25 failure, allowIdleConsumers and limitToPartitionsWithLag cannot be set to true simultaneously', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'true', limitToPartitionsWithLag: 'true' }, 'error'],
  ['#26 success, allowIdleConsumers can be set when limitToPartitionsWithLag is false', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', topic: 'my-topics', allowIdleConsumers: 'true', limitToPartitionsWithLag: 'false' }, one('foobar:9092', ['my-topics'], { allowIdleConsumers: true })],
  ['#27 failure, topic must be specified when limitToPartitionsWithLag is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', limitToPartitionsWithLag: 'true' }, 'error'],
  ['#28 success, ensureEvenDistributionOfPartitions is true', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', ensureEvenDistributionOfPartitions: 'true' }, one('foobar:9092', [], { ensureEvenDistributionOfPartitions: true })],
  ['#29 failure, limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set to true simultaneously', { bootstrapServers: 'foobar:9092', consumerGroup: 'my-group', ensureEvenDistributionOfPartitions: 'true', limitToPartitionsWithLag: 'true' }, 'error'],
];

const expectRow = (type: 'kafka' | 'apache-kafka', metadata: Record<string, string>, expected: Expected | 'error') => {
  const result = parseTrigger(type, metadata);
  if (expected === 'error') {
    expect(issuesOf(result).every((issue) => issue.path.startsWith('spec.triggers[0].metadata'))).toBe(true);
    return;
  }
  const trigger = valid(result).spec.triggers[0] as KafkaTrigger | ApacheKafkaTrigger;
  const { brokers, group, topics, ...flags } = expected;
  expect(trigger.metadata).toMatchObject({ bootstrapServers: brokers, consumerGroup: group, topics, ...flags });
  expect(trigger.target).toBe(Number(metadata.lagThreshold ?? 10));
};

describe('Function: parseScaledObject (kafka, KEDA parseKafkaMetadataTestDataset)', () => {
  it.each(KAFKA_ROWS)('%s', (_name, metadata, expected) => expectRow('kafka', metadata, expected));
});

describe('Function: parseScaledObject (apache-kafka, KEDA parseApacheKafkaMetadataTestDataset)', () => {
  it.each(APACHE_KAFKA_ROWS)('%s', (_name, metadata, expected) => expectRow('apache-kafka', metadata, expected));
});

describe('Function: parseScaledObject (kafka vs apache-kafka)', () => {
  const base = { bootstrapServers: 'b:9092', consumerGroup: 'g' };

  it('rejects ensureEvenDistributionOfPartitions without a topic for kafka, naming the rule', () => {
    const issues = issuesOf(parseTrigger('kafka', { ...base, ensureEvenDistributionOfPartitions: 'true' }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['spec.triggers[0].metadata.ensureEvenDistributionOfPartitions', 'topic must be specified when using ensureEvenDistributionOfPartitions'],
    ]);
  });

  it('reads several comma-separated topics for apache-kafka', () => {
    const trigger = valid(parseTrigger('apache-kafka', { ...base, topic: 'orders, payments' })).spec.triggers[0] as ApacheKafkaTrigger;
    expect(trigger.metadata.topics).toEqual(['orders', 'payments']);
  });

  it('rejects several topics for kafka, pointing at apache-kafka', () => {
    const issues = issuesOf(parseTrigger('kafka', { ...base, topic: 'orders,payments' }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.topic', expect.stringContaining('apache-kafka several')]]);
  });

  it.each([['version'], ['fullMetadata'], ['saslTokenProvider'], ['unsafeSsl']])('rejects the kafka-only key %s for apache-kafka', (key) => {
    const issues = issuesOf(parseTrigger('apache-kafka', { ...base, [key]: key === 'version' ? '1.0.0' : key === 'saslTokenProvider' ? 'aws_msk_iam' : 'false' }));
    expect(issues.map((i) => i.path)).toEqual([`spec.triggers[0].metadata.${key}`]);
  });

  it('accepts aws_msk_iam as sasl for apache-kafka only', () => {
    expect(parseTrigger('apache-kafka', { ...base, sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' }).ok).toBe(true);
    expect(issuesOf(parseTrigger('kafka', { ...base, sasl: 'aws_msk_iam' })).map((i) => i.path)).toEqual(['spec.triggers[0].metadata.sasl']);
  });

  it('refuses unsafeSsl: true, since LPA always verifies certificates', () => {
    const issues = issuesOf(parseTrigger('kafka', { ...base, tls: 'enable', unsafeSsl: 'true' }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.unsafeSsl', expect.stringContaining('always verifies')]]);
  });

  it.each([['kafka'], ['apache-kafka']])('refuses sasl gssapi (Kerberos) for %s where it is written', (type) => {
    const issues = issuesOf(parseTrigger(type, { ...base, sasl: 'gssapi' }));
    expect(issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.sasl', expect.stringContaining('not supported by LPA')]]);
  });

  it('refuses an OAuth token endpoint (saslTokenProvider bearer) for kafka', () => {
    const issues = issuesOf(parseTrigger('kafka', { ...base, sasl: 'oauthbearer', saslTokenProvider: 'bearer' }));
    expect(issues.map((i) => i.path)).toEqual(['spec.triggers[0].metadata.saslTokenProvider']);
  });

  it('accepts sasl with trailing whitespace, as KEDA trims values', () => {
    const trigger = valid(parseTrigger('kafka', { ...base, sasl: 'plaintext\n' })).spec.triggers[0] as KafkaTrigger;
    expect(trigger.metadata.sasl).toBe('plaintext');
  });

  it('validates seed 001: one topic, lagThreshold 5, KEDA defaults for the rest', () => {
    const trigger = valid(
      parseTrigger('kafka', {
        bootstrapServers: 'kafka.svc:9092',
        consumerGroup: 'my-group',
        topic: 'test-topic',
        lagThreshold: '5',
        offsetResetPolicy: 'latest',
        allowIdleConsumers: false,
        scaleToZeroOnInvalidOffset: false,
        version: '1.0.0',
      } as Json as Record<string, string>),
    ).spec.triggers[0] as KafkaTrigger;
    expect(trigger).toMatchObject({ target: 5, activationTarget: 0, metricType: 'AverageValue' });
    expect(trigger.metadata).toMatchObject({ topics: ['test-topic'], allowIdleConsumers: false, excludePersistentLag: false, limitToPartitionsWithLag: false });
  });
});
