/**
 * The EKS bearer token, byte for byte what `aws eks get-token` prints (reference/anchors-ecosystem.md §1):
 * `k8s-aws-v1.` + base64url(no padding) of a SigV4-presigned
 * `GET https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&…`
 * whose signed headers are `host;x-k8s-aws-id`. Presigning is local crypto: no STS call is made;
 * the EKS control plane replays the URL with its own cluster name to learn who we are.
 */
import { loadCredentialProviders, loadSigning, once } from '../aws/sdk.js';
import { BearerToken, type BearerTokenSource } from './bearerToken.js';
import { EksTokenError } from './errors.js';

interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The SDK's credential provider shape (`fromNodeProviderChain()` is one). */
type CredentialsProvider = () => Promise<AwsCredentials>;

const TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-cli's URL_TIMEOUT. The server only checks 0..900; STS honours a presigned URL 15 min anyway. */
const PRESIGN_EXPIRES_SECONDS = 60;
/** aws-cli's TOKEN_EXPIRATION_MINS: one minute before STS stops honouring the URL. */
const TOKEN_LIFETIME_MS = 14 * 60 * 1000;
/** aws-iam-authenticator's maxTokenLenBytes: longer tokens are refused before any check. */
const MAX_TOKEN_BYTES = 4096;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/**
 * aws-cli writes the operation parameters, then the auth parameters in this order, then the
 * signature. SigV4 signs the sorted query, so order only matters for byte equality with the CLI;
 * the server accepts only these keys.
 */
const QUERY_ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
] as const;

/** EKS cluster names (CreateCluster): a letter or digit, then letters, digits, `-`, `_`; at most 100. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** `eu-west-1`, `us-gov-west-1`, `cn-north-1`: also keeps anything odd out of the STS host name. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The regional STS host, as aws-cli signs for it (China regions live under `amazonaws.com.cn`). */
const stsHost = (region: string): string => `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

/** RFC 3986 percent-encoding (unreserved `A-Za-z0-9-._~` kept), as botocore's `percent_encode`. */
const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An EKS token always knows its expiry: 14 minutes after signing. */
class EksToken extends BearerToken {
  declare readonly expiresAt: Date;
  constructor(value: string, facts: { readonly origin: string; readonly expiresAt: Date }) {
    super(value, facts);
  }
}

interface MintInput {
  readonly cluster: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly signingDate: Date;
}

const checkTarget = (cluster: string, region: string): void => {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new EksTokenError(`cluster name "${cluster}" is not a valid EKS cluster name (letters, digits, "-", "_"; 1-100 characters)`);
  }
  if (!REGION.test(region)) {
    throw new EksTokenError(`region "${region}" is not an AWS region name (e.g. eu-west-1)`);
  }
};

/** The presigned STS URL inside the token; never log it. */
const presignGetCallerIdentity = async ({ cluster, region, credentials, signingDate }: MintInput): Promise<string> => {
  checkTarget(cluster, region);
  const host = stsHost(region);
  const { Hash, HttpRequest, SignatureV4 } = await loadSigning();
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Hash.bind(null, 'sha256') });
  const presigned = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      // presign signs only the headers present: without `host` STS rejects the signature.
      headers: { host, [CLUSTER_ID_HEADER]: cluster },
    }),
    // The default (3600) is above the server's 900 maximum.
    { signingDate, expiresIn: PRESIGN_EXPIRES_SECONDS },
  );
  const signed = presigned.query ?? {};
  const unexpected = Object.keys(signed).filter((key) => !(QUERY_ORDER as readonly string[]).includes(key));
  if (unexpected.length > 0) {
    throw new EksTokenError(`presigned STS URL has query keys the EKS authenticator refuses: ${unexpected.join(', ')}`);
  }
  const query = QUERY_ORDER.flatMap((key) => {
    const value = signed[key];
    return typeof value === 'string' ? [`${key}=${percentEncode(value)}`] : [];
  });
  return `https://${host}/?${query.join('&')}`;
};

/** Mints a token signed at `signingDate`; it expires 14 minutes later, as aws-cli reports. */
const mintEksToken = async (input: MintInput): Promise<EksToken> => {
  const url = await presignGetCallerIdentity(input);
  // base64url of the URL as is: encoding the URL a second time is a known cause of 401s.
  const value = TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
  if (Buffer.byteLength(value) > MAX_TOKEN_BYTES) {
    throw new EksTokenError(
      `EKS token for cluster "${input.cluster}" is ${Buffer.byteLength(value)} bytes; the EKS authenticator accepts at most ${MAX_TOKEN_BYTES} (is the session token unusually long?)`,
    );
  }
  return new EksToken(value, {
    origin: `EKS cluster "${input.cluster}" (${input.region})`,
    expiresAt: new Date(input.signingDate.getTime() + TOKEN_LIFETIME_MS),
  });
};

/**
 * One SDK default chain per container: it memoizes and refreshes credentials itself. Built, and
 * `@aws-sdk/credential-providers` imported, by the first mint rather than by the first TokenProvider.
 */
const nodeProviderChain = once(async (): Promise<CredentialsProvider> => (await loadCredentialProviders()).fromNodeProviderChain());
const defaultCredentials: CredentialsProvider = async () => (await nodeProviderChain())();

interface TokenProviderOptions {
  readonly cluster: string;
  readonly region: string;
  /** Default: the SDK's Node provider chain (env, SSO, ini, web identity, container, IMDS). */
  readonly credentials?: CredentialsProvider;
  /** Milliseconds since the epoch; injected so tests control expiry. */
  readonly now?: () => number;
}

/**
 * Caches one cluster's token until its 14-minute expiry (or the credentials' own expiry, if
 * sooner): warm Lambdas outlive a token, and minting once per process is a known bug in other
 * clients. Concurrent callers share one mint.
 */
class TokenProvider implements BearerTokenSource {
  readonly cluster: string;
  readonly region: string;
  readonly #credentials: CredentialsProvider;
  readonly #now: () => number;
  #cached: { readonly token: EksToken; readonly validUntil: number } | undefined;
  #minting: Promise<EksToken> | undefined;

  constructor(options: TokenProviderOptions) {
    checkTarget(options.cluster, options.region);
    this.cluster = options.cluster;
    this.region = options.region;
    this.#credentials = options.credentials ?? defaultCredentials;
    this.#now = options.now ?? Date.now;
  }

  async getToken(): Promise<EksToken> {
    if (this.#cached !== undefined && this.#now() < this.#cached.validUntil) return this.#cached.token;
    this.#minting ??= this.#mint().finally(() => {
      this.#minting = undefined;
    });
    return this.#minting;
  }

  invalidate(): boolean {
    this.#cached = undefined;
    return true;
  }

  async #mint(): Promise<EksToken> {
    let credentials: AwsCredentials;
    try {
      credentials = await this.#credentials();
    } catch (error) {
      throw new EksTokenError(
        `could not load AWS credentials to sign the EKS token for cluster "${this.cluster}": ${(error as Error).message}`,
        { cause: error },
      );
    }
    const signingDate = new Date(this.#now());
    const token = await mintEksToken({ cluster: this.cluster, region: this.region, credentials, signingDate });
    const validUntil = Math.min(token.expiresAt.getTime(), credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY);
    this.#cached = { token, validUntil };
    return token;
  }

  toString(): string {
    return `TokenProvider(cluster "${this.cluster}", ${this.region})`;
  }
}

export { EksToken, TokenProvider, mintEksToken };
export type { AwsCredentials, CredentialsProvider, MintInput, TokenProviderOptions };
