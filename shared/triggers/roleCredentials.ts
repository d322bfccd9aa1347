/**
 * Credentials for a trigger's `awsRoleArn` (LPA's stand-in for KEDA's TriggerAuthentication
 * `podIdentity.roleArn`): one STS AssumeRole per role, shared by every trigger and client that
 * uses the role, reused until 5 minutes before it expires. The base credentials that call STS are
 * the STS client's own (by default the SDK provider chain: in Lambda, the function's role).
 *
 * The clock is injected so that expiry is testable without waiting an hour.
 */
import { BoundedMap } from '../boundedMap.js';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { loadSts } from '../aws/sdk.js';
import { LpaError } from '../errors.js';
import { describeError } from './errors.js';

/** Refresh this long before expiry, so that no request is signed with credentials about to lapse. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000; // 5 minutes
/** STS's own default and the common role maximum. */
const SESSION_DURATION_SECONDS = 60 * 60; // 1 hour
/** STS limit on RoleSessionName. */
const MAX_SESSION_NAME_LENGTH = 64;

/** AssumeRole failed, or returned no usable credentials. */
class AssumeRoleError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AssumeRoleError';
  }
}

interface RoleCredentialsOptions {
  /** The STS client for a region (built once per region by the caller, on first use). */
  readonly sts: (region: string) => Promise<STSClient>;
  readonly clock: () => number;
  readonly sessionName: string;
}

interface RoleCredentials {
  /**
   * A provider for `roleArn` that SDK clients call before each request. It is marked `memoized`
   * so that the SDK does not add its own cache on top, whose expiry check reads the real clock.
   */
  provider(roleArn: string, region: string): AwsCredentialIdentityProvider;
}

interface CacheEntry {
  credentials?: AwsCredentialIdentity;
  pending?: Promise<AwsCredentialIdentity>;
}

const MAX_CACHED_ROLES = 256;

/** STS accepts `[\w+=,.@-]{2,64}`; anything else in a name becomes `-`. */
const toRoleSessionName = (name: string): string => {
  const cleaned = name.replace(/[^\w+=,.@-]/g, '-').slice(0, MAX_SESSION_NAME_LENGTH);
  return cleaned.length >= 2 ? cleaned : 'lpa';
};

const createRoleCredentials = ({ sts, clock, sessionName }: RoleCredentialsOptions): RoleCredentials => {
  // Role ARNs come from the manifests events carry: bounded, like the clients (awsClients.ts).
  const cache = new BoundedMap<string, CacheEntry>(MAX_CACHED_ROLES);
  const roleSessionName = toRoleSessionName(sessionName);

  const assume = async (roleArn: string, region: string): Promise<AwsCredentialIdentity> => {
    let output;
    try {
      const [client, { AssumeRoleCommand }] = await Promise.all([sts(region), loadSts()]);
      output = await client.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: roleSessionName, DurationSeconds: SESSION_DURATION_SECONDS }),
      );
    } catch (error) {
      throw new AssumeRoleError(`AssumeRole ${roleArn}: ${describeError(error)}`, { cause: error });
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = output.Credentials ?? {};
    if (AccessKeyId === undefined || SecretAccessKey === undefined || Expiration === undefined) {
      throw new AssumeRoleError(`AssumeRole ${roleArn}: the response has no complete Credentials`);
    }
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration };
  };

  const fresh = (credentials: AwsCredentialIdentity | undefined): credentials is AwsCredentialIdentity =>
    credentials?.expiration !== undefined && clock() < credentials.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS;

  /** Concurrent callers share one in-flight AssumeRole; a failure is not cached, so the next tick retries. */
  const credentialsFor = (roleArn: string, region: string): Promise<AwsCredentialIdentity> => {
    const entry = cache.get(roleArn) ?? {};
    cache.set(roleArn, entry);
    if (fresh(entry.credentials)) return Promise.resolve(entry.credentials);
    entry.pending ??= assume(roleArn, region)
      .then((credentials) => {
        entry.credentials = credentials;
        return credentials;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  };

  return {
    provider: (roleArn, region) => Object.assign(() => credentialsFor(roleArn, region), { memoized: true }),
  };
};

export { AssumeRoleError, REFRESH_BEFORE_EXPIRY_MS, createRoleCredentials, toRoleSessionName };
export type { RoleCredentials, RoleCredentialsOptions };
