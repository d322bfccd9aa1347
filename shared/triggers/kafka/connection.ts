/**
 * How to reach a trigger's brokers, from its metadata and its TriggerAuthentication parameters
 * (`authParams`), with each type's own precedence and rules (KEDA `kafka_scaler.go`
 * `parseTLS`/`parseSASL`/`parseOAuthParams`, `apache_kafka_scaler.go` `Validate` and
 * `parseApacheKafkaAuthParams`):
 * - `tls`, `sasl` (and kafka's `saslTokenProvider`): kafka takes metadata first, then authParams;
 *   apache-kafka refuses a value given in both places.
 * - `ca`, `cert`, `key`, `keyPassword`, `username`, `password`: authParams only.
 * - MSK IAM (kafka: `sasl: oauthbearer` + `saslTokenProvider: aws_msk_iam`; apache-kafka:
 *   `sasl: aws_msk_iam`) needs `tls: enable` and metadata `awsRegion`. The token is signed with, in
 *   order: authParams `awsRoleArn` (assumed), authParams `awsAccessKeyID` + `awsSecretAccessKey`,
 *   else the function's own role, so an MSK cluster needs no secret at all (KEDA instead needs a
 *   podIdentity or keys).
 *
 * Stricter than KEDA where KEDA would only fail at connect time, and refused where LPA has no support:
 * SCRAM without credentials (apache-kafka), `gssapi` (Kerberos), OAuth `bearer` token endpoints.
 * Messages name the key and never a secret's value.
 */
import { GSSAPI_UNSUPPORTED } from '../../spec/triggers/kafkaShared.js';
import type { ApacheKafkaTrigger, KafkaLagMetadata, KafkaTrigger } from '../../spec/types.js';

type AwsCredentialSource =
  | { readonly kind: 'function' }
  | { readonly kind: 'role'; readonly roleArn: string }
  | { readonly kind: 'keys'; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };

type KafkaSasl =
  | { readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; readonly username: string; readonly password: string }
  | { readonly mechanism: 'AWS_MSK_IAM'; readonly region: string; readonly credentials: AwsCredentialSource };

interface KafkaTls {
  /** PEM; absent: Node's default trust store (the public CAs MSK's certificates chain to). */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

interface KafkaConnection {
  readonly brokers: readonly string[];
  /** Absent: plaintext TCP. Present: TLS, always verified. */
  readonly tls?: KafkaTls;
  readonly sasl?: KafkaSasl;
}

type ConnectionResult = { readonly ok: true; readonly connection: KafkaConnection } | { readonly ok: false; readonly message: string };

/** A trigger of either type (its type decides the rules). */
type KafkaFlavor = Pick<KafkaTrigger, 'type' | 'metadata'> | Pick<ApacheKafkaTrigger, 'type' | 'metadata'>;

type AuthParams = Readonly<Record<string, string>>;

class ConnectionProblem extends Error {}

/** An authParams value, trimmed; empty means absent (KEDA's `configParamValue`). */
const authValue = (authParams: AuthParams, key: string): string | undefined => {
  const value = authParams[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], where: string): T | undefined => {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConnectionProblem(`${where} must be one of ${allowed.join(', ')}, got "${value}"`);
};

/** kafka: metadata, then authParams. apache-kafka: either place, never both. */
const setting = (flavor: KafkaFlavor, authParams: AuthParams, key: 'tls' | 'sasl' | 'saslTokenProvider'): { value?: string; where: string } => {
  const fromMetadata = (flavor.metadata as Partial<Record<typeof key, string>>)[key];
  const fromAuth = authValue(authParams, key);
  if (flavor.type === 'apache-kafka' && fromMetadata !== undefined && fromAuth !== undefined) {
    throw new ConnectionProblem(`unable to set \`${key}\` in both the ScaledObject (metadata.${key}) and the TriggerAuthentication together`);
  }
  if (fromMetadata !== undefined) return { value: fromMetadata, where: `metadata.${key}` };
  return { value: fromAuth, where: `the TriggerAuthentication's ${key}` };
};

const tlsOf = (enabled: boolean, authParams: AuthParams): KafkaTls | undefined => {
  // With tls disabled KEDA ignores stray ca/cert/key, and checks the pair only when enabled.
  if (!enabled) return undefined;
  const cert = authValue(authParams, 'cert');
  const key = authValue(authParams, 'key');
  if (cert !== undefined && key === undefined) throw new ConnectionProblem('key must be provided with cert (TriggerAuthentication key)');
  if (key !== undefined && cert === undefined) throw new ConnectionProblem('cert must be provided with key (TriggerAuthentication cert)');
  const passphrase = authValue(authParams, 'keyPassword');
  const ca = authValue(authParams, 'ca');
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }), ...(passphrase && { passphrase }) };
};

