/**
 * SDK clients for the AWS triggers, built once per (service, region, endpoint, role) and reused
 * across ticks: a warm Lambda keeps its sockets and its assumed-role credentials (KEDA keeps an
 * `aws.Config` cache per credential set for the same reason, `scalers/aws/aws_config_cache.go`).
 *
 * Where the clients call is endpoint configuration only, the same code path in production and in
 * tests: a trigger's `awsEndpoint` becomes the client's `endpoint`; without it the SDK honours
 * `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL_CLOUDWATCH` / `AWS_ENDPOINT_URL_STS` /
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, then AWS.
 *
 * A service's SDK package is imported by the first request for one of its clients (shared/aws/sdk.ts),
 * so building the factory at init loads none, and STS loads only when a trigger has `awsRoleArn`.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { loadCloudWatch, loadCredentialProviders, loadSecretsManager, loadSqs, loadSts, once } from '../aws/sdk.js';
import { BoundedMap } from '../boundedMap.js';
import type { CloudWatchTrigger, SqsQueueTrigger } from '../spec/types.js';
import { createRoleCredentials } from './roleCredentials.js';
import type { TriggerRequest } from './types.js';

/** The SDK has no request timeout by default; a hung connection would stall the whole tick. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000; // 10 seconds
/** Clients kept per service (and role credentials, queue URLs): far above what one deployment's manifests name. */
const MAX_CACHED_CLIENTS = 256;
const CONNECTION_TIMEOUT_MS = 3_000; // 3 seconds
const DEFAULT_ROLE_SESSION_NAME = 'lpa-triggers';

/** Where and as whom a trigger calls AWS: `awsRegion`, `awsEndpoint`, `awsRoleArn` of its metadata. */
interface AwsTarget {
  readonly region: string;
  readonly endpoint?: string;
  readonly roleArn?: string;
}

interface AwsClientsOptions {
  /** Base credentials (they also call STS). Default: the SDK's default provider chain, in Lambda the function's role. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Clock of the assumed-role cache. Default `Date.now`. */
  readonly clock?: () => number;
  /**
   * RoleSessionName of every AssumeRole (sanitized, at most 64 characters). One name for all
   * triggers because the credentials of a role are shared by every ScaledObject that uses it:
   * a per-object name would credit one object with the calls of all. Default `lpa-triggers`.
   */
  readonly roleSessionName?: string;
  /** Per-attempt HTTP timeout. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

interface AwsClients {
  sqs(target: AwsTarget): Promise<SQSClient>;
  cloudWatch(target: AwsTarget): Promise<CloudWatchClient>;
  /** For TriggerAuthentications' awsSecretManager (shared/auth asks through the composition root). */
  secretsManager(target: AwsTarget): Promise<SecretsManagerClient>;
  /** Credentials to sign requests of our own (SigV4 for Amazon Managed Prometheus): the role's, else the base ones. */
  credentials(target: Pick<AwsTarget, 'region' | 'roleArn'>): AwsCredentialIdentityProvider;
  /** Closes every client's sockets (tests, CLI); the factory must not be used afterwards. */
  destroy(): void;
}

/**
 * Where and as whom an AWS trigger reads: its metadata's region and endpoint, and the role of its
 * TriggerAuthentication's `podIdentity: { provider: aws, roleArn }` (KEDA's way, resolved into
 * `authParams.awsRoleArn`), else the metadata's `awsRoleArn`, else the functions' own role.
 */
const awsTargetOf = (request: TriggerRequest<SqsQueueTrigger | CloudWatchTrigger>): AwsTarget => {
  const { metadata } = request.trigger;
  const roleArn = request.authParams?.awsRoleArn ?? metadata.awsRoleArn;
  return { region: metadata.awsRegion, endpoint: metadata.awsEndpoint, roleArn };
};

/** Identity of a target, for client caches and for grouping requests that may share a call. */
const awsTargetKey = ({ region, endpoint, roleArn }: AwsTarget): string => JSON.stringify([region, endpoint ?? '', roleArn ?? '']);

/**
 * @example
 * const clients = createAwsClients();
 * const sqs = await clients.sqs({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/reader' });
 */
const createAwsClients = (options: AwsClientsOptions = {}): AwsClients => {
  const requestHandler = {
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
  };
  const base = { credentials: options.credentials, requestHandler };

  const stsClients = new BoundedMap<string, STSClient>(MAX_CACHED_CLIENTS);
  const sts = async (region: string): Promise<STSClient> => {
    const sdk = await loadSts();
    let client = stsClients.get(region);
    if (client === undefined) {
      client = new sdk.STSClient({ ...base, region });
      stsClients.set(region, client);
    }
    return client;
  };
  const roles = createRoleCredentials({
    sts,
    clock: options.clock ?? Date.now,
    sessionName: options.roleSessionName ?? DEFAULT_ROLE_SESSION_NAME,
  });

  const configFor = (target: AwsTarget) => ({
    ...base,
    region: target.region,
    endpoint: target.endpoint,
    credentials: target.roleArn === undefined ? base.credentials : roles.provider(target.roleArn, target.region),
  });

  // Targets come from the manifests events carry: bounded, so a long-lived container cannot grow without end.
  // An evicted client is not destroyed (a call may still use it); its idle sockets close on their own.
  const sqsClients = new BoundedMap<string, SQSClient>(MAX_CACHED_CLIENTS);
  const cloudWatchClients = new BoundedMap<string, CloudWatchClient>(MAX_CACHED_CLIENTS);
  const secretsManagerClients = new BoundedMap<string, SecretsManagerClient>(MAX_CACHED_CLIENTS);
  /** Synchronous once the SDK is loaded, so concurrent first callers still build one client. */
  const cached = <C>(clients: BoundedMap<string, C>, target: AwsTarget, build: () => C): C => {
    const key = awsTargetKey(target);
    let client = clients.get(key);
    if (client === undefined) {
      client = build();
      clients.set(key, client);
    }
    return client;
  };

  // Without given credentials, the SDK's default chain, built on first use (it caches and refreshes itself).
  const defaultChain = once(async () => (await loadCredentialProviders()).fromNodeProviderChain());
  const given = options.credentials;
  const baseProvider: AwsCredentialIdentityProvider =
    given === undefined ? async () => (await defaultChain())() : typeof given === 'function' ? given : async () => given;

  return {
    // The endpoint configuration alone decides where calls go, as for the other services: by
    // default the SDK would send each call to its QueueUrl's host (and warn when they differ).
    sqs: async (target) => {
      const sdk = await loadSqs();
      return cached(sqsClients, target, () => new sdk.SQSClient({ ...configFor(target), useQueueUrlAsEndpoint: false }));
    },
    cloudWatch: async (target) => {
      const sdk = await loadCloudWatch();
      return cached(cloudWatchClients, target, () => new sdk.CloudWatchClient(configFor(target)));
    },
    secretsManager: async (target) => {
      const sdk = await loadSecretsManager();
      return cached(secretsManagerClients, target, () => new sdk.SecretsManagerClient(configFor(target)));
    },
    credentials: (target) => (target.roleArn === undefined ? baseProvider : roles.provider(target.roleArn, target.region)),
    destroy: () => {
      for (const client of [...stsClients.values(), ...sqsClients.values(), ...cloudWatchClients.values(), ...secretsManagerClients.values()]) client.destroy();
    },
  };
};

export { MAX_CACHED_CLIENTS, awsTargetKey, awsTargetOf, createAwsClients };
export type { AwsClients, AwsClientsOptions, AwsTarget };
