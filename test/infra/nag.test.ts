import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PodAutoscaler } from '../../infra/index.js';
import type { PodAutoscalerProps } from '../../infra/index.js';
import { latestNodeRuntime } from '../../infra/nag.js';
import { ACCOUNT, REGION, cloudwatchTrigger, cronTrigger, queueUrl, scaledObject, sqsTrigger } from './fixtures.js';

interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}
interface Report {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: readonly Violation[]; readonly suppressedViolations?: readonly Violation[] }[];
}

const manifests = [
  scaledObject('orders', 'shop', [sqsTrigger(queueUrl('orders')), sqsTrigger('mail')]),
  scaledObject('latency', 'shop', [cloudwatchTrigger(), cronTrigger()]),
  scaledObject('remote', 'batch', [cloudwatchTrigger({ awsRoleArn: 'arn:aws:iam::444455556666:role/reader' })]),
];

/** Synthesizes with cdk-nag's AwsSolutions pack (a plugin of CDK's policy validation in cdk-nag 3) and returns its report. */
const nagReport = (props: (stack: Stack) => Partial<PodAutoscalerProps>): Report => {
  const outdir = mkdtempSync(join(tmpdir(), 'lpa-nag-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Nag', { env: { account: ACCOUNT, region: REGION } });
  new PodAutoscaler(stack, 'Lpa', { cluster: { clusterName: 'demo' }, manifests, ...props(stack) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // A finding with severity error makes synth throw, naming the report.
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
};

const awsSolutions = (report: Report) => {
  const plugin = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
  if (plugin === undefined) throw new Error('cdk-nag did not run');
  return { violations: plugin.violations, acknowledged: plugin.suppressedViolations ?? [] };
};

describe('cdk-nag: AwsSolutionsChecks', () => {
  it('finds nothing unacknowledged in a deployment with every trigger kind and wake-ups', () => {
    const { violations } = awsSolutions(nagReport(() => ({ wakeUps: {} })));
    expect(violations).toEqual([]);
  });

  it('finds nothing unacknowledged with a cluster source, whose scaler may invoke itself', () => {
    const { violations } = awsSolutions(nagReport(() => ({ source: { fromCluster: { namespaces: ['shop'] } } })));
    expect(violations).toEqual([]);
  });

  it('acknowledges only the findings LPA keeps, each with its reason', () => {
    const { acknowledged } = awsSolutions(nagReport(() => ({ wakeUps: {} })));
    expect(acknowledged.map((v) => `${v.ruleName} @ ${v.acknowledgedAt}`).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ Nag/Lpa/Scaler/Role',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<LpaScalerFunction\w+\.Arn>:\*\] @ Nag\/Lpa\/ScheduleRole$/),
      'AwsSolutions-L1 @ Nag/Lpa/Alarm/Function',
      'AwsSolutions-L1 @ Nag/Lpa/Scaler/Function',
    ]);
    for (const violation of acknowledged) expect(violation.reason?.length).toBeGreaterThan(40);
    expect(acknowledged.find((v) => v.ruleName === 'AwsSolutions-IAM5[Resource::*]')?.reason).toContain('GetMetricData supports no resource-level permissions');
  });

  it('acknowledges only the MSK cluster UUID wildcards of MSK IAM grants, each named', () => {
    const report = nagReport((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      Validations.of(vpc).acknowledge({ id: 'AwsSolutions::AwsSolutions-VPC7', reason: 'test fixture: the cluster VPC belongs to the user, its flow logs are not LPA’s to configure' });
      const brokers = 'b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098';
      const kafka = scaledObject('consumer', 'jobs', [{ type: 'apache-kafka', metadata: { bootstrapServers: brokers, consumerGroup: 'workers', topic: 'jobs', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: REGION } }]);
      return { vpcPlacement: { vpc }, manifests: [...manifests, kafka] };
    });
    const { violations, acknowledged } = awsSolutions(report);
    expect(violations).toEqual([]);
    expect(acknowledged.filter((v) => v.ruleName.includes(':kafka:')).map((v) => v.ruleName).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kafka:eu-west-1:111122223333:cluster/orders/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kafka:eu-west-1:111122223333:group/orders/*/workers]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kafka:eu-west-1:111122223333:topic/orders/*/jobs]',
    ]);
  });

  it('stays clean in a VPC on the newest runtime, acknowledging the managed VPC policy and no runtime finding', () => {
    const report = nagReport((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      Validations.of(vpc).acknowledge({ id: 'AwsSolutions::AwsSolutions-VPC7', reason: 'test fixture: the cluster VPC belongs to the user, its flow logs are not LPA’s to configure' });
      return { vpcPlacement: { vpc }, runtime: lambda.Runtime.ALL.find((runtime) => runtime.name === latestNodeRuntime()) as lambda.Runtime };
    });
    const { violations, acknowledged } = awsSolutions(report);
    expect(violations).toEqual([]);
    expect(acknowledged.map((v) => v.ruleName)).toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]');
    expect(acknowledged.some((v) => v.ruleName === 'AwsSolutions-L1')).toBe(false);
  });

  it('acknowledges the tenancy patterns the operator allowed, each named, and finds nothing else', () => {
    const tenants = { namespaces: { billing: { awsResources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*`, `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:metric/Billing/*`] } } };
    const { violations, acknowledged } = awsSolutions(nagReport(() => ({ source: { fromCluster: { namespaces: ['billing'], tenants } } })));
    expect(violations).toEqual([]);
    expect(acknowledged.map((v) => v.ruleName).filter((name) => name.includes(':sqs:') || name.endsWith('[Resource::*]'))).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      `AwsSolutions-IAM5[Resource::arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*]`,
    ]);
  });
});
