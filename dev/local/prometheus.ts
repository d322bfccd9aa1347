/**
 * A local Prometheus HTTP API (`/api/v1/query`, GET and form POST) on 127.0.0.1, answering with
 * Prometheus' own JSON shapes: `{"status":"success","data":{"resultType":"vector","result":[…]}}`,
 * and for errors `{"status":"error","errorType":"bad_data","error":"…"}` with the status codes
 * `web/api/v1` uses (400 bad_data, 422 execution, 503 timeout). It does not evaluate PromQL: tests
 * and demos set each query's answer (`setVector`, `setError`, `setResponse`); a query nobody set
 * selects no series, as a query for an absent metric does.
 *
 * With `tls`, it serves HTTPS with a certificate of its own CA (`caPem`) and, as Prometheus' web
 * config `client_auth_type: RequireAndVerifyClientCert` does, refuses every handshake without a
 * client certificate from that CA (`clientCertificate(name)` issues one); each request logs the
 * client certificate's common name.
 *
 * @example
 * const prometheus = await startPrometheus();
 * prometheus.setVector('sum(rate(http_requests_total[2m]))', [{ metric: {}, value: '42' }]);
 * // GET `${prometheus.url}/api/v1/query?query=sum(rate(http_requests_total%5B2m%5D))`
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { localCertificates, localClientCertificate, readBody } from './http.js';

interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  /** As Prometheus writes it: `"42"`, `"0.5"`, `"NaN"`, `"+Inf"`. */
  readonly value: string;
}

type ErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

type Answer =
  | { readonly kind: 'vector'; readonly samples: readonly Sample[] }
  | { readonly kind: 'error'; readonly errorType: ErrorType; readonly error: string }
  | { readonly kind: 'raw'; readonly status: number; readonly body: string };

/** One request as received (headers lower-cased). */
interface PrometheusRequestLog {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The common name of the client certificate (tls only). */
  readonly clientName?: string;
}

interface LocalPrometheus {
  /** `http://127.0.0.1:<port>`, or `https://…` with tls */
  readonly url: string;
  /** tls: the CA of the server's certificate and of the client certificates it accepts. */
  readonly caPem?: string;
  /** tls: a client certificate and key the server accepts. */
  clientCertificate(name: string): Promise<{ readonly cert: string; readonly key: string }>;
  readonly requests: readonly PrometheusRequestLog[];
  /** The query answers these series (one each), stamped with the request's `time`. */
  setVector(query: string, samples: readonly Sample[]): void;
  /** The query fails as Prometheus would, e.g. `('bad_data', '1:5: parse error: unexpected …')`. */
  setError(query: string, errorType: ErrorType, error: string): void;
  /** The query gets exactly this status and body (KEDA's test bodies such as `{}`). */
  setResponse(query: string, status: number, body: string): void;
  close(): Promise<void>;
}

/** `web/api/v1` `returnAPIError`: which status each error type gets. */
const STATUS_OF: Readonly<Record<ErrorType, number>> = { bad_data: 400, execution: 422, timeout: 503, canceled: 503, internal: 500 };

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const apiError = (res: ServerResponse, errorType: ErrorType, error: string): void =>
  sendJson(res, STATUS_OF[errorType], { status: 'error', errorType, error });

/** `parseTime`: a float of Unix seconds or RFC 3339; absent means now. */
const parseTime = (text: string | undefined, now: number): number | undefined => {
  if (text === undefined || text === '') return now / 1000;
  if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(parsed) ? parsed / 1000 : undefined;
};

const startPrometheus = async (options: { readonly now?: () => number; readonly tls?: boolean } = {}): Promise<LocalPrometheus> => {
  const now = options.now ?? Date.now;
  const answers = new Map<string, Answer>();
  const requests: PrometheusRequestLog[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://prometheus.invalid');
    const body = await readBody(req);
    const params = new URLSearchParams(url.search);
    if (req.method === 'POST' && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(body)) params.append(key, value);
    }
    const peer = options.tls === true ? (req.socket as TLSSocket).getPeerCertificate() : undefined;
    const clientName = typeof peer?.subject?.CN === 'string' ? peer.subject.CN : undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, params: Object.fromEntries(params), headers: { ...req.headers }, ...(clientName === undefined ? {} : { clientName }) });
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    const time = parseTime(params.get('time') ?? undefined, now());
    if (time === undefined) return apiError(res, 'bad_data', `invalid parameter "time": cannot parse "${params.get('time')}" to a valid timestamp`);
    const query = params.get('query') ?? '';
    if (query.trim() === '') return apiError(res, 'bad_data', 'invalid parameter "query": 1:1: parse error: no expression found in input');
    const answer = answers.get(query) ?? { kind: 'vector', samples: [] };
    switch (answer.kind) {
      case 'raw':
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
        return;
      case 'error':
        return apiError(res, answer.errorType, answer.error);
      case 'vector':
        return sendJson(res, 200, {
          status: 'success',
          data: { resultType: 'vector', result: answer.samples.map((s) => ({ metric: s.metric, value: [time, s.value] })) },
        });
    }
  };

  const certificates = options.tls === true ? await localCertificates('lpa-local-prometheus-ca', 'prometheus') : undefined;
  const server =
    certificates === undefined
      ? createServer((req, res) => void handle(req, res))
      : createHttpsServer({ key: certificates.key, cert: certificates.cert, ca: certificates.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${certificates === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    ...(certificates === undefined ? {} : { caPem: certificates.caPem }),
    clientCertificate: async (name) => {
      if (certificates === undefined) throw new Error('the local Prometheus was started without tls');
      return localClientCertificate(certificates, name);
    },
    requests,
    setVector: (query, samples) => void answers.set(query, { kind: 'vector', samples }),
    setError: (query, errorType, error) => void answers.set(query, { kind: 'error', errorType, error }),
    setResponse: (query, status, body) => void answers.set(query, { kind: 'raw', status, body }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};

export { startPrometheus };
export type { ErrorType, LocalPrometheus, PrometheusRequestLog, Sample };
