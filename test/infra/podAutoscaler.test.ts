import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { scaleGroupOfScheduledEvent } from '../../shared/app/events.js';
import { configFromEnv } from '../../shared/app/runtime.js';
import { resolveScaleGroup } from '../../shared/app/scaleGroup.js';
import { ACCOUNT, cloudwatchTrigger, cronTrigger, flatten, policyStatements, queueUrl, scaledObject, sqsTrigger, statementBySid, synthesize } from './fixtures.js';

const READER = 'arn:aws:iam::444455556666:role/metrics-reader';

describe('Construct: PodAutoscaler — table and functions', () => {
  it('creates the state table on demand, with point-in-time recovery, TTL on expiresAt and encryption, retained', () => {
    const { template } = synthesize();
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it.each([
    { handler: 'scaler', timeout: 90, service: 'lpa-scaler' },
    { handler: 'alarm', timeout: 30, service: 'lpa-alarm' },
  ])('runs the $handler on arm64 and Node 22 with the table and Powertools settings in its environment', ({ timeout, service }) => {
    const { template } = synthesize({ wakeUps: {} });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: timeout,
      Environment: {
        Variables: {
          LPA_TABLE_NAME: { Ref: Match.stringLikeRegexp('^LpaStateTable') },
          POWERTOOLS_SERVICE_NAME: service,
          POWERTOOLS_METRICS_NAMESPACE: 'LambdaPodAutoscaler',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      },
    });
  });

  it('sets LPA_CONCURRENCY and LPA_DECISION_TTL_DAYS only when asked', () => {
    const plain = synthesize().template.findResources('AWS::Lambda::Function');
    const tuned = synthesize({ concurrency: 8, decisionRetention: Duration.days(30), logLevel: 'DEBUG' }).template;
    expect(Object.values(plain)[0]?.Properties.Environment.Variables).not.toHaveProperty('LPA_CONCURRENCY');
    tuned.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LPA_CONCURRENCY: '8', LPA_DECISION_TTL_DAYS: '30', POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
  });

  it('never replays a failed or late tick, and retries a wake-up once', () => {
    const { template } = synthesize({ wakeUps: {} });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300 });
  });

  it('gives each function its own log group, writable only by it, and no AWS-managed execution policy', () => {
    const { template } = synthesize();
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LpaScalerLogs'), 'Arn'] } }]) },
    });
  });
});

describe('Construct: PodAutoscaler — schedules', () => {
  it('invokes the scaler every minute with the ScaleGroup as input, in a form the scaler accepts', () => {
    // Prepare
    const manifests = [scaledObject('worker', 'jobs', [sqsTrigger(queueUrl('jobs'))]), scaledObject('reports', 'batch', [cronTrigger()])];
    // Act
    const { template } = synthesize({ manifests, cluster: { clusterName: 'demo', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' } });
    // Assess
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    const { Properties: schedule } = schedules[0] as { Properties: Record<string, any> };
    expect(schedule).toMatchObject({ ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } } });
    const input = JSON.parse(schedule.Target.Input as string);
    expect(input.cluster).toEqual({ name: 'demo', region: 'eu-west-1' });
    const group = resolveScaleGroup(scaleGroupOfScheduledEvent(input), undefined);
    expect(group.invalid).toEqual([]);
    expect(group.objects.map((so) => `${so.metadata.namespace}/${so.metadata.name}`)).toEqual(['jobs/worker', 'batch/reports']);
  });

  it('gives the functions the cluster’s endpoint and CA in their configuration (LPA_CLUSTERS), never in an event', () => {
    // Act
    const { template } = synthesize({ cluster: { clusterName: 'demo', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' } });

    // Assess: the scaler reads the same configuration its runtime parses.
    const [scaler] = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: { Environment: { Variables: Record<string, string> } } }>;
    const env = scaler?.Properties.Environment.Variables ?? {};
    expect(configFromEnv({ ...env, LPA_TABLE_NAME: 'a table (a CloudFormation reference here)' }).clusters).toEqual([{ name: 'demo', region: 'eu-west-1', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' }]);
    for (const schedule of Object.values(template.findResources('AWS::Scheduler::Schedule'))) {
      expect(schedule.Properties.Target.Input).not.toMatch(/endpoint|caData|ABC\.gr7/);
    }
  });

  it('splits a large group across schedules, each object in exactly one', () => {
    const manifests = Array.from({ length: 5 }, (_, i) => scaledObject(`worker-${i}`, 'jobs', [sqsTrigger(queueUrl(`q${i}`))]));
    const { template } = synthesize({ manifests, schedules: { maxObjectsPerSchedule: 2 } });
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => JSON.parse(s.Properties.Target.Input as string));
    expect(inputs.map((input) => input.scaledObjects.length)).toEqual([2, 2, 1]);
    expect(inputs.flatMap((input) => input.scaledObjects.map((so: { metadata: { name: string } }) => so.metadata.name))).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4']);
  });

  it('lets the scheduler role invoke the scaler and nothing else', () => {
    const { template } = synthesize({ wakeUps: {} });
    expect(policyStatements(template, 'LpaScheduleRole')).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^LpaScalerFunction/), 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^LpaScalerFunction/), 'Arn'] }, ':*']] },
        ],
      },
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })] }),
    });
  });
});

