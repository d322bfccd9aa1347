/**
 * The metric names KEDA gives each trigger (`GenerateMetricNameWithIndex`: `s<index>-<name>`), which
 * key `status.health` and `status.externalMetricNames`. Written per trigger type from KEDA's scalers;
 * a type without its own rule here gets `s<index>-<type>`.
 */
import type { Trigger } from '../spec/types.js';

/** KEDA `util.NormalizeString`. */
const normalize = (s: string): string => s.replace(/[/.:%()]/g, '-');

/** KEDA cron_scaler.go `parseCronTimeFormat`. */
const cronTime = (s: string): string => s.replaceAll(' ', '').replaceAll('*', 'x').replaceAll('/', 'Sl').replaceAll('?', 'Qm').replaceAll(',', 'Cm');

/** KEDA takes the queue name from the URL's path (`/<account>/<name>`), or the whole value when it is not a URL. */
const queueName = (queueURL: string): string => {
  try {
    return new URL(queueURL).pathname.split('/')[2] ?? queueURL;
  } catch {
    return queueURL;
  }
};

const byType: { readonly [T in Trigger['type']]?: (trigger: Extract<Trigger, { type: T }>) => string } = {
  'aws-cloudwatch': () => 'aws-cloudwatch',
  'aws-sqs-queue': (t) => normalize(`aws-sqs-${queueName(t.metadata.queueURL)}`),
  cron: (t) => normalize(`cron-${t.metadata.timezone}-${cronTime(t.metadata.start)}-${cronTime(t.metadata.end)}`),
};

const kedaMetricName = (trigger: Trigger): string => {
  const name = (byType[trigger.type] as ((t: Trigger) => string) | undefined)?.(trigger) ?? trigger.type;
  return `s${trigger.index}-${name}`;
};

export { kedaMetricName };
