/**
 * `prometheus` (KEDA `prometheus_scaler.go`): one instant query per trigger, its single value the
 * metric. Triggers of a tick that send the very same request (same server, query, parameters,
 * headers and role) share one HTTP call; each still applies its own `ignoreNullValues` to the answer.
 * Where the server is reached (directly, SigV4-signed for AMP, or through the API server's service
 * proxy) is prometheusHttp.ts's business; the KEDA result rules are prometheusQuery.ts's.
 *
 * From the TriggerAuthentication: `authModes` and their credentials (spec/triggers/prometheusAuth.ts),
 * and `awsRoleArn` (its `podIdentity.roleArn`, which wins over the metadata's) for AMP.
 */
import type { MetricReading } from '../engine/types.js';
import type { ServiceProxy } from '../kube/types.js';
import { parseAuthModes, prometheusAuthOf, type PrometheusAuth } from '../spec/triggers/prometheusAuth.js';
import { prometheusServerOf, type PrometheusServer } from '../spec/triggers/prometheusServer.js';
import type { PrometheusTrigger } from '../spec/types.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from './concurrency.js';
import { TriggerReadError, describeError, failedReading } from './errors.js';
import type { HttpAnswer, PrometheusHttp } from './prometheusHttp.js';
import { prometheusRequest, prometheusValue, type PrometheusRequest } from './prometheusQuery.js';
import type { TriggerReader, TriggerRequest } from './types.js';

/** KEDA's `KEDA_HTTP_DEFAULT_TIMEOUT`: 3 s unless the trigger sets `timeout`. */
const DEFAULT_TIMEOUT_MS = 3_000;

interface PrometheusReaderOptions {
  readonly http: PrometheusHttp;
  /** Queries in flight. Default 16. */
  readonly concurrency?: number;
}

/** The requests of one tick that send the same bytes as the same principal. */
interface QueryGroup {
  readonly server: PrometheusServer;
  readonly request: PrometheusRequest;
  readonly trigger: PrometheusTrigger;
  readonly roleArn?: string;
  readonly auth?: PrometheusAuth;
  readonly indexes: number[];
}

/** How the request authenticates: authModes (metadata first, then authParams: KEDA's order) or an AWS role. */
const principalOf = (entry: TriggerRequest<PrometheusTrigger>, server: PrometheusServer): { readonly roleArn?: string; readonly auth?: PrometheusAuth } => {
  const { metadata } = entry.trigger;
  const params = entry.authParams ?? {};
  let modes = metadata.authModes ?? [];
  if (modes.length === 0) {
    const fromAuth = params.authModes?.trim() ? params.authModes : (params.authMode ?? '');
    const parsed = parseAuthModes(fromAuth, { quote: false });
    if (!parsed.ok) throw new TriggerReadError(`authModes from the TriggerAuthentication ${parsed.message}`);
    modes = parsed.value;
  }
  const roleArn = params.awsRoleArn?.trim() || metadata.awsRoleArn;
  if (modes.length > 0) {
    if (entry.podIdentity !== undefined) throw new TriggerReadError('authModes cannot be used with the podIdentity of the TriggerAuthentication (KEDA: "pod identity cannot be enabled with other auth types")');
    const auth = prometheusAuthOf(modes, params);
    if (!auth.ok) throw new TriggerReadError(auth.message);
    return { auth: auth.value };
  }
  if (roleArn !== undefined && server.kind !== 'amp') {
    throw new TriggerReadError('the TriggerAuthentication\'s podIdentity.roleArn (awsRoleArn) signs requests to Amazon Managed Service for Prometheus only, and serverAddress is not an AMP workspace');
  }
  return roleArn === undefined ? {} : { roleArn };
};

const createPrometheusReader = ({ http, concurrency = DEFAULT_CONCURRENCY }: PrometheusReaderOptions): TriggerReader<PrometheusTrigger> => {
  const readGroup = async (
    group: QueryGroup,
    requests: readonly TriggerRequest<PrometheusTrigger>[],
    readings: MetricReading[],
    signal: AbortSignal | undefined,
    cluster: ServiceProxy | undefined,
  ) => {
    const { metadata } = group.trigger;
    let answer: HttpAnswer;
    try {
      answer = await http.send(group.server, group.request, {
        timeoutMs: metadata.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal,
        cluster,
        ...(group.roleArn === undefined ? {} : { roleArn: group.roleArn }),
        ...(group.auth === undefined ? {} : { auth: group.auth }),
      });
    } catch (error) {
      for (const index of group.indexes) readings[index] = failedReading(requests[index] as TriggerRequest, describeError(error));
      return;
    }
    for (const index of group.indexes) {
      const request = requests[index] as TriggerRequest<PrometheusTrigger>;
      try {
        readings[index] = { value: prometheusValue(answer.status, answer.body, request.trigger.metadata) };
      } catch (error) {
        readings[index] = failedReading(request, describeError(error));
      }
    }
  };

  return {
    type: 'prometheus',
    async read(requests, now, signal, cluster) {
      const readings = new Array<MetricReading>(requests.length);
      const groups = new Map<string, QueryGroup>();
      for (const [index, entry] of requests.entries()) {
        const { metadata } = entry.trigger;
        const located = prometheusServerOf(metadata.serverAddress, metadata.awsRegion);
        if (!located.ok) {
          readings[index] = failedReading(entry, `serverAddress ${located.message}`);
          continue;
        }
        let principal: ReturnType<typeof principalOf>;
        try {
          principal = principalOf(entry, located.server);
        } catch (error) {
          readings[index] = failedReading(entry, describeError(error));
          continue;
        }
        const request = prometheusRequest(metadata, now);
        // In memory only: the key holds credentials and is never logged.
        const key = JSON.stringify([located.server, request, principal.roleArn ?? '', principal.auth ?? null, metadata.timeoutMs ?? 0]);
        const group = groups.get(key) ?? { server: located.server, request, trigger: entry.trigger, ...principal, indexes: [] };
        group.indexes.push(index);
        groups.set(key, group);
      }
      await mapWithConcurrency([...groups.values()], concurrency, (group) => readGroup(group, requests, readings, signal, cluster));
      return readings;
    },
  };
};

export { DEFAULT_TIMEOUT_MS, createPrometheusReader, principalOf };
export type { PrometheusReaderOptions };
