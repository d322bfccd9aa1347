/**
 * The pure half of `aws-cloudwatch` (KEDA `aws_cloudwatch_scaler.go`): the query window, the
 * MetricDataQuery of one trigger, the plan that packs ALL CloudWatch triggers of a tick into as few
 * GetMetricData calls as the API allows, and the value of one result.
 */
import type { MetricDataQuery, MetricDataResult, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchMetadata } from '../spec/types.js';
import { awsTargetKey } from './awsClients.js';
import type { AwsTarget } from './awsClients.js';

/** GetMetricData accepts up to 500 MetricDataQuery structures per call. */
const MAX_QUERIES_PER_CALL = 500;
/**
 * Go's `Time.Truncate` rounds down to a multiple of the period counted from Go's zero time,
 * 0001-01-01T00:00:00Z, which is this far before the Unix epoch (a whole number of days, so
 * periods that divide a day land on UTC clock boundaries).
 */
const GO_ZERO_TIME_BEFORE_UNIX_EPOCH_MS = 62_135_596_800_000;
const SECOND_MS = 1000;

/** Epoch milliseconds; `startTime < endTime` for any query CloudWatch accepts. */
interface QueryWindow {
  readonly startTime: number;
  readonly endTime: number;
}

type WindowSettings = Pick<CloudWatchMetadata, 'metricStatPeriod' | 'metricCollectionTime' | 'metricEndTimeOffset'>;

/**
 * KEDA `computeQueryWindow`: EndTime = truncate(now − offset, period), StartTime = EndTime − collectionTime.
 * With the defaults (300/300/0) the window is the last complete 5-minute bucket.
 *
 * @example
 * computeQueryWindow(Date.parse('2024-05-01T10:07:42Z'), { metricStatPeriod: 300, metricCollectionTime: 300, metricEndTimeOffset: 0 });
 * // { startTime: 10:00:00Z, endTime: 10:05:00Z } (as epoch ms)
 */
const computeQueryWindow = (now: number, settings: WindowSettings): QueryWindow => {
  const shifted = now - settings.metricEndTimeOffset * SECOND_MS;
  const period = settings.metricStatPeriod * SECOND_MS;
  const sinceGoZero = shifted + GO_ZERO_TIME_BEFORE_UNIX_EPOCH_MS;
  const endTime = shifted - (((sinceGoZero % period) + period) % period);
  return { startTime: endTime - settings.metricCollectionTime * SECOND_MS, endTime };
};

/**
 * KEDA `createCloudwatchMetricDataInput`, minus the Id (assigned per call): an Expression query,
 * or a MetricStat with the `;`-separated dimensions paired up. AccountId for cross-account
 * observability. ReturnData is explicit on both forms (KEDA leaves it unset for expressions,
 * which CloudWatch treats as true).
 */
const buildMetricDataQuery = (metadata: CloudWatchMetadata): Omit<MetricDataQuery, 'Id'> => {
  const common = { Period: metadata.metricStatPeriod, ReturnData: true, AccountId: metadata.awsAccountId };
  if (metadata.expression !== undefined) return { Expression: metadata.expression, ...common };
  return {
    MetricStat: {
      Metric: {
        Namespace: metadata.namespace,
        MetricName: metadata.metricName,
        Dimensions: metadata.dimensionName.map((Name, i) => ({ Name, Value: metadata.dimensionValue[i] })),
      },
      Period: metadata.metricStatPeriod,
      Stat: metadata.metricStat,
      // The spec accepts only CloudWatch StandardUnit names (spec/triggers/awsCloudwatch.ts).
      Unit: metadata.metricUnit as StandardUnit | undefined,
    },
    ReturnData: true,
    AccountId: metadata.awsAccountId,
  };
};

/** One trigger's query, where it goes and over which window. */
interface PlannedQueryInput {
  readonly target: AwsTarget;
  readonly window: QueryWindow;
  readonly query: Omit<MetricDataQuery, 'Id'>;
}

/** One GetMetricData call: its queries (Ids `q0`, `q1`, …) and which inputs each Id answers. */
interface PlannedCall {
  readonly target: AwsTarget;
  readonly window: QueryWindow;
  readonly queries: MetricDataQuery[];
  /** Id → indexes into the planner's input (identical queries are asked once and shared). */
  readonly inputsById: Map<string, number[]>;
}

/** Metrics Insights (`SELECT …`): CloudWatch allows one per GetMetricData call. */
const isInsightsQuery = (query: Omit<MetricDataQuery, 'Id'>): boolean => /^\s*SELECT\s/i.test(query.Expression ?? '');

