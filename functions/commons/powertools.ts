/** Powertools singletons, one per function (service name from POWERTOOLS_SERVICE_NAME when set). */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { ValidationError } from '../../shared/errors.js';

const METRICS_NAMESPACE = 'LambdaPodAutoscaler';

const createPowertools = (serviceName: string): { logger: Logger; metrics: Metrics } => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
});

/**
 * Reads what the event must carry. When it cannot be read (no ScaleGroup, no cluster, not an alarm
 * event), nothing can be evaluated: the invocation ends with the reason, logged once as one line
 * (no stack trace: the input is at fault, not LPA) and counted, so it shows on the dashboard.
 */
const readEvent = <T>(tools: { logger: Logger; metrics: Metrics }, read: () => T): { ok: true; value: T } | { ok: false; error: string } => {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    tools.metrics.addMetric('InvalidEvents', MetricUnit.Count, 1);
    tools.logger.error('Invalid event: nothing evaluated', { error: error.message });
    return { ok: false, error: error.message };
  }
};

export { METRICS_NAMESPACE, createPowertools, readEvent };
