/**
 * The cdk-nag (AwsSolutions) findings the construct accepts, each acknowledged on the one
 * resource it concerns, for one finding id, with the reason it stays (cdk-nag 3 acknowledges
 * through CDK's `Validations`; ids are `AwsSolutions::<rule>[<finding>]`).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { LpaFunction } from './functions.js';

const acknowledge = (scope: IConstruct, finding: string, reason: string): void =>
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });

/** The newest Node.js runtime this aws-cdk-lib knows: what AwsSolutions-L1 compares against. */
const latestNodeRuntime = (): string =>
  lambda.Runtime.ALL.filter((runtime) => runtime.family === lambda.RuntimeFamily.NODEJS && /^nodejs\d+\.x$/.test(runtime.name))
    .map((runtime) => runtime.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .at(-1) ?? '';

interface NagContext {
  /** The function the schedules invoke. */
  readonly scaler: LpaFunction;
  readonly functions: readonly LpaFunction[];
  readonly scheduleRole: iam.Role;
  /** Which functions' roles hold `cloudwatch:GetMetricData` on `*`. */
  readonly readsMetrics: readonly LpaFunction[];
  readonly runtime: lambda.Runtime;
  readonly vpc: boolean;
  /** MSK IAM resources (as cdk-nag names them) granted to each function: their one wildcard is the cluster UUID. */
  readonly mskResources: readonly { readonly fn: LpaFunction; readonly resources: readonly string[] }[];
  /** The wildcard patterns of the cluster source's tenancy granted to the scaler (the operator's own allowances). */
  readonly tenantResources?: readonly string[];
}

/**
 * @example
 * acknowledgeNagFindings({ scaler, functions: [scaler], scheduleRole, readsMetrics: [scaler], runtime, vpc: false, mskResources: [] });
 */
const acknowledgeNagFindings = (context: NagContext): void => {
  for (const fn of context.readsMetrics) {
    acknowledge(fn.role, 'IAM5[Resource::*]', 'cloudwatch:GetMetricData supports no resource-level permissions: "*" is the only resource IAM accepts for it');
  }
  // Scheduler's LambdaInvoke target grants through grantInvoke, which adds `<arn>:*` (versions and aliases of this one function).
  const scalerId = Stack.of(context.scaler).getLogicalId(context.scaler.function.node.defaultChild as CfnElement);
  acknowledge(context.scheduleRole, `IAM5[Resource::<${scalerId}.Arn>:*]`, 'lambda:InvokeFunction on the scaler and its versions only; the wildcard spans just its qualifiers');
  for (const { fn, resources } of context.mskResources) {
    for (const resource of resources) {
      acknowledge(fn.role, `IAM5[Resource::${resource}]`, 'MSK IAM resources name the cluster, topic and group exactly; the cluster UUID is not in the broker host names the manifests give, so it alone is a wildcard');
    }
  }
  for (const resource of context.tenantResources ?? []) {
    acknowledge(context.scaler.role, `IAM5[Resource::${resource}]`, 'a pattern the operator allowed a namespace of the cluster source (tenants); the runtime refuses any object reading outside it');
  }
  for (const fn of context.functions) {
    if (context.runtime.name !== latestNodeRuntime()) {
      acknowledge(fn.function, 'L1', `${context.runtime.name} is the Node.js major LPA is tested and bundled for (package.json's node devDependency, esbuild target node22); choose a newer one with the runtime prop`);
    }
    if (context.vpc) {
      acknowledge(fn.role, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        'a function in a VPC must manage its network interfaces; those EC2 actions support no resource scoping, and this AWS-managed policy is their documented minimum');
    }
  }
};

export { acknowledgeNagFindings, latestNodeRuntime };
export type { NagContext };