/** Identical queries in one group, each with the input indexes it answers. */
const distinctQueries = (indexes: readonly number[], inputs: readonly PlannedQueryInput[]) => {
  const byKey = new Map<string, { query: Omit<MetricDataQuery, 'Id'>; inputs: number[] }>();
  for (const index of indexes) {
    const { query } = inputs[index] as PlannedQueryInput;
    const key = JSON.stringify(query);
    const entry = byKey.get(key) ?? { query, inputs: [] };
    entry.inputs.push(index);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
};

/**
 * Packs queries into GetMetricData calls. A call has one StartTime/EndTime and one set of
 * credentials, so inputs are grouped by (region, endpoint, role, window); each group is cut into
 * calls of at most 500 queries with at most one Metrics Insights query each. Calls per tick are
 * therefore ceil(distinct queries / 500) per group unless Insights queries force more.
 *
 * @example
 * planGetMetricDataCalls(inputs).map((call) => call.queries.length); // [500, 500, 200] for 1,200 queries
 */
const planGetMetricDataCalls = (inputs: readonly PlannedQueryInput[]): PlannedCall[] => {
  const groups = new Map<string, number[]>();
  for (const [index, input] of inputs.entries()) {
    const key = `${awsTargetKey(input.target)}${input.window.startTime}/${input.window.endTime}`;
    const group = groups.get(key) ?? [];
    group.push(index);
    groups.set(key, group);
  }
  const calls: PlannedCall[] = [];
  for (const indexes of groups.values()) {
    const first = inputs[indexes[0] as number] as PlannedQueryInput;
    const queries = distinctQueries(indexes, inputs);
    // Each Insights query opens its own call; ordinary queries fill those first, then new calls.
    const chunks = queries.filter((q) => isInsightsQuery(q.query)).map((q) => [q]);
    let open = 0;
    for (const entry of queries.filter((q) => !isInsightsQuery(q.query))) {
      while (open < chunks.length && (chunks[open]?.length ?? 0) >= MAX_QUERIES_PER_CALL) open += 1;
      if (open === chunks.length) chunks.push([]);
      chunks[open]?.push(entry);
    }
    for (const chunk of chunks) {
      const inputsById = new Map<string, number[]>();
      const callQueries = chunk.map((entry, i) => {
        const Id = `q${i}`;
        inputsById.set(Id, entry.inputs);
        return { Id, ...entry.query };
      });
      calls.push({ target: first.target, window: first.window, queries: callQueries, inputsById });
    }
  }
  return calls;
};

/** Statuses whose result carries no usable data (`PartialData` still has the newest points first). */
const FAILED_STATUSES: readonly string[] = ['InternalError', 'Forbidden'];

const describeMessages = (result: MetricDataResult): string =>
  (result.Messages ?? []).map((m) => `${m.Code ?? 'Message'}: ${m.Value ?? ''}`).join('; ');

/**
 * KEDA `GetCloudwatchMetrics` for one result: the newest datapoint (Values[0], ScanBy
 * TimestampDescending). No result at all → minMetricValue, as KEDA does for zero results.
 * Empty values → minMetricValue, or KEDA's error when ignoreNullValues is false. Unlike KEDA,
 * a failed status or an empty result that carries messages is an error: nothing is scaled on
 * data CloudWatch says it could not read.
 */
const valueFromResult = (
  result: MetricDataResult | undefined,
  metadata: Pick<CloudWatchMetadata, 'ignoreNullValues' | 'minMetricValue'>,
): { readonly value: number } | { readonly error: string } => {
  if (result === undefined) return { value: metadata.minMetricValue };
  const values = result.Values ?? [];
  if (FAILED_STATUSES.includes(result.StatusCode ?? '')) {
    const messages = describeMessages(result);
    return { error: `StatusCode ${result.StatusCode ?? ''}${messages === '' ? '' : `: ${messages}`}` };
  }
  const newest = values[0];
  if (newest !== undefined) return { value: newest };
  if ((result.Messages ?? []).length > 0) return { error: `no datapoints: ${describeMessages(result)}` };
  return metadata.ignoreNullValues
    ? { value: metadata.minMetricValue }
    : { error: 'empty metric data received, ignoreNullValues is false, returning error' };
};

export { MAX_QUERIES_PER_CALL, buildMetricDataQuery, computeQueryWindow, planGetMetricDataCalls, valueFromResult };
export type { PlannedCall, PlannedQueryInput, QueryWindow, WindowSettings };
