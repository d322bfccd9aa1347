/**
 * The broker side of SASL for the local Kafka broker: PLAIN (RFC 4616), SCRAM-SHA-256/512
 * (RFC 5802/7677, as Kafka's ScramSaslServer: 4096 iterations) and OAUTHBEARER carrying an MSK IAM
 * token, which is verified as MSK does: a SigV4-presigned `kafka-cluster:Connect` URL for
 * `kafka.<region>.amazonaws.com`, signed by a known access key and not expired.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

type Mechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER';

interface SaslUsers {
  /** username → password, for PLAIN and SCRAM. */
  readonly users?: Readonly<Record<string, string>>;
  /** MSK IAM: the region of the cluster and the access keys whose signatures it accepts. */
  readonly iam?: { readonly region: string; readonly keys: Readonly<Record<string, string>>; readonly now?: () => number };
}

/** One step of an exchange: bytes to send back, and whether the client is now authenticated. */
type Step = { readonly reply: Buffer; readonly done: boolean } | { readonly error: string };

interface SaslExchange {
  step(bytes: Buffer): Promise<Step>;
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

const plain = ({ users = {} }: SaslUsers): SaslExchange => ({
  step: async (bytes) => {
    const [, username = '', password = ''] = bytes.toString('utf8').split('\u0000');
    const known = users[username];
    if (known === undefined || !same(Buffer.from(known), Buffer.from(password))) return { error: `Authentication failed: Invalid username or password` };
    return { reply: Buffer.alloc(0), done: true };
  },
});

const SCRAM_ITERATIONS = 4096;

const scram = (hash: 'sha256' | 'sha512', { users = {} }: SaslUsers): SaslExchange => {
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest();
  let state: { clientFirstBare: string; serverFirst: string; nonce: string; password: string; salt: Buffer } | undefined;
  return {
    step: async (bytes) => {
      const text = bytes.toString('utf8');
      if (state === undefined) {
        const clientFirstBare = text.replace(/^n,[^,]*,/, '');
        const attributes = new Map(clientFirstBare.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
        const password = users[attributes.get('n') ?? ''];
        if (password === undefined) return { error: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM' };
        const salt = randomBytes(16);
        const nonce = `${attributes.get('r') ?? ''}${randomBytes(12).toString('base64')}`;
        const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
        state = { clientFirstBare, serverFirst, nonce, password, salt };
        return { reply: Buffer.from(serverFirst), done: false };
      }
      const attributes = new Map(text.split(',').map((part) => [part.slice(0, 1), part.slice(2)]));
      const withoutProof = text.slice(0, text.lastIndexOf(',p='));
      if (attributes.get('r') !== state.nonce) return { error: 'Authentication failed: Invalid nonce' };
      const salted = pbkdf2Sync(state.password, state.salt, SCRAM_ITERATIONS, hash === 'sha256' ? 32 : 64, hash);
      const clientKey = hmac(salted, 'Client Key');
      const storedKey = createHash(hash).update(clientKey).digest();
      const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
      const signature = hmac(storedKey, authMessage);
      const proof = Buffer.from(attributes.get('p') ?? '', 'base64');
      const recovered = Buffer.from(proof.map((byte, i) => byte ^ (signature[i] ?? 0)));
      if (!same(createHash(hash).update(recovered).digest(), storedKey)) {
        return { error: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM' };
      }
      const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
      return { reply: Buffer.from(`v=${serverSignature.toString('base64')}`), done: true };
    },
  };
};

/** MSK IAM: re-signs the token's request with the known secret and compares signatures. */
const mskIam = ({ iam }: SaslUsers): SaslExchange => ({
  step: async (bytes) => {
    if (iam === undefined) return { error: 'OAUTHBEARER is not enabled on this broker' };
    const token = /auth=Bearer ([^\u0001]+)/.exec(bytes.toString('utf8'))?.[1];
    if (token === undefined) return { error: 'invalid OAUTHBEARER client message' };
    let url: URL;
    try {
      url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      return { error: 'the token is not a presigned URL' };
    }
    const query = Object.fromEntries(url.searchParams);
    const [accessKeyId = '', , region, service] = (query['X-Amz-Credential'] ?? '').split('/');
    const secretAccessKey = iam.keys[accessKeyId];
    if (url.hostname !== `kafka.${iam.region}.amazonaws.com` || query.Action !== 'kafka-cluster:Connect' || region !== iam.region || service !== 'kafka-cluster') {
      return { error: 'the token is not a kafka-cluster:Connect request for this cluster' };
    }
    if (secretAccessKey === undefined) return { error: 'the token is signed by an unknown access key' };
    const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query['X-Amz-Date'] ?? '');
    if (signedAt === null) return { error: 'the token has no valid X-Amz-Date' };
    const [, y, mo, d, h, mi, s] = signedAt.map(Number) as number[];
    const signingDate = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
    const expiresIn = Number(query['X-Amz-Expires']);
    if ((iam.now ?? Date.now)() > signingDate.getTime() + expiresIn * 1000) return { error: 'the token has expired' };
    const signer = new SignatureV4({ service: 'kafka-cluster', region: iam.region, sha256: Hash.bind(null, 'sha256'), credentials: { accessKeyId, secretAccessKey, sessionToken: query['X-Amz-Security-Token'] } });
    const expected = await signer.presign(
      { method: 'GET', protocol: 'https:', hostname: url.hostname, path: '/', headers: { host: url.hostname }, query: { Action: 'kafka-cluster:Connect' } },
      { signingDate, expiresIn },
    );
    const given = query['X-Amz-Signature'] ?? '';
    if (!same(Buffer.from(String(expected.query?.['X-Amz-Signature'])), Buffer.from(given))) return { error: 'the token signature does not match' };
    return { reply: Buffer.from('{}'), done: true };
  },
});

const saslExchange = (mechanism: Mechanism, users: SaslUsers): SaslExchange => {
  switch (mechanism) {
    case 'PLAIN':
      return plain(users);
    case 'SCRAM-SHA-256':
      return scram('sha256', users);
    case 'SCRAM-SHA-512':
      return scram('sha512', users);
    case 'OAUTHBEARER':
      return mskIam(users);
  }
};

export { saslExchange };
export type { Mechanism, SaslExchange, SaslUsers, Step };
