/**
 * A local CloudWatch GetMetricData for tests and demos (no emulator exists, local-services.md): a
 * node:http server on 127.0.0.1 (a random port) speaking AWS JSON 1.0
 * (`x-amz-target: GraniteServiceVersion20100801.GetMetricData`).
 *
 * A test sets the datapoints of a metric (namespace, name, dimensions; any Stat and Period) or of
 * an expression, newest first; anything not set answers with no datapoints, as CloudWatch does
 * for a metric without data. It validates requests like the service (1–500 queries, unique Ids
 * matching `^[a-z][a-zA-Z0-9_]*$`, one of MetricStat/Expression, at most one Metrics Insights
 * query, StartTime < EndTime, a SigV4 Authorization header), records every call with the access key
 * that signed it, can fail one query (StatusCode) or whole calls, and pages with NextToken when a
 * call has more datapoints than `maxDatapointsPerPage`.
 *
 * @example
 * const cloudwatch = await startCloudWatch();
 * cloudwatch.setMetric({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: 'orders' } }, [42]);
 * // … a trigger with awsEndpoint: cloudwatch.endpoint (a manifest needs http://127.0.0.1 trusted: spec/awsEndpoint.ts)
 * await cloudwatch.close();
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET = 'GraniteServiceVersion20100801.GetMetricData';
/** GetMetricData limits (API reference). */
const MAX_QUERIES = 500;
const MAX_DATAPOINTS_PER_CALL = 100_800;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const ACCESS_KEY = /Credential=([^/]+)\//;

interface MetricKey {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
}

type QueryKey = MetricKey | { readonly expression: string };

/** A per-query failure, as CloudWatch reports it inside a 200 response. */
interface QueryFailure {
  readonly statusCode: 'InternalError' | 'Forbidden';
  readonly messages?: readonly { readonly Code: string; readonly Value: string }[];
}

/** A whole-call failure: an AWS JSON error response. */
interface CallFailure {
  readonly code: string;
  readonly message: string;
  /** default 400 */
  readonly status?: number;
}

interface GetMetricDataCall {
  readonly startTime: number;
  readonly endTime: number;
  readonly queries: readonly WireQuery[];
  readonly scanBy?: string;
  readonly nextToken?: string;
  /** From the SigV4 Authorization header: which credentials signed the call. */
  readonly accessKeyId: string;
}

interface LocalCloudWatchOptions {
  /** Datapoints per response page before NextToken. Default 100,800 (the service's limit). */
  readonly maxDatapointsPerPage?: number;
}

interface LocalCloudWatch {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every GetMetricData request answered or rejected, pages included. */
  readonly calls: readonly GetMetricDataCall[];
  /** Datapoints newest first. */
  setData(key: QueryKey, values: readonly number[]): void;
  failQuery(key: QueryKey, failure: QueryFailure): void;
  /** The next `times` calls (default 1) fail as a whole. */
  failNextCalls(failure: CallFailure, times?: number): void;
  /** Forgets data, failures and recorded calls. */
  reset(): void;
  close(): Promise<void>;
}

/** A MetricDataQuery as it arrived on the wire. */
interface WireQuery {
  readonly Id?: string;
  readonly Expression?: string;
  readonly Period?: number;
  readonly ReturnData?: boolean;
  readonly AccountId?: string;
  readonly MetricStat?: {
    readonly Metric?: { readonly Namespace?: string; readonly MetricName?: string; readonly Dimensions?: readonly { Name?: string; Value?: string }[] };
    readonly Period?: number;
    readonly Stat?: string;
    readonly Unit?: string;
  };
}

interface WireRequest {
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly MetricDataQueries?: readonly WireQuery[];
  readonly ScanBy?: string;
  readonly NextToken?: string;
}

class RequestRejected extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

