/**
 * Every trigger type LPA supports, one entry each, sorted (KEDA `scalers_builder.go` +
 * `tools/sort_scalers.sh`). The mapped type makes the record exhaustive: a new member of
 * `TriggerType` without an entry here does not compile.
 */
import type { TriggerType } from '../types.js';
import { apacheKafka } from './apacheKafka.js';
import { awsCloudwatch } from './awsCloudwatch.js';
import { awsSqsQueue } from './awsSqsQueue.js';
import { cpu, memory } from './cpuMemory.js';
import { cron } from './cron.js';
import { datadog } from './datadog.js';
import type { TriggerDefinition } from './definition.js';
import { kafka } from './kafka.js';
import { newRelic } from './newRelic.js';
import { prometheus } from './prometheus.js';

const TRIGGER_DEFINITIONS: { readonly [K in TriggerType]: TriggerDefinition<K> } = {
  'apache-kafka': apacheKafka,
  'aws-cloudwatch': awsCloudwatch,
  'aws-sqs-queue': awsSqsQueue,
  cpu,
  cron,
  datadog,
  kafka,
  memory,
  'new-relic': newRelic,
  prometheus,
};

const SUPPORTED_TRIGGER_TYPES: readonly TriggerType[] = Object.freeze(
  (Object.keys(TRIGGER_DEFINITIONS) as TriggerType[]).sort(),
);

const isSupportedTriggerType = (type: string): type is TriggerType => Object.hasOwn(TRIGGER_DEFINITIONS, type);

/** The definition of a supported type, `undefined` otherwise. */
const triggerDefinition = (type: string): TriggerDefinition | undefined =>
  isSupportedTriggerType(type) ? TRIGGER_DEFINITIONS[type] : undefined;

export { SUPPORTED_TRIGGER_TYPES, isSupportedTriggerType, triggerDefinition };
