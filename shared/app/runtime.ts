/**
 * The composition root: adapters built once per Lambda container (at init, outside the handler)
 * from the function's configuration, and shared by every invocation it serves.
 */
import { createAuthResolver, type AuthResolver } from '../auth/resolve.js';
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { DynamoDbStateStore } from '../state/dynamoDbStateStore.js';
import type { StateStore } from '../state/types.js';
import { createClusterConnector, type ClusterConnectorDeps } from '../kube/connector.js';
import type { ClusterConnector, ConfiguredCluster } from '../kube/types.js';
import type { ClusterApiConnector } from '../kube/clusterApi.js';
import { formatPath, type PathSegment } from '../spec/issues.js';
import { createAwsClients, type AwsClientsOptions } from '../triggers/awsClients.js';
import type { GetMetricDataCallInfo } from '../triggers/awsCloudwatch.js';
import { createKafkaClients } from '../triggers/kafka/clients.js';
import { createPrometheusHttp } from '../triggers/prometheusHttp.js';
import { createTriggerRegistry, type SaasEndpoints } from '../triggers/registry.js';
import type { TriggerRegistry } from '../triggers/types.js';
import { DEFAULT_CONTROLLER_SETTINGS, type ControllerSettings } from '../engine/resourceMetrics.js';
import { LpaError } from '../errors.js';
import { trustEntryProblem, type Trust } from '../spec/awsEndpoint.js';
import { AWS_REGION, parseScaleGroup } from './scaleGroup.js';
import { createLambdaInvoker } from '../aws/lambdaInvoker.js';
import type { FanOut } from './fanOut.js';

/** Environment variables the functions read (set by the CDK construct). */
const Env = {
  tableName: 'LPA_TABLE_NAME',
  /** Optional: a ScaleGroup as JSON, for events that carry none (a bare alarm event). */
  scaleGroup: 'LPA_SCALE_GROUP',
  concurrency: 'LPA_CONCURRENCY',
  decisionTtlDays: 'LPA_DECISION_TTL_DAYS',
  /** Optional: JSON list of {name, region, endpoint, caData}, the clusters whose API server needs no DescribeCluster. */
  clusters: 'LPA_CLUSTERS',
  /** Optional: comma-separated hosts a trigger's awsEndpoint may name besides AWS's own (spec/awsEndpoint.ts). */
  trustedAwsEndpoints: 'LPA_TRUSTED_AWS_ENDPOINTS',
  /** Namespace of the Secrets that ClusterTriggerAuthentications name (KEDA's cluster object namespace). */
  clusterObjectNamespace: 'LPA_CLUSTER_OBJECT_NAMESPACE',
  /** The HPA controller flags EKS users cannot set; cpu triggers read them (Kubernetes' defaults when unset). */
  cpuInitializationPeriod: 'LPA_CPU_INITIALIZATION_PERIOD_SECONDS',
  initialReadinessDelay: 'LPA_INITIAL_READINESS_DELAY_SECONDS',
  /** Optional: fan a cluster source out in shards of this many ScaledObjects (shared/app/fanOut.ts); set by the construct with the invoke grant. */
  shardSize: 'LPA_SHARD_SIZE',
  /** Set by Lambda: the function a fan-out invokes (itself). */
  functionName: 'AWS_LAMBDA_FUNCTION_NAME',
} as const;

class ConfigurationError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

interface RuntimeConfig {
  readonly tableName: string;
  readonly scaleGroup?: unknown;
  readonly clusters?: readonly ConfiguredCluster[];
  readonly trust?: Trust;
  readonly concurrency?: number;
  readonly decisionTtlSeconds?: number;
  readonly clusterObjectNamespace?: string;
  readonly controller?: ControllerSettings;
  /** Fan-out: shards of `shardSize` objects sent to `functionName` (both set, or no fan-out). */
  readonly fanOut?: { readonly shardSize: number; readonly functionName: string };
}

