import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { LpaError } from '../../../shared/errors.js';

/**
 * EKS bearer-token verification, rule for rule as aws-iam-authenticator's `tokenVerifier.Verify`
 * (pkg/token/token.go), followed by what STS does with the replayed URL: instead of a network call we
 * check the SigV4 query signature ourselves, re-sending `x-k8s-aws-id: <clusterName>` as the
 * authenticator does, so a token minted for another cluster fails exactly as it would on EKS.
 *
 * Rejection reasons never quote the token, the signature or the session token.
 */

/** An AWS principal that the stand-in STS knows, and the Kubernetes user it maps to (an access entry). */
interface AwsIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials: the token must carry exactly this `X-Amz-Security-Token`; long-term keys must carry none. */
  readonly sessionToken?: string;
  readonly username: string;
  readonly groups: readonly string[];
}

interface KubeUser {
  readonly username: string;
  readonly groups: readonly string[];
}

type TokenVerdict = { readonly ok: true; readonly user: KubeUser } | { readonly ok: false; readonly reason: string };

interface TokenVerifierOptions {
  readonly clusterName: string;
  readonly region: string;
  readonly identities: readonly AwsIdentity[];
  readonly now: () => number;
}

const V1_PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4096;
/** STS honours a presigned GetCallerIdentity for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
const PRESIGNED_URL_LIFETIME_MS = 15 * 60 * 1000;
/** AWS rejects signatures dated further ahead than its clock-skew allowance ("Signature not yet current"). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_EXPIRES_SECONDS = 900;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const GLOBAL_STS_HOST = 'sts.amazonaws.com';
const GLOBAL_STS_SIGNING_REGION = 'us-east-1';
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');
const ALLOWED_QUERY_KEYS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/** Parsed without WHATWG normalisation (which would drop `:443` or add a path), like Go's `url.Parse`. */
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Internal: unwinds the checks at the first broken rule; `verify` turns it into a verdict. */
class TokenRejectedError extends LpaError {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

const reject = (reason: string): never => {
  throw new TokenRejectedError(reason);
};

/** Go's `base64.RawURLEncoding`: URL alphabet, no padding, nothing else (Node's decoder would skip junk). */
const decodeRawBase64Url = (text: string): string => {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) reject('token is not valid unpadded base64url');
  return Buffer.from(text, 'base64url').toString('utf8');
};

/** Go's `url.ParseQuery`: `+` is a space, a bad escape or a `;` fails the whole query. */
const parseQuery = (raw: string): Array<[string, string]> => {
  if (raw.includes(';')) reject('malformed query parameter');
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part.replaceAll('+', ' '));
    } catch {
      return reject('malformed query parameter');
    }
  };
  return raw
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
};

/** Keys checked against the allow-list, each present once (case-insensitively), returned by lower-case key. */
const checkQueryKeys = (pairs: ReadonlyArray<[string, string]>): Map<string, string> => {
  const byLowerKey = new Map<string, string>();
  for (const [key, value] of pairs) {
    const lower = key.toLowerCase();
    if (!ALLOWED_QUERY_KEYS.has(lower)) reject(`non-whitelisted query parameter "${key}"`);
    if (byLowerKey.has(lower)) reject('query parameter with multiple values not supported');
    byLowerKey.set(lower, value);
  }
  return byLowerKey;
};

const parseAmzDate = (value: string): number => {
  const m = AMZ_DATE.exec(value);
  const [year, month, day, hour, minute, second] = (m?.slice(1) ?? []).map(Number);
  const time = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day, hour, minute, second);
  // Round-tripping catches impossible dates such as 20260230T000000Z.
  if (m === null || Number.isNaN(time) || new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, '') !== value) {
    return reject('error parsing X-Amz-Date parameter into format 20060102T150405Z');
  }
  return time;
};

/** The authenticator's own checks (steps 1–4 of `Verify`), before it replays the URL to STS. */
const checkTokenFormat = (token: string, allowedHosts: ReadonlySet<string>, now: number) => {
  if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) reject('token is too large');
  if (!token.startsWith(V1_PREFIX)) reject(`token is missing expected "${V1_PREFIX}" prefix`);
  const parts = URL_PARTS.exec(decodeRawBase64Url(token.slice(V1_PREFIX.length)));
  if (parts === null) return reject('pre-signed URL does not parse');
  const [, scheme = '', host = '', path = '', rawQuery = ''] = parts;
  if (scheme.toLowerCase() !== 'https') reject(`unexpected scheme "${scheme}" in pre-signed URL`);
  if (!allowedHosts.has(host)) reject(`unexpected hostname "${host}" in pre-signed URL`);
  if (path !== '/') reject('unexpected path in pre-signed URL');
  const pairs = parseQuery(rawQuery);
  const query = checkQueryKeys(pairs);
  if (query.get('action') !== 'GetCallerIdentity') reject('unexpected action parameter in pre-signed URL');
  const signedHeaders = (query.get('x-amz-signedheaders') ?? '').split(';');
  if (!signedHeaders.some((h) => h.toLowerCase() === CLUSTER_ID_HEADER)) {
    reject(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  }
  const expires = query.get('x-amz-expires') ?? '';
  if (!/^[+-]?\d+$/.test(expires) || Number(expires) < 0 || Number(expires) > MAX_EXPIRES_SECONDS) {
    reject('invalid X-Amz-Expires parameter in pre-signed URL');
  }
  const amzDate = query.get('x-amz-date') ?? '';
  if (amzDate === '') reject('X-Amz-Date parameter must be present in pre-signed URL');
  const signedAt = parseAmzDate(amzDate);
  if (now > signedAt + PRESIGNED_URL_LIFETIME_MS) reject('X-Amz-Date parameter is expired (15 minute expiration)');
  if (signedAt > now + MAX_CLOCK_SKEW_MS) reject('Signature not yet current: X-Amz-Date is in the future');
  return { host, pairs, query, amzDate };
};

