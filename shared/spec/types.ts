/**
 * The normalized ScaledObject: what `parseScaledObjects` returns after KEDA's defaults are applied
 * and every validation rule has passed. The engine and the runtime read only this shape.
 */
import type { PrometheusAuthMode } from './triggers/prometheusAuth.js';

type MetricType = 'AverageValue' | 'Value';

type FallbackBehavior =
  | 'static'
  | 'currentReplicas'
  | 'currentReplicasIfHigher'
  | 'currentReplicasIfLower'
  | 'scalingModifiers';

type SelectPolicy = 'Max' | 'Min' | 'Disabled';

interface HpaScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** `behavior.scaleUp` / `behavior.scaleDown` exactly as written: unset fields stay undefined (the engine fills the Kubernetes defaults). */
interface HpaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: SelectPolicy;
  readonly policies?: readonly HpaScalingPolicy[];
  /** Quantity parsed to a number (`"0.05"`, `"50m"` → 0.05). */
  readonly tolerance?: number;
}

interface HpaBehavior {
  readonly scaleUp?: HpaScalingRules;
  readonly scaleDown?: HpaScalingRules;
}

interface ScalingModifiers {
  readonly formula: string;
  readonly target: number;
  /** default 0 */
  readonly activationTarget: number;
  /** default AverageValue */
  readonly metricType: MetricType;
}

interface Fallback {
  readonly failureThreshold: number;
  readonly replicas: number;
  /** default `static` */
  readonly behavior: FallbackBehavior;
}

/** Fields every trigger has, whatever its type. */
interface TriggerCommon {
  /** Position in `spec.triggers` (0-based). */
  readonly index: number;
  /** The user's `name`, if given. */
  readonly name?: string;
  /** The key of this trigger's metric: `name` if given, else the index as a string ("0", "1", …). */
  readonly key: string;
  /** default AverageValue */
  readonly metricType: MetricType;
  /** Accepted for KEDA compatibility; LPA reads each metric once per evaluation anyway. */
  readonly useCachedMetrics: boolean;
  readonly authenticationRef?: { readonly name: string; readonly kind: 'TriggerAuthentication' | 'ClusterTriggerAuthentication' };
  /** The HPA target of this trigger's metric (e.g. SQS `queueLength`, CloudWatch `targetMetricValue`, cron: 1). */
  readonly target: number;
  /** Active iff value > activationTarget (e.g. `activationQueueLength`; cron: 0). */
  readonly activationTarget: number;
}

interface SqsQueueMetadata {
  /** Full queue URL or a bare queue name (KEDA accepts both). `queueURLFromEnv` is refused: LPA cannot read the pod's environment. */
  readonly queueURL: string;
  /** default 5 */
  readonly queueLength: number;
  /** default 0 */
  readonly activationQueueLength: number;
  readonly awsRegion: string;
  readonly awsEndpoint?: string;
  /** default true */
  readonly scaleOnInFlight: boolean;
  /** default false */
  readonly scaleOnDelayed: boolean;
  readonly awsRoleArn?: string;
  /** deprecated in KEDA, accepted and ignored */
  readonly identityOwner?: 'pod' | 'operator';
}

interface CloudWatchMetadata {
  readonly namespace?: string;
  readonly metricName?: string;
  /** `dimensionName` split on `;` */
  readonly dimensionName: readonly string[];
  /** `dimensionValue` split on `;` (same length as dimensionName) */
  readonly dimensionValue: readonly string[];
  readonly expression?: string;
  readonly targetMetricValue: number;
  /** default 0 */
  readonly activationTargetMetricValue: number;
  readonly minMetricValue: number;
  /** default true */
  readonly ignoreNullValues: boolean;
  /** default Average */
  readonly metricStat: string;
  /** seconds, default 300 */
  readonly metricStatPeriod: number;
  /** seconds, default 300 */
  readonly metricCollectionTime: number;
  /** seconds, default 0 */
  readonly metricEndTimeOffset: number;
  readonly metricUnit?: string;
  readonly awsAccountId?: string;
  readonly awsRegion: string;
  readonly awsEndpoint?: string;
  readonly awsRoleArn?: string;
  readonly identityOwner?: 'pod' | 'operator';
}

interface CronMetadata {
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
  readonly desiredReplicas: number;
}

/** New Relic's NerdGraph regions (newrelic-client-go `region.Parse`, case-insensitive). */
type NewRelicRegion = 'US' | 'EU' | 'STAGING';

/** `account`, `queryKey` and `region` may also come from the TriggerAuthentication (which wins). */
interface NewRelicMetadata {
  readonly account?: number;
  /** A User API key (`NRAK-…`) in plain metadata: allowed by KEDA, warned about by LPA. */
  readonly queryKey?: string;
  readonly region?: NewRelicRegion;
  readonly nrql: string;
  readonly threshold: number;
  /** default 0 */
  readonly activationThreshold: number;
  /** default false */
  readonly noDataError: boolean;
}

interface NewRelicTrigger extends TriggerCommon {
  readonly type: 'new-relic';
  readonly metadata: NewRelicMetadata;
}

