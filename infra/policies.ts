/**
 * IAM statements from what the manifests read (awsAccess.ts): each action on exactly the resources
 * named, and the state table's actions limited to the calls the DynamoDB adapter makes.
 */
import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { ManagedSecretRef } from './authAccess.js';
import type { AmpWorkspaceRef, AwsAccess, QueueRef } from './awsAccess.js';

/**
 * What shared/state/dynamoDbStateStore.ts sends; no Scan, no table management (DeleteItem only for the cluster source).
 * Its TransactWriteItems (a save with decision records) has no IAM action of its own: each Put in it needs PutItem.
 */
const STATE_TABLE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'] as const;

/** A known region names its partition (aws, aws-cn, aws-us-gov…); a token region leaves it to CloudFormation. */
const partitionOf = (stack: Stack, region: string): string => (Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition) ?? stack.partition;

/** The queue's ARN; a bare name lives in the functions' own account (SQS resolves names there). */
const queueArn = (stack: Stack, queue: QueueRef): string =>
  Arn.format(
    {
      partition: partitionOf(stack, queue.region),
      service: 'sqs',
      region: queue.region,
      account: queue.account ?? stack.account,
      resource: queue.name,
    },
    stack,
  );

/**
 * A secret's ARN as IAM matches GetSecretValue: a full ARN as given, else the name in the stack's
 * account with `-??????`, the six random characters Secrets Manager appends to every secret's ARN
 * (exactly six `?`, so `keys` does not also match `keys-old-abcdef`).
 */
const secretArn = (stack: Stack, secret: ManagedSecretRef): string => {
  if (secret.name.startsWith('arn:')) return secret.name;
  const region = secret.region ?? stack.region;
  return Arn.format({ partition: partitionOf(stack, region), service: 'secretsmanager', region, account: stack.account, resource: 'secret', resourceName: `${secret.name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
};

/**
 * `arn:<partition>:aps:<region>:<account>:workspace/<id>`. The address names no account: a workspace
 * queried with the functions' own credentials is in their account (another account's needs awsRoleArn).
 */
const workspaceArn = (stack: Stack, workspace: AmpWorkspaceRef): string =>
  Arn.format(
    { partition: partitionOf(stack, workspace.region), service: 'aps', region: workspace.region, account: stack.account, resource: 'workspace', resourceName: workspace.workspaceId },
    stack,
  );

/** Two refs can share an ARN (a URL and a bare name of the same queue); the list is already sorted. */
const unique = (values: readonly string[]): string[] => [...new Set(values)];

interface AccessStatementsOptions {
  readonly access: AwsAccess;
  readonly table: dynamodb.ITable;
  /** The cluster's ARN when the functions must look up its endpoint and CA. */
  readonly describeClusterArn?: string;
  /** The cluster source deletes the state item of a deleted ScaledObject (dynamodb:DeleteItem). */
  readonly deletesState?: boolean;
}

/**
 * @example
 * for (const statement of accessStatements(stack, { access, table })) role.addToPrincipalPolicy(statement);
 */
const accessStatements = (stack: Stack, { access, table, describeClusterArn, deletesState = false }: AccessStatementsOptions): iam.PolicyStatement[] => {
  const statements = [
    new iam.PolicyStatement({ sid: 'StateTable', actions: [...STATE_TABLE_ACTIONS, ...(deletesState ? ['dynamodb:DeleteItem'] : [])], resources: [table.tableArn] }),
  ];
  if (access.queues.length > 0) {
    const resources = unique(access.queues.map((queue) => queueArn(stack, queue)));
    statements.push(new iam.PolicyStatement({ sid: 'ReadQueueLength', actions: ['sqs:GetQueueAttributes'], resources }));
  }
  const byName = access.queues.filter((queue) => queue.byName);
  if (byName.length > 0) {
    const resources = unique(byName.map((queue) => queueArn(stack, queue)));
    statements.push(new iam.PolicyStatement({ sid: 'ResolveQueueNames', actions: ['sqs:GetQueueUrl'], resources }));
  }
  if (access.getMetricData) {
    // GetMetricData supports no resource-level permissions: `*` is the only valid resource.
    statements.push(new iam.PolicyStatement({ sid: 'ReadMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
  }
  if (access.secrets.length > 0) {
    const resources = unique(access.secrets.map((secret) => secretArn(stack, secret)));
    statements.push(new iam.PolicyStatement({ sid: 'ReadTriggerSecrets', actions: ['secretsmanager:GetSecretValue'], resources }));
  }
  if (access.ampWorkspaces.length > 0) {
    const resources = access.ampWorkspaces.map((workspace) => workspaceArn(stack, workspace));
    statements.push(new iam.PolicyStatement({ sid: 'QueryPrometheus', actions: ['aps:QueryMetrics'], resources }));
  }
  if (access.assumeRoles.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'AssumeTriggerRoles', actions: ['sts:AssumeRole'], resources: [...access.assumeRoles] }));
  }
  if (describeClusterArn !== undefined) {
    statements.push(new iam.PolicyStatement({ sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [describeClusterArn] }));
  }
  return statements;
};

/** `arn:<partition>:eks:<region>:<account>:cluster/<name>` in the stack's account. */
const clusterArn = (stack: Stack, name: string, region: string): string =>
  Arn.format({ partition: partitionOf(stack, region), service: 'eks', region, account: stack.account, resource: 'cluster', resourceName: name }, stack);

export { STATE_TABLE_ACTIONS, accessStatements, clusterArn, queueArn, secretArn, workspaceArn };
export type { AccessStatementsOptions };
