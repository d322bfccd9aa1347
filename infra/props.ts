/**
 * The PodAutoscaler's props and their validator (solutions-constructs' `Check…Props`): every
 * problem is reported at once, each naming the prop and the rule, before any resource is built.
 * Values that are CDK tokens are checked by CloudFormation at deploy time instead.
 */
import { Construct } from 'constructs';
import { Token } from 'aws-cdk-lib';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { LpaError } from '../shared/errors.js';
import { trustEntryProblem } from '../shared/spec/awsEndpoint.js';
import { dns1123LabelProblem } from '../shared/spec/kubeNames.js';
import { LIMITS } from './defaults.js';
import type { ManifestSource } from './manifests.js';
import { tenancySchema, type TenantAllowance } from '../shared/access/tenancy.js';
import { tenancyPropsProblems, type TenancyProps } from './tenancyAccess.js';

/** A cluster this app does not manage, by name. */
interface ClusterReference {
  readonly clusterName: string;
  /** @default the stack's region */
  readonly region?: string;
  /** The API server's https URL; with `caData`, the functions need no `eks:DescribeCluster`. @default looked up with eks:DescribeCluster */
  readonly endpoint?: string;
  /** Base64 of the cluster's PEM CA bundle, as DescribeCluster returns it. @default looked up with eks:DescribeCluster */
  readonly caData?: string;
}

/** The cluster source: which of the cluster's ScaledObjects this PodAutoscaler serves. */
interface FromClusterProps {
  /** @default every namespace (the RBAC is then a ClusterRole) */
  readonly namespaces?: readonly string[];
  /** Only objects with these labels, e.g. `autoscaler=lpa`. @default all */
  readonly labelSelector?: string;
  /** Kinds besides Deployment and StatefulSet the objects may target, e.g. `{ group: 'argoproj.io', resource: 'rollouts' }`. @default none */
  readonly scaleKinds?: readonly { readonly group: string; readonly resource: string }[];
  /**
   * A tick that lists more ScaledObjects than this sends them, in shards of at most this many, to
   * asynchronous invocations of the scaler (the scaler may then invoke itself). @default 250
   */
  readonly shardSize?: number;
  /**
   * What the objects of each namespace may make LPA read (README, "Tenancy"): per namespace, and for the
   * namespaces not named (`otherNamespaces`), `awsResources` (ARNs or patterns read with the functions'
   * role, IAM roles among them being roles the objects may read as) or a `roleArn` every AWS read of the
   * namespace is made as, `endpoints` (host patterns), `services` (in-cluster Services, as serverAddress
   * URLs), `secrets` (Kubernetes Secret names) and `clusterTriggerAuthentications` (names); and, once for
   * all, what each ClusterTriggerAuthentication may read (`clusterTriggerAuthentications: { <name>:
   * { secrets, roleArn | awsResources } }`). The functions' IAM and RBAC are derived from these alone.
   * @default nothing: objects whose triggers read anything outside the cluster are refused
   */
  readonly tenants?: TenancyProps;
}

/** For clusters with a private endpoint: the functions run in the cluster's network. */
interface VpcPlacement {
  readonly vpc: ec2.IVpc;
  /** @default the VPC's private subnets with egress */
  readonly subnets?: ec2.SubnetSelection;
  /** Allow them 443 into the cluster security group. @default one new security group, all egress allowed */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
}

/**
 * Alarm wake-ups: a CloudWatch alarm per queue evaluates the objects reading it when it goes to
 * ALARM, 1–3 minutes after the first message (SQS metrics are published once a minute): a second
 * path besides the schedule, for a lost tick, not a faster one (the schedule reads the queue itself).
 */
interface WakeUpProps {
  /** Queue names (as the triggers name them) to alarm on. @default every queue the triggers read in this stack's account and region */
  readonly queueNames?: readonly string[];
}

interface ScheduleSplitProps {
  /** @default 50 */
  readonly maxObjectsPerSchedule?: number;
  /** UTF-8 bytes of one schedule's input; Scheduler's limit is 256 KiB. @default 65536 */
  readonly maxInputBytes?: number;
}

