/**
 * The operator's dashboard: per ScaledObject, what LPA decided against what it found (desired vs
 * current replicas), the errors, and the value each trigger read; then the functions' duration
 * and errors. Metric names and dimensions are the handlers' EMF output (shared/app/observability.ts):
 * Powertools adds a `service` dimension, so every metric carries it.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../functions/commons/powertools.js';
import { SERVICE_NAMES } from './defaults.js';

/** One row of the dashboard. */
interface DashboardObject {
  /** `<cluster>/<namespace>/<name>`: the ScaledObject dimension. */
  readonly id: string;
  /** `<namespace>/<name>`, for titles. */
  readonly label: string;
  /** The Trigger dimension of each trigger: its name, else its index. */
  readonly triggerKeys: readonly string[];
}

interface AutoscalerDashboardProps {
  readonly clusterName: string;
  readonly objects: readonly DashboardObject[];
  readonly scaler: lambda.IFunction;
  /** Present with alarm wake-ups: its errors count too. */
  readonly alarm?: lambda.IFunction;
}

const PERIOD = Duration.minutes(1);
const HALF = 12;
const HEIGHT = 6;

const lpaMetric = (service: string, metricName: string, dimensions: Record<string, string>, statistic: string, label: string): cloudwatch.Metric =>
  new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service, ...dimensions }, statistic, period: PERIOD, label });

/** Errors of both functions as one line: a missing datapoint is zero, not a gap. */
const errorsOf = (object: DashboardObject, withAlarm: boolean): cloudwatch.IMetric => {
  const scaler = lpaMetric(SERVICE_NAMES.scaler, 'Errors', { ScaledObject: object.id }, cloudwatch.Stats.SUM, 'errors');
  if (!withAlarm) return scaler;
  const alarm = lpaMetric(SERVICE_NAMES.alarm, 'Errors', { ScaledObject: object.id }, cloudwatch.Stats.SUM, 'errors (wake-ups)');
  return new cloudwatch.MathExpression({ expression: 'FILL(s, 0) + FILL(a, 0)', usingMetrics: { s: scaler, a: alarm }, label: 'errors', period: PERIOD });
};

const objectRow = (object: DashboardObject, withAlarm: boolean): cloudwatch.IWidget[] => {
  const replicas = (metricName: string, label: string) =>
    lpaMetric(SERVICE_NAMES.scaler, metricName, { ScaledObject: object.id }, cloudwatch.Stats.MAXIMUM, label);
  return [
    new cloudwatch.GraphWidget({
      title: `${object.label}: replicas`,
      width: HALF,
      height: HEIGHT,
      left: [replicas('DesiredReplicas', 'desired'), replicas('CurrentReplicas', 'current')],
      leftYAxis: { min: 0, label: 'replicas', showUnits: false },
      right: [errorsOf(object, withAlarm)],
      rightYAxis: { min: 0, label: 'errors', showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: `${object.label}: trigger values`,
      width: HALF,
      height: HEIGHT,
      left: object.triggerKeys.map((key) =>
        lpaMetric(SERVICE_NAMES.scaler, 'TriggerValue', { ScaledObject: object.id, Trigger: key }, cloudwatch.Stats.MAXIMUM, key),
      ),
      leftYAxis: { min: 0, showUnits: false },
    }),
  ];
};

const functionRow = (functions: readonly [string, lambda.IFunction][]): cloudwatch.IWidget[] => [
  new cloudwatch.GraphWidget({
    title: 'Functions: duration',
    width: HALF,
    height: HEIGHT,
    left: functions.flatMap(([name, fn]) => [
      fn.metricDuration({ statistic: cloudwatch.Stats.AVERAGE, period: PERIOD, label: `${name} average` }),
      fn.metricDuration({ statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD, label: `${name} maximum` }),
    ]),
  }),
  new cloudwatch.GraphWidget({
    title: 'Functions: errors and throttles',
    width: HALF,
    height: HEIGHT,
    left: functions.flatMap(([name, fn]) => [
      fn.metricErrors({ period: PERIOD, label: `${name} errors` }),
      fn.metricThrottles({ period: PERIOD, label: `${name} throttles` }),
    ]),
    leftYAxis: { min: 0, showUnits: false },
  }),
];

const GUIDE = [
  'Per ScaledObject: **desired** is what LPA decided, **current** the replicas it found on the Deployment;',
  'they meet one tick after a scale. **errors** counts failed metric reads and failed evaluations (see the function logs).',
  '**trigger values** are what each trigger read (queue length, metric value), before division by the target.',
].join(' ');

class AutoscalerDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AutoscalerDashboardProps) {
    super(scope, id);
    const functions: [string, lambda.IFunction][] = [['scaler', props.scaler], ...(props.alarm === undefined ? [] : [['alarm', props.alarm] as [string, lambda.IFunction]])];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [new cloudwatch.TextWidget({ markdown: `# Lambda Pod Autoscaler: ${props.clusterName}\n${GUIDE}`, width: 2 * HALF, height: 2 })],
        functionRow(functions),
        ...props.objects.map((object) => objectRow(object, props.alarm !== undefined)),
      ],
    });
  }
}

export { AutoscalerDashboard };
export type { AutoscalerDashboardProps, DashboardObject };
