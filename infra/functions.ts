/**
 * The two Lambda functions: NodejsFunction bundled by the local esbuild with the options the bundle
 * benchmark measures (bundling.ts), arm64, each with its own role and log group so the role holds
 * only what this function does (no AWSLambdaBasicExecutionRole: log writes are granted on its
 * one log group).
 */
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../functions/commons/powertools.js';
import { Env } from '../shared/app/runtime.js';
import { LPA_BUNDLE, handlerEntry } from './bundling.js';
import type { HandlerName } from './bundling.js';
import { SERVICE_NAMES } from './defaults.js';
import type { VpcPlacement } from './props.js';

/** The repository root: entries, the lock file and node_modules (with esbuild) are found from it. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const VPC_ACCESS_POLICY = 'service-role/AWSLambdaVPCAccessExecutionRole';

interface LpaFunctionProps {
  readonly handler: HandlerName;
  readonly description: string;
  readonly runtime: lambda.Runtime;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly tableName: string;
  readonly logLevel: string;
  readonly logRetention: logs.RetentionDays;
  /** LPA_CONCURRENCY, LPA_DECISION_TTL_DAYS when set. */
  readonly extraEnvironment: Readonly<Record<string, string>>;
  /** Async invocations: how often a failed one is retried, and how late it may still run. */
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly vpcPlacement?: VpcPlacement;
  /** Packages installed into the function's node_modules instead of bundled (KAFKA_MODULES when a manifest reads Kafka). */
  readonly installedModules?: readonly string[];
}

/** One LPA function with its role and log group, exposed for grants and dashboards. */
class LpaFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LpaFunctionProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `LPA ${props.handler} function: reads triggers, state and the cluster's scale subresource`,
    });
    // ENI management for VPC functions has no resource-level scoping; AWS's managed policy is the minimum.
    if (props.vpcPlacement !== undefined) this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(VPC_ACCESS_POLICY));
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.logGroup.grantWrite(this.role);
    const placement = props.vpcPlacement;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${handlerEntry(props.handler)}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: props.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      environment: {
        [Env.tableName]: props.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES[props.handler],
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.extraEnvironment,
      },
      ...(placement === undefined
        ? {}
        : {
            vpc: placement.vpc,
            ...(placement.subnets === undefined ? {} : { vpcSubnets: placement.subnets }),
            ...(placement.securityGroups === undefined ? {} : { securityGroups: [...placement.securityGroups] }),
          }),
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        minify: LPA_BUNDLE.minify,
        target: LPA_BUNDLE.target,
        mainFields: [...LPA_BUNDLE.mainFields],
        externalModules: [...LPA_BUNDLE.external],
        ...(props.installedModules?.length ? { nodeModules: [...props.installedModules] } : {}),
        banner: LPA_BUNDLE.banner,
        sourceMap: false,
        logLevel: nodejs.LogLevel.WARNING,
      },
    });
  }
}

/** A tick is never replayed, by Scheduler or by Lambda's async retries: a late or failed one is superseded by the next, a minute away. */
const TICK_DELIVERY = { retryAttempts: 0, maxEventAge: Duration.minutes(1) } as const;
/** An alarm wake-up is worth one retry while it is still news. */
const WAKE_UP_DELIVERY = { retryAttempts: 1, maxEventAge: Duration.minutes(5) } as const;

export { LpaFunction, REPO_ROOT, TICK_DELIVERY, WAKE_UP_DELIVERY };
export type { LpaFunctionProps };
