/**
 * `new-relic` (KEDA `newrelic_scaler.go`): the trigger's NRQL through NerdGraph, New Relic's
 * GraphQL API (`actor.account(id).nrql(query).results`), with the User API key in the `API-Key`
 * header. KEDA's result rules:
 * - no result rows → 0, or an error with `noDataError: true`;
 * - else the first numeric value of the FIRST row; none → 0, or an error with `noDataError`.
 *
 * KEDA picks "the first" numeric field by iterating a Go map, so a row with several numbers
 * (`SELECT count(*), average(duration)`, or a TIMESERIES row's `beginTimeSeconds`) gives a random
 * one. LPA's rule is deterministic: the first numeric field in the order NerdGraph wrote the row,
 * skipping `beginTimeSeconds` and `endTimeSeconds` (a row's time window, never the measured value).
 * Nested values (`percentile(...)` → `{"95": 528}`) are not numbers, as in KEDA.
 *
 * Triggers that run the same query as the same account with the same key share one request.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import type { MetricReading } from '../engine/types.js';
import { newRelicRegion, REGION_RULE } from '../spec/triggers/newRelic.js';
import type { NewRelicRegion, NewRelicTrigger } from '../spec/types.js';
import { requiredParameter, authOrMetadata } from './authParams.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from './concurrency.js';
import { TriggerReadError, describeError, failedReading } from './errors.js';
import { requestJson } from './httpJson.js';
import type { TriggerReader, TriggerRequest } from './types.js';

/** NerdGraph per region (newrelic-client-go `region` package). */
const NERDGRAPH_ENDPOINTS: Readonly<Record<NewRelicRegion, string>> = {
  US: 'https://api.newrelic.com/graphql',
  EU: 'https://api.eu.newrelic.com/graphql',
  STAGING: 'https://staging-api.newrelic.com/graphql',
};

const NRQL_QUERY = 'query($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql) { results } } } }';

/** The row fields that hold a TIMESERIES bucket's window rather than a value. */
const TIME_FIELDS: ReadonlySet<string> = new Set(['beginTimeSeconds', 'endTimeSeconds']);

const responseSchema = builtOnce(() =>
  z.object({
    data: z
      .object({ actor: z.object({ account: z.object({ nrql: z.object({ results: z.array(z.unknown()).nullish() }).nullish() }).nullish() }).nullish() })
      .nullish(),
    errors: z.array(z.object({ message: z.string().optional() })).nullish(),
  }),
);

interface NewRelicQuery {
  readonly endpoint: string;
  readonly account: number;
  readonly queryKey: string;
  readonly nrql: string;
}

/**
 * KEDA's value of a result set (see the file comment), `undefined` where KEDA returns "no data".
 *
 * @example
 * valueOfResults([{ beginTimeSeconds: 1700000000, count: 42 }]); // 42
 */
const valueOfResults = (results: readonly unknown[]): number | undefined => {
  const row = results[0];
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  for (const [field, value] of Object.entries(row)) {
    if (!TIME_FIELDS.has(field) && typeof value === 'number') return value;
  }
  return undefined;
};

const GO_INT = /^[+-]?\d+$/;
const parseAccount = (text: string): number | undefined => (GO_INT.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined);

/** Account, key and region from the TriggerAuthentication first, then the metadata (KEDA's order). */
const newRelicQueryOf = (request: TriggerRequest<NewRelicTrigger>, endpoints: Readonly<Record<NewRelicRegion, string>>): NewRelicQuery => {
  const { metadata } = request.trigger;
  const account = requiredParameter(request, 'account', metadata.account, parseAccount, 'an integer (KEDA parses it with strconv.ParseInt)').value;
  const queryKey = requiredParameter(request, 'queryKey', metadata.queryKey, (text) => text, 'a string').value;
  const region = authOrMetadata(request, 'region', metadata.region, newRelicRegion, REGION_RULE)?.value ?? 'US';
  return { endpoint: endpoints[region], account, queryKey, nrql: metadata.nrql };
};

interface NewRelicReaderOptions {
  /** Calls in flight. Default 16. */
  readonly concurrency?: number;
  /** NerdGraph per region; tests point them at a local stand-in. Default New Relic's. */
  readonly endpoints?: Readonly<Record<NewRelicRegion, string>>;
}

/** The result rows, or the API's own error messages (which never echo the key). */
const runQuery = async (query: NewRelicQuery, signal: AbortSignal | undefined): Promise<readonly unknown[]> => {
  const response = await requestJson(
    'POST',
    query.endpoint,
    { 'API-Key': query.queryKey },
    { query: NRQL_QUERY, variables: { accountId: query.account, nrql: query.nrql } },
    `NerdGraph ${query.endpoint}`,
    undefined,
    signal,
  );
  const parsed = responseSchema().safeParse(response.body);
  const messages = parsed.success ? (parsed.data.errors ?? []).map((e) => e.message ?? '(no message)') : [];
  if (response.status !== 200 || messages.length > 0) {
    const said = messages.length > 0 ? `: ${messages.join('; ')}` : '';
    throw new TriggerReadError(`NerdGraph query for account ${query.account} failed with HTTP ${response.status}${said}`);
  }
  const nrql = parsed.success ? parsed.data.data?.actor?.account?.nrql : undefined;
  if (nrql === undefined || nrql === null) throw new TriggerReadError(`NerdGraph returned no nrql result for account ${query.account}`);
  return nrql.results ?? [];
};

const createNewRelicReader = ({ concurrency = DEFAULT_CONCURRENCY, endpoints = NERDGRAPH_ENDPOINTS }: NewRelicReaderOptions = {}): TriggerReader<NewRelicTrigger> => ({
  type: 'new-relic',
  async read(requests, _now, signal) {
    const readings = new Array<MetricReading>(requests.length);
    const groups = new Map<string, { query: NewRelicQuery; indexes: number[] }>();
    for (const [index, request] of requests.entries()) {
      try {
        const query = newRelicQueryOf(request, endpoints);
        const key = JSON.stringify([query.endpoint, query.account, query.queryKey, query.nrql]);
        const group = groups.get(key) ?? { query, indexes: [] };
        group.indexes.push(index);
        groups.set(key, group);
      } catch (error) {
        readings[index] = failedReading(request, describeError(error));
      }
    }
    await mapWithConcurrency([...groups.values()], concurrency, async ({ query, indexes }) => {
      let results: readonly unknown[] | Error;
      try {
        results = await runQuery(query, signal);
      } catch (error) {
        results = error instanceof Error ? error : new Error(String(error));
      }
      for (const index of indexes) {
        const request = requests[index] as TriggerRequest<NewRelicTrigger>;
        if (results instanceof Error) {
          readings[index] = failedReading(request, describeError(results));
          continue;
        }
        const value = valueOfResults(results);
        if (value !== undefined) readings[index] = { value };
        else if (!request.trigger.metadata.noDataError) readings[index] = { value: 0 };
        else readings[index] = failedReading(request, results.length === 0 ? 'the NRQL query returned no results (noDataError: true)' : 'the NRQL query returned no numeric value in its first row (noDataError: true)');
      }
    });
    return readings;
  },
});

export { NERDGRAPH_ENDPOINTS, createNewRelicReader, newRelicQueryOf, valueOfResults };
export type { NewRelicReaderOptions };
