/**
 * KEDA's `awsSecretManager` source (`pkg/scaling/resolver/aws_secretmanager_handler.go`): one
 * GetSecretValue per secret (SecretId = name or ARN, with VersionId / VersionStage when given);
 * with `secretKey`, the SecretString is a JSON object and the value is that key's string.
 *
 * Errors name the secret and the rule, never the value: a JSON parse error is not passed on,
 * because its message quotes the text it could not parse.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadSecretsManager } from '../aws/sdk.js';
import type { AwsSecretManagerSecret } from '../spec/auth/types.js';
import { describeError } from '../errors.js';
import { AuthResolutionError } from './errors.js';

/** Where and as whom to call Secrets Manager. */
interface SecretsManagerTarget {
  readonly region: string;
  /** Assumed through the cached AssumeRole path; absent: the functions' own role. */
  readonly roleArn?: string;
}

/** Builds (and caches) a client per target: the composition root passes the AWS clients' factory. */
type SecretsManagerClients = (target: SecretsManagerTarget) => Promise<SecretsManagerClient>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The SecretString of one version of a secret. */
const getSecretString = async (clients: SecretsManagerClients, target: SecretsManagerTarget, secret: AwsSecretManagerSecret, signal?: AbortSignal): Promise<string> => {
  let secretString: string | undefined;
  try {
    const [client, { GetSecretValueCommand }] = await Promise.all([clients(target), loadSecretsManager()]);
    const output = await client.send(
      new GetSecretValueCommand({
        SecretId: secret.name,
        ...(secret.versionId === undefined ? {} : { VersionId: secret.versionId }),
        ...(secret.versionStage === undefined ? {} : { VersionStage: secret.versionStage }),
      }),
      { abortSignal: signal },
    );
    secretString = output.SecretString;
  } catch (error) {
    throw new AuthResolutionError(`GetSecretValue ${secret.name}: ${describeError(error)}`, { cause: error });
  }
  if (secretString === undefined) {
    throw new AuthResolutionError(`GetSecretValue ${secret.name}: the secret has no SecretString (binary secrets are not supported)`);
  }
  return secretString;
};

/**
 * The parameter's value out of the SecretString: the whole string, or the string under `secretKey`.
 *
 * @example
 * secretValue('{"apiKey":"NRAK-…"}', { parameter: 'queryKey', name: 'newrelic', secretKey: 'apiKey' }); // 'NRAK-…'
 */
const secretValue = (secretString: string, secret: AwsSecretManagerSecret): string => {
  if (secret.secretKey === undefined) return secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new AuthResolutionError(`secret ${secret.name}: the SecretString is not JSON, so secretKey "${secret.secretKey}" cannot be read from it`);
  }
  if (!isRecord(parsed)) throw new AuthResolutionError(`secret ${secret.name}: the SecretString is not a JSON object, so secretKey "${secret.secretKey}" cannot be read from it`);
  if (!Object.hasOwn(parsed, secret.secretKey)) throw new AuthResolutionError(`secret ${secret.name}: the SecretString has no key "${secret.secretKey}"`);
  const value = parsed[secret.secretKey];
  if (typeof value !== 'string') throw new AuthResolutionError(`secret ${secret.name}: the value of key "${secret.secretKey}" is not a string`);
  return value;
};

export { getSecretString, secretValue };
export type { SecretsManagerClients, SecretsManagerTarget };
