/**
 * Which ScaledObjects a CloudWatch alarm wakes: those with a trigger reading the alarm's metric —
 * an aws-sqs-queue trigger on the alarm's `QueueName` (AWS/SQS metrics), or an aws-cloudwatch
 * trigger on the same namespace, metric name and dimensions. An alarm's description may also name
 * objects explicitly: `lpa:<namespace>/<name>[,<namespace>/<name>…]`.
 */
import type { ScaledObject, Trigger } from '../spec/types.js';
import type { AlarmData } from './events.js';

type AlarmMetric = NonNullable<NonNullable<NonNullable<AlarmData['configuration']>['metrics']>[number]['metricStat']>['metric'];

/** The queue name of an SQS trigger: the last path segment of a URL, or the bare name. */
const queueNameOf = (queueURL: string | undefined): string | undefined => queueURL?.split('/').filter(Boolean).at(-1);

const triggerReads = (trigger: Trigger, metric: AlarmMetric): boolean => {
  if (trigger.type === 'aws-sqs-queue') {
    return metric.namespace === 'AWS/SQS' && metric.dimensions?.QueueName !== undefined && metric.dimensions.QueueName === queueNameOf(trigger.metadata.queueURL);
  }
  if (trigger.type === 'aws-cloudwatch') {
    const m = trigger.metadata;
    if (m.namespace !== metric.namespace || m.metricName !== metric.name) return false;
    const dims = metric.dimensions ?? {};
    return m.dimensionName.length === Object.keys(dims).length && m.dimensionName.every((name, i) => dims[name] === m.dimensionValue[i]);
  }
  return false;
};

const namedInDescription = (description: string | null | undefined): Set<string> => {
  const match = /\blpa:([\w./,-]+)/.exec(description ?? '');
  return new Set(match?.[1]?.split(',').filter(Boolean) ?? []);
};

const objectsWokenBy = (alarm: AlarmData, objects: readonly ScaledObject[]): ScaledObject[] => {
  const metrics = (alarm.configuration?.metrics ?? []).flatMap((m) => (m.metricStat === undefined ? [] : [m.metricStat.metric]));
  const named = namedInDescription(alarm.configuration?.description);
  return objects.filter(
    (so) => named.has(`${so.metadata.namespace}/${so.metadata.name}`) || so.spec.triggers.some((t) => metrics.some((m) => triggerReads(t, m))),
  );
};

export { objectsWokenBy };
