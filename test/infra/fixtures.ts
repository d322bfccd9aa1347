/**
 * Manifests as users write them, and a stack to synthesize a PodAutoscaler in: bundling skipped
 * (`aws:cdk:bundling-stacks: []`, as CDK documents for unit tests) and CloudFormation's built-in
 * schema validation off, so one synth takes milliseconds; the example-app test runs both for real.
 */
import { App, Stack } from 'aws-cdk-lib';
import type { Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PodAutoscaler } from '../../infra/index.js';
import type { PodAutoscalerProps } from '../../infra/index.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

type Manifest = Record<string, unknown>;

const scaledObject = (name: string, namespace: string, triggers: readonly Manifest[], spec: Manifest = {}): Manifest => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace },
  spec: { scaleTargetRef: { name }, maxReplicaCount: 10, ...spec, triggers },
});

const sqsTrigger = (queueURL: string, metadata: Manifest = {}): Manifest => ({
  type: 'aws-sqs-queue',
  metadata: { queueURL, queueLength: '5', awsRegion: REGION, ...metadata },
});

const cloudwatchTrigger = (metadata: Manifest = {}): Manifest => ({
  type: 'aws-cloudwatch',
  name: 'latency',
  metadata: {
    namespace: 'Shop',
    metricName: 'CheckoutLatency',
    dimensionName: 'Service',
    dimensionValue: 'checkout',
    targetMetricValue: '200',
    minMetricValue: '0',
    awsRegion: REGION,
    ...metadata,
  },
});

const cronTrigger = (): Manifest => ({
  type: 'cron',
  metadata: { timezone: 'Europe/Dublin', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '3' },
});

const queueUrl = (name: string, account = ACCOUNT, region = REGION): string => `https://sqs.${region}.amazonaws.com/${account}/${name}`;

interface TestStack {
  readonly app: App;
  readonly stack: Stack;
}

const testStack = (env: Environment = { account: ACCOUNT, region: REGION }): TestStack => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  return { app, stack: new Stack(app, 'Test', { env }) };
};

type Props = Omit<PodAutoscalerProps, 'cluster' | 'manifests'> & Partial<Pick<PodAutoscalerProps, 'cluster' | 'manifests'>>;

/** A PodAutoscaler for cluster "demo" (by name) with one SQS object unless told otherwise; props may need the stack (a cluster construct). */
const synthesize = (props: Props | ((stack: Stack) => Props) = {}, env?: Environment): { template: Template; autoscaler: PodAutoscaler; stack: Stack } => {
  const { stack } = testStack(env);
  const autoscaler = new PodAutoscaler(stack, 'Lpa', {
    cluster: { clusterName: 'demo' },
    manifests: [scaledObject('worker', 'jobs', [sqsTrigger(queueUrl('jobs'))])],
    ...(typeof props === 'function' ? props(stack) : props),
  });
  return { template: Template.fromStack(stack), autoscaler, stack };
};

/** The statements of the one policy attached to the role whose logical id starts with `rolePrefix`. */
const policyStatements = (template: Template, rolePrefix: string): Record<string, unknown>[] => {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
};

/** One statement by its Sid, resolved values as the template holds them. */
const statementBySid = (template: Template, rolePrefix: string, sid: string): Record<string, unknown> | undefined =>
  policyStatements(template, rolePrefix).find((statement) => statement.Sid === sid);

/**
 * A CloudFormation value as text: `Fn::Join` joined, `Ref`/`Fn::GetAtt` as `{Ref:X}`/`{X.Attr}`,
 * so JSON held in a template string (a dashboard body, an input) can be parsed and read.
 */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const record = value as Record<string, unknown>;
  if ('Fn::Join' in record) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  if ('Ref' in record) return `{Ref:${String(record.Ref)}}`;
  if ('Fn::GetAtt' in record) return `{${(record['Fn::GetAtt'] as string[]).join('.')}}`;
  return JSON.stringify(value);
};

export { ACCOUNT, REGION, cloudwatchTrigger, cronTrigger, flatten, policyStatements, queueUrl, scaledObject, sqsTrigger, statementBySid, synthesize, testStack };
export type { Manifest };