/** RFC 3986 unreserved characters stay, every other UTF-8 byte becomes %XX (upper-case), as SigV4 requires. */
const sigV4Encode = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

interface SignatureInput {
  readonly host: string;
  readonly clusterName: string;
  readonly pairs: ReadonlyArray<[string, string]>;
  readonly signedHeaders: string;
  readonly amzDate: string;
  readonly scope: string;
  readonly secretAccessKey: string;
  readonly signingRegion: string;
}

/** SigV4 for a presigned GET: canonical request → string to sign → HMAC chain → hex signature. */
const expectedSignature = (input: SignatureInput): string => {
  const headerValues: Record<string, string> = { host: input.host, [CLUSTER_ID_HEADER]: input.clusterName };
  const headerNames = input.signedHeaders.split(';');
  const unknown = headerNames.find((name) => headerValues[name] === undefined);
  if (unknown !== undefined) reject(`signed header "${unknown}" is not sent when the URL is replayed`);
  const canonicalQuery = input.pairs
    .filter(([key]) => key.toLowerCase() !== 'x-amz-signature')
    .map(([key, value]) => [sigV4Encode(key), sigV4Encode(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = headerNames.map((name) => `${name}:${headerValues[name]}\n`).join('');
  const canonicalRequest = ['GET', '/', canonicalQuery, canonicalHeaders, input.signedHeaders, EMPTY_BODY_SHA256].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, input.scope, sha256Hex(canonicalRequest)].join('\n');
  const [day = ''] = input.scope.split('/');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.signingRegion), 'sts'), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
};

/** Byte order, as SigV4's sort of encoded keys requires (not locale order). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What STS checks on the replayed URL: algorithm, credential scope, principal, session token, signature. */
const checkSignature = (
  format: ReturnType<typeof checkTokenFormat>,
  options: TokenVerifierOptions,
): AwsIdentity => {
  const { host, pairs, query, amzDate } = format;
  if (query.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') reject('unsupported X-Amz-Algorithm');
  const [accessKeyId = '', ...scopeParts] = (query.get('x-amz-credential') ?? '').split('/');
  const scope = scopeParts.join('/');
  const signingRegion = host === GLOBAL_STS_HOST ? GLOBAL_STS_SIGNING_REGION : options.region;
  if (scope !== `${amzDate.slice(0, 8)}/${signingRegion}/sts/aws4_request`) {
    reject(`credential scope must be <date>/${signingRegion}/sts/aws4_request for host ${host}`);
  }
  const identity = options.identities.find((candidate) => candidate.accessKeyId === accessKeyId);
  if (identity === undefined) return reject('InvalidClientTokenId: the access key is not known');
  if (query.get('x-amz-security-token') !== identity.sessionToken) {
    reject('InvalidClientTokenId: the session token does not belong to the access key');
  }
  const expected = Buffer.from(
    expectedSignature({
      host,
      clusterName: options.clusterName,
      pairs,
      signedHeaders: query.get('x-amz-signedheaders') ?? '',
      amzDate,
      scope,
      secretAccessKey: identity.secretAccessKey,
      signingRegion,
    }),
  );
  const given = Buffer.from(query.get('x-amz-signature') ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    reject('SignatureDoesNotMatch: the signature does not match (secret, cluster or any signed part differs)');
  }
  return identity;
};

/**
 * Builds `verify(token)`: never throws, returns the Kubernetes user or why the token was refused.
 *
 * @example
 * const verify = createTokenVerifier({ clusterName: 'demo', region: 'eu-west-1', identities, now: Date.now });
 * const verdict = verify(bearer); // { ok: true, user: { username, groups } } or { ok: false, reason }
 */
const createTokenVerifier = (options: TokenVerifierOptions) => {
  const allowedHosts = new Set([`sts.${options.region}.amazonaws.com`, GLOBAL_STS_HOST]);
  return (token: string): TokenVerdict => {
    try {
      const identity = checkSignature(checkTokenFormat(token, allowedHosts, options.now()), options);
      return { ok: true, user: { username: identity.username, groups: identity.groups } };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { ok: false, reason: error.message };
      throw error;
    }
  };
};

export { createTokenVerifier };
export type { AwsIdentity, KubeUser, TokenVerdict, TokenVerifierOptions };
