/**
 * PodAutoscaler: KEDA ScaledObjects in, a least-privileged LPA out (DESIGN.md §1). Steps:
 * 1. check the props and validate every manifest with the spec (a bad one fails synth, as `lpa validate` would);
 * 2. the state table and the scaler function, granted exactly what the manifests read;
 * 3. one schedule per part of the cluster's group, at rate(1 minute), input = the ScaleGroup;
 * 4. optionally, wake-up alarms and rules, and the alarm function granted what their objects read;
 * 5. cluster access: an access entry per function role (Kubernetes group, no access policy) and the RBAC;
 * 6. the dashboard and outputs; cdk-nag suppressions, each with its reason.
 */
import { Annotations, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DEFAULT_SHARD_SIZE } from '../shared/app/fanOut.js';
import { Env } from '../shared/app/runtime.js';
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE } from '../shared/spec/auth/triggerAuthentication.js';
import { objectId } from '../shared/app/scaleGroup.js';
import { formatIssue } from '../shared/errors.js';
import type { ScaledObject, TriggerAuthentication } from '../shared/spec/index.js';
import { authAccessOf } from './authAccess.js';
import { awsAccessOf } from './awsAccess.js';
import type { AwsAccess } from './awsAccess.js';
import { AutoscalerDashboard } from './dashboard.js';
import { DEFAULTS, LIMITS, getDefaultTableProps } from './defaults.js';
import { KAFKA_MODULES } from './bundling.js';
import { LpaFunction, TICK_DELIVERY, WAKE_UP_DELIVERY } from './functions.js';
import { kafkaAccessOf, mskNagResources, mskStatements } from './kafkaAccess.js';
import type { KafkaAccess } from './kafkaAccess.js';
import type { LpaFunctionProps } from './functions.js';
import { loadManifests } from './manifests.js';
import type { LoadedObject } from './manifests.js';
import { acknowledgeNagFindings } from './nag.js';
import type { NagContext } from './nag.js';
import { accessStatements, clusterArn } from './policies.js';
import { PodAutoscalerPropsError, checkPodAutoscalerProps, isClusterConstruct } from './props.js';
import type { PodAutoscalerProps } from './props.js';
import { rbacNeedsOf, rbacObjects, rbacYaml } from './rbac.js';
import type { KubernetesObject } from './rbac.js';
import { splitScaleGroup } from './scaleGroups.js';
import { tenancyReads, tenancyResources, tenancyStatements, unreferencedDeclarations, withTenancyRbac } from './tenancyAccess.js';
import type { ScaleGroupCluster, ScaleGroupEvent } from './scaleGroups.js';
import { AlarmWakeUps, selectWakeUpQueues } from './wakeUps.js';

interface ResolvedCluster {
  readonly ref: ScaleGroupCluster;
  /**
   * The API server and CA when known: the functions get them through their configuration
   * (LPA_CLUSTERS), never through an event (the EKS token must only go to the cluster's own server).
   */
  readonly connection?: { readonly endpoint: string; readonly caData: string };
  /** Set when the functions must call eks:DescribeCluster (endpoint and CA not known). */
  readonly describeArn?: string;
  readonly construct?: eks.ICluster;
}

const resolveCluster = (cluster: PodAutoscalerProps['cluster'], stack: Stack): ResolvedCluster => {
  if (!isClusterConstruct(cluster)) {
    const region = cluster.region ?? stack.region;
    const ref = { name: cluster.clusterName, region };
    if (cluster.endpoint === undefined || cluster.caData === undefined) return { ref, describeArn: clusterArn(stack, cluster.clusterName, region) };
    return { ref, connection: { endpoint: cluster.endpoint, caData: cluster.caData } };
  }
  const region = Stack.of(cluster).region;
  // A cluster built in this app knows its endpoint and CA; an imported one may not, so it is looked up.
  if (cluster instanceof eks.Cluster) {
    return { ref: { name: cluster.clusterName, region }, connection: { endpoint: cluster.clusterEndpoint, caData: cluster.clusterCertificateAuthorityData }, construct: cluster };
  }
  return { ref: { name: cluster.clusterName, region }, describeArn: cluster.clusterArn, construct: cluster };
};

