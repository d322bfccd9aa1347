/**
 * The AWS SDK packages, each imported the first time an adapter needs it rather than when the
 * module graph loads. Importing them costs 100-250 ms of a Lambda cold start (client-dynamodb
 * alone ~100 ms as the first, ~20-25 ms for each further client), and a tick that reads no
 * CloudWatch, assumes no role, finds its cluster in the event or fans nothing out never needs some
 * of them at all.
 *
 * Adapters import SDK types statically (`import type`, erased) and values only through these
 * loaders. Each loader imports once: Node caches the module, and the cached promise makes every
 * later call one resolved `await`.
 *
 * The SigV4 presigner of the EKS token (`@smithy/*`) is bundled with LPA, not taken from the
 * runtime, and drags ~140 KB of `@smithy/core` whose evaluation cost ~10 ms of the handler's cold
 * import, for a token minted at most every 14 minutes. esbuild keeps a dynamically imported module
 * in the bundle but runs it only when the import does.
 */

type CloudWatchSdk = typeof import('@aws-sdk/client-cloudwatch');
type CredentialProvidersSdk = typeof import('@aws-sdk/credential-providers');
type DynamoDbSdk = typeof import('@aws-sdk/client-dynamodb');
type EksSdk = typeof import('@aws-sdk/client-eks');
type LambdaSdk = typeof import('@aws-sdk/client-lambda');
type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');
type SqsSdk = typeof import('@aws-sdk/client-sqs');
type StsSdk = typeof import('@aws-sdk/client-sts');

interface SigningSdk {
  readonly Hash: typeof import('@smithy/hash-node').Hash;
  readonly HttpRequest: typeof import('@smithy/protocol-http').HttpRequest;
  readonly SignatureV4: typeof import('@smithy/signature-v4').SignatureV4;
}

/** The first call starts `load`; every call returns that same promise. */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
};

const loadCloudWatch = once((): Promise<CloudWatchSdk> => import('@aws-sdk/client-cloudwatch'));
const loadCredentialProviders = once((): Promise<CredentialProvidersSdk> => import('@aws-sdk/credential-providers'));
const loadDynamoDb = once((): Promise<DynamoDbSdk> => import('@aws-sdk/client-dynamodb'));
const loadEks = once((): Promise<EksSdk> => import('@aws-sdk/client-eks'));
const loadLambda = once((): Promise<LambdaSdk> => import('@aws-sdk/client-lambda'));
const loadSecretsManager = once((): Promise<SecretsManagerSdk> => import('@aws-sdk/client-secrets-manager'));
const loadSqs = once((): Promise<SqsSdk> => import('@aws-sdk/client-sqs'));
const loadSts = once((): Promise<StsSdk> => import('@aws-sdk/client-sts'));
const loadSigning = once(async (): Promise<SigningSdk> => {
  const [{ Hash }, { HttpRequest }, { SignatureV4 }] = await Promise.all([
    import('@smithy/hash-node'),
    import('@smithy/protocol-http'),
    import('@smithy/signature-v4'),
  ]);
  return { Hash, HttpRequest, SignatureV4 };
});

export { loadCloudWatch, loadCredentialProviders, loadDynamoDb, loadEks, loadLambda, loadSecretsManager, loadSigning, loadSqs, loadSts, once };
export type { DynamoDbSdk };
