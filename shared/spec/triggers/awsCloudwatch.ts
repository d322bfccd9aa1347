/**
 * `aws-cloudwatch` metadata (KEDA `aws_cloudwatch_scaler.go`, docs `scalers/aws-cloudwatch.md`).
 * One GetMetricData query per trigger; the newest datapoint is the metric, `minMetricValue` stands
 * in for an empty result.
 */
import * as z from 'zod';
import type { RefinementCtx } from 'zod';
import { dropEmptyValues, kedaBool, kedaFloat, kedaInt, kedaList, kedaString } from '../metadataValues.js';
import type { CloudWatchTrigger } from '../types.js';
import { AWS_AUTH_PARAMETERS, awsConnectionShape, awsEndpointIssues, identityOwnerWarnings } from './aws.js';
import { defineTrigger } from './definition.js';

const FIVE_MINUTES = 5 * 60; // seconds

/** CloudWatch `StandardUnit` (API reference, MetricDatum.Unit). */
const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds',
  'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second',
  'Count/Second', 'None',
] as const;

/** Periods below a minute are high-resolution metrics; CloudWatch accepts only these. */
const SUB_MINUTE_PERIODS: readonly number[] = [1, 5, 10, 30];

const BASIC_STATS: readonly string[] = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'IQM'];
/** Extended statistics: `p95`, `p99.9`, `tm99`, `wm90`, `tc90`, `ts80`, or the `TM(10%:90%)` forms. */
const EXTENDED_STAT = /^(?:(?:p|tm|wm|tc|ts)\d{1,2}(?:\.\d+)?|(?:TM|WM|TC|TS|PR)\([^)]+\))$/;
const isStatistic = (stat: string): boolean => BASIC_STATS.includes(stat) || EXTENDED_STAT.test(stat);

const ACCOUNT_ID = /^\d{12}$/;

const cloudwatchFields = () =>
  z.strictObject({
    namespace: kedaString().optional(),
    metricName: kedaString().optional(),
    dimensionName: kedaList().optional(),
    dimensionValue: kedaList().optional(),
    /** Metrics Insights / metric-math; when set, the namespace/metric/dimension checks are skipped. */
    expression: kedaString().optional(),
    // KEDA's docs say "default 0" but the scaler requires it; a zero target is also rejected by the HPA.
    targetMetricValue: kedaFloat({ greaterThan: 0 }),
    activationTargetMetricValue: kedaFloat().default(0),
    /**
     * Required, as KEDA's code requires it (its typed-config tag has no `optional`/`default`), even
     * though the docs claim "default 0": a manifest that passes here must also run under KEDA.
     */
    minMetricValue: kedaFloat(),
    ignoreNullValues: kedaBool().default(true),
    metricStat: kedaString()
      .pipe(z.string().refine(isStatistic, 'must be a CloudWatch statistic: SampleCount, Sum, Average, Minimum, Maximum, IQM, or pNN/tmNN/wmNN/tcNN/tsNN'))
      .default('Average'),
    metricStatPeriod: kedaInt({ min: 1 }).default(FIVE_MINUTES),
    metricCollectionTime: kedaInt({ min: 0 }).default(FIVE_MINUTES),
    metricEndTimeOffset: kedaInt({ min: 0 }).default(0),
    metricUnit: kedaString().pipe(z.enum(STANDARD_UNITS)).optional(),
    /** Cross-account observability: the account that owns the metric. */
    awsAccountId: kedaString().pipe(z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id')).optional(),
    ...awsConnectionShape(),
  });

type CloudwatchFields = z.output<ReturnType<typeof cloudwatchFields>>;

const requireWithoutExpression = (metadata: CloudwatchFields, ctx: RefinementCtx): void => {
  const required = ['namespace', 'metricName', 'dimensionName', 'dimensionValue'] as const;
  for (const key of required) {
    if (metadata[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required unless expression is set' });
  }
  const names = metadata.dimensionName ?? [];
  const values = metadata.dimensionValue ?? [];
  if (metadata.dimensionName !== undefined && metadata.dimensionValue !== undefined && names.length !== values.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['dimensionValue'],
      message: `has ${values.length} ;-separated value(s) but dimensionName has ${names.length}; the lists must be the same length`,
    });
  }
};

/** KEDA `awsCloudwatchMetadata.Validate`, minus what the field schemas already check. */
const checkCloudwatch = (metadata: CloudwatchFields, ctx: RefinementCtx): void => {
  if (metadata.expression === undefined) requireWithoutExpression(metadata, ctx);
  const period = metadata.metricStatPeriod;
  if (period < 60 ? !SUB_MINUTE_PERIODS.includes(period) : period % 60 !== 0) {
    ctx.addIssue({ code: 'custom', path: ['metricStatPeriod'], message: `must be 1, 5, 10, 30, 60 or a multiple of 60, got ${period}` });
  } else if (metadata.metricCollectionTime % period !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['metricCollectionTime'],
      message: `must be a multiple of metricStatPeriod (${period}), got ${metadata.metricCollectionTime}`,
    });
  }
};

const cloudwatchMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    cloudwatchFields().superRefine(checkCloudwatch).transform((metadata) => ({
      ...metadata,
      dimensionName: metadata.dimensionName ?? [],
      dimensionValue: metadata.dimensionValue ?? [],
    })),
  );

const awsCloudwatch = defineTrigger<CloudWatchTrigger>({
  type: 'aws-cloudwatch',
  metadata: cloudwatchMetadata,
  targets: (metadata) => ({ target: metadata.targetMetricValue, activationTarget: metadata.activationTargetMetricValue }),
  warnings: identityOwnerWarnings,
  trusted: awsEndpointIssues,
  authParameters: AWS_AUTH_PARAMETERS,
});

export { awsCloudwatch, STANDARD_UNITS };