describe('Construct: PodAutoscaler — least privilege from the manifests', () => {
  const objectWith = (...triggers: Record<string, unknown>[]) => ({ manifests: [scaledObject('worker', 'jobs', triggers)] });

  it('reads exactly the queues named, by URL or by name', () => {
    const { template } = synthesize(objectWith(sqsTrigger(queueUrl('orders', '999988887777')), sqsTrigger('mail')));
    expect(statementBySid(template, 'LpaScalerRole', 'ReadQueueLength')).toEqual({
      Sid: 'ReadQueueLength',
      Action: 'sqs:GetQueueAttributes',
      Effect: 'Allow',
      Resource: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:mail`, 'arn:aws:sqs:eu-west-1:999988887777:orders'],
    });
    expect(statementBySid(template, 'LpaScalerRole', 'ResolveQueueNames')).toMatchObject({ Action: 'sqs:GetQueueUrl', Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:mail` });
  });

  it.each([
    { case: 'SQS by URL', triggers: [sqsTrigger(queueUrl('orders'))], sids: ['StateTable', 'ReadQueueLength', 'DescribeCluster'] },
    { case: 'SQS by name', triggers: [sqsTrigger('orders')], sids: ['StateTable', 'ReadQueueLength', 'ResolveQueueNames', 'DescribeCluster'] },
    { case: 'CloudWatch', triggers: [cloudwatchTrigger()], sids: ['StateTable', 'ReadMetrics', 'DescribeCluster'] },
    { case: 'a trigger role', triggers: [cloudwatchTrigger({ awsRoleArn: READER }), sqsTrigger('orders', { awsRoleArn: READER })], sids: ['StateTable', 'AssumeTriggerRoles', 'DescribeCluster'] },
    { case: 'cron only', triggers: [cronTrigger()], sids: ['StateTable', 'DescribeCluster'] },
  ])('grants for $case only $sids', ({ triggers, sids }) => {
    const { template } = synthesize(objectWith(...triggers));
    // Every statement but the log group's carries a Sid.
    const granted = policyStatements(template, 'LpaScalerRole').flatMap((statement) => (statement.Sid === undefined ? [] : [statement.Sid]));
    expect(granted).toEqual(sids);
  });

  it('grants aps:QueryMetrics on exactly the AMP workspace of a prometheus trigger', () => {
    const trigger = { type: 'prometheus', metadata: { serverAddress: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0a1b2c3d', query: 'up', threshold: '1' } };
    const { template } = synthesize({ manifests: [scaledObject('web', 'shop', [trigger])] });
    const statement = statementBySid(template, 'LpaScalerRole', 'QueryPrometheus');
    expect({ ...statement, Resource: flatten(statement?.Resource) }).toEqual({
      Sid: 'QueryPrometheus',
      Action: 'aps:QueryMetrics',
      Effect: 'Allow',
      Resource: `arn:aws:aps:eu-west-1:${ACCOUNT}:workspace/ws-0a1b2c3d`,
    });
  });

  it('grants GetMetricData on "*", the only resource that action accepts', () => {
    const { template } = synthesize(objectWith(cloudwatchTrigger()));
    expect(statementBySid(template, 'LpaScalerRole', 'ReadMetrics')).toEqual({ Sid: 'ReadMetrics', Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' });
  });

  it('may assume only the roles the triggers name', () => {
    const { template } = synthesize(objectWith(cloudwatchTrigger({ awsRoleArn: READER })));
    expect(statementBySid(template, 'LpaScalerRole', 'AssumeTriggerRoles')).toEqual({ Sid: 'AssumeTriggerRoles', Action: 'sts:AssumeRole', Effect: 'Allow', Resource: READER });
  });

  it('describes only its own cluster, and only when the endpoint and CA are not given', () => {
    const byName = synthesize().template;
    const withEndpoint = synthesize({ cluster: { clusterName: 'demo', endpoint: 'https://ABC.eks.amazonaws.com', caData: 'Q0E=' } }).template;
    expect(statementBySid(byName, 'LpaScalerRole', 'DescribeCluster')).toEqual({ Sid: 'DescribeCluster', Action: 'eks:DescribeCluster', Effect: 'Allow', Resource: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/demo` });
    expect(statementBySid(withEndpoint, 'LpaScalerRole', 'DescribeCluster')).toBeUndefined();
  });

  it('uses its table with only the five data calls the state store makes', () => {
    const { template } = synthesize();
    expect(statementBySid(template, 'LpaScalerRole', 'StateTable')).toEqual({
      Sid: 'StateTable',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LpaStateTable/), 'Arn'] },
    });
  });
});