interface PodAutoscalerProps {
  /** The cluster whose Deployments are scaled: a cluster construct, or a reference by name. */
  readonly cluster: eks.ICluster | ClusterReference;
  /** ScaledObject manifests: file paths (YAML or JSON, relative to the working directory) or objects. @default none (then `source.fromCluster` is required) */
  readonly manifests?: readonly ManifestSource[];
  /** Also keep ScaledObjects in the cluster: each tick lists `scaledobjects.keda.sh` (README, "Keep your ScaledObjects in the cluster"). @default manifests only */
  readonly source?: { readonly fromCluster: FromClusterProps };
  /** The Kubernetes group of the access entry, bound by the generated RBAC. @default 'lpa-scaler' */
  readonly kubernetesGroup?: string;
  /**
   * Where the Secrets that ClusterTriggerAuthentications name live: KEDA's cluster object namespace
   * (`KEDA_CLUSTER_OBJECT_NAMESPACE`, the namespace KEDA is installed in). The functions read them
   * there, and the generated RBAC grants `get` on exactly those Secrets there.
   * @default 'keda'
   */
  readonly clusterObjectNamespace?: string;
  /** Create the EKS access entries (clusters in API or API_AND_CONFIG_MAP mode). @default true */
  readonly createAccessEntry?: boolean;
  /** Apply the RBAC through `cluster.addManifest` (needs a cluster construct with kubectl access). @default true with a cluster construct, false with a ClusterReference */
  readonly applyRbac?: boolean;
  /** @default the functions run outside any VPC */
  readonly vpcPlacement?: VpcPlacement;
  /** @default no alarms, no alarm function */
  readonly wakeUps?: WakeUpProps;
  /** @default true */
  readonly dashboard?: boolean;
  /** @default 50 objects and 64 KiB per schedule */
  readonly schedules?: ScheduleSplitProps;
  /** A Node.js runtime, 22 or newer. @default lambda.Runtime.NODEJS_22_X */
  readonly runtime?: lambda.Runtime;
  /** Of each function, in MB. @default 256 */
  readonly memorySize?: number;
  /** Of the scaler; more than a minute (sub-minute polling loops for ~55 s). @default Duration.seconds(90) */
  readonly scalerTimeout?: Duration;
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** ScaledObjects evaluated in parallel per invocation (LPA_CONCURRENCY). @default the runtime's, 32 */
  readonly concurrency?: number;
  /** How long decision records live (LPA_DECISION_TTL_DAYS), whole days. @default the runtime's, 7 days */
  readonly decisionRetention?: Duration;
  /** @default RemovalPolicy.RETAIN: the state table outlives the stack */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * The HPA controller flags cpu triggers read, which EKS users cannot set on the controller itself:
   * `--horizontal-pod-autoscaler-cpu-initialization-period` (@default Duration.minutes(5)) and
   * `--horizontal-pod-autoscaler-initial-readiness-delay` (@default Duration.seconds(30)), whole seconds.
   */
  readonly hpaController?: { readonly cpuInitializationPeriod?: Duration; readonly initialReadinessDelay?: Duration };
  /**
   * Hosts a trigger's `awsEndpoint` may name besides AWS's own (`*.amazonaws.com`, `*.amazonaws.com.cn`,
   * `*.api.aws`): `host` allows https to it, `http://host` plain http too (LPA_TRUSTED_AWS_ENDPOINTS).
   * Signed requests carry the functions' session token: list only hosts you control.
   * @default none
   */
  readonly trustedAwsEndpoints?: readonly string[];
}

/** Props that break a rule; the message lists every problem. */
class PodAutoscalerPropsError extends LpaError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(`invalid PodAutoscaler props:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'PodAutoscalerPropsError';
    this.problems = problems;
  }
}

const isClusterConstruct = (cluster: PodAutoscalerProps['cluster']): cluster is eks.ICluster => Construct.isConstruct(cluster);

/** The same rule as the ScaleGroup event schema (shared/app/scaleGroup.ts). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);

const clusterProblems = (cluster: ClusterReference, stackRegion: string, props: PodAutoscalerProps): string[] => {
  const problems: string[] = [];
  if (known(cluster.clusterName) && cluster.clusterName.trim() === '') problems.push('cluster.clusterName: must not be empty');
  if (known(cluster.region) && !REGION.test(cluster.region)) problems.push(`cluster.region: must be an AWS region such as eu-west-1, got "${cluster.region}"`);
  if (known(cluster.endpoint) && !cluster.endpoint.startsWith('https://')) problems.push('cluster.endpoint: must be an https URL');
  if ((cluster.endpoint === undefined) !== (cluster.caData === undefined)) {
    problems.push('cluster.endpoint, cluster.caData: give both, or neither to look them up with eks:DescribeCluster');
  }
  if (props.applyRbac === true) problems.push('applyRbac: needs a cluster construct; apply lpa-rbac.yaml (or `lpa rbac` output) with kubectl instead');
  const region = cluster.region ?? stackRegion;
  if (props.createAccessEntry !== false && known(region) && known(stackRegion) && region !== stackRegion) {
    problems.push(`createAccessEntry: the access entry is created in the stack's region ${stackRegion}, the cluster is in ${region}; deploy there or set createAccessEntry: false`);
  }
  return problems;
};

