/**
 * One JSON request over HTTPS for the triggers that speak to SaaS APIs (New Relic, Datadog), with
 * Node's built-in fetch: TLS verification on (never turned off), a timeout per request so a hung
 * API cannot stall the tick, and failures described without headers (where the keys travel).
 */
import { TriggerReadError } from './errors.js';

/** The SDK clients' per-attempt timeout, for the same reason (shared/triggers/awsClients.ts). */
const DEFAULT_HTTP_TIMEOUT_MS = 10_000; // 10 seconds

interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed body; undefined when it is not JSON. */
  readonly body: unknown;
}

/** `ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, … from fetch's `cause` chain, else its message. */
const networkCause = (error: unknown): string => {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
};

/**
 * @example
 * const { status, body } = await requestJson('POST', 'https://api.newrelic.com/graphql', { 'api-key': key }, payload, 'NerdGraph');
 */
const requestJson = async (
  method: 'GET' | 'POST',
  url: string,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  service: string,
  timeoutMs = DEFAULT_HTTP_TIMEOUT_MS,
  /** The tick's budget: the call also ends when it does. */
  signal?: AbortSignal,
): Promise<JsonResponse> => {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]),
    });
  } catch (error) {
    if (signal?.aborted === true) throw new TriggerReadError(`${service}: abandoned: ${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}`, { cause: error });
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new TriggerReadError(timedOut ? `${service}: no response within ${timeoutMs} ms` : `${service}: no response (${networkCause(error)})`, { cause: error });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed };
};

export { DEFAULT_HTTP_TIMEOUT_MS, requestJson };
export type { JsonResponse };
