/**
 * What the simulated triggers read. The queue feeds one trigger, the way it would in a cluster;
 * every other trigger reads whatever the scenario says (0 unless told), so a manifest with a cron
 * or CloudWatch trigger next to its queue still simulates.
 */
import { keyedRecord } from '../engine/keyed.js';
import type { MetricReading } from '../engine/types.js';
import { isResourceTrigger, type ScaledObject, type Trigger } from '../spec/types.js';
import type { ModelSnapshot } from './model.js';

/** A scenario's reading for a trigger the queue does not feed, at a second of simulated time. */
type Signal = (trigger: Trigger, second: number) => MetricReading;

type MetricReader = (state: ModelSnapshot) => Readonly<Record<string, MetricReading>>;

const ZERO: MetricReading = { value: 0 };
/** The model has no pods to read: a cpu/memory trigger fails, as it would without metrics-server. */
const NO_PODS: MetricReading = { error: 'lpa simulate does not model pods and their CPU or memory; `npm start -- --scenario cpu` runs a cpu target' };
const idleSignal: Signal = (trigger) => (isResourceTrigger(trigger) ? NO_PODS : ZERO);

/** How a queue-fed trigger turns the queue into a number (KEDA: Visible + NotVisible when scaleOnInFlight). */
type QueueMetric = (state: ModelSnapshot) => number;

/**
 * The trigger the queue feeds: the first `aws-sqs-queue`; failing that, the first `aws-cloudwatch`
 * trigger on the SQS queue-length metrics (a common KEDA setup). CloudWatch's own
 * 1–5 minute lag is not modeled, so such a run is the optimistic case.
 */
const findQueueTrigger = (scaledObject: ScaledObject): { readonly trigger: Trigger; readonly read: QueueMetric } | undefined => {
  const triggers = scaledObject.spec.triggers;
  const sqs = triggers.find((t) => t.type === 'aws-sqs-queue');
  if (sqs !== undefined) {
    const inFlight = sqs.metadata.scaleOnInFlight;
    return { trigger: sqs, read: (s) => s.visible + (inFlight ? s.inFlight : 0) };
  }
  for (const t of triggers) {
    if (t.type !== 'aws-cloudwatch' || t.metadata.namespace !== 'AWS/SQS') continue;
    if (t.metadata.metricName === 'ApproximateNumberOfMessagesVisible') return { trigger: t, read: (s) => s.visible };
    if (t.metadata.metricName === 'ApproximateNumberOfMessagesNotVisible') return { trigger: t, read: (s) => s.inFlight };
  }
  return undefined;
};

/**
 * Builds the per-evaluation metric reader once per run, so each evaluation costs one pass over
 * the triggers and nothing more.
 *
 * @example
 * const read = createMetricReader(scaledObject);
 * read(state) // { '0': { value: 42 } }
 */
const createMetricReader = (scaledObject: ScaledObject, signal: Signal = idleSignal): MetricReader => {
  const queue = findQueueTrigger(scaledObject);
  const others = scaledObject.spec.triggers.filter((t) => t !== queue?.trigger);
  return (state) => {
    const metrics = keyedRecord<MetricReading>();
    if (queue !== undefined) metrics[queue.trigger.key] = { value: queue.read(state) };
    for (const t of others) metrics[t.key] = signal(t, state.second);
    return metrics;
  };
};

export { createMetricReader, findQueueTrigger, idleSignal };
export type { MetricReader, Signal };