const nodeMajor = (runtime: lambda.Runtime): number => Number(/^nodejs(\d+)/.exec(runtime.name)?.[1] ?? NaN);

const functionProblems = (props: PodAutoscalerProps): string[] => {
  const problems: string[] = [];
  if (props.runtime !== undefined && !(props.runtime.family === lambda.RuntimeFamily.NODEJS && nodeMajor(props.runtime) >= 22)) {
    problems.push(`runtime: must be a Node.js runtime 22 or newer (middy 6, ESM bundles for node22), got ${props.runtime.name}`);
  }
  const { min, max } = LIMITS.memorySizeMb;
  const memory = props.memorySize;
  if (memory !== undefined && !(Number.isInteger(memory) && memory >= min && memory <= max)) problems.push(`memorySize: must be a whole number of MB in [${min}, ${max}], got ${memory}`);
  const timeout = props.scalerTimeout?.toSeconds();
  if (timeout !== undefined && !(timeout > 60 && timeout <= LIMITS.functionTimeout.toSeconds())) {
    problems.push(`scalerTimeout: must be over 60 s (sub-minute polling runs ~55 s per tick) and at most 15 minutes, got ${timeout} s`);
  }
  if (props.concurrency !== undefined && !(Number.isInteger(props.concurrency) && props.concurrency >= 1)) problems.push(`concurrency: must be a positive integer, got ${props.concurrency}`);
  for (const [key, duration] of Object.entries(props.hpaController ?? {}) as [string, Duration | undefined][]) {
    const seconds = duration?.toSeconds({ integral: false });
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0 && seconds <= 3600)) problems.push(`hpaController.${key}: must be whole seconds from 0 to 1 hour, got ${seconds} s`);
  }
  const retention = props.decisionRetention?.toDays({ integral: false });
  if (retention !== undefined && !(Number.isInteger(retention) && retention >= 1)) problems.push(`decisionRetention: must be a whole number of days, at least 1, got ${retention}`);
  return problems;
};

const scheduleProblems = ({ maxObjectsPerSchedule: objects, maxInputBytes: bytes }: ScheduleSplitProps = {}): string[] => [
  ...(objects !== undefined && !(Number.isInteger(objects) && objects >= 1) ? [`schedules.maxObjectsPerSchedule: must be a positive integer, got ${objects}`] : []),
  ...(bytes !== undefined && !(Number.isInteger(bytes) && bytes >= 1024 && bytes <= LIMITS.scheduleInputBytes)
    ? [`schedules.maxInputBytes: must be a whole number of bytes in [1024, ${LIMITS.scheduleInputBytes}] (Scheduler's input limit), got ${bytes}`]
    : []),
];

const TENANTS = 'source.fromCluster.tenants';

/** A role ARN that passes the schema, standing in for a token (e.g. `role.roleArn`) CloudFormation resolves. */
const TOKEN_ROLE = 'arn:aws:iam::000000000000:role/token';

/**
 * The schema's rules (the functions parse the same from their event), then the services IAM can grant.
 * A namespace's `roleArn` may be a token (it is an IAM role whatever it resolves to); an `awsResources`
 * entry may not: which actions it needs depends on its service, which a token does not say at synth.
 */