/** Kafka brokers live in a VPC: without `vpcPlacement` the functions could never reach them. */
const checkKafkaPlacement = (kafka: KafkaAccess, props: PodAutoscalerProps): void => {
  const problems = [...kafka.problems];
  if (kafka.usesKafka && props.vpcPlacement === undefined) {
    problems.push(
      'vpcPlacement: required with kafka or apache-kafka triggers: the functions must run in the brokers\' VPC, in subnets and security groups the brokers accept (see README "Kafka and MSK")',
    );
  }
  if (problems.length > 0) throw new PodAutoscalerPropsError(problems);
};

const isUnresolved = (cluster: ScaleGroupCluster): boolean => Object.values(cluster).some((value) => typeof value === 'string' && Token.isUnresolved(value));

class PodAutoscaler extends Construct {
  public readonly table: dynamodb.Table;
  public readonly scaler: LpaFunction;
  /** Present with `wakeUps`. */
  public readonly alarm?: LpaFunction;
  public readonly schedules: readonly scheduler.Schedule[];
  /** The role EventBridge Scheduler invokes the scaler with. */
  public readonly scheduleRole: iam.Role;
  public readonly wakeUps?: AlarmWakeUps;
  public readonly accessEntries: readonly eks.CfnAccessEntry[];
  /** The RBAC applied through the cluster construct, with `applyRbac`. */
  public readonly rbacManifest?: eks.KubernetesManifest;
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Every ScaledObject, normalized, in manifest order. */
  public readonly scaledObjects: readonly ScaledObject[];
  /** The (Cluster)TriggerAuthentications given with the manifests, normalized. */
  public readonly triggerAuthentications: readonly TriggerAuthentication[];
  /** The Role + RoleBinding per namespace, and the same as YAML (what `lpa rbac` prints). */
  public readonly rbacObjects: readonly KubernetesObject[];
  public readonly rbacYaml: string;
  /** What each function was granted on MSK, for the cdk-nag acknowledgements. */
  private readonly mskResources: NagContext['mskResources'][number][] = [];

