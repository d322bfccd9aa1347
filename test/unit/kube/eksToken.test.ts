/**
 * The EKS token (DESIGN.md §4, reference/anchors-ecosystem.md §1): byte-equal to `aws eks get-token`,
 * checked three ways: against tokens the real aws-cli printed, against SigV4 computed here from the
 * spec with node:crypto, and against the rules aws-iam-authenticator's verifier applies.
 */
import { createHash, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { EksTokenError } from '../../../shared/kube/errors.js';
import { mintEksToken, TokenProvider, type AwsCredentials } from '../../../shared/kube/eksToken.js';

const SIGNED_AT = new Date('2026-11-23T10:00:00Z');
const SESSION: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==',
};
const LONG_TERM: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/**
 * Printed by aws-cli 1.45.11 (botocore 1.43.11), `aws eks get-token --cluster-name <name> --region <region>`,
 * with the credentials above in the environment and botocore's clock frozen at SIGNED_AT.
 */
const AWS_CLI_TOKENS = [
  {
    comment: 'temporary credentials, eu-west-1, cluster demo-cluster',
    cluster: 'demo-cluster',
    region: 'eu-west-1',
    credentials: SESSION,
    token:
      'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYxMTIzJTJGZXUtd2VzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjNUMTAwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TZWN1cml0eS1Ub2tlbj1JUW9KYjNKcFoybHVYMlZqRVhBTVBMRSUyRnNlc3Npb24lMkJ0b2tlbiUzRCUzRCZYLUFtei1TaWduYXR1cmU9MWEwMDdiNjcwNzdiODI2MWFhYmRlZGRkM2M5YjgyMGFmNzk5MmY0ZTY1OThhODE1ZWQ2ODgyZWRhZjcxYjA4MA',
  },
  {
    comment: 'long-term keys, us-east-1 (regional STS), cluster prod',
    cluster: 'prod',
    region: 'us-east-1',
    credentials: LONG_TERM,
    token:
      'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lERVhBTVBMRSUyRjIwMjYxMTIzJTJGdXMtZWFzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjExMjNUMTAwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9MWU1NDkxYzY4MjQwZWYxY2EwYjZhYTNmNTQwMDc4MDZmZDkyNzIyYjE2MjM0OGI0NDMxNDkyMmQwZmNjNmVhMQ',
  },
];

// --- SigV4 from the spec (canonical request → string to sign → HMAC chain), independent of the code under test.
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

const expectedToken = (credentials: AwsCredentials, region: string, cluster: string, date: Date): string => {
  const amzDate = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const host = `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  const scope = `${day}/${region}/sts/aws4_request`;
  const params: Array<[string, string]> = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', '60'],
    ['X-Amz-SignedHeaders', 'host;x-k8s-aws-id'],
    ...(credentials.sessionToken === undefined ? [] : [['X-Amz-Security-Token', credentials.sessionToken] as [string, string]]),
  ];
  const encoded = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`);
  const canonicalQuery = [...encoded].sort().join('&');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${host}\nx-k8s-aws-id:${cluster}\n`, 'host;x-k8s-aws-id', sha256Hex('')].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 'sts'), 'aws4_request');
  const signature = hmac(signingKey, stringToSign).toString('hex');
  const url = `https://${host}/?${encoded.join('&')}&X-Amz-Signature=${signature}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
};

/** The presigned URL inside a token, decoded as aws-iam-authenticator does (raw base64url). */
const decodeToken = (token: string): URL => {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const payload = token.slice('k8s-aws-v1.'.length);
  expect(payload).toMatch(/^[A-Za-z0-9_-]+$/); // base64url without padding
  return new URL(Buffer.from(payload, 'base64url').toString('utf8'));
};

const fixedCredentials = (credentials: AwsCredentials = SESSION) => {
  let calls = 0;
  return {
    provider: async () => {
      calls++;
      return credentials;
    },
    get calls() {
      return calls;
    },
  };
};