const credentialsOf = (authParams: AuthParams): AwsCredentialSource => {
  const roleArn = authValue(authParams, 'awsRoleArn');
  if (roleArn !== undefined) return { kind: 'role', roleArn };
  const accessKeyId = authValue(authParams, 'awsAccessKeyID') ?? authValue(authParams, 'awsAccessKeyId');
  const secretAccessKey = authValue(authParams, 'awsSecretAccessKey');
  if (accessKeyId === undefined && secretAccessKey === undefined) return { kind: 'function' };
  if (accessKeyId === undefined) throw new ConnectionProblem('awsAccessKeyID not found in the TriggerAuthentication (it has awsSecretAccessKey)');
  if (secretAccessKey === undefined) throw new ConnectionProblem('awsSecretAccessKey not found in the TriggerAuthentication (it has awsAccessKeyID)');
  const sessionToken = authValue(authParams, 'awsSessionToken');
  return { kind: 'keys', accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
};

const mskIam = (tls: KafkaTls | undefined, metadata: KafkaLagMetadata, authParams: AuthParams): KafkaSasl => {
  if (tls === undefined) throw new ConnectionProblem('TLS is required for AWS MSK IAM authentication: set tls: enable');
  // KEDA reads awsRegion for MSK from trigger metadata only; one in the TriggerAuthentication is ignored.
  if (metadata.awsRegion === undefined) throw new ConnectionProblem('metadata.awsRegion is required for AWS MSK IAM authentication');
  return { mechanism: 'AWS_MSK_IAM', region: metadata.awsRegion, credentials: credentialsOf(authParams) };
};

const userPassword = (mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', authParams: AuthParams): KafkaSasl => {
  const username = authValue(authParams, 'username');
  const password = authValue(authParams, 'password');
  if (username === undefined) throw new ConnectionProblem(`no username given: SASL ${mechanism} needs username in the TriggerAuthentication`);
  if (password === undefined) throw new ConnectionProblem(`no password given: SASL ${mechanism} needs password in the TriggerAuthentication`);
  return { mechanism, username, password };
};

const KAFKA_SASL = ['none', 'plaintext', 'scram_sha256', 'scram_sha512', 'oauthbearer', 'gssapi'] as const;
const APACHE_KAFKA_SASL = ['none', 'plaintext', 'scram_sha256', 'scram_sha512', 'gssapi', 'aws_msk_iam'] as const;

const saslOf = (flavor: KafkaFlavor, tls: KafkaTls | undefined, authParams: AuthParams): KafkaSasl | undefined => {
  const sasl = setting(flavor, authParams, 'sasl');
  const mode = oneOf(sasl.value, flavor.type === 'kafka' ? KAFKA_SASL : APACHE_KAFKA_SASL, sasl.where);
  switch (mode) {
    case undefined:
    case 'none':
      return undefined;
    case 'plaintext':
      return userPassword('PLAIN', authParams);
    case 'scram_sha256':
      return userPassword('SCRAM-SHA-256', authParams);
    case 'scram_sha512':
      return userPassword('SCRAM-SHA-512', authParams);
    case 'aws_msk_iam':
      return mskIam(tls, flavor.metadata, authParams);
    case 'gssapi':
      throw new ConnectionProblem(`${sasl.where}: ${GSSAPI_UNSUPPORTED}`);
    case 'oauthbearer': {
      const provider = setting(flavor, authParams, 'saslTokenProvider');
      if (oneOf(provider.value, ['bearer', 'aws_msk_iam'] as const, provider.where) === 'aws_msk_iam') return mskIam(tls, flavor.metadata, authParams);
      throw new ConnectionProblem(
        'sasl: oauthbearer with an OAuth token endpoint (saslTokenProvider bearer) is not supported by LPA; for MSK use saslTokenProvider: aws_msk_iam',
      );
    }
  }
};

/**
 * The connection of one trigger, or the rule its settings break.
 *
 * @example
 * resolveConnection({ type: 'apache-kafka', metadata }, { sasl: 'scram_sha512', username: 'u', password: 'p' });
 */
const resolveConnection = (flavor: KafkaFlavor, authParams: AuthParams = {}): ConnectionResult => {
  try {
    const tlsSetting = setting(flavor, authParams, 'tls');
    const tlsMode = oneOf(tlsSetting.value, ['enable', 'disable'] as const, tlsSetting.where);
    const tls = tlsOf(tlsMode === 'enable', authParams);
    const sasl = saslOf(flavor, tls, authParams);
    return { ok: true, connection: { brokers: flavor.metadata.bootstrapServers, ...(tls && { tls }), ...(sasl && { sasl }) } };
  } catch (error) {
    if (error instanceof ConnectionProblem) return { ok: false, message: error.message };
    throw error;
  }
};

export { resolveConnection };
export type { AwsCredentialSource, KafkaConnection };
