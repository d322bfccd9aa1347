import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../infra/defaults.js';
import { cronTrigger, flatten, queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

interface Widget {
  readonly properties: { readonly title?: string; readonly metrics?: readonly (readonly unknown[])[] };
}

const manifests = [
  scaledObject('worker', 'jobs', [{ ...sqsTrigger(queueUrl('jobs')), name: 'queue' }, cronTrigger()]),
];

const widgetsOf = (props: Parameters<typeof synthesize>[0]): Widget[] => {
  const { template } = synthesize(props);
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  return JSON.parse(flatten(dashboard?.Properties.DashboardBody)).widgets;
};

const widget = (widgets: readonly Widget[], title: string): Widget => {
  const found = widgets.find((w) => w.properties.title === title);
  if (found === undefined) throw new Error(`no widget "${title}" in ${widgets.map((w) => w.properties.title).join(', ')}`);
  return found;
};

/** A metric line as `Namespace MetricName dim=value…`, dimensions sorted (CloudWatch's array form; `"."` repeats the line above). */
const metricLines = (w: Widget): string[] => {
  const lines: string[] = [];
  let previous: readonly unknown[] = [];
  for (const raw of w.properties.metrics ?? []) {
    const parts = raw.filter((part) => typeof part === 'string').map((part, i) => (part === '.' ? previous[i] : part)) as string[];
    previous = parts;
    const [namespace, name, ...dimensions] = parts;
    const pairs = [];
    for (let i = 0; i + 1 < dimensions.length; i += 2) pairs.push(`${dimensions[i]}=${dimensions[i + 1]}`);
    lines.push([namespace, name, ...pairs.sort()].join(' '));
  }
  return lines;
};

describe('Construct: PodAutoscaler — dashboard', () => {
  it('shows, per ScaledObject, desired and current replicas and its errors, by the handlers’ metric names', () => {
    const lines = metricLines(widget(widgetsOf({ manifests }), 'jobs/worker: replicas'));
    expect(lines).toEqual([
      'LambdaPodAutoscaler DesiredReplicas ScaledObject=demo/jobs/worker service=lpa-scaler',
      'LambdaPodAutoscaler CurrentReplicas ScaledObject=demo/jobs/worker service=lpa-scaler',
      'LambdaPodAutoscaler Errors ScaledObject=demo/jobs/worker service=lpa-scaler',
    ]);
  });

  it('shows the value each trigger read, keyed by trigger name or index', () => {
    const lines = metricLines(widget(widgetsOf({ manifests }), 'jobs/worker: trigger values'));
    expect(lines).toEqual([
      'LambdaPodAutoscaler TriggerValue ScaledObject=demo/jobs/worker Trigger=queue service=lpa-scaler',
      'LambdaPodAutoscaler TriggerValue ScaledObject=demo/jobs/worker Trigger=1 service=lpa-scaler',
    ]);
  });

  it('counts the wake-up function’s errors with the scaler’s when there is one', () => {
    const lines = metricLines(widget(widgetsOf({ manifests, wakeUps: {} }), 'jobs/worker: replicas'));
    expect(lines).toContain('LambdaPodAutoscaler Errors ScaledObject=demo/jobs/worker service=lpa-alarm');
  });

  it.each(Object.entries(SERVICE_NAMES))('reads the %s metrics under the service name its handler gives Powertools (%s)', (handler, service) => {
    // The `service` dimension comes from the handler's createPowertools call, not from the environment.
    expect(readFileSync(`functions/${handler}/handler.ts`, 'utf8')).toContain(`createPowertools('${service}')`);
  });

  it('shows the functions’ duration and errors', () => {
    const widgets = widgetsOf({ manifests, wakeUps: {} });
    expect(metricLines(widget(widgets, 'Functions: duration')).every((line) => line.startsWith('AWS/Lambda Duration FunctionName='))).toBe(true);
    expect(metricLines(widget(widgets, 'Functions: errors and throttles')).map((line) => line.split(' ')[1])).toEqual(['Errors', 'Throttles', 'Errors', 'Throttles']);
  });

  it('outputs the table, the functions and the dashboard', () => {
    const { template } = synthesize({ manifests, wakeUps: {} });
    const outputs = Object.values(template.findOutputs('*')).map((o) => o.Description);
    expect(outputs).toEqual(['LPA state table', 'LPA scaler function (scheduled tick)', 'LPA alarm wake-up function', 'LPA CloudWatch dashboard']);
  });

  it('builds no dashboard when told', () => {
    const { template } = synthesize({ manifests, dashboard: false });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(template.findOutputs('*')).some((id) => id.includes('Dashboard'))).toBe(false);
  });
});
