/**
 * One reader per trigger type, in a sorted registry that the compiler keeps exhaustive
 * (`TriggerRegistry` is a mapped type over the spec's trigger types), after KEDA's
 * `scalers_builder.go`. `readTriggersEach` is what a tick calls: every trigger of every ScaledObject
 * at once, so each reader can batch across objects, each reading settling with its type's batch.
 *
 * The readers of AWS, cron and cpu/memory are built at once; the others (Kafka, Prometheus,
 * Datadog, New Relic) are imported with the first read of their type (`lazyReader`), so a cold
 * start pays only for the triggers its objects use (bench/bundles.ts measures the import).
 */
import { once } from '../aws/sdk.js';
import type { MetricReading } from '../engine/types.js';
import type { ServiceProxy } from '../kube/types.js';
import type { CpuTrigger, MemoryTrigger, Trigger } from '../spec/types.js';
import type { AwsClients } from './awsClients.js';
import { createCloudWatchReader } from './awsCloudwatch.js';
import type { GetMetricDataCallInfo } from './awsCloudwatch.js';
import { createSqsQueueReader } from './awsSqsQueue.js';
import { createResourceReader } from './cpuMemory.js';
import { createCronReader } from './cron.js';
import { describeError, failedReading } from './errors.js';
import type { DatadogReaderOptions } from './datadog.js';
import type { NewRelicReaderOptions } from './newRelic.js';
import { createKafkaClients } from './kafka/clients.js';
import type { KafkaClients } from './kafka/clients.js';
import { createPrometheusHttp, type PrometheusHttp } from './prometheusHttp.js';
import type { TriggerReader, TriggerRegistry, TriggerRequest } from './types.js';

interface TriggerRegistryDeps {
  /** Built once per Lambda container (`createAwsClients()`), so clients and role credentials survive ticks. */
  readonly clients: AwsClients;
  /** Kafka connections of this container. Default: built on `clients`' credentials. */
  readonly kafkaClients?: KafkaClients;
  /** Prometheus' HTTP transport; pass one built once per container so its sockets can be closed. Default: built from `clients`. */
  readonly prometheusHttp?: PrometheusHttp;
  /** Remote calls in flight per reader. Default 16. */
  readonly concurrency?: number;
  /** Called before each GetMetricData request (benchmarks count calls per tick with it). */
  readonly onGetMetricData?: (call: GetMetricDataCallInfo) => void;
  /** Where the SaaS triggers call (tests: local stand-ins). Default: the services' own endpoints. */
  readonly endpoints?: SaasEndpoints;
}

interface SaasEndpoints {
  readonly datadog?: DatadogReaderOptions['siteUrl'];
  readonly newRelic?: NewRelicReaderOptions['endpoints'];
}

/** A reader whose module is imported, and the reader built, on its first read (once per container). */
const lazyReader = <T extends Trigger>(type: T['type'], load: () => Promise<TriggerReader<T>>): TriggerReader<T> => {
  const reader = once(load);
  return { type, read: async (requests, now, signal, cluster) => (await reader()).read(requests, now, signal, cluster) };
};

/**
 * @example
 * const clients = createAwsClients();
 * const registry = createTriggerRegistry({ clients, prometheusHttp: createPrometheusHttp({ clients }) });
 * const readings = await readTriggers(registry, requests, Date.now(), deadline.signal, scaleClient);
 */
const createTriggerRegistry = ({ clients, kafkaClients, prometheusHttp, concurrency, onGetMetricData, endpoints = {} }: TriggerRegistryDeps): TriggerRegistry => {
  // Both Kafka types share one offset memory: one module load builds both readers.
  const kafka = once(async () => {
    const { createKafkaReaders } = await import('./kafka/reader.js');
    return createKafkaReaders({ clients: kafkaClients ?? createKafkaClients({ awsCredentials: clients.credentials }), concurrency });
  });
  return {
    'apache-kafka': lazyReader('apache-kafka', async () => (await kafka()).apacheKafka),
    'aws-cloudwatch': createCloudWatchReader({ clients, concurrency, onGetMetricData }),
    'aws-sqs-queue': createSqsQueueReader({ clients, concurrency }),
    cpu: createResourceReader<CpuTrigger>('cpu'),
    cron: createCronReader(),
    datadog: lazyReader('datadog', async () =>
      (await import('./datadog.js')).createDatadogReader({ concurrency, ...(endpoints.datadog === undefined ? {} : { siteUrl: endpoints.datadog }) }),
    ),
    kafka: lazyReader('kafka', async () => (await kafka()).kafka),
    memory: createResourceReader<MemoryTrigger>('memory'),
    'new-relic': lazyReader('new-relic', async () =>
      (await import('./newRelic.js')).createNewRelicReader({ concurrency, ...(endpoints.newRelic === undefined ? {} : { endpoints: endpoints.newRelic }) }),
    ),
    prometheus: lazyReader('prometheus', async () =>
      (await import('./prometheus.js')).createPrometheusReader({ http: prometheusHttp ?? createPrometheusHttp({ clients }), concurrency }),
    ),
  };
};

/** A reader that broke its promise not to reject still costs only its own triggers. */
const readSafely = async (
  reader: TriggerReader,
  requests: readonly TriggerRequest[],
  now: number,
  signal: AbortSignal | undefined,
  cluster: ServiceProxy | undefined,
): Promise<MetricReading[]> => {
  try {
    const readings = await reader.read(requests, now, signal, cluster);
    if (readings.length === requests.length) return readings;
    return requests.map((request) => failedReading(request, `the ${reader.type} reader returned ${readings.length} readings for ${requests.length} triggers`));
  } catch (error) {
    return requests.map((request) => failedReading(request, `the ${reader.type} reader failed: ${describeError(error)}`));
  }
};

/**
 * Reads every request, each type's batch through its reader, all types in parallel. Returns one
 * reading per request, in request order, each settling when its type's batch does (a caller can act
 * on the CloudWatch objects while SQS is still being read); none rejects.
 */
const readTriggersEach = (
  registry: TriggerRegistry,
  requests: readonly TriggerRequest[],
  now: number,
  signal?: AbortSignal,
  cluster?: ServiceProxy,
): Promise<MetricReading>[] => {
  const byType = new Map<Trigger['type'], number[]>();
  for (const [index, { trigger }] of requests.entries()) {
    const indexes = byType.get(trigger.type) ?? [];
    indexes.push(index);
    byType.set(trigger.type, indexes);
  }
  const readings = new Array<Promise<MetricReading>>(requests.length);
  for (const [type, indexes] of byType) {
    // The registry is keyed by the type, so its reader accepts exactly these requests.
    const reader = registry[type] as TriggerReader;
    const batch = readSafely(reader, indexes.map((index) => requests[index] as TriggerRequest), now, signal, cluster);
    indexes.forEach((requestIndex, i) => {
      readings[requestIndex] = batch.then((read) => read[i] as MetricReading);
    });
  }
  return readings;
};

/** `readTriggersEach`, all settled. */
const readTriggers = (registry: TriggerRegistry, requests: readonly TriggerRequest[], now: number, signal?: AbortSignal, cluster?: ServiceProxy): Promise<MetricReading[]> =>
  Promise.all(readTriggersEach(registry, requests, now, signal, cluster));

export { createTriggerRegistry, readTriggers, readTriggersEach };
export type { SaasEndpoints, TriggerRegistryDeps };
