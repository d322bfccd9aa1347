/**
 * `aws-cloudwatch` (KEDA `aws_cloudwatch_scaler.go`): the newest datapoint of one query per trigger.
 * Where KEDA sends one GetMetricData per trigger, LPA sends the queries of ALL CloudWatch triggers
 * of a tick together, up to 500 per call (GetMetricData is billed per metric, not per call, but
 * each call costs latency and API rate). Results are mapped back by Id; a result's failure fails
 * only its own triggers, a failed call fails every trigger of that call and never yields a value.
 */
import type { MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { loadCloudWatch } from '../aws/sdk.js';
import type { MetricReading } from '../engine/types.js';
import type { CloudWatchTrigger } from '../spec/types.js';
import { awsTargetOf } from './awsClients.js';
import type { AwsClients } from './awsClients.js';
import { buildMetricDataQuery, computeQueryWindow, planGetMetricDataCalls, valueFromResult } from './cloudwatchQuery.js';
import type { PlannedCall, PlannedQueryInput } from './cloudwatchQuery.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from './concurrency.js';
import { describeError, failedReading } from './errors.js';
import type { TriggerReader, TriggerRequest } from './types.js';

/** What one GetMetricData request (one page) asked for: lets a benchmark or a metric count calls. */
interface GetMetricDataCallInfo {
  readonly region: string;
  readonly endpoint?: string;
  readonly queries: number;
  /** 0 for the first page, then 1, 2, … while NextToken pages are followed. */
  readonly page: number;
}

interface CloudWatchReaderOptions {
  readonly clients: AwsClients;
  /** GetMetricData calls in flight. Default 16. */
  readonly concurrency?: number;
  /** Called before each GetMetricData request, pages included. */
  readonly onGetMetricData?: (call: GetMetricDataCallInfo) => void;
}

/**
 * Pages appended per Id: with ScanBy TimestampDescending the first value seen is the newest. An
 * expression that yields several series repeats its Id; like KEDA (`MetricDataResults[0]`), only
 * the first series counts.
 */
const mergeResults = (merged: Map<string, MetricDataResult>, page: readonly MetricDataResult[]): void => {
  const inPage = new Set<string>();
  for (const result of page) {
    if (result.Id === undefined || inPage.has(result.Id)) continue;
    inPage.add(result.Id);
    const seen = merged.get(result.Id);
    merged.set(
      result.Id,
      seen === undefined
        ? result
        : {
            ...result,
            Values: [...(seen.Values ?? []), ...(result.Values ?? [])],
            Timestamps: [...(seen.Timestamps ?? []), ...(result.Timestamps ?? [])],
            Messages: [...(seen.Messages ?? []), ...(result.Messages ?? [])],
          },
    );
  }
};

/** Only the newest datapoint is used, so paging can stop once every Id has one. */
const everyIdHasValue = (call: PlannedCall, merged: Map<string, MetricDataResult>): boolean =>
  [...call.inputsById.keys()].every((id) => (merged.get(id)?.Values ?? []).length > 0);

/** "AWS/SQS ApproximateAgeOfOldestMessage" or the expression, for error messages. */
const describeQuery = ({ metadata }: CloudWatchTrigger): string =>
  metadata.expression === undefined ? `${metadata.namespace ?? ''} ${metadata.metricName ?? ''}` : `expression "${metadata.expression}"`;

const createCloudWatchReader = ({
  clients,
  concurrency = DEFAULT_CONCURRENCY,
  onGetMetricData,
}: CloudWatchReaderOptions): TriggerReader<CloudWatchTrigger> => {
  /** All pages of one planned call, merged by Id. Throws when any page fails. */
  const fetchCall = async (call: PlannedCall, signal: AbortSignal | undefined): Promise<Map<string, MetricDataResult>> => {
    const [client, { GetMetricDataCommand }] = await Promise.all([clients.cloudWatch(call.target), loadCloudWatch()]);
    const merged = new Map<string, MetricDataResult>();
    let nextToken: string | undefined;
    let page = 0;
    do {
      onGetMetricData?.({ region: call.target.region, endpoint: call.target.endpoint, queries: call.queries.length, page });
      const output = await client.send(
        new GetMetricDataCommand({
          StartTime: new Date(call.window.startTime),
          EndTime: new Date(call.window.endTime),
          ScanBy: 'TimestampDescending',
          MetricDataQueries: call.queries,
          NextToken: nextToken,
        }),
        { abortSignal: signal },
      );
      mergeResults(merged, output.MetricDataResults ?? []);
      nextToken = output.NextToken;
      page += 1;
    } while (nextToken !== undefined && !everyIdHasValue(call, merged));
    return merged;
  };

  return {
    type: 'aws-cloudwatch',
    async read(requests, now, signal) {
      const readings = new Array<MetricReading>(requests.length);
      // Planner inputs, and which request each input came from.
      const inputs: PlannedQueryInput[] = [];
      const requestOf: number[] = [];
      for (const [index, request] of requests.entries()) {
        const { metadata } = request.trigger;
        const window = computeQueryWindow(now, metadata);
        if (window.startTime >= window.endTime) {
          // CloudWatch rejects StartTime = EndTime; asking would fail every query sharing the call.
          readings[index] = failedReading(request, 'metricCollectionTime is 0, so the query window is empty (CloudWatch needs StartTime < EndTime)');
          continue;
        }
        inputs.push({ target: awsTargetOf(request), window, query: buildMetricDataQuery(metadata) });
        requestOf.push(index);
      }

      await mapWithConcurrency(planGetMetricDataCalls(inputs), concurrency, async (call) => {
        const members = [...call.inputsById.entries()].flatMap(([id, inputIndexes]) =>
          inputIndexes.map((input) => ({ id, index: requestOf[input] as number })),
        );
        const requestAt = (index: number) => requests[index] as TriggerRequest<CloudWatchTrigger>;
        let results: Map<string, MetricDataResult>;
        try {
          results = await fetchCall(call, signal);
        } catch (error) {
          const what = `GetMetricData in ${call.target.region} (${call.queries.length} queries): ${describeError(error)}`;
          for (const { index } of members) readings[index] = failedReading(requestAt(index), what);
          return;
        }
        for (const { id, index } of members) {
          const request = requestAt(index);
          const reading = valueFromResult(results.get(id), request.trigger.metadata);
          readings[index] = 'error' in reading ? failedReading(request, `GetMetricData ${describeQuery(request.trigger)}: ${reading.error}`) : reading;
        }
      });
      return readings;
    },
  };
};

export { createCloudWatchReader };
export type { CloudWatchReaderOptions, GetMetricDataCallInfo };
