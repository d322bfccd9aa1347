/**
 * `datadog` in API mode (KEDA `datadog_scaler.go` getQueryResult): `GET https://api.<site>/api/v1/query`
 * over [now − timeWindowOffset − age, now − timeWindowOffset] with the API and application keys
 * in the `DD-API-KEY` / `DD-APPLICATION-KEY` headers. KEDA's rules:
 * - 403 → an authorization error; 429 → a rate-limit error quoting the `X-Ratelimit-*` headers;
 *   422 → `metricUnavailableValue` when set; any other non-200, or `status: "error"` → an error;
 * - no series → `metricUnavailableValue`, else an error; several series need `queryAggregator`;
 * - per series: the last point whose value is not null, stepped back `lastAvailablePointOffset`
 *   points (not enough points → an error); a null there → `metricUnavailableValue`, else an error;
 * - the series' values combined by `average`, or (default) `max`.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import type { MetricReading } from '../engine/types.js';
import type { DatadogMetadata, DatadogTrigger } from '../spec/types.js';
import { authOrMetadata, requiredParameter } from './authParams.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from './concurrency.js';
import { TriggerReadError, describeError, failedReading } from './errors.js';
import { DEFAULT_HTTP_TIMEOUT_MS, requestJson } from './httpJson.js';
import type { TriggerReader, TriggerRequest } from './types.js';

const DEFAULT_SITE = 'datadoghq.com';
/** A host name (`datadoghq.eu`, `us5.datadoghq.com`): the site is only ever a suffix of `api.`. */
const SITE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

const responseSchema = builtOnce(() =>
  z.object({
    status: z.string().optional(),
    error: z.string().optional(),
    series: z.array(z.object({ pointlist: z.array(z.array(z.number().nullable())).nullish() })).nullish(),
  }),
);

type QueryResponse = z.output<ReturnType<typeof responseSchema>>;

/** `https://api.<site>`; tests point every site at a local stand-in. */
type SiteUrl = (site: string) => string;
const datadogApiUrl: SiteUrl = (site) => `https://api.${site}`;

/** No value: what `metricUnavailableValue` stands in for, else this error. */
const unavailable = (metadata: DatadogMetadata, what: string): number => {
  if (metadata.metricUnavailableValue !== undefined) return metadata.metricUnavailableValue;
  throw new TriggerReadError(what);
};

/**
 * The value of a successful response, by KEDA's rules (see the file comment).
 *
 * @example
 * valueOfSeries({ series: [{ pointlist: [[1700000000000, 3], [1700000060000, null]] }] }, metadata); // 3
 */
const valueOfSeries = (response: QueryResponse, metadata: DatadogMetadata): number => {
  const series = response.series ?? [];
  if (series.length === 0) return unavailable(metadata, 'no Datadog metrics returned for the given time window');
  if (series.length > 1 && metadata.queryAggregator === undefined) {
    throw new TriggerReadError('query returned more than 1 series; modify the query to return only 1 series or add a queryAggregator');
  }
  const values: number[] = [];
  for (const { pointlist } of series) {
    const points = pointlist ?? [];
    let index = points.length - 1;
    for (let j = index; j >= 0; j--) {
      const point = points[j] ?? [];
      if (point.length >= 2 && point[1] !== null && point[1] !== undefined) {
        index = j;
        break;
      }
    }
    if (index < metadata.lastAvailablePointOffset) throw new TriggerReadError('index is smaller than the lastAvailablePointOffset');
    index -= metadata.lastAvailablePointOffset;
    const value = points[index]?.[1];
    // One series without a value ends the read, as in KEDA: the fill value, or an error.
    if (value === null || value === undefined) return unavailable(metadata, 'no Datadog metrics returned for the given time window');
    values.push(value);
  }
  return metadata.queryAggregator === 'average' ? values.reduce((sum, v) => sum + v, 0) / values.length : Math.max(...values);
};

interface DatadogCall {
  readonly url: string;
  readonly apiKey: string;
  readonly appKey: string;
}

const callOf = (request: TriggerRequest<DatadogTrigger>, now: number, siteUrl: SiteUrl): DatadogCall => {
  const { metadata } = request.trigger;
  const apiKey = requiredParameter(request, 'apiKey', undefined, (text) => text, 'a string').value;
  const appKey = requiredParameter(request, 'appKey', undefined, (text) => text, 'a string').value;
  const site = authOrMetadata(request, 'datadogSite', undefined, (text) => (SITE.test(text) ? text : undefined), 'a host name such as datadoghq.eu')?.value ?? DEFAULT_SITE;
  const to = Math.floor(now / 1000) - metadata.timeWindowOffset;
  const query = new URLSearchParams({ from: String(to - metadata.age), to: String(to), query: metadata.query });
  return { url: `${siteUrl(site)}/api/v1/query?${query}`, apiKey, appKey };
};

/** One call and KEDA's status handling; the keys travel in headers and appear in no message. */
const query = async (call: DatadogCall, metadata: DatadogMetadata, signal: AbortSignal | undefined): Promise<number> => {
  const headers = { 'DD-API-KEY': call.apiKey, 'DD-APPLICATION-KEY': call.appKey };
  const response = await requestJson('GET', call.url, headers, undefined, 'Datadog', metadata.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS, signal);
  if (response.status === 403) {
    throw new TriggerReadError('unauthorized to connect to Datadog (HTTP 403): check that the API and application keys are correct and that the application key has the metrics_read permission');
  }
  if (response.status === 429) {
    const header = (name: string) => response.headers.get(name) ?? '?';
    throw new TriggerReadError(
      `your Datadog account reached the ${header('x-ratelimit-limit')} queries per ${header('x-ratelimit-period')} seconds rate limit, next limit reset will happen in ${header('x-ratelimit-reset')} seconds`,
    );
  }
  if (response.status === 422 && metadata.metricUnavailableValue !== undefined) return metadata.metricUnavailableValue;
  const parsed = responseSchema().safeParse(response.body);
  if (response.status !== 200) {
    const errors = (response.body as { errors?: unknown } | undefined)?.errors;
    const said = Array.isArray(errors) ? `: ${errors.map(String).join('; ')}` : '';
    throw new TriggerReadError(`error when retrieving Datadog metrics: HTTP ${response.status}${said}`);
  }
  if (!parsed.success) throw new TriggerReadError('error when retrieving Datadog metrics: the response is not a metrics query result');
  if (parsed.data.status === 'error') throw new TriggerReadError(`error when retrieving Datadog metrics${parsed.data.error === undefined ? '' : `: ${parsed.data.error}`}`);
  return valueOfSeries(parsed.data, metadata);
};

interface DatadogReaderOptions {
  /** Calls in flight. Default 16. */
  readonly concurrency?: number;
  /** The API base URL of a site. Default `https://api.<site>`. */
  readonly siteUrl?: SiteUrl;
}

const createDatadogReader = ({ concurrency = DEFAULT_CONCURRENCY, siteUrl = datadogApiUrl }: DatadogReaderOptions = {}): TriggerReader<DatadogTrigger> => ({
  type: 'datadog',
  read: (requests, now, signal) =>
    mapWithConcurrency(requests, concurrency, async (request): Promise<MetricReading> => {
      try {
        return { value: await query(callOf(request, now, siteUrl), request.trigger.metadata, signal) };
      } catch (error) {
        return failedReading(request, describeError(error));
      }
    }),
});

export { DEFAULT_SITE as DATADOG_DEFAULT_SITE, createDatadogReader, datadogApiUrl, valueOfSeries };
export type { DatadogReaderOptions, SiteUrl };