/** `datadog` in API mode; apiKey, appKey and datadogSite come from the TriggerAuthentication only. */
interface DatadogMetadata {
  readonly query: string;
  /** `queryValue` (alias `targetValue`) */
  readonly queryValue: number;
  /** default 0 */
  readonly activationQueryValue: number;
  /** Required when the query returns several series. */
  readonly queryAggregator?: 'average' | 'max';
  /** seconds, default 90 */
  readonly age: number;
  /** seconds, default 0 */
  readonly timeWindowOffset: number;
  /** points, default 0 */
  readonly lastAvailablePointOffset: number;
  /** The value when Datadog has none (422, no series, a null point); unset: an error. */
  readonly metricUnavailableValue?: number;
  /** HTTP timeout in ms (`timeout`: a Go duration, or a bare number of milliseconds). */
  readonly timeoutMs?: number;
}

interface DatadogTrigger extends TriggerCommon {
  readonly type: 'datadog';
  readonly metadata: DatadogMetadata;
}

/** What both Kafka triggers share: where the group is, and KEDA's lag rules. */
interface KafkaLagMetadata {
  /** `bootstrapServers` split on `,`, each trimmed. */
  readonly bootstrapServers: readonly string[];
  readonly consumerGroup: string;
  /** `topic` (kafka: at most one; apache-kafka: `,`-separated). Empty: every topic the group has committed offsets for. */
  readonly topics: readonly string[];
  /** Partition ids from `partitionLimitation` (`"1,2,10-20"`); empty: every partition. Ignored without a topic, as in KEDA. */
  readonly partitionLimitation: readonly number[];
  /** default 10 */
  readonly lagThreshold: number;
  /** default 0 */
  readonly activationLagThreshold: number;
  /** default latest */
  readonly offsetResetPolicy: 'latest' | 'earliest';
  readonly allowIdleConsumers: boolean;
  readonly excludePersistentLag: boolean;
  readonly scaleToZeroOnInvalidOffset: boolean;
  readonly limitToPartitionsWithLag: boolean;
  readonly ensureEvenDistributionOfPartitions: boolean;
  /** `enable` / `disable` as written in metadata; the TriggerAuthentication may also set it. */
  readonly tls?: 'enable' | 'disable';
  /** As written in metadata; the TriggerAuthentication may also set it. */
  readonly sasl?: string;
  /** Region of an MSK cluster for `aws_msk_iam` (KEDA reads it from metadata only). */
  readonly awsRegion?: string;
}

interface KafkaMetadata extends KafkaLagMetadata {
  /** sarama's `version`: validated as sarama does; the client negotiates versions with ApiVersions. */
  readonly version?: string;
  /** default true; LPA always asks Metadata for the topics it needs only. */
  readonly fullMetadata: boolean;
  /** `bearer` or `aws_msk_iam`, for `sasl: oauthbearer`. */
  readonly saslTokenProvider?: string;
}

type ApacheKafkaMetadata = KafkaLagMetadata;

interface PrometheusMetadata {
  /** Base URL; `/api/v1/query` is appended. Where it is reached: spec/triggers/prometheusServer.ts. */
  readonly serverAddress: string;
  /** PromQL instant query. */
  readonly query: string;
  readonly threshold: number;
  /** default 0 */
  readonly activationThreshold: number;
  /** Sent as `&namespace=` (Thanos querier tenancy). */
  readonly namespace?: string;
  /** `k=v,k2=v2`: request headers, in the order written. */
  readonly customHeaders: readonly (readonly [string, string])[];
  /** `k=v,k2=v2`: extra query parameters, in the order written. */
  readonly queryParameters: readonly (readonly [string, string])[];
  /** default true: an empty result, NaN or ±Inf reads as 0 rather than an error */
  readonly ignoreNullValues: boolean;
  /** HTTP timeout in milliseconds; default 3 s (KEDA_HTTP_DEFAULT_TIMEOUT) */
  readonly timeoutMs?: number;
  /** SigV4 region (Amazon Managed Service for Prometheus); default: the workspace host's region */
  readonly awsRegion?: string;
  readonly awsRoleArn?: string;
  /** deprecated in KEDA, accepted and ignored */
  readonly identityOwner?: 'pod' | 'operator';
  /**
   * `authModes` (or `authMode`) written in the metadata; absent: the TriggerAuthentication's, if any.
   * The credentials themselves come from the TriggerAuthentication (spec/triggers/prometheusAuth.ts).
   */
  readonly authModes?: readonly PrometheusAuthMode[];
}

interface SqsQueueTrigger extends TriggerCommon {
  readonly type: 'aws-sqs-queue';
  readonly metadata: SqsQueueMetadata;
}
interface CloudWatchTrigger extends TriggerCommon {
  readonly type: 'aws-cloudwatch';
  readonly metadata: CloudWatchMetadata;
}
interface CronTrigger extends TriggerCommon {
  readonly type: 'cron';
  readonly metadata: CronMetadata;
}

