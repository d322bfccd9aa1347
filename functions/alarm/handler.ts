/**
 * The alarm wake-up: a "CloudWatch Alarm State Change" event (wrapped with its ScaleGroup by LPA's
 * EventBridge rule, or bare with the group configured) or a direct alarm action. On ALARM, the
 * ScaledObjects reading the alarm's metric are evaluated at once (e.g. scale from zero).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { objectsWokenBy } from '../../shared/app/alarmTargets.js';
import { invocationBudget } from '../../shared/app/deadline.js';
import { parseAlarmEvent } from '../../shared/app/events.js';
import { publishReports, summarize, type InvocationSummary } from '../../shared/app/observability.js';
import { reconcile } from '../../shared/app/reconcile.js';
import { configFromEnv, createRuntime } from '../../shared/app/runtime.js';
import { resolveScaleGroup } from '../../shared/app/scaleGroup.js';
import { ValidationError } from '../../shared/errors.js';
import { createPowertools, readEvent } from '../commons/powertools.js';

const { logger, metrics } = createPowertools('lpa-alarm');
const runtime = createRuntime(configFromEnv());

interface AlarmSummary extends InvocationSummary {
  /** Absent when the event was not an alarm event. */
  readonly alarm?: string;
  readonly state?: string;
}

const lambdaHandler = async (event: unknown, context: Context): Promise<AlarmSummary> => {
  const parsed = readEvent({ logger, metrics }, () => {
    const result = parseAlarmEvent(event);
    if (!result.ok) throw new ValidationError([{ source: '<event>', documentIndex: 0, path: '', message: result.message }]);
    return result;
  });
  if (!parsed.ok) return { ...summarize([]), error: parsed.error };
  const { alarm, scaleGroup } = parsed.value;
  const about = { alarm: alarm.alarmName, state: alarm.state.value };
  // OK and INSUFFICIENT_DATA wake nothing: the scheduled tick handles scale-in.
  if (alarm.state.value !== 'ALARM') {
    metrics.addMetric('AlarmWakeUps', MetricUnit.Count, 0);
    return { ...about, ...summarize([]) };
  }
  const read = readEvent({ logger, metrics }, () => resolveScaleGroup(scaleGroup, runtime.config.scaleGroup, '<event>', runtime.config.trust));
  if (!read.ok) return { ...about, ...summarize([]), error: read.error };
  const group = read.value;
  const woken = objectsWokenBy(alarm, group.objects);
  if (woken.length === 0) logger.warn('alarm matches no ScaledObject of the group', { alarm: alarm.alarmName });
  const deadline = invocationBudget(Date.now(), context.getRemainingTimeInMillis());
  // The group's invalid objects are reported as the scaler reports them: the alarm may be meant for one.
  const reports = await reconcile(group, { ...runtime, owner: context.awsRequestId, now: Date.now, deadline }, woken);
  publishReports(logger, metrics, reports);
  // After the per-object blobs: this one is flushed by logMetrics with the function's dimensions only.
  metrics.addMetric('AlarmWakeUps', MetricUnit.Count, woken.length);
  return { ...about, ...summarize(reports) };
};

const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics, { captureColdStartMetric: true }));

export { handler };
