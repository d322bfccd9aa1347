/**
 * A local Amazon Managed Service for Prometheus workspace: HTTPS on 127.0.0.1 (a fresh CA, which
 * clients must trust explicitly), `/workspaces/<id>/api/v1/query`, every request's SigV4 signature
 * checked the way AWS checks it before the query is answered by the local Prometheus stand-in.
 * Refusals are 403s with AWS's JSON body and `x-amzn-ErrorType`, worded as AWS words them:
 * missing token, unknown key, wrong scope (region or service `aps`), expired, signature mismatch.
 *
 * The check is written from the SigV4 specification with node:crypto, independently of the
 * @smithy signer LPA uses, so a mistake in how LPA calls the signer cannot verify itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCertificates } from './http.js';

/** AWS refuses requests dated more than 5 minutes from its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

interface AmpIdentity {
  readonly secretAccessKey: string;
  /** Temporary credentials must send exactly this `x-amz-security-token`. */
  readonly sessionToken?: string;
}

interface AmpRequestLog {
  readonly status: number;
  /** The key that signed, when the signature verified. */
  readonly accessKeyId?: string;
  /** AWS's error type when refused. */
  readonly errorType?: string;
}

interface LocalAmpOptions {
  readonly region: string;
  readonly workspaceId: string;
  /** Where answered queries go: the local Prometheus stand-in's URL. */
  readonly prometheusUrl: string;
  /** The secret (and session token) of an access key, as IAM knows it; undefined for an unknown key. */
  readonly identity: (accessKeyId: string) => AmpIdentity | undefined;
  readonly now?: () => number;
}

interface LocalAmp {
  /** `https://127.0.0.1:<port>/workspaces/<id>`: a trigger's serverAddress. */
  readonly url: string;
  readonly caPem: string;
  readonly requests: readonly AmpRequestLog[];
  close(): Promise<void>;
}

class Refusal extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
/** RFC 3986 unreserved characters stay; every other byte is %XX, upper-case. */
const uriEncode = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Non-S3 services: each path segment as received, encoded once more. */
const canonicalUri = (rawPath: string): string => rawPath.split('/').map(uriEncode).join('/') || '/';

/** Pairs decoded as the service decodes them (`+` is a space), re-encoded, sorted by key then value. */
const canonicalQuery = (rawQuery: string): string =>
  [...new URLSearchParams(rawQuery)]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? byteOrder(va, vb) : byteOrder(ka, kb)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

const headerValue = (req: IncomingMessage, name: string): string => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
};

const verify = (req: IncomingMessage, options: LocalAmpOptions): string => {
  const match = AUTHORIZATION.exec(headerValue(req, 'authorization'));
  if (match === null) throw new Refusal('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  const amzDate = headerValue(req, 'x-amz-date');
  const date = AMZ_DATE.exec(amzDate);
  if (date === null) throw new Refusal('IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  const [, y, mo, d, h, mi, s] = date;
  const signedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) throw new Refusal('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than the allowed window (5 min).`);
  if (region !== options.region) throw new Refusal('InvalidSignatureException', 'Credential should be scoped to a valid region.');
  if (service !== 'aps') throw new Refusal('InvalidSignatureException', "Credential should be scoped to correct service: 'aps'.");
  if (day !== amzDate.slice(0, 8)) throw new Refusal('InvalidSignatureException', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');
  const identity = options.identity(accessKeyId);
  if (identity === undefined) throw new Refusal('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if ((identity.sessionToken ?? '') !== headerValue(req, 'x-amz-security-token')) throw new Refusal('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const names = signedHeaders.split(';');
  if (!names.includes('host')) throw new Refusal('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2);
  const canonical = [
    req.method ?? 'GET',
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    names.map((name) => `${name}:${headerValue(req, name)}\n`).join(''),
    signedHeaders,
    headerValue(req, 'x-amz-content-sha256') || EMPTY_SHA256,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${identity.secretAccessKey}`, day), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    throw new Refusal('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
  }
  return accessKeyId;
};

const refuse = (res: ServerResponse, refusal: Refusal): void => {
  res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': `${refusal.errorType}:http://internal.amazon.com/coral/com.amazon.coral.service/` });
  res.end(JSON.stringify({ message: refusal.message }));
};

const startAmp = async (options: LocalAmpOptions): Promise<LocalAmp> => {
  const requests: AmpRequestLog[] = [];
  const prefix = `/workspaces/${options.workspaceId}`;
  const { caPem, key, cert } = await localCertificates('lpa-local-amp-ca', 'aps-workspaces');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let accessKeyId: string;
    try {
      accessKeyId = verify(req, options);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      requests.push({ status: 403, errorType: error.errorType });
      return refuse(res, error);
    }
    const path = req.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      requests.push({ status: 404, accessKeyId });
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ message: `Workspace not found: ${path.split('/')[2] ?? ''}` }));
      return;
    }
    const upstream = await fetch(`${options.prometheusUrl}${path.slice(prefix.length)}`);
    const body = await upstream.text();
    requests.push({ status: upstream.status, accessKeyId });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  };

  const server = createServer({ key, cert }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}${prefix}`,
    caPem,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};

export { startAmp };
export type { AmpIdentity, AmpRequestLog, LocalAmp, LocalAmpOptions };
