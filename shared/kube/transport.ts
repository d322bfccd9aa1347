/**
 * One HTTPS exchange with the API server, shared by every resource LPA speaks to (scale, discovery,
 * ScaledObjects, status, events, HPAs): a bearer token per request, TLS verified against the cluster CA,
 * a timeout per request, one re-mint on 401 and backoff on 409/429/5xx/no response (DESIGN.md §4).
 */
import type { Agent, request } from 'node:https';
import { errorMessage } from '../errors.js';
import type { BearerToken, BearerTokenSource } from './bearerToken.js';
import { KubeConflictError, KubeConnectionError, KubeResponseError } from './errors.js';
import { describeRequest, errorForStatus, parseBody, type RequestContext } from './responses.js';
import { DEFAULT_RETRY_POLICY, isAborted, withRetry, type RetryPolicy } from './retry.js';
import type * as z from 'zod';

/** Long enough for a loaded API server, short enough that three attempts fit a one-minute tick. */
const DEFAULT_TIMEOUT_MS = 5_000;
/** A page of 500 pods is a few MB; anything far beyond is not an API answer we can use. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

interface TransportOptions {
  /** https URL of the API server. */
  readonly endpoint: string;
  /** An agent that trusts only the cluster CA: see `createKubeAgent`. */
  readonly agent: KubeAgent;
  readonly tokens: BearerTokenSource;
  readonly timeoutMs?: number;
  /** Aborts a request after `ms` with a TimeoutError. Default `AbortSignal.timeout` (tests fire it on a condition). */
  readonly timeoutSignal?: (ms: number) => AbortSignal;
  readonly retry?: RetryPolicy;
  /** Larger response bodies are refused (KubeResponseError). Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** For `Retry-After` dates. */
  readonly now?: () => number;
}

/** node:https's `request` and the agent requests to one API server go through. */
interface KubeConnection {
  readonly request: typeof request;
  readonly agent: Agent;
}

/** Keep-alive connections to one API server, trusting exactly its CA. */
interface KubeAgent {
  /** Imports node:https and builds the agent on the first call; every call returns that same promise. */
  connection(): Promise<KubeConnection>;
  close(): Promise<void>;
}

/**
 * An agent whose TLS trusts exactly the cluster CA (EKS signs the API server certificate with its
 * own CA). Verification stays on: `rejectUnauthorized` is never turned off. node:https rather than
 * undici: undici's 520 KB would alone break the 500 KB bundle budget (README, Performance).
 * node:https (and node:tls under it) is imported with the first request, not at Lambda init: about
 * 15 ms of a cold import (bench/bundles.ts), which an invocation that calls no cluster (an alarm back
 * to OK, a group whose objects are all invalid) never pays.
 */
const createKubeAgent = (caPem: string): KubeAgent => {
  let connection: Promise<KubeConnection> | undefined;
  return {
    connection: () =>
      (connection ??= import('node:https').then((https) => ({ request: https.request, agent: new https.Agent({ ca: caPem, keepAlive: true }) }))),
    close: async () => {
      if (connection !== undefined) (await connection).agent.destroy();
    },
  };
};