const keyOf = (key: QueryKey): string => {
  if ('expression' in key) return JSON.stringify(['expression', key.expression]);
  const dimensions = Object.entries(key.dimensions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([key.namespace, key.metricName, dimensions]);
};

const keyOfQuery = (query: WireQuery): string => {
  if (query.Expression !== undefined) return keyOf({ expression: query.Expression });
  const metric = query.MetricStat?.Metric;
  const dimensions = Object.fromEntries((metric?.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
  return keyOf({ namespace: metric?.Namespace ?? '', metricName: metric?.MetricName ?? '', dimensions });
};

const validate = (request: WireRequest): void => {
  const queries = request.MetricDataQueries ?? [];
  if (queries.length === 0 || queries.length > MAX_QUERIES) {
    throw new RequestRejected('ValidationError', `The collection MetricDataQueries must contain between 1 and ${MAX_QUERIES} items, got ${queries.length}.`);
  }
  const ids = queries.map((q) => q.Id ?? '');
  const bad = ids.find((id) => !QUERY_ID.test(id));
  if (bad !== undefined) throw new RequestRejected('ValidationError', `Invalid metric data query Id "${bad}".`);
  if (new Set(ids).size !== ids.length) throw new RequestRejected('ValidationError', 'The values for parameter Id in MetricDataQueries are not unique.');
  if (queries.some((q) => (q.Expression === undefined) === (q.MetricStat === undefined))) {
    throw new RequestRejected('ValidationError', 'Each MetricDataQuery must specify either MetricStat or Expression.');
  }
  if (queries.filter((q) => /^\s*SELECT\s/i.test(q.Expression ?? '')).length > 1) {
    throw new RequestRejected('ValidationError', 'Only one Metrics Insights query is allowed per GetMetricData request.');
  }
  if (request.StartTime === undefined || request.EndTime === undefined || request.StartTime >= request.EndTime) {
    throw new RequestRejected('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  }
};

const readJson = async (req: IncomingMessage): Promise<WireRequest> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireRequest;
};

/** AWS JSON 1.0 with awsQueryCompatible: the SDK takes the error code from `x-amzn-query-error`. */
const sendError = (res: ServerResponse, { code, message, status }: { code: string; message: string; status: number }): void => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` });
  res.end(JSON.stringify({ __type: `com.amazonaws.cloudwatch#${code}`, message }));
};

const startCloudWatch = async (options: LocalCloudWatchOptions = {}): Promise<LocalCloudWatch> => {
  const pageSize = options.maxDatapointsPerPage ?? MAX_DATAPOINTS_PER_CALL;
  const data = new Map<string, readonly number[]>();
  const failures = new Map<string, QueryFailure>();
  const callFailures: CallFailure[] = [];
  const calls: GetMetricDataCall[] = [];

  /** Datapoints of the call flattened query by query; a page is a slice of them, NextToken its offset. */
  const answer = (request: WireRequest) => {
    const queries = request.MetricDataQueries ?? [];
    const endTime = request.EndTime ?? 0;
    const points = queries.flatMap((query) => {
      if (failures.has(keyOfQuery(query))) return [];
      const period = query.Period ?? query.MetricStat?.Period ?? 60;
      return (data.get(keyOfQuery(query)) ?? []).map((value, i) => ({ id: query.Id ?? '', value, timestamp: endTime - (i + 1) * period }));
    });
    const offset = Number(request.NextToken ?? '0');
    const page = points.slice(offset, offset + pageSize);
    const more = offset + pageSize < points.length;
    const results = queries.map((query) => {
      const failure = failures.get(keyOfQuery(query));
      if (failure !== undefined) return { Id: query.Id, Label: query.Id, Timestamps: [], Values: [], StatusCode: failure.statusCode, Messages: failure.messages ?? [] };
      const own = page.filter((p) => p.id === query.Id);
      const remaining = points.slice(offset + pageSize).some((p) => p.id === query.Id);
      return { Id: query.Id, Label: query.Id, Timestamps: own.map((p) => p.timestamp), Values: own.map((p) => p.value), StatusCode: remaining ? 'PartialData' : 'Complete' };
    });
    return { MetricDataResults: results, Messages: [], ...(more ? { NextToken: String(offset + pageSize) } : {}) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST' || req.headers['x-amz-target'] !== TARGET) {
      sendError(res, { code: 'UnknownOperationException', message: `only ${TARGET} is served here`, status: 400 });
      return;
    }
    const accessKeyId = ACCESS_KEY.exec(String(req.headers.authorization ?? ''))?.[1];
    try {
      if (accessKeyId === undefined) throw new RequestRejected('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      const request = await readJson(req);
      calls.push({
        startTime: request.StartTime ?? 0,
        endTime: request.EndTime ?? 0,
        queries: request.MetricDataQueries ?? [],
        scanBy: request.ScanBy,
        nextToken: request.NextToken,
        accessKeyId,
      });
      const failure = callFailures.shift();
      if (failure !== undefined) throw new RequestRejected(failure.code, failure.message, failure.status);
      validate(request);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer(request)));
    } catch (error) {
      const rejected = error instanceof RequestRejected ? error : new RequestRejected('SerializationException', String(error));
      sendError(res, { code: rejected.code, message: rejected.message, status: rejected.status });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    setData: (key, values) => void data.set(keyOf(key), [...values]),
    failQuery: (key, failure) => void failures.set(keyOf(key), failure),
    failNextCalls: (failure, times = 1) => callFailures.push(...Array.from({ length: times }, () => failure)),
    reset: () => {
      data.clear();
      failures.clear();
      callFailures.length = 0;
      calls.length = 0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};

export { startCloudWatch };
export type { CallFailure, GetMetricDataCall, LocalCloudWatch, LocalCloudWatchOptions, MetricKey, QueryFailure, QueryKey, WireQuery };