describe('Function: mintEksToken', () => {
  it.each(AWS_CLI_TOKENS)('equals the token aws-cli printed: $comment', async ({ cluster, region, credentials, token }) => {
    // Act
    const minted = await mintEksToken({ cluster, region, credentials, signingDate: SIGNED_AT });
    // Assess
    expect(minted.reveal()).toBe(token);
  });

  it.each([
    { comment: 'temporary credentials with + / = in the session token', credentials: SESSION, region: 'eu-west-1', cluster: 'demo' },
    { comment: 'long-term keys', credentials: LONG_TERM, region: 'ap-southeast-2', cluster: 'prod_cluster-2' },
    { comment: 'China partition host', credentials: SESSION, region: 'cn-north-1', cluster: 'demo' },
    { comment: 'GovCloud region', credentials: LONG_TERM, region: 'us-gov-west-1', cluster: 'gov' },
  ])('equals SigV4 computed from the spec: $comment', async ({ credentials, region, cluster }) => {
    // Prepare: a signing time one second before a date boundary exercises the scope's day.
    const signingDate = new Date('2026-12-31T23:59:59Z');
    // Act
    const minted = await mintEksToken({ cluster, region, credentials, signingDate });
    // Assess
    expect(minted.reveal()).toBe(expectedToken(credentials, region, cluster, signingDate));
  });

  it('passes every check aws-iam-authenticator makes before replaying the URL', async () => {
    // Act
    const minted = await mintEksToken({ cluster: 'demo', region: 'eu-west-1', credentials: SESSION, signingDate: SIGNED_AT });
    const url = decodeToken(minted.reveal());
    // Assess
    expect(Buffer.byteLength(minted.reveal())).toBeLessThanOrEqual(4096);
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const keys = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    const allowed = ['action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders'];
    expect(keys.every((k) => allowed.includes(k))).toBe(true);
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['host', 'x-k8s-aws-id']);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261123T100000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261123/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(SESSION.sessionToken);
    // The cluster name is a signed header, never part of the URL.
    expect(url.href).not.toContain('demo');
  });

  it('expires 14 minutes after signing, as aws-cli reports', async () => {
    const minted = await mintEksToken({ cluster: 'demo', region: 'eu-west-1', credentials: SESSION, signingDate: SIGNED_AT });
    expect(minted.expiresAt.toISOString()).toBe('2026-11-23T10:14:00.000Z');
  });

  it.each([
    { comment: 'empty cluster name', cluster: '', region: 'eu-west-1', fragment: 'cluster name ""' },
    { comment: 'cluster name with a slash', cluster: 'a/b', region: 'eu-west-1', fragment: 'cluster name "a/b"' },
    { comment: 'region that would change the host', cluster: 'demo', region: 'evil.example.com/x', fragment: 'region "evil.example.com/x"' },
  ])('refuses $comment', async ({ cluster, region, fragment }) => {
    const minting = mintEksToken({ cluster, region, credentials: SESSION, signingDate: SIGNED_AT });
    await expect(minting).rejects.toThrow(EksTokenError);
    await expect(minting).rejects.toThrow(fragment);
  });
});

