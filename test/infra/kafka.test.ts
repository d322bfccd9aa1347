/**
 * The construct and Kafka triggers: vpcPlacement is required (synth error otherwise), and MSK IAM
 * triggers get kafka-cluster:Connect / DescribeTopic / DescribeGroup on exactly their cluster,
 * topics and group (the cluster UUID, absent from broker hosts, is the only wildcard).
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, flatten, scaledObject, statementBySid, synthesize } from './fixtures.js';

const MSK_BROKERS = 'b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098';

const kafkaObject = (metadata: Record<string, string>, type = 'kafka') =>
  scaledObject('consumer', 'jobs', [{ type, metadata: { consumerGroup: 'workers', lagThreshold: '50', ...metadata } }]);

const inVpc = (manifests: Record<string, unknown>[]) => (stack: import('aws-cdk-lib').Stack) => ({
  manifests,
  vpcPlacement: { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) },
});

const arn = (resource: string) => `arn:{Ref:AWS::Partition}:kafka:${REGION}:${ACCOUNT}:${resource}`;

describe('PodAutoscaler with Kafka triggers', () => {
  it('refuses to synthesize without vpcPlacement, saying why', () => {
    expect(() => synthesize({ manifests: [kafkaObject({ bootstrapServers: 'kafka.internal:9092', topic: 'jobs' })] })).toThrow(
      /vpcPlacement: required with kafka or apache-kafka triggers/,
    );
  });

  it('grants MSK IAM on the cluster, the topic and the group the trigger reads, nothing else', () => {
    const { template } = synthesize(inVpc([kafkaObject({ bootstrapServers: MSK_BROKERS, topic: 'jobs', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: REGION }, 'apache-kafka')]));

    const resources = (sid: string) => {
      const statement = statementBySid(template, 'LpaScalerRole', sid);
      return [statement?.Action, [statement?.Resource].flat().map(flatten)];
    };
    expect(resources('MskConnect')).toEqual(['kafka-cluster:Connect', [arn('cluster/orders/*')]]);
    expect(resources('MskDescribeTopics')).toEqual(['kafka-cluster:DescribeTopic', [arn('topic/orders/*/jobs')]]);
    expect(resources('MskDescribeGroups')).toEqual(['kafka-cluster:DescribeGroup', [arn('group/orders/*/workers')]]);
  });

  it('treats brokers on MSK\'s IAM port as MSK IAM, since sasl may come from a TriggerAuthentication', () => {
    const { template } = synthesize(inVpc([kafkaObject({ bootstrapServers: MSK_BROKERS, topic: 'jobs', tls: 'enable', awsRegion: REGION })]));
    expect(statementBySid(template, 'LpaScalerRole', 'MskConnect')).toBeDefined();
  });

  it('grants DescribeTopic on every topic of the cluster when the trigger reads all the group\'s topics', () => {
    const { template } = synthesize(inVpc([kafkaObject({ bootstrapServers: MSK_BROKERS })]));
    expect([statementBySid(template, 'LpaScalerRole', 'MskDescribeTopics')?.Resource].flat().map(flatten)).toEqual([arn('topic/orders/*/*')]);
  });

  it('grants no MSK action to a SCRAM or plaintext Kafka', () => {
    const { template } = synthesize(inVpc([kafkaObject({ bootstrapServers: 'kafka.internal:9096', topic: 'jobs', sasl: 'scram_sha512', tls: 'enable' })]));
    expect(statementBySid(template, 'LpaScalerRole', 'MskConnect')).toBeUndefined();
  });

  it('refuses MSK IAM brokers it cannot name a cluster from, naming the trigger', () => {
    expect(() =>
      synthesize(inVpc([kafkaObject({ bootstrapServers: 'kafka.internal:9098', topic: 'jobs', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: REGION }, 'apache-kafka')])),
    ).toThrow(/jobs\/consumer spec\.triggers\[0\]\.metadata\.bootstrapServers: MSK IAM needs the MSK broker host names/);
  });
});
