/** The trigger readers' public surface: build the clients once, the registry once, read every tick. */
export { createAwsClients } from './awsClients.js';
export type { AwsClients, AwsClientsOptions, AwsTarget } from './awsClients.js';
export type { GetMetricDataCallInfo } from './awsCloudwatch.js';
export { computeQueryWindow } from './cloudwatchQuery.js';
export { cronWindow } from './cron.js';
export { TriggerReadError } from './errors.js';
export { AssumeRoleError } from './roleCredentials.js';
export { createTriggerRegistry, readTriggers } from './registry.js';
export type { TriggerRegistryDeps } from './registry.js';
export type { TriggerReader, TriggerRegistry, TriggerRequest } from './types.js';
