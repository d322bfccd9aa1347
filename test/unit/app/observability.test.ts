import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ObjectReport } from '../../../shared/app/objectReport.js';
import { publishReports, summarize } from '../../../shared/app/observability.js';

const report = (id: string, outcome: ObjectReport['outcome'], extra: Partial<ObjectReport> = {}): ObjectReport => ({
  id: `demo/shop/${id}`,
  outcome,
  reason: 'DesiredWithinRange',
  message: 'm',
  stateWritten: false,
  ...extra,
});

/** Everything Powertools prints (it writes to the process streams), one parsed JSON object per line. */
const captureOutput = () => {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  }
  return (): Array<Record<string, unknown>> =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
};

afterEach(() => vi.restoreAllMocks());

const powertools = () => ({ logger: new Logger({ serviceName: 'lpa-test', logLevel: 'INFO' }), metrics: new Metrics({ namespace: 'LambdaPodAutoscaler', serviceName: 'lpa-test' }) });

describe('summarize', () => {
  it('counts the outcomes and keeps one short line per object', () => {
    // Prepare
    const reports = [
      report('a', 'scaled', { currentReplicas: 0, desiredReplicas: 3, metrics: { queue: 25 } }),
      report('b', 'unchanged', { currentReplicas: 1, desiredReplicas: 1 }),
      report('c', 'skipped', { reason: 'LeaseHeld' }),
      report('d', 'failed', { reason: 'FailedGetScale', error: 'forbidden' }),
      report('e', 'invalid', { reason: 'InvalidScaledObject' }),
      report('f', 'unchanged'),
    ];

    // Act
    const summary = summarize(reports);

    // Assess
    expect(summary).toMatchObject({ evaluated: 6, scaled: 1, unchanged: 2, skipped: 1, failed: 1, invalid: 1 });
    expect(summary.objects[0]).toEqual({ id: 'demo/shop/a', outcome: 'scaled', reason: 'DesiredWithinRange', currentReplicas: 0, desiredReplicas: 3 });
    expect(summary.objects).toHaveLength(6);
  });

  it('carries the error text of each object that failed or was invalid', () => {
    const summary = summarize([report('d', 'failed', { reason: 'FailedGetScale', error: 'forbidden' }), report('e', 'invalid', { reason: 'InvalidScaledObject', error: 'spec.maxReplicaCount: must be a number' }), report('f', 'unchanged')]);
    expect(summary.objects.map((o) => o.error)).toEqual(['forbidden', 'spec.maxReplicaCount: must be a number', undefined]);
    expect(Object.keys(summary.objects[2] ?? {})).not.toContain('error');
  });

  it('counts nothing for no reports', () => {
    // Act
    const summary = summarize([]);

    // Assess
    expect(summary).toEqual({ evaluated: 0, scaled: 0, unchanged: 0, skipped: 0, failed: 0, invalid: 0, objects: [] });
  });
});

describe('publishReports: logs', () => {
  it.each([
    { outcome: 'scaled' as const, level: 'INFO', message: 'ScaledObject scaled' },
    { outcome: 'unchanged' as const, level: 'INFO', message: 'ScaledObject evaluated' },
    { outcome: 'skipped' as const, level: 'WARN', message: 'ScaledObject evaluation skipped' },
    { outcome: 'failed' as const, level: 'ERROR', message: 'ScaledObject evaluation failed' },
    { outcome: 'invalid' as const, level: 'ERROR', message: 'ScaledObject evaluation failed' },
  ])('logs a $outcome report as one $level line with the report and its offset', ({ outcome, level, message }) => {
    // Prepare
    const output = captureOutput();
    const { logger, metrics } = powertools();

    // Act
    publishReports(logger, metrics, [report('a', outcome)], 15_000);

    // Assess
    const logs = output().filter((line) => line._aws === undefined);
    expect(logs).toEqual([expect.objectContaining({ level, message, id: 'demo/shop/a', outcome, offsetMs: 15_000 })]);
  });
});

describe('publishReports: EMF metrics', () => {
  it('emits one blob per object with its replica counts, and one per trigger value read', () => {
    // Prepare
    const output = captureOutput();
    const { logger, metrics } = powertools();
    const scaled = report('a', 'scaled', { currentReplicas: 0, desiredReplicas: 3, readyReplicas: 0, active: true, metrics: { queue: 25, backlog: 'AccessDenied' } });

    // Act
    publishReports(logger, metrics, [scaled]);

    // Assess
    const blobs = output().filter((line) => line._aws !== undefined);
    expect(blobs).toEqual([
      expect.objectContaining({ ScaledObject: 'demo/shop/a', CurrentReplicas: 0, DesiredReplicas: 3, ReadyReplicas: 0, Active: 1, Scaled: 1, Errors: 1 }),
      expect.objectContaining({ ScaledObject: 'demo/shop/a', Trigger: 'queue', TriggerValue: 25 }),
    ]);
  });

  it('counts a failed evaluation as an error and emits no replica counts it does not have', () => {
    // Prepare
    const output = captureOutput();
    const { logger, metrics } = powertools();

    // Act
    publishReports(logger, metrics, [report('d', 'failed', { reason: 'FailedGetScale' })]);

    // Assess
    const [blob, ...rest] = output().filter((line) => line._aws !== undefined);
    expect(rest).toEqual([]);
    expect(blob).toMatchObject({ ScaledObject: 'demo/shop/d', Scaled: 0, Errors: 1 });
    expect(Object.keys(blob ?? {})).not.toContain('CurrentReplicas');
  });

  it('keeps each blob to its own object: no dimension leaks into the next', () => {
    // Prepare
    const output = captureOutput();
    const { logger, metrics } = powertools();

    // Act
    publishReports(logger, metrics, [report('a', 'unchanged', { metrics: { queue: 1 } }), report('b', 'unchanged')]);

    // Assess
    const blobs = output().filter((line) => line._aws !== undefined);
    expect(blobs.map((b) => [b.ScaledObject, b.Trigger])).toEqual([
      ['demo/shop/a', undefined],
      ['demo/shop/a', 'queue'],
      ['demo/shop/b', undefined],
    ]);
  });
});
