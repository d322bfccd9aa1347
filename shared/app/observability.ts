/**
 * Reporting (DESIGN.md §1 step 6): one structured log line and one EMF metric blob per
 * ScaledObject and evaluation. Reports never hold tokens or credentials: they are built from
 * decisions, replica counts, metric values and error messages that the adapters already redact.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ObjectReport } from './objectReport.js';

/** What an invocation returns: counts first, then one line per object (with its error, if any). */
interface InvocationSummary {
  readonly evaluated: number;
  readonly scaled: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
  readonly invalid: number;
  readonly objects: ReadonlyArray<Pick<ObjectReport, 'id' | 'outcome' | 'reason' | 'currentReplicas' | 'desiredReplicas' | 'error'>>;
  /** Why nothing was evaluated: the event could not be read (no ScaleGroup, no cluster, not an alarm event). */
  readonly error?: string;
}

const logReport = (logger: Logger, report: ObjectReport, offsetMs: number): void => {
  // `message` is the log line's own key in Powertools: the decision's goes under `explanation`.
  const { message: explanation, ...rest } = report;
  const entry = { ...rest, explanation, offsetMs };
  if (report.outcome === 'failed' || report.outcome === 'invalid') logger.error('ScaledObject evaluation failed', entry);
  else if (report.outcome === 'skipped') logger.warn('ScaledObject evaluation skipped', entry);
  else logger.info(report.outcome === 'scaled' ? 'ScaledObject scaled' : 'ScaledObject evaluated', entry);
};

/** Per object: current/desired/ready replicas, active, errors; per trigger: the value read. */
const emitMetrics = (metrics: Metrics, report: ObjectReport): void => {
  const metricErrors = Object.values(report.metrics ?? {}).filter((v) => typeof v === 'string').length;
  metrics.addDimensions({ ScaledObject: report.id });
  if (report.currentReplicas !== undefined) metrics.addMetric('CurrentReplicas', MetricUnit.Count, report.currentReplicas);
  if (report.desiredReplicas !== undefined) metrics.addMetric('DesiredReplicas', MetricUnit.Count, report.desiredReplicas);
  if (report.readyReplicas !== undefined) metrics.addMetric('ReadyReplicas', MetricUnit.Count, report.readyReplicas);
  if (report.active !== undefined) metrics.addMetric('Active', MetricUnit.Count, report.active ? 1 : 0);
  metrics.addMetric('Scaled', MetricUnit.Count, report.outcome === 'scaled' ? 1 : 0);
  metrics.addMetric('Errors', MetricUnit.Count, metricErrors + (report.outcome === 'failed' || report.outcome === 'invalid' ? 1 : 0));
  metrics.publishStoredMetrics();
  for (const [trigger, value] of Object.entries(report.metrics ?? {})) {
    if (typeof value !== 'number') continue;
    metrics.addDimensions({ ScaledObject: report.id, Trigger: trigger });
    metrics.addMetric('TriggerValue', MetricUnit.Count, value);
    metrics.publishStoredMetrics();
  }
};

const publishReports = (logger: Logger, metrics: Metrics, reports: readonly ObjectReport[], offsetMs = 0): void => {
  for (const report of reports) {
    logReport(logger, report, offsetMs);
    emitMetrics(metrics, report);
  }
};

const summarize = (reports: readonly ObjectReport[]): InvocationSummary => {
  const count = (outcome: ObjectReport['outcome']) => reports.filter((r) => r.outcome === outcome).length;
  return {
    evaluated: reports.length,
    scaled: count('scaled'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    failed: count('failed'),
    invalid: count('invalid'),
    objects: reports.map(({ id, outcome, reason, currentReplicas, desiredReplicas, error }) => ({
      id,
      outcome,
      reason,
      currentReplicas,
      desiredReplicas,
      ...(error === undefined ? {} : { error }),
    })),
  };
};

export { publishReports, summarize };
export type { InvocationSummary };
