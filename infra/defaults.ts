/**
 * Every default of the PodAutoscaler construct, with its unit and its reason, in one place
 * (solutions-constructs' `*-defaults.ts`). Props documents point here with `@default`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { stateTableDefinition } from '../shared/state/tableDefinition.js';
import { DEFAULT_KUBERNETES_GROUP } from './rbac.js';

/** The service names the handlers give Powertools (functions/*\/handler.ts): the `service` metric dimension. */
const SERVICE_NAMES = { scaler: 'lpa-scaler', alarm: 'lpa-alarm' } as const;

const DEFAULTS = {
  kubernetesGroup: DEFAULT_KUBERNETES_GROUP,
  /** The runtime the repo is tested on (package.json's node devDependency) and bundles for. */
  runtime: lambda.Runtime.NODEJS_22_X,
  /** I/O-bound work: 256 MB is enough and what the cost arithmetic assumes. */
  memorySizeMb: 256,
  /**
   * Sub-minute pollingInterval objects are re-evaluated inside one invocation for up to ~55 s
   * (shared/app/tick.ts), so the tick needs more than a minute; 90 s leaves time for the last pass.
   */
  scalerTimeout: Duration.seconds(90),
  /** One reconcile of the woken objects. */
  alarmTimeout: Duration.seconds(30),
  logLevel: 'INFO',
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Scheduler's floor, and KEDA's default pollingInterval is 30 s: never slower than a minute. */
  scheduleRate: Duration.minutes(1),
  /** Objects per schedule: one invocation evaluates them with bounded concurrency. */
  maxObjectsPerSchedule: 50,
  /** Scheduler accepts 256 KB of input; a quarter of it keeps the template small and leaves margin. */
  maxScheduleInputBytes: 64 * 1024,
  /** CloudWatch dashboards hold at most 500 widgets; each object takes two. */
  maxDashboardObjects: 200,
  tableRemovalPolicy: RemovalPolicy.RETAIN,
  /**
   * What a cluster's name adds to an event once CloudFormation resolves it (a cluster construct's
   * attributes are tokens at synth time): EKS names are at most 100 characters.
   */
  unresolvedClusterBytes: 256,
} as const;

/** Hard limits the validator enforces (AWS's, not ours). */
const LIMITS = {
  /** EventBridge Scheduler: a target's Input. */
  scheduleInputBytes: 256 * 1024,
  /** EventBridge rules: an InputTransformer's InputTemplate, in characters. */
  inputTemplateChars: 8192,
  /** Lambda: the longest invocation. */
  functionTimeout: Duration.minutes(15),
  /** Lambda: memory range in MB. */
  memorySizeMb: { min: 128, max: 10_240 },
} as const;

/**
 * The state table: the key schema and TTL attribute of `stateTableDefinition` (so the table and
 * the DynamoDB adapter agree), on demand, point-in-time recovery, encrypted with the AWS-managed key.
 */
const getDefaultTableProps = (removalPolicy: RemovalPolicy): dynamodb.TableProps => ({
  partitionKey: { name: stateTableDefinition.partitionKey.name, type: stateTableDefinition.partitionKey.type as dynamodb.AttributeType },
  sortKey: { name: stateTableDefinition.sortKey.name, type: stateTableDefinition.sortKey.type as dynamodb.AttributeType },
  timeToLiveAttribute: stateTableDefinition.timeToLiveAttribute,
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  encryption: dynamodb.TableEncryption.AWS_MANAGED,
  removalPolicy,
});

export { DEFAULTS, LIMITS, SERVICE_NAMES, getDefaultTableProps };
