/**
 * The normalized TriggerAuthentication / ClusterTriggerAuthentication (keda.sh/v1alpha1): what
 * `parseTriggerAuthentication` returns once every rule has passed. Only the sources LPA can read
 * from AWS Lambda are here; the others are refused by the schema with what to use instead.
 */

type AuthenticationKind = 'TriggerAuthentication' | 'ClusterTriggerAuthentication';

/** `podIdentity`: `provider: aws` is the function's own role, or the role it assumes (`roleArn`). */
interface AwsPodIdentity {
  readonly provider: 'aws';
  readonly roleArn?: string;
}

/** `provider: none` (KEDA's explicit "no identity") normalizes to no podIdentity at all. */
type PodIdentity = AwsPodIdentity;

/** One `secretTargetRef` item: authParams[parameter] = Secret `name`'s `key`. */
interface SecretTargetRef {
  readonly parameter: string;
  readonly name: string;
  readonly key: string;
}

/** One `awsSecretManager.secrets[]` item (KEDA `AwsSecretManagerSecret`). */
interface AwsSecretManagerSecret {
  readonly parameter: string;
  /** A secret name or its full ARN (GetSecretValue's SecretId). */
  readonly name: string;
  readonly versionId?: string;
  readonly versionStage?: string;
  /** When set, the SecretString is a JSON object and the value is this key's string. */
  readonly secretKey?: string;
}

interface AwsSecretManager {
  readonly secrets: readonly AwsSecretManagerSecret[];
  /** Default: the function's own region. */
  readonly region?: string;
  readonly podIdentity: AwsPodIdentity;
}

interface TriggerAuthentication {
  readonly kind: AuthenticationKind;
  readonly metadata: {
    readonly name: string;
    /** The namespace of a TriggerAuthentication; a ClusterTriggerAuthentication has none. */
    readonly namespace?: string;
  };
  readonly spec: {
    readonly podIdentity?: PodIdentity;
    readonly secretTargetRef: readonly SecretTargetRef[];
    readonly awsSecretManager?: AwsSecretManager;
  };
}

export type { AuthenticationKind, AwsPodIdentity, AwsSecretManager, AwsSecretManagerSecret, PodIdentity, SecretTargetRef, TriggerAuthentication };
