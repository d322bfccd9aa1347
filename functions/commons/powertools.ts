/** Powertools singletons, one per function (service name from POWERTOOLS_SERVICE_NAME when set). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const METRICS_NAMESPACE = 'LambdaPodAutoscaler';

const createPowertools = (serviceName: string): { logger: Logger; metrics: Metrics } => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
});

export { METRICS_NAMESPACE, createPowertools };