/** Certificate failures: retrying cannot fix a wrong CA or host name. */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
/** The first `code` along the cause chain (an abort wraps its reason). */
const errorCode = (error: unknown): string | undefined => {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/** AbortSignal.timeout aborts with a TimeoutError, which node:https hands over as the cause of an AbortError. */
const isTimeout = (error: unknown): boolean => {
  for (let e = error; e instanceof Error || e instanceof DOMException; e = (e as Error).cause) if (e.name === 'TimeoutError') return true;
  return false;
};

/** The caller's signal ended the call: its reason says why (e.g. the tick's deadline). */
const abandonedError = (signal: AbortSignal, endpoint: string, context: RequestContext): KubeConnectionError =>
  new KubeConnectionError(`${describeRequest(context)}: abandoned before ${endpoint} answered: ${errorMessage(signal.reason)}`, 'Aborted', { cause: signal.reason });

const noResponseError = (error: unknown, endpoint: string, context: RequestContext, timeoutMs: number): KubeConnectionError => {
  const code = errorCode(error);
  const prefix = `${describeRequest(context)}: no response from ${endpoint}`;
  if (code !== undefined && TLS_CODES.has(code)) {
    return new KubeConnectionError(`${prefix}: its TLS certificate does not verify against the cluster CA (${code})`, 'TLSVerificationFailed', {
      cause: error,
    });
  }
  if (isTimeout(error)) {
    return new KubeConnectionError(`${prefix} within ${timeoutMs} ms`, 'Timeout', { cause: error });
  }
  return new KubeConnectionError(`${prefix} (${code ?? (error as Error).message})`, 'ConnectionError', { cause: error });
};

interface Call extends RequestContext {
  readonly method: 'GET' | 'PATCH' | 'POST';
  /** Path and query, e.g. `/apis/apps/v1/namespaces/demo/deployments/worker/scale?dryRun=All`. */
  readonly path: string;
  /** JSON; sent as merge-patch for PATCH, plain JSON for POST. */
  readonly body?: string;
  /** Extra request headers (a proxied Service's); never `authorization`, which is the token's. */
  readonly headers?: readonly (readonly [string, string])[];
  /** This call's timeout instead of the transport's. */
  readonly timeoutMs?: number;
  /**
   * The body carries `metadata.resourceVersion` (a precondition): a 409 then means the object changed
   * and resending the same body cannot succeed, so it fails at once with `KubeConflictError`.
   */
  readonly conditional?: boolean;
  /** The caller's budget. */
  readonly signal?: AbortSignal;
}

interface Exchange {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | undefined;
}

interface KubeTransport {
  /** A 2xx answer, after the token refresh and retries; anything else throws a `KubeApiError`. */
  send(call: Call): Promise<Exchange>;
  /** One exchange (with the 401 re-mint), whatever its status: for answers that are not the API server's (the service proxy). */
  sendOnce(call: Call): Promise<Exchange>;
  /** `send`, then the body read with `schema` (a body that is not the documented object fails naming the field). */
  read<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S>>;
}

const contentTypeOf = (call: Call): string => (call.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');

const createKubeTransport = (options: TransportOptions): KubeTransport => {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  const timeoutSignal = options.timeoutSignal ?? AbortSignal.timeout;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const exchange = async (call: Call, token: BearerToken): Promise<Exchange> => {
    const callTimeoutMs = call.timeoutMs ?? timeoutMs;
    if (call.signal !== undefined && isAborted(call.signal)) throw abandonedError(call.signal, endpoint, call);
    const signals = [timeoutSignal(callTimeoutMs), ...(call.signal === undefined ? [] : [call.signal])];
    try {
      const { request, agent } = await options.agent.connection();
      return await new Promise<Exchange>((resolve, reject) => {
        const req = request(
          `${endpoint}${call.path}`,
          {
            method: call.method,
            agent,
            headers: {
              ...Object.fromEntries(call.headers ?? []),
              accept: 'application/json',
              authorization: `Bearer ${token.reveal()}`,
              ...(call.body === undefined ? {} : { 'content-type': contentTypeOf(call), 'content-length': Buffer.byteLength(call.body) }),
            },
            signal: AbortSignal.any(signals),
          },
          (response) => {
            const status = response.statusCode ?? 0;
            const chunks: Buffer[] = [];
            let size = 0;
            response.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= maxBodyBytes) return void chunks.push(chunk);
              // Stop reading at once: a body this large would only cost memory and time.
              response.destroy();
              reject(new KubeResponseError(`${describeRequest(call)}: response body over ${maxBodyBytes} bytes (HTTP ${status}): refused`, status));
            });
            response.on('error', reject);
            response.on('end', () => {
              const retryAfter = response.headers['retry-after'];
              resolve({ status, text: Buffer.concat(chunks).toString('utf8'), retryAfter });
            });
          },
        );
        req.on('error', reject);
        req.end(call.body);
      });
    } catch (error) {
      if (error instanceof KubeResponseError) throw error;
      if (call.signal !== undefined && isAborted(call.signal)) throw abandonedError(call.signal, endpoint, call);
      throw noResponseError(error, endpoint, call, callTimeoutMs);
    }
  };

  /** One exchange; a 401 gets one more try with a freshly minted token (the cached one may have gone stale). */
  const authorized = async (call: Call): Promise<Exchange> => {
    const response = await exchange(call, await options.tokens.getToken());
    if (response.status === 401 && options.tokens.invalidate()) return exchange(call, await options.tokens.getToken());
    return response;
  };

  const attempt = async (call: Call): Promise<Exchange> => {
    const response = await authorized(call);
    if (response.status >= 200 && response.status < 300) return response;
    if (response.status === 409 && call.conditional === true) {
      throw new KubeConflictError(`${describeRequest(call)}: the object changed since it was read (409 Conflict)`);
    }
    throw errorForStatus(response.status, response.text, response.retryAfter, call, now());
  };

  const send = (call: Call): Promise<Exchange> => withRetry(() => attempt(call), retry, call.signal);

  return {
    send,
    sendOnce: authorized,
    read: async (call, schema) => {
      const { status, text } = await send(call);
      return parseBody(schema, text, status, call);
    },
  };
};

export { createKubeAgent, createKubeTransport };
export type { Call, Exchange, KubeAgent, KubeTransport, TransportOptions };
