/**
 * The scheduled tick: EventBridge Scheduler (input = a ScaleGroup) or an EventBridge rule's
 * "Scheduled Event" envelope. Evaluates every ScaledObject of the group, and the sub-minute ones
 * again at their offsets, then returns a summary.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { scaleGroupOfScheduledEvent } from '../../shared/app/events.js';
import { publishReports, summarize, type InvocationSummary } from '../../shared/app/observability.js';
import { configFromEnv, createRuntime } from '../../shared/app/runtime.js';
import { resolveScaleGroup } from '../../shared/app/scaleGroup.js';
import { runTick } from '../../shared/app/tick.js';
import { createPowertools, readEvent } from '../commons/powertools.js';

const { logger, metrics } = createPowertools('lpa-scaler');
const runtime = createRuntime(configFromEnv());

const lambdaHandler = async (event: unknown, context: Context): Promise<InvocationSummary> => {
  const read = readEvent({ logger, metrics }, () => resolveScaleGroup(scaleGroupOfScheduledEvent(event), runtime.config.scaleGroup, '<event>', runtime.config.trust));
  if (!read.ok) return { ...summarize([]), error: read.error };
  const reports = await runTick(read.value, {
    ...runtime,
    owner: context.awsRequestId,
    now: Date.now,
    sleepUntil: async (time) => void (await sleep(Math.max(0, time - Date.now()))),
    deadline: Date.now() + context.getRemainingTimeInMillis(),
    onReports: (batch, offsetMs) => publishReports(logger, metrics, batch, offsetMs),
  });
  metrics.addMetric('ObjectsEvaluated', MetricUnit.Count, reports.length);
  return summarize(reports);
};

const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(logMetrics(metrics, { captureColdStartMetric: true }));

export { handler };
