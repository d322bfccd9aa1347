/**
 * The `ScaleClient` port over node:https (DESIGN.md §4): the scale subresource and a ready-pod count,
 * with a bearer token per request, TLS verified against the cluster CA, a timeout per request,
 * one re-mint on 401 and backoff on 409/429/5xx/no response.
 */
import { Agent, request } from 'node:https';
import { errorMessage, LpaError } from '../errors.js';
import type { BearerToken, BearerTokenSource } from './bearerToken.js';
import { KubeConnectionError, KubeNotFoundError, KubeResponseError } from './errors.js';
import { listAll, podsContext, podsPath, readPodSet, type Get } from './pods.js';
import { describeRequest, errorForStatus, objectSchema, parseBody, podListSchema, scaleSchema, secretSchema, type RequestContext } from './responses.js';
import { DEFAULT_RETRY_POLICY, isAborted, withRetry, type RetryPolicy } from './retry.js';
import { proxyCall, proxiedResponse } from './serviceProxy.js';
import type { Scale, ScaleClient } from './types.js';

/** Long enough for a loaded API server, short enough that three attempts fit a one-minute tick. */
const DEFAULT_TIMEOUT_MS = 5_000;
/** A page of 500 pods is a few MB; anything far beyond is not an API answer we can use. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_REPLICAS = 2 ** 31 - 1; // int32 in the API

interface ScaleClientOptions {
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

/** Keep-alive connections to one API server, trusting exactly its CA. */
interface KubeAgent {
  readonly https: Agent;
  close(): Promise<void>;
}

/**
 * An agent whose TLS trusts exactly the cluster CA (EKS signs the API server certificate with its
 * own CA). Verification stays on: `rejectUnauthorized` is never turned off. node:https rather than
 * undici: undici's 520 KB would alone break the 500 KB bundle budget (README, Performance).
 */
const createKubeAgent = (caPem: string): KubeAgent => {
  const agent = new Agent({ ca: caPem, keepAlive: true });
  return {
    https: agent,
    close: async () => agent.destroy(),
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
  readonly method: 'GET' | 'PATCH';
  /** Path and query, e.g. `/apis/apps/v1/namespaces/demo/deployments/worker/scale?dryRun=All`. */
  readonly path: string;
  readonly body?: string;
  /** Extra request headers (a proxied Service's); never `authorization`, which is the token's. */
  readonly headers?: readonly (readonly [string, string])[];
  /** This call's timeout instead of the client's. */
  readonly timeoutMs?: number;
  /** The caller's budget. */
  readonly signal?: AbortSignal;
}

interface Exchange {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | undefined;
}

const scalePath = (namespace: string, name: string): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}/scale`;

const deployment = (namespace: string, name: string): string => `deployment ${namespace}/${name}`;

const KEDA_API = '/apis/keda.sh/v1alpha1';
const AUTHENTICATION_RESOURCES = { TriggerAuthentication: 'triggerauthentications', ClusterTriggerAuthentication: 'clustertriggerauthentications' } as const;

/** base64 → UTF-8, per key; the values are secrets and go nowhere but back to the caller. */
const decodeSecretData = (data: Readonly<Record<string, string>> | null | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

const isReady = (pod: { status?: { phase?: string; conditions?: readonly { type: string; status: string }[] | null } }): boolean =>
  pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const createScaleClient = (options: ScaleClientOptions): ScaleClient => {
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
      return await new Promise<Exchange>((resolve, reject) => {
        const req = request(
          `${endpoint}${call.path}`,
          {
            method: call.method,
            agent: options.agent.https,
            headers: {
              ...Object.fromEntries(call.headers ?? []),
              accept: 'application/json',
              authorization: `Bearer ${token.reveal()}`,
              ...(call.body === undefined ? {} : { 'content-type': 'application/merge-patch+json', 'content-length': Buffer.byteLength(call.body) }),
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
    throw errorForStatus(response.status, response.text, response.retryAfter, call, now());
  };

  const send = (call: Call): Promise<Exchange> => withRetry(() => attempt(call), retry, call.signal);
  const get: Get = (path, context, signal) => send({ ...context, signal, method: 'GET', path });

  const readScale = async (call: Call): Promise<Scale> => {
    const { status, text } = await send(call);
    const scale = parseBody(scaleSchema, text, status, call);
    return { specReplicas: scale.spec.replicas, statusReplicas: scale.status.replicas, selector: scale.status.selector };
  };

  return {
    getScale: (namespace, name, callOptions) =>
      readScale({
        signal: callOptions?.signal,
        method: 'GET',
        path: scalePath(namespace, name),
        target: deployment(namespace, name),
        rule: { verb: 'get', resource: 'deployments/scale', apiGroup: 'apps', namespace },
      }),

    patchScale: async (namespace, name, replicas, patchOptions) => {
      if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
        throw new LpaError(`replicas for ${deployment(namespace, name)} must be a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`);
      }
      return readScale({
        signal: patchOptions?.signal,
        method: 'PATCH',
        path: `${scalePath(namespace, name)}${patchOptions?.dryRun === true ? '?dryRun=All' : ''}`,
        // Only replicas: GitOps tools see no drift beyond it.
        body: JSON.stringify({ spec: { replicas } }),
        target: deployment(namespace, name),
        rule: { verb: 'patch', resource: 'deployments/scale', apiGroup: 'apps', namespace },
      });
    },

    countReadyPods: async (namespace, selector, callOptions) =>
      (await listAll(get, podsPath(namespace), selector, podListSchema, podsContext(namespace, selector), callOptions?.signal)).filter(isReady).length,

    readPodSet: (namespace, selector, callOptions) => readPodSet(get, namespace, selector, callOptions?.signal),

    getSecret: async (namespace, name, callOptions) => {
      const call: Call = {
        signal: callOptions?.signal,
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
        target: `Secret ${namespace}/${name}`,
        rule: { verb: 'get', resource: 'secrets', apiGroup: '', namespace },
      };
      const { status, text } = await send(call);
      return decodeSecretData(parseBody(secretSchema, text, status, call).data);
    },

    getTriggerAuthentication: async (kind, namespace, name, callOptions) => {
      const resource = AUTHENTICATION_RESOURCES[kind];
      const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
      const call: Call = {
        signal: callOptions?.signal,
        method: 'GET',
        path: `${KEDA_API}${scope}/${resource}/${encodeURIComponent(name)}`,
        target: `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`,
        rule: { verb: 'get', resource, apiGroup: 'keda.sh', namespace: namespace ?? '' },
      };
      try {
        const { status, text } = await send(call);
        return parseBody(objectSchema, text, status, call);
      } catch (error) {
        if (error instanceof KubeNotFoundError) return undefined;
        throw error;
      }
    },

    // Not retried: the Service's own errors are its answer, and the next evaluation asks again.
    proxyGet: async (proxied) => {
      const call: Call = { method: 'GET', ...proxyCall(proxied), signal: proxied.signal };
      const response = await authorized(call);
      return proxiedResponse(response, call, now());
    },
  };
};

export { createKubeAgent, createScaleClient };
export type { KubeAgent, ScaleClientOptions };