  constructor(scope: Construct, id: string, props: PodAutoscalerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // 1. Props and manifests.
    checkPodAutoscalerProps(props, stack.region);
    const { objects, authentications, warnings } = loadManifests(props.manifests ?? [], { awsEndpoints: props.trustedAwsEndpoints ?? [] });
    this.triggerAuthentications = authentications.map((a) => a.triggerAuthentication);
    if (props.dashboard !== false && objects.length > DEFAULTS.maxDashboardObjects) {
      throw new PodAutoscalerPropsError([`dashboard: ${objects.length} ScaledObjects exceed the ${DEFAULTS.maxDashboardObjects} a dashboard can show (500 widgets); set dashboard: false or split the manifests across PodAutoscalers`]);
    }
    for (const warning of warnings) Annotations.of(this).addWarningV2('lpa:manifest', formatIssue(warning));
    this.scaledObjects = objects.map((o) => o.scaledObject);
    const kafka = kafkaAccessOf(this.scaledObjects, this.triggerAuthentications);
    checkKafkaPlacement(kafka, props);
    const cluster = resolveCluster(props.cluster, stack);
    const reservedBytes = isUnresolved(cluster.ref) ? DEFAULTS.unresolvedClusterBytes : 0;
    const fromCluster = props.source?.fromCluster;
    const group = props.kubernetesGroup ?? DEFAULTS.kubernetesGroup;
    const clusterObjectNamespace = props.clusterObjectNamespace ?? DEFAULT_CLUSTER_OBJECT_NAMESPACE;
    const tenancy = fromCluster === undefined ? undefined : tenancyReads(fromCluster.tenants ?? {}, fromCluster.namespaces ?? [], clusterObjectNamespace);
    for (const warning of unreferencedDeclarations(fromCluster?.tenants ?? {})) Annotations.of(this).addWarningV2('lpa:tenancy', `source.fromCluster.tenants.${warning}`);
    const reads = authAccessOf(this.scaledObjects, this.triggerAuthentications, clusterObjectNamespace).kubernetes;
    const rbac = withTenancyRbac(
      {
        ...rbacNeedsOf(this.scaledObjects),
        ...(fromCluster === undefined ? {} : { fromCluster: { namespaces: fromCluster.namespaces ?? [], scaleKinds: fromCluster.scaleKinds ?? [] } }),
        group,
        reads,
      },
      tenancy,
    );
    this.rbacObjects = rbacObjects(rbac);
    this.rbacYaml = rbacYaml(rbac);

    // 2. State and the scaler.
    this.table = new dynamodb.Table(this, 'StateTable', getDefaultTableProps(props.tableRemovalPolicy ?? DEFAULTS.tableRemovalPolicy));
    const functionProps = { ...this.functionProps(props, cluster), ...(kafka.usesKafka && { installedModules: KAFKA_MODULES }) };
    this.scaler = new LpaFunction(this, 'Scaler', { ...functionProps, handler: 'scaler', description: 'LPA tick: evaluates and scales ScaledObjects', timeout: props.scalerTimeout ?? DEFAULTS.scalerTimeout, ...TICK_DELIVERY });
    const readsMetrics = this.grant(this.scaler, objects, cluster, props.source !== undefined).getMetricData ? [this.scaler] : [];
    if (fromCluster !== undefined) this.allowFanOut(fromCluster.shardSize ?? DEFAULT_SHARD_SIZE);
    // The cluster's objects read only what their namespaces are allowed, and the scaler may read no more.
    const tenantStatements = tenancyStatements(fromCluster?.tenants ?? {});
    for (const statement of tenantStatements) this.scaler.role.addToPrincipalPolicy(statement);
    if (tenantStatements.some((statement) => statement.sid === 'TenantMetrics') && !readsMetrics.includes(this.scaler)) readsMetrics.push(this.scaler);

    // 3. The schedules.
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge Scheduler: invokes the LPA scaler',
    });
    const parts = splitScaleGroup(cluster.ref, objects, {
      maxObjects: props.schedules?.maxObjectsPerSchedule ?? DEFAULTS.maxObjectsPerSchedule,
      maxBytes: props.schedules?.maxInputBytes ?? DEFAULTS.maxScheduleInputBytes,
      reservedBytes,
    }, authentications);
    // The cluster source has its own schedule: listing the cluster is its work, and manifests' schedules stay as they are.
    if (fromCluster !== undefined) {
      const tenants = fromCluster.tenants === undefined ? {} : { tenants: { ...fromCluster.tenants, account: stack.account, region: stack.region } };
      const source = { fromCluster: { ...(fromCluster.namespaces === undefined ? {} : { namespaces: [...fromCluster.namespaces] }), ...(fromCluster.labelSelector === undefined ? {} : { labelSelector: fromCluster.labelSelector }), ...tenants } };
      const part = { cluster: cluster.ref, scaledObjects: [], source };
      // Tokens (account, region, roles) resolve to short strings; the reservation covers them.
      const bytes = Buffer.byteLength(JSON.stringify(part)) + DEFAULTS.unresolvedClusterBytes;
      if (bytes > LIMITS.scheduleInputBytes) {
        throw new PodAutoscalerPropsError([`source.fromCluster.tenants: the cluster source's schedule input would be about ${bytes} bytes, over EventBridge Scheduler's ${LIMITS.scheduleInputBytes}; use patterns or otherNamespaces for fewer entries`]);
      }
      parts.push(part);
    }
    this.schedules = parts.map((part, index) => this.schedule(part, index, parts.length));

    // 4. Wake-ups.
    if (props.wakeUps !== undefined) {
      const selection = selectWakeUpQueues(objects, {
        ...(props.wakeUps.queueNames === undefined ? {} : { queueNames: props.wakeUps.queueNames }),
        ...(Token.isUnresolved(stack.region) ? {} : { region: stack.region }),
        ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }),
      });
      if (selection.problems.length > 0) throw new PodAutoscalerPropsError(selection.problems);
      for (const skipped of selection.skipped) Annotations.of(this).addWarningV2('lpa:wakeUpSkipped', skipped);
      const woken = [...new Set(selection.queues.flatMap((q) => q.objects))];
      this.alarm = new LpaFunction(this, 'Alarm', { ...functionProps, handler: 'alarm', description: 'LPA wake-up: evaluates the ScaledObjects an alarm names', timeout: DEFAULTS.alarmTimeout, ...WAKE_UP_DELIVERY });
      if (this.grant(this.alarm, woken, cluster, false).getMetricData) readsMetrics.push(this.alarm);
      this.wakeUps = new AlarmWakeUps(this, 'WakeUps', { queues: selection.queues, cluster: cluster.ref, target: this.alarm.function, reservedBytes, authentications });
    }

    // 5. Cluster access.
    const functions = [this.scaler, ...(this.alarm === undefined ? [] : [this.alarm])];
    this.accessEntries = props.createAccessEntry === false ? [] : functions.map((fn) => this.accessEntry(fn, cluster.ref.name, group));
    if (cluster.construct !== undefined && props.applyRbac !== false) {
      // Copies: CDK labels the objects it applies (for pruning), which must not leak into rbacObjects.
      this.rbacManifest = cluster.construct.addManifest(`${this.node.id}Rbac`, ...this.rbacObjects.map((o) => structuredClone(o)));
    }

    // 6. Dashboard, outputs, cdk-nag.
    if (props.dashboard !== false) this.dashboard = this.createDashboard(cluster.ref, objects);
    this.outputs();
    const tenantResources = tenancyResources(fromCluster?.tenants ?? {});
    acknowledgeNagFindings({
      scaler: this.scaler,
      functions,
      scheduleRole: this.scheduleRole,
      readsMetrics,
      runtime: props.runtime ?? DEFAULTS.runtime,
      vpc: props.vpcPlacement !== undefined,
      mskResources: this.mskResources,
      tenantResources: tenantResources.filter((r) => r.includes('*') && r !== '*'),
    });
  }

  private schedule(part: ScaleGroupEvent, index: number, count: number): scheduler.Schedule {
    return new scheduler.Schedule(this, `Schedule${index}`, {
      description: `LPA tick: ${part.scaledObjects.length} ScaledObject(s), part ${index + 1} of ${count}`,
      schedule: scheduler.ScheduleExpression.rate(DEFAULTS.scheduleRate),
      // Scheduler's own retries: none either, a missed tick is superseded by the next one.
      target: new schedulerTargets.LambdaInvoke(this.scaler.function, { input: scheduler.ScheduleTargetInput.fromObject(part), role: this.scheduleRole, ...TICK_DELIVERY }),
    });
  }

  /**
   * A large cluster source is sent in shards to invocations of the scaler itself (shared/app/fanOut.ts):
   * `lambda:InvokeFunction` on exactly its own ARN. In a policy of its own, not the role's default
   * policy: the function depends on that one, and naming the function's ARN there would be a cycle.
   */
  private allowFanOut(shardSize: number): void {
    this.scaler.function.addEnvironment(Env.shardSize, String(shardSize));
    new iam.Policy(this, 'ScalerFanOut', {
      roles: [this.scaler.role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.scaler.function.functionArn] })],
    });
  }

  /** The function's role as a member of the Kubernetes group; no access policy: the group's namespaced Roles are all LPA may do (DESIGN.md §4). */
  private accessEntry(fn: LpaFunction, clusterName: string, group: string): eks.CfnAccessEntry {
    return new eks.CfnAccessEntry(this, `${fn.node.id}AccessEntry`, { clusterName, principalArn: fn.role.roleArn, type: 'STANDARD', kubernetesGroups: [group] });
  }

  private functionProps(props: PodAutoscalerProps, cluster: ResolvedCluster): Omit<LpaFunctionProps, 'handler' | 'description' | 'timeout' | 'retryAttempts' | 'maxEventAge'> {
    const ttlDays = props.decisionRetention?.toDays();
    const controller = props.hpaController;
    const clusters = cluster.connection === undefined ? undefined : [{ ...cluster.ref, ...cluster.connection }];
    return {
      runtime: props.runtime ?? DEFAULTS.runtime,
      memorySize: props.memorySize ?? DEFAULTS.memorySizeMb,
      tableName: this.table.tableName,
      logLevel: props.logLevel ?? DEFAULTS.logLevel,
      logRetention: props.logRetention ?? DEFAULTS.logRetention,
      extraEnvironment: {
        ...(props.concurrency === undefined ? {} : { [Env.concurrency]: String(props.concurrency) }),
        ...(props.clusterObjectNamespace === undefined ? {} : { [Env.clusterObjectNamespace]: props.clusterObjectNamespace }),
        ...(ttlDays === undefined ? {} : { [Env.decisionTtlDays]: String(ttlDays) }),
        ...(controller?.cpuInitializationPeriod === undefined ? {} : { [Env.cpuInitializationPeriod]: String(controller.cpuInitializationPeriod.toSeconds()) }),
        ...(controller?.initialReadinessDelay === undefined ? {} : { [Env.initialReadinessDelay]: String(controller.initialReadinessDelay.toSeconds()) }),
        // Tokens (a cluster built in this app) resolve at deploy time.
        ...(clusters === undefined ? {} : { [Env.clusters]: Stack.of(this).toJsonString(clusters) }),
        // The functions re-check every manifest they are given, so they must trust what synth trusted.
        ...(props.trustedAwsEndpoints === undefined || props.trustedAwsEndpoints.length === 0
          ? {}
          : { [Env.trustedAwsEndpoints]: props.trustedAwsEndpoints.join(',') }),
      },
      ...(props.vpcPlacement === undefined ? {} : { vpcPlacement: props.vpcPlacement }),
    };
  }

  /** Least privilege from the objects this function evaluates (awsAccess.ts, policies.ts, kafkaAccess.ts). */
  private grant(fn: LpaFunction, objects: readonly LoadedObject[], cluster: ResolvedCluster, deletesState: boolean): AwsAccess {
    const access = awsAccessOf(objects.map((o) => o.scaledObject), this.triggerAuthentications);
    const kafka = kafkaAccessOf(objects.map((o) => o.scaledObject), this.triggerAuthentications);
    this.mskResources.push({ fn, resources: mskNagResources(Stack.of(this), kafka) });
    const statements = [
      ...accessStatements(Stack.of(this), {
        access,
        table: this.table,
        // Deleting a cluster ScaledObject deletes its state item; manifests' objects never need that.
        deletesState,
        ...(cluster.describeArn === undefined ? {} : { describeClusterArn: cluster.describeArn }),
      }),
      ...mskStatements(Stack.of(this), kafka),
    ];
    for (const statement of statements) fn.role.addToPrincipalPolicy(statement);
    return access;
  }

  private createDashboard(cluster: ScaleGroupCluster, objects: readonly LoadedObject[]): cloudwatch.Dashboard {
    const rows = objects.map(({ scaledObject: so }) => ({
      id: objectId(cluster, so),
      label: `${so.metadata.namespace}/${so.metadata.name}`,
      triggerKeys: so.spec.triggers.map((t) => t.key),
    }));
    return new AutoscalerDashboard(this, 'Dashboard', { clusterName: cluster.name, objects: rows, scaler: this.scaler.function, ...(this.alarm === undefined ? {} : { alarm: this.alarm.function }) }).dashboard;
  }

  private outputs(): void {
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'LPA state table' });
    new CfnOutput(this, 'ScalerFunctionName', { value: this.scaler.function.functionName, description: 'LPA scaler function (scheduled tick)' });
    if (this.alarm !== undefined) new CfnOutput(this, 'AlarmFunctionName', { value: this.alarm.function.functionName, description: 'LPA alarm wake-up function' });
    if (this.dashboard !== undefined) new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName, description: 'LPA CloudWatch dashboard' });
  }
}

export { PodAutoscaler };
