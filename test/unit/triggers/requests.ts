/**
 * Trigger requests for the reader tests: normalized triggers (KEDA defaults applied, as
 * shared/spec returns them) inside a ScaledObject built by the shared test helper.
 */
import type {
  CloudWatchMetadata,
  CloudWatchTrigger,
  CronMetadata,
  CronTrigger,
  DatadogMetadata,
  DatadogTrigger,
  NewRelicMetadata,
  NewRelicTrigger,
  PrometheusMetadata,
  PrometheusTrigger,
  ScaledObject,
  SqsQueueMetadata,
  SqsQueueTrigger,
  Trigger,
} from '../../../shared/spec/types.js';
import type { TriggerRequest } from '../../../shared/triggers/types.js';
import { makeScaledObject } from '../../helpers/scaledObject.js';

const REGION = 'eu-west-1';

const common = (index: number, name: string | undefined, target: number, activationTarget: number) => ({
  index,
  name,
  key: name ?? String(index),
  metricType: 'AverageValue' as const,
  useCachedMetrics: false,
  target,
  activationTarget,
});

const sqsTrigger = (metadata: Partial<SqsQueueMetadata> & Pick<SqsQueueMetadata, 'queueURL'>, index = 0, name?: string): SqsQueueTrigger => ({
  ...common(index, name, metadata.queueLength ?? 5, metadata.activationQueueLength ?? 0),
  type: 'aws-sqs-queue',
  metadata: { queueLength: 5, activationQueueLength: 0, awsRegion: REGION, scaleOnInFlight: true, scaleOnDelayed: false, ...metadata },
});

const cloudWatchTrigger = (metadata: Partial<CloudWatchMetadata>, index = 0, name?: string): CloudWatchTrigger => ({
  ...common(index, name, metadata.targetMetricValue ?? 10, metadata.activationTargetMetricValue ?? 0),
  type: 'aws-cloudwatch',
  metadata: {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensionName: ['QueueName'],
    dimensionValue: ['orders'],
    targetMetricValue: 10,
    activationTargetMetricValue: 0,
    minMetricValue: 0,
    ignoreNullValues: true,
    metricStat: 'Average',
    metricStatPeriod: 300,
    metricCollectionTime: 300,
    metricEndTimeOffset: 0,
    awsRegion: REGION,
    ...metadata,
  },
});

const cronTrigger = (metadata: Partial<CronMetadata>, index = 0, name?: string): CronTrigger => ({
  ...common(index, name, 1, 0),
  type: 'cron',
  metadata: { start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC', desiredReplicas: 3, ...metadata },
});

const newRelicTrigger = (metadata: Partial<NewRelicMetadata>, index = 0, name?: string): NewRelicTrigger => ({
  ...common(index, name, metadata.threshold ?? 70, metadata.activationThreshold ?? 0),
  type: 'new-relic',
  metadata: { nrql: 'SELECT count(*) FROM Transaction', threshold: 70, activationThreshold: 0, noDataError: false, ...metadata },
});

const datadogTrigger = (metadata: Partial<DatadogMetadata>, index = 0, name?: string): DatadogTrigger => ({
  ...common(index, name, metadata.queryValue ?? 7, metadata.activationQueryValue ?? 0),
  type: 'datadog',
  metadata: { query: 'avg:nginx.requests{service:web}', queryValue: 7, activationQueryValue: 0, age: 90, timeWindowOffset: 0, lastAvailablePointOffset: 0, ...metadata },
});

const prometheusTrigger = (metadata: Partial<PrometheusMetadata> & Pick<PrometheusMetadata, 'serverAddress'>, index = 0, name?: string): PrometheusTrigger => ({
  ...common(index, name, metadata.threshold ?? 10, metadata.activationThreshold ?? 0),
  type: 'prometheus',
  metadata: { query: 'sum(rate(http_requests_total[2m]))', threshold: 10, activationThreshold: 0, customHeaders: [], queryParameters: [], ignoreNullValues: true, ...metadata },
});

/** A ScaledObject `<namespace>/<objectName>` whose spec.triggers are `triggers`. */
const scaledObjectWith = (objectName: string, triggers: readonly Trigger[], namespace = 'shop'): ScaledObject => {
  const base = makeScaledObject({ objectName, namespace });
  return { ...base, spec: { ...base.spec, triggers } };
};

/** One request per trigger of one ScaledObject. */
const requestsFor = <T extends Trigger>(objectName: string, triggers: readonly T[], namespace = 'shop'): TriggerRequest<T>[] => {
  const scaledObject = scaledObjectWith(objectName, triggers, namespace);
  return triggers.map((trigger) => ({ scaledObject, trigger }));
};

export { REGION, cloudWatchTrigger, cronTrigger, datadogTrigger, newRelicTrigger, prometheusTrigger, requestsFor, scaledObjectWith, sqsTrigger };