const tenantProblems = (tenants: TenancyProps | undefined): string[] => {
  if (tenants === undefined) return [];
  const tokens: string[] = [];
  const checkable = (at: string, allowance: TenantAllowance | undefined): TenantAllowance | undefined => {
    if (allowance === undefined) return undefined;
    (allowance.awsResources ?? []).forEach((arn, i) => {
      if (Token.isUnresolved(arn)) tokens.push(`${TENANTS}.${at}.awsResources[${i}]: must be an ARN or pattern written out (a token such as queue.queueArn does not say its service at synth, so no IAM action can be chosen for it)`);
    });
    return allowance.roleArn !== undefined && Token.isUnresolved(allowance.roleArn) ? { ...allowance, roleArn: TOKEN_ROLE } : allowance;
  };
  const candidate = {
    ...tenants,
    ...(tenants.namespaces === undefined ? {} : { namespaces: Object.fromEntries(Object.entries(tenants.namespaces).map(([ns, a]) => [ns, checkable(`namespaces.${ns}`, a)])) }),
    ...(tenants.otherNamespaces === undefined ? {} : { otherNamespaces: checkable('otherNamespaces', tenants.otherNamespaces) }),
    ...(tenants.clusterTriggerAuthentications === undefined
      ? {}
      : { clusterTriggerAuthentications: Object.fromEntries(Object.entries(tenants.clusterTriggerAuthentications).map(([name, d]) => [name, checkable(`clusterTriggerAuthentications.${name}`, d)])) }),
  };
  if (tokens.length > 0) return tokens;
  // account and region are the construct's to set, from the stack.
  const parsed = tenancySchema().omit({ account: true, region: true }).strict().safeParse(candidate);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${[TENANTS, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  return tenancyPropsProblems(parsed.data, TENANTS);
};

/**
 * Throws PodAutoscalerPropsError listing every broken rule. Manifests are checked separately,
 * by the spec (manifests.ts), so their messages match `lpa validate`.
 */
const checkPodAutoscalerProps = (props: PodAutoscalerProps, stackRegion: string): void => {
  const problems: string[] = [];
  if ((props.manifests ?? []).length === 0 && props.source === undefined) problems.push('manifests: give at least one file or ScaledObject, or set source.fromCluster');
  const shardSize = props.source?.fromCluster.shardSize;
  if (shardSize !== undefined && !Token.isUnresolved(shardSize) && (!Number.isInteger(shardSize) || shardSize < 1)) problems.push(`source.fromCluster.shardSize: must be a positive whole number, got ${shardSize}`);
  for (const [i, ns] of (props.source?.fromCluster.namespaces ?? []).entries()) {
    if (known(ns) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) problems.push(`source.fromCluster.namespaces[${i}]: must be a namespace name (RFC 1123 label), got "${ns}"`);
  }
  problems.push(...tenantProblems(props.source?.fromCluster.tenants));
  if (!isClusterConstruct(props.cluster)) problems.push(...clusterProblems(props.cluster, stackRegion, props));
  const clusterObjectNamespace = props.clusterObjectNamespace;
  const namespaceProblem = known(clusterObjectNamespace) ? dns1123LabelProblem(clusterObjectNamespace) : undefined;
  if (namespaceProblem !== undefined) problems.push(`clusterObjectNamespace: ${namespaceProblem}, got "${clusterObjectNamespace}"`);
  const group = props.kubernetesGroup;
  if (known(group) && (group.trim() === '' || group.startsWith('system:'))) {
    problems.push(`kubernetesGroup: must be a non-empty name outside the reserved "system:" prefix, got "${group}"`);
  }
  if (props.vpcPlacement?.securityGroups?.length === 0) {
    problems.push('vpcPlacement.securityGroups: give at least one, or leave it out for a new one');
  }
  if (props.wakeUps?.queueNames?.some((name) => name.trim() === '')) problems.push('wakeUps.queueNames: names must not be empty');
  for (const [i, entry] of (props.trustedAwsEndpoints ?? []).entries()) {
    const problem = known(entry) ? trustEntryProblem(entry) : undefined;
    if (problem !== undefined) problems.push(`trustedAwsEndpoints[${i}]: ${problem}`);
  }
  problems.push(...functionProblems(props), ...scheduleProblems(props.schedules));
  if (problems.length > 0) throw new PodAutoscalerPropsError(problems);
};

export { PodAutoscalerPropsError, checkPodAutoscalerProps, isClusterConstruct };
export type { ClusterReference, FromClusterProps, PodAutoscalerProps, ScheduleSplitProps, VpcPlacement, WakeUpProps };