interface KafkaTrigger extends TriggerCommon {
  readonly type: 'kafka';
  readonly metadata: KafkaMetadata;
}
interface ApacheKafkaTrigger extends TriggerCommon {
  readonly type: 'apache-kafka';
  readonly metadata: ApacheKafkaMetadata;
}


interface PrometheusTrigger extends TriggerCommon {
  readonly type: 'prometheus';
  readonly metadata: PrometheusMetadata;
}

/** `metadata` of a cpu or memory trigger (KEDA `cpu_memory_scaler.go`). */
interface ResourceMetadata {
  /** As written: an integer percent for Utilization, a Kubernetes quantity for AverageValue. */
  readonly value: string;
  /** Set: the HPA's ContainerResource metric for that container; unset: the pod's sum. */
  readonly containerName?: string;
}

/**
 * `cpu` / `memory`: the HPA's Resource (or ContainerResource) metric, computed from the target's pods
 * and their `metrics.k8s.io` PodMetrics. Never activates from zero and is skipped for activation.
 */
interface ResourceTriggerFields extends Omit<TriggerCommon, 'metricType'> {
  /** Required in KEDA: Utilization (percent of the pods' requests) or AverageValue (a quantity per pod). */
  readonly metricType: 'Utilization' | 'AverageValue';
  readonly metadata: ResourceMetadata;
  /** Utilization: the percent; AverageValue: the quantity's milli-value (exact, as the HPA reads it). */
  readonly targetMilli: bigint;
}
interface CpuTrigger extends ResourceTriggerFields {
  readonly type: 'cpu';
}
interface MemoryTrigger extends ResourceTriggerFields {
  readonly type: 'memory';
}
type ResourceTrigger = CpuTrigger | MemoryTrigger;

/** Triggers whose value comes from outside the cluster (KEDA's External metrics). */
type ExternalTrigger = ApacheKafkaTrigger | CloudWatchTrigger | CronTrigger | DatadogTrigger | KafkaTrigger | NewRelicTrigger | PrometheusTrigger | SqsQueueTrigger;
type Trigger = ExternalTrigger | ResourceTrigger;
type TriggerType = Trigger['type'];
type ExternalTriggerType = ExternalTrigger['type'];

const isResourceTrigger = (trigger: Trigger): trigger is ResourceTrigger => trigger.type === 'cpu' || trigger.type === 'memory';

/** KEDA's pause annotations, read once (`autoscaling.keda.sh/*`). */
interface PauseControls {
  /** `paused` (any value but a false one) or `paused-replicas` set. */
  readonly paused: boolean;
  /** `paused-replicas`: scale to this and hold. Wins over `paused`. */
  readonly pausedReplicas?: number;
  readonly pausedScaleIn: boolean;
  readonly pausedScaleOut: boolean;
  readonly forceActivation: boolean;
}

interface ScaledObjectSpec {
  readonly scaleTargetRef: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly name: string;
    readonly envSourceContainerName?: string;
  };
  /** seconds, default 30 */
  readonly pollingInterval: number;
  /** seconds, default 300 */
  readonly cooldownPeriod: number;
  /** seconds, default 0 */
  readonly initialCooldownPeriod: number;
  readonly idleReplicaCount?: number;
  /** default 0 */
  readonly minReplicaCount: number;
  /** default 100 */
  readonly maxReplicaCount: number;
  readonly fallback?: Fallback;
  readonly advanced: {
    readonly restoreToOriginalReplicaCount: boolean;
    readonly horizontalPodAutoscalerConfig?: {
      readonly name?: string;
      readonly behavior?: HpaBehavior;
    };
    readonly scalingModifiers?: ScalingModifiers;
  };
  readonly triggers: readonly Trigger[];
}

interface ScaledObject {
  readonly apiVersion: 'keda.sh/v1alpha1';
  readonly kind: 'ScaledObject';
  readonly metadata: {
    readonly name: string;
    /** default "default" */
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /** ISO-8601, when the manifest carries it (used by initialCooldownPeriod). */
    readonly creationTimestamp?: string;
  };
  readonly spec: ScaledObjectSpec;
  /** Derived from the annotations. */
  readonly pause: PauseControls;
}

export { isResourceTrigger };
export type {
  ApacheKafkaMetadata,
  ApacheKafkaTrigger,
  CloudWatchMetadata,
  CloudWatchTrigger,
  CronMetadata,
  CpuTrigger,
  CronTrigger,
  DatadogMetadata,
  DatadogTrigger,
  ExternalTrigger,
  ExternalTriggerType,
  Fallback,
  FallbackBehavior,
  HpaBehavior,
  HpaScalingPolicy,
  HpaScalingRules,
  KafkaLagMetadata,
  KafkaMetadata,
  KafkaTrigger,
  MemoryTrigger,
  MetricType,
  NewRelicMetadata,
  NewRelicRegion,
  NewRelicTrigger,
  PauseControls,
  PrometheusMetadata,
  PrometheusTrigger,
  ResourceMetadata,
  ResourceTrigger,
  ScaledObject,
  ScaledObjectSpec,
  ScalingModifiers,
  SelectPolicy,
  SqsQueueMetadata,
  SqsQueueTrigger,
  Trigger,
  TriggerType,
};