describe('Class: BearerToken (redaction)', () => {
  it.each([
    { comment: 'String()', render: (t: object) => String(t) },
    { comment: 'a template string', render: (t: object) => `${t}` },
    { comment: 'JSON.stringify', render: (t: object) => JSON.stringify({ token: t }) },
    { comment: 'util.inspect (console.log, loggers)', render: (t: object) => inspect({ nested: { t } }, { depth: 5, showHidden: true }) },
  ])('never shows the value through $comment', async ({ render }) => {
    const minted = await mintEksToken({ cluster: 'demo', region: 'eu-west-1', credentials: SESSION, signingDate: SIGNED_AT });
    const text = render(minted);
    expect(text).not.toContain(minted.reveal());
    expect(text).not.toContain('k8s-aws-v1.');
    expect(text).toContain('[redacted]');
  });

  it('is redacted in what the Powertools logger writes', async () => {
    // Prepare
    const minted = await mintEksToken({ cluster: 'demo', region: 'eu-west-1', credentials: SESSION, signingDate: SIGNED_AT });
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      // Act
      const logger = new Logger({ serviceName: 'lpa-test' });
      logger.info('token minted', { token: minted });
      logger.info('as extra keys', minted as unknown as Record<string, unknown>);
    } finally {
      write.mockRestore();
    }
    // Assess
    expect(written).toHaveLength(2);
    expect(written.join('')).not.toContain(minted.reveal());
    expect(written[0]).toContain('"token":"[redacted]"');
  });

  it('keeps the token out of a TokenProvider rendered by JSON or inspect', async () => {
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: fixedCredentials().provider, now: () => SIGNED_AT.getTime() });
    const token = (await provider.getToken()).reveal();
    expect(JSON.stringify(provider)).not.toContain(token);
    expect(inspect(provider, { showHidden: true, depth: 10 })).not.toContain(token);
    expect(String(provider)).not.toContain(token);
  });
});

describe('Class: TokenProvider', () => {
  const MINUTE = 60_000;
  const clock = (start = SIGNED_AT.getTime()) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('reuses the token until 14 minutes after signing', async () => {
    // Prepare
    const time = clock();
    const credentials = fixedCredentials();
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: credentials.provider, now: time.now });
    // Act
    const first = await provider.getToken();
    time.advance(14 * MINUTE - 1);
    const second = await provider.getToken();
    // Assess
    expect(second).toBe(first);
    expect(credentials.calls).toBe(1);
  });

  it('mints a new token, signed at the current time, once 14 minutes have passed', async () => {
    const time = clock();
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: fixedCredentials().provider, now: time.now });
    const first = await provider.getToken();
    time.advance(14 * MINUTE);
    const second = await provider.getToken();
    expect(second.reveal()).not.toBe(first.reveal());
    expect(decodeToken(second.reveal()).searchParams.get('X-Amz-Date')).toBe('20261123T101400Z');
    expect(second.expiresAt.toISOString()).toBe('2026-11-23T10:28:00.000Z');
  });

  it('mints a new token after invalidate()', async () => {
    const time = clock();
    const credentials = fixedCredentials();
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: credentials.provider, now: time.now });
    await provider.getToken();
    // Act
    expect(provider.invalidate()).toBe(true);
    await provider.getToken();
    // Assess
    expect(credentials.calls).toBe(2);
  });

  it('shares one mint between concurrent callers', async () => {
    const credentials = fixedCredentials();
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: credentials.provider, now: clock().now });
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(credentials.calls).toBe(1);
  });

  it('re-mints early when the credentials expire before the token would', async () => {
    // Prepare: credentials that expire 5 minutes after signing.
    const time = clock();
    const credentials = fixedCredentials({ ...SESSION, expiration: new Date(SIGNED_AT.getTime() + 5 * MINUTE) });
    const provider = new TokenProvider({ cluster: 'demo', region: 'eu-west-1', credentials: credentials.provider, now: time.now });
    await provider.getToken();
    // Act
    time.advance(5 * MINUTE);
    await provider.getToken();
    // Assess
    expect(credentials.calls).toBe(2);
  });

  it('names the cluster and keeps the cause when credentials cannot be loaded', async () => {
    const cause = new Error('Could not load credentials from any providers');
    const provider = new TokenProvider({
      cluster: 'demo',
      region: 'eu-west-1',
      credentials: async () => {
        throw cause;
      },
      now: clock().now,
    });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EksTokenError);
    expect((error as Error).message).toBe(
      'could not load AWS credentials to sign the EKS token for cluster "demo": Could not load credentials from any providers',
    );
    expect((error as Error).cause).toBe(cause);
  });
});
