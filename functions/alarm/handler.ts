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
import { createPowertools, withInvalidEventMetric } from '../commons/powertools.js';

const { logger, metrics } = createPowertools('lpa-alarm');
const runtime = createRuntime(configFromEnv());

interface AlarmSummary extends InvocationSummary {
  readonly alarm: string;
  readonly state: string;
}

const lambdaHandler = async (event: unknown, context: Context): Promise<AlarmSummary> => {
  const parsed = withInvalidEventMetric(metrics, () => {
    const result = parseAlarmEvent(event);
    if (!result.ok) throw new ValidationError([{ source: '<event>', documentIndex: 0, path: '', message: result.message }]);
    return result;
  });
  const { alarm } = parsed;
  // OK and INSUFFICIENT_DATA wake nothing: the scheduled tick handles scale-in.
  if (alarm.state.value !== 'ALARM') {
    metrics.addMetric('AlarmWakeUps', MetricUnit.Count, 0);
    return { alarm: alarm.alarmName, state: alarm.state.value, ...summarize([]) };
  }
  const group = withInvalidEventMetric(metrics, () => resolveScaleGroup(parsed.scaleGroup, runtime.config.scaleGroup, '<event>', runtime.config.trust));
  const woken = objectsWokenBy(alarm, group.objects);
  if (woken.length === 0) logger.warn('alarm matches no ScaledObject of the group', { alarm: alarm.alarmName });
  const deadline = invocationBudget(Date.now(), context.getRemainingTimeInMillis());
  const reports = await reconcile({ ...group, invalid: [] }, { ...runtime, owner: context.awsRequestId, now: Date.now, deadline }, woken);
  publishReports(logger, metrics, reports);
  // After the per-object blobs: this one is flushed by logMetrics with the function's dimensions only.
  metrics.addMetric('AlarmWakeUps', MetricUnit.Count, woken.length);
  return { alarm: alarm.alarmName, state: alarm.state.value, ...summarize(reports) };
};

const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics, { captureColdStartMetric: true }));

export { handler };