const integerFromEnv = (env: NodeJS.ProcessEnv, key: string, min: number): number | undefined => {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return undefined;
  // Digits only: Number() would also take "0x10", "1e3" or "1.0".
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new ConfigurationError(`environment variable ${key} must be ${min === 1 ? 'a positive' : 'a non-negative'} integer, got "${raw}"`);
  }
  return Number(raw);
};
const positiveInteger = (env: NodeJS.ProcessEnv, key: string): number | undefined => integerFromEnv(env, key, 1);

/** The HPA controller flags, each defaulting to Kubernetes' own value when unset. */
const controllerFromEnv = (env: NodeJS.ProcessEnv): ControllerSettings | undefined => {
  const cpuInitializationPeriodSeconds = integerFromEnv(env, Env.cpuInitializationPeriod, 0);
  const initialReadinessDelaySeconds = integerFromEnv(env, Env.initialReadinessDelay, 0);
  if (cpuInitializationPeriodSeconds === undefined && initialReadinessDelaySeconds === undefined) return undefined;
  return {
    cpuInitializationPeriodSeconds: cpuInitializationPeriodSeconds ?? DEFAULT_CONTROLLER_SETTINGS.cpuInitializationPeriodSeconds,
    initialReadinessDelaySeconds: initialReadinessDelaySeconds ?? DEFAULT_CONTROLLER_SETTINGS.initialReadinessDelaySeconds,
  };
};

const configuredClustersSchema = builtOnce(() =>
  z.array(
    z
      .object({
        name: z.string().min(1),
        region: z.string().regex(AWS_REGION, 'must be an AWS region such as eu-west-1'),
        endpoint: z.url({ protocol: /^https$/, message: 'must be an https URL' }),
        caData: z.string().min(1, 'must be the base64 CA bundle'),
      })
      .strict(),
    'must be a list of {name, region, endpoint, caData}',
  ),
);

const jsonOf = (env: NodeJS.ProcessEnv, key: string): unknown => {
  const text = env[key]?.trim();
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`environment variable ${key} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
};

/** The clusters whose endpoint and CA are configured (the only place besides DescribeCluster they may come from). */
const clustersFromEnv = (env: NodeJS.ProcessEnv): ConfiguredCluster[] | undefined => {
  const value = jsonOf(env, Env.clusters);
  if (value === undefined) return undefined;
  const parsed = configuredClustersSchema().safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = formatPath((issue?.path ?? []).filter((p): p is PathSegment => typeof p !== 'symbol'));
  throw new ConfigurationError(`environment variable ${Env.clusters}: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`);
};

const trustFromEnv = (env: NodeJS.ProcessEnv): Trust | undefined => {
  const entries = (env[Env.trustedAwsEndpoints] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const problem = entries.map(trustEntryProblem).find((p) => p !== undefined);
  if (problem !== undefined) throw new ConfigurationError(`environment variable ${Env.trustedAwsEndpoints}: ${problem}`);
  return entries.length === 0 ? undefined : { awsEndpoints: entries };
};

/** Fails fast, at init, naming the variable and the rule (Powertools' getStringFromEnv style). */
const configFromEnv = (env: NodeJS.ProcessEnv = process.env): RuntimeConfig => {
  const tableName = env[Env.tableName]?.trim();
  if (tableName === undefined || tableName === '') throw new ConfigurationError(`environment variable ${Env.tableName} is required (the state table)`);
  const trust = trustFromEnv(env);
  const scaleGroup = jsonOf(env, Env.scaleGroup);
  if (scaleGroup !== undefined) {
    // Fail at init, not at every invocation; objects that fail validation are still only reported.
    const parsed = parseScaleGroup(scaleGroup, Env.scaleGroup, trust);
    if (!parsed.ok) throw new ConfigurationError(`environment variable ${Env.scaleGroup} is not a ScaleGroup: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const ttlDays = positiveInteger(env, Env.decisionTtlDays);
  const clusterObjectNamespace = env[Env.clusterObjectNamespace]?.trim() || undefined;
  const controller = controllerFromEnv(env);
  const shardSize = positiveInteger(env, Env.shardSize);
  const functionName = env[Env.functionName]?.trim() || undefined;
  return {
    tableName,
    scaleGroup,
    clusters: clustersFromEnv(env),
    trust,
    concurrency: positiveInteger(env, Env.concurrency),
    decisionTtlSeconds: ttlDays === undefined ? undefined : ttlDays * 86_400,
    ...(clusterObjectNamespace === undefined ? {} : { clusterObjectNamespace }),
    ...(controller === undefined ? {} : { controller }),
    // Outside Lambda (no function name) there is nothing to invoke: the source is evaluated whole.
    ...(shardSize === undefined || functionName === undefined ? {} : { fanOut: { shardSize, functionName } }),
  };
};

