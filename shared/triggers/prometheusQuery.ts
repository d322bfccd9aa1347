/**
 * The Prometheus instant query as KEDA's `ExecutePromQuery` sends it and reads its answer, pure:
 * the request (path, query string, headers) is built here once whatever the transport, and the
 * response rules are KEDA's, in KEDA's order:
 *   non-2xx → error (LPA quotes Prometheus' `error` field, bounded; KEDA discards the body);
 *   0 series → 0 if ignoreNullValues (the default) else error; more than one series → error;
 *   an empty `value` → the same null rule; fewer than 2 entries → error; `value[1]` parsed as a float;
 *   NaN or ±Inf → the null rule.
 */
import type { PrometheusMetadata } from '../spec/types.js';
import { TriggerReadError } from './errors.js';

/** What is sent, relative to the server's base: `path` starts with `/api/v1/query?`. */
interface PrometheusRequest {
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** Longest piece of a server's answer quoted in an error: enough for Prometheus' message, not a page of HTML. */
const MAX_QUOTED = 300;

/**
 * Go's `url.QueryEscape`: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded, spaces as `+`.
 *
 * @example goQueryEscape('sum(rate(x{a="b"}[1m]))') // 'sum%28rate%28x%7Ba%3D%22b%22%7D%5B1m%5D%29%29'
 */
const goQueryEscape = (text: string): string =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** Go's `time.RFC3339` of a UTC time: whole seconds, `Z`. */
const rfc3339Seconds = (now: number): string => new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * `GET /api/v1/query?query=…&time=…[&namespace=…][&k=v…]` and the custom headers.
 *
 * @example
 * prometheusRequest({ query: 'up', queryParameters: [], customHeaders: [], … }, Date.parse('2026-12-02T15:00:00Z'));
 * // { path: '/api/v1/query?query=up&time=2026-12-02T15:00:00Z', headers: [] }
 */
const prometheusRequest = (metadata: PrometheusMetadata, now: number): PrometheusRequest => {
  let path = `/api/v1/query?query=${goQueryEscape(metadata.query)}&time=${rfc3339Seconds(now)}`;
  if (metadata.namespace !== undefined) path += `&namespace=${goQueryEscape(metadata.namespace)}`;
  for (const [key, value] of metadata.queryParameters) path += `&${goQueryEscape(key)}=${goQueryEscape(value)}`;
  return { path, headers: metadata.customHeaders };
};

const quote = (text: string): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}…` : oneLine);
};

/** Prometheus' `{"status":"error","errorType":…,"error":…}`, AWS's `{"message":…}`, or the body itself when it is something else (a proxy's page). */
const errorBodyText = (body: string): string => {
  try {
    const json = JSON.parse(body) as { errorType?: unknown; error?: unknown; message?: unknown };
    if (typeof json.error === 'string') return `${typeof json.errorType === 'string' ? `${json.errorType}: ` : ''}${quote(json.error)}`;
    // AWS services (Amazon Managed Service for Prometheus) answer `{"message": …}`.
    if (typeof json.message === 'string') return quote(json.message);
  } catch {
    // not JSON: quote the text
  }
  return body.trim() === '' ? 'an empty body' : quote(body);
};

/** Go's `strconv.ParseFloat` on what Prometheus writes: decimals, exponents, `NaN`, `+Inf`, `-Inf`. */
const parseSampleValue = (text: string): number | undefined => {
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?(?:inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  return undefined;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `data.result` as Go's decoder into `[]struct{ Metric struct{}; Value []any }` would see it. */
const seriesOf = (json: unknown): readonly Record<string, unknown>[] => {
  if (json === null) return [];
  if (!isObject(json)) throw new TriggerReadError('the response is not a JSON object');
  const { data } = json;
  if (data === undefined || data === null) return [];
  if (!isObject(data)) throw new TriggerReadError('data in the response is not an object');
  const { result, resultType } = data;
  if (result === undefined || result === null) return [];
  if (!Array.isArray(result) || !result.every((item) => item === null || isObject(item))) {
    const type = typeof resultType === 'string' ? ` (resultType "${resultType}")` : '';
    throw new TriggerReadError(`data.result in the response is not a list of series${type}; the query must return an instant vector`);
  }
  return result.map((item) => (item === null ? {} : item));
};

/**
 * The metric value of one response, or a `TriggerReadError` saying why there is none.
 *
 * @example
 * prometheusValue(200, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"7"]}]}}', meta); // 7
 */
const prometheusValue = (status: number, body: string, metadata: Pick<PrometheusMetadata, 'query' | 'ignoreNullValues'>): number => {
  if (status < 200 || status > 299) throw new TriggerReadError(`Prometheus answered HTTP ${status}: ${errorBodyText(body)}`);
  const nullValue = (what: string): number => {
    if (metadata.ignoreNullValues) return 0;
    throw new TriggerReadError(`query ${quote(metadata.query)} ${what} (ignoreNullValues is false)`);
  };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new TriggerReadError(`the response is not JSON: ${quote(body)}`);
  }
  const series = seriesOf(json);
  if (series.length === 0) return nullValue('returned no series');
  if (series.length > 1) throw new TriggerReadError(`query ${quote(metadata.query)} returned ${series.length} series; it must return exactly one (aggregate it, e.g. with sum())`);
  const value = (series[0] as Record<string, unknown>).value ?? [];
  if (!Array.isArray(value)) throw new TriggerReadError('the series\' value is not a [time, "value"] pair');
  if (value.length === 0) return nullValue('returned a series without a value');
  if (value.length < 2) throw new TriggerReadError(`query ${quote(metadata.query)} returned a value with ${value.length} entry; expected [time, "value"]`);
  const sample: unknown = value[1];
  if (sample === null) return nullValue('returned a null value');
  if (typeof sample !== 'string') throw new TriggerReadError(`the sample value is not a string: ${quote(JSON.stringify(sample))}`);
  const parsed = parseSampleValue(sample);
  if (parsed === undefined) throw new TriggerReadError(`the sample value is not a number: ${quote(sample)}`);
  if (!Number.isFinite(parsed)) return nullValue(`returned ${sample}`);
  return parsed;
};

export { MAX_QUOTED, goQueryEscape, prometheusRequest, prometheusValue };
export type { PrometheusRequest };
