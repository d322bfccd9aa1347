/** Powertools singletons, one per function (service name from POWERTOOLS_SERVICE_NAME when set). */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

const METRICS_NAMESPACE = 'LambdaPodAutoscaler';

const createPowertools = (serviceName: string): { logger: Logger; metrics: Metrics } => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
});

/** Counts an event that could not be read (so it shows on the dashboard), then rethrows its error. */
const withInvalidEventMetric = <T>(metrics: Metrics, read: () => T): T => {
  try {
    return read();
  } catch (error) {
    metrics.addMetric('InvalidEvents', MetricUnit.Count, 1);
    throw error;
  }
};

export { METRICS_NAMESPACE, createPowertools, withInvalidEventMetric };