interface Runtime {
  readonly config: RuntimeConfig;
  readonly stateStore: StateStore;
  readonly connector: ClusterConnector;
  /** The same connector, for the cluster source (ScaledObjects, status, events, HPAs). */
  readonly clusterApi: ClusterApiConnector;
  readonly triggers: TriggerRegistry;
  readonly auth: AuthResolver;
  readonly concurrency?: number;
  readonly controller?: ControllerSettings;
  /** Sends shards of a large cluster source to invocations of this function; absent outside Lambda. */
  readonly fanOut?: FanOut;
  /** Closes sockets (CLI and tests; a Lambda container just freezes). */
  close(): Promise<void>;
}

interface RuntimeOverrides {
  readonly aws?: AwsClientsOptions;
  readonly kube?: ClusterConnectorDeps;
  readonly stateStore?: StateStore;
  readonly onGetMetricData?: (call: GetMetricDataCallInfo) => void;
  /** Where the SaaS triggers call (tests: local stand-ins). */
  readonly endpoints?: SaasEndpoints;
  /** Region of Secrets Manager when a TriggerAuthentication names none. Default `AWS_REGION`. */
  readonly region?: string;
}

const createRuntime = (config: RuntimeConfig, overrides: RuntimeOverrides = {}): Runtime => {
  const clients = createAwsClients(overrides.aws);
  const kafkaClients = createKafkaClients({ awsCredentials: clients.credentials });
  const connector = createClusterConnector({ ...overrides.kube, clusters: config.clusters });
  const prometheusHttp = createPrometheusHttp({ clients });
  const invoker = config.fanOut === undefined ? undefined : createLambdaInvoker({ functionName: config.fanOut.functionName, ...(overrides.aws?.credentials === undefined ? {} : { credentials: overrides.aws.credentials }) });
  return {
    config,
    stateStore: overrides.stateStore ?? new DynamoDbStateStore({ tableName: config.tableName, decisionTtlSeconds: config.decisionTtlSeconds }),
    connector,
    clusterApi: connector,
    triggers: createTriggerRegistry({ clients, kafkaClients, prometheusHttp, onGetMetricData: overrides.onGetMetricData, endpoints: overrides.endpoints }),
    auth: createAuthResolver({
      secretsManager: (target) => clients.secretsManager(target),
      clock: overrides.aws?.clock ?? Date.now,
      defaultRegion: overrides.region ?? process.env.AWS_REGION,
      clusterObjectNamespace: config.clusterObjectNamespace,
    }),
    concurrency: config.concurrency,
    controller: config.controller,
    ...(config.fanOut === undefined || invoker === undefined ? {} : { fanOut: { invoker, shardSize: config.fanOut.shardSize } }),
    close: async () => {
      clients.destroy();
      invoker?.close();
      prometheusHttp.close();
      await Promise.all([connector.close(), kafkaClients.close()]);
    },
  };
};

export { ConfigurationError, Env, configFromEnv, createRuntime };
export type { Runtime, RuntimeConfig, RuntimeOverrides };
