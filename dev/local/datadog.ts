/**
 * A local Datadog metrics query API for tests and demos: a node:http server on 127.0.0.1 (a random
 * port) answering `GET /api/v1/query?from=&to=&query=` as `https://api.<site>` does, with the keys
 * in `DD-API-KEY` and `DD-APPLICATION-KEY`. A test registers key pairs and the series a query
 * returns (`pointlist` of `[epoch ms, value | null]`); an unknown query returns no series, as
 * Datadog does for a metric without data in the window. Wrong keys get 403
 * `{"errors":["Forbidden"]}`; a test can answer with 422 or with a 429 and Datadog's
 * `X-RateLimit-*` headers. Every call is recorded with its window and keys.
 *
 * @example
 * const datadog = await startDatadog();
 * datadog.addKeys('api-key', 'app-key');
 * datadog.setSeries('avg:nginx.requests{service:web}', [[[1700000000000, 12]]]);
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Point = readonly [number, number | null];

interface DatadogQueryCall {
  readonly query: string | null;
  readonly from: number;
  readonly to: number;
  readonly apiKey: string | undefined;
  readonly appKey: string | undefined;
}

interface LocalDatadog {
  /** The base URL every site maps to (`siteUrl: () => url`). */
  readonly url: string;
  readonly calls: readonly DatadogQueryCall[];
  addKeys(apiKey: string, appKey: string): void;
  /** One pointlist per series. */
  setSeries(query: string, series: readonly (readonly Point[])[]): void;
  /** Answers every later call with this status (422 unavailable, 429 rate-limited); `undefined` restores. */
  failWith(status: 422 | 429 | 500 | undefined): void;
  close(): Promise<void>;
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
};

const startDatadog = async (): Promise<LocalDatadog> => {
  const keys = new Set<string>();
  const seriesByQuery = new Map<string, readonly (readonly Point[])[]>();
  const calls: DatadogQueryCall[] = [];
  let failure: 422 | 429 | 500 | undefined;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' || url.pathname !== '/api/v1/query') return send(response, 404, { errors: ['Not found'] });
    const apiKey = header(request, 'dd-api-key');
    const appKey = header(request, 'dd-application-key');
    const query = url.searchParams.get('query');
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    calls.push({ query, from, to, apiKey, appKey });
    if (!keys.has(`${apiKey}\n${appKey}`)) return send(response, 403, { errors: ['Forbidden'] });
    if (failure === 429) return send(response, 429, { errors: ['Too many requests'] }, { 'x-ratelimit-limit': '1600', 'x-ratelimit-period': '60', 'x-ratelimit-reset': '17' });
    if (failure !== undefined) return send(response, failure, { errors: [failure === 422 ? 'The metric is unavailable' : 'Internal Server Error'] });
    if (query === null || !Number.isInteger(from) || !Number.isInteger(to) || from >= to) {
      return send(response, 400, { errors: ["Invalid 'from', 'to' or 'query'"] });
    }
    const series = (seriesByQuery.get(query) ?? []).map((pointlist) => ({ metric: query.split('{')[0], pointlist, scope: '*' }));
    return send(response, 200, { status: 'ok', res_type: 'time_series', query, from_date: from * 1000, to_date: to * 1000, series });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    addKeys: (apiKey, appKey) => void keys.add(`${apiKey}\n${appKey}`),
    setSeries: (query, series) => void seriesByQuery.set(query, series),
    failWith: (status) => {
      failure = status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
};

export { startDatadog };
export type { DatadogQueryCall, LocalDatadog };
