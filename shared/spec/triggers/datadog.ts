/**
 * `datadog` metadata (KEDA `datadog_scaler.go`, docs `scalers/datadog.md`), API mode: a metric
 * query through `GET /api/v1/query`; the HPA target is `queryValue` (alias `targetValue`).
 * `apiKey`, `appKey` and `datadogSite` are read from the TriggerAuthentication only (KEDA's
 * `order=authParams`). Cluster Agent mode needs the agent's in-cluster service, which a Lambda
 * cannot reach, so it is refused with what to use instead.
 */
import * as z from 'zod';
import type { RawIssue } from '../issues.js';
import { AUTH_ONLY, describeValue, dropEmptyValues, kedaBool, kedaFloat, kedaInt, kedaString, refusedKey } from '../metadataValues.js';
import type { DatadogTrigger } from '../types.js';
import type { AuthParameter } from './authParameters.js';
import { defineTrigger } from './definition.js';

const DEFAULT_AGE_SECONDS = 90;

/** KEDA `parseDatadogQuery`: a well-formed query has a scope between braces. */
const QUERY_SCOPE = /.*\{.*\}.*/;

/** Go `time.ParseDuration` units, in milliseconds. */
const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const GO_DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;

/**
 * KEDA's `timeout`: a Go duration (`30s`, `2m30s`, `500ms`), or a bare number, which KEDA's typed
 * config reads as milliseconds (`"30"` = 30 ms). Negative durations are refused.
 */
const parseTimeout = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!GO_DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount = '0', unit = 's'] of trimmed.matchAll(/((?:\d+(?:\.\d*)?|\.\d+))(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * (DURATION_UNITS[unit] ?? 0);
  return total;
};

const CLUSTER_AGENT = 'belongs to Cluster Agent mode, which LPA does not support';

const DATADOG_AUTH_PARAMETERS: readonly AuthParameter[] = [
  { name: 'apiKey', inMetadata: false, required: true },
  { name: 'appKey', inMetadata: false, required: true },
  { name: 'datadogSite', inMetadata: false, required: false },
];

const datadogFields = () =>
  z.strictObject({
    query: kedaString().superRefine((query, ctx) => {
      if (!QUERY_SCOPE.test(query)) ctx.addIssue({ code: 'custom', message: 'must have a scope in braces, e.g. avg:system.cpu.user{service:web} (KEDA: "missing query scope")' });
    }),
    queryValue: kedaFloat({ greaterThan: 0 }).optional(),
    targetValue: kedaFloat({ greaterThan: 0 }).optional(),
    activationQueryValue: kedaFloat().default(0),
    queryAggregator: kedaString().pipe(z.enum(['average', 'max'])).optional(),
    age: kedaInt({ min: 0 }).default(DEFAULT_AGE_SECONDS),
    timeWindowOffset: kedaInt({ min: 0 }).default(0),
    lastAvailablePointOffset: kedaInt({ min: 0 }).default(0),
    metricUnavailableValue: kedaFloat().optional(),
    timeout: kedaString()
      .transform((text, ctx) => parseTimeout(text) ?? (ctx.addIssue({ code: 'custom', message: `must be a Go duration such as 30s or 2m30s, or a number of milliseconds, got ${describeValue(text)}` }), z.NEVER))
      .optional(),
    /** Deprecated: KEDA parses it but the metric type comes from the trigger's metricType. */
    type: kedaString()
      .pipe(z.string().transform((text) => text.toLowerCase()).pipe(z.enum(['average', 'global'], { error: 'must be "average" or "global" (deprecated: use the trigger\'s metricType)' })))
      .optional(),
    useClusterAgentProxy: kedaBool()
      .superRefine((useProxy, ctx) => {
        if (useProxy) {
          ctx.addIssue({
            code: 'custom',
            message: "Cluster Agent mode reads the Datadog Cluster Agent's in-cluster service, which LPA (in AWS Lambda) cannot reach; use the API mode: a query with apiKey and appKey from a TriggerAuthentication",
          });
        }
      })
      .optional(),
    apiKey: refusedKey(AUTH_ONLY),
    appKey: refusedKey(AUTH_ONLY),
    datadogSite: refusedKey(AUTH_ONLY),
    datadogMetricName: refusedKey(CLUSTER_AGENT),
    datadogMetricNamespace: refusedKey(CLUSTER_AGENT),
    activationTargetValue: refusedKey(`${CLUSTER_AGENT}; in API mode use activationQueryValue`),
  });

const datadogMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    datadogFields()
      .superRefine((metadata, ctx) => {
        if (metadata.queryValue === undefined && metadata.targetValue === undefined) {
          ctx.addIssue({ code: 'custom', path: ['queryValue'], message: 'is required (KEDA: "no targetValue or queryValue given")' });
        }
      })
      .transform(({ queryValue, targetValue, timeout, type: _type, useClusterAgentProxy: _proxy, apiKey: _a, appKey: _b, datadogSite: _c, datadogMetricName: _d, datadogMetricNamespace: _e, activationTargetValue: _f, ...rest }) => ({
        ...rest,
        // KEDA's `name=targetValue;queryValue`: the first non-empty of the two.
        queryValue: targetValue ?? queryValue ?? 0,
        ...(timeout === undefined || timeout === 0 ? {} : { timeoutMs: timeout }),
      })),
  );

/** KEDA: "only one of trigger.metadata.type or trigger.metricType should be defined". */
const typeConflicts = (_metadata: unknown, trigger: Readonly<Record<string, unknown>>): RawIssue[] => {
  const raw = trigger.metadata as Readonly<Record<string, unknown>> | undefined;
  return raw?.type !== undefined && raw.type !== '' && trigger.metricType !== undefined
    ? [{ path: ['type'], message: "must not be set together with the trigger's metricType (KEDA refuses both); remove the deprecated type" }]
    : [];
};

const datadog = defineTrigger<DatadogTrigger>({
  type: 'datadog',
  metadata: datadogMetadata,
  targets: (metadata) => ({ target: metadata.queryValue, activationTarget: metadata.activationQueryValue }),
  authParameters: DATADOG_AUTH_PARAMETERS,
  triggerIssues: typeConflicts,
});

export { datadog, parseTimeout };
