/**
 * The status LPA writes on a ScaledObject, from real decisions of the engine: KEDA's conditions and
 * messages (condition_types.go, scale_scaledobjects.go, fallback.go), counts, health, and the
 * 5-minute rule for lastActiveTime.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../shared/engine/decide.js';
import type { Decision, MetricReading } from '../../../shared/engine/types.js';
import { evaluationEvents } from '../../../shared/status/kedaEvents.js';
import { evaluatedStatus, refusedStatus, statusChanged, type KedaStatus } from '../../../shared/status/kedaStatus.js';
import { DEPLOYMENTS } from '../../helpers/kube.js';
import { makeScaledObject, type ScaledObjectOverrides } from '../../helpers/scaledObject.js';

const NOW = Date.parse('2026-12-02T14:40:00Z');

const evaluate = (overrides: ScaledObjectOverrides, reading: MetricReading, spec = 0, previous?: KedaStatus, now = NOW) => {
  const scaledObject = makeScaledObject(overrides);
  const observation = { specReplicas: spec, statusReplicas: spec, readyReplicas: spec, metrics: { '0': reading } };
  const decision: Decision = decide({ scaledObject, observation, now });
  const status = evaluatedStatus({ scaledObject, resource: DEPLOYMENTS, decision, previous });
  return { scaledObject, observation, decision, status };
};

const byType = (status: KedaStatus) => Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));

describe('Function: evaluatedStatus', () => {
  it('says Ready and Active with KEDA’s messages, and the target as KEDA names it', () => {
    const { status } = evaluate({}, { value: 10 });
    expect(byType(status)).toEqual({
      Ready: { type: 'Ready', status: 'True', reason: 'ScaledObjectReady', message: 'ScaledObject is defined correctly and is ready for scaling' },
      Active: { type: 'Active', status: 'True', reason: 'ScalerActive', message: 'Scaling is performed because triggers are active' },
      Fallback: { type: 'Fallback', status: 'False', reason: 'NoFallbackFound', message: 'No fallbacks are active on this scaled object' },
      Paused: { type: 'Paused', status: 'False' },
    });
    expect(status).toMatchObject({ scaleTargetKind: 'apps/v1.Deployment', scaleTargetGVKR: DEPLOYMENTS, originalReplicaCount: 0, lastActiveTime: '2026-12-02T14:40:00Z', triggersTypes: 'aws-sqs-queue' });
  });

  it('says ScalerNotActive when no trigger is active', () => {
    const { status } = evaluate({}, { value: 0 });
    expect(byType(status).Active).toEqual({ type: 'Active', status: 'False', reason: 'ScalerNotActive', message: 'Scaling is not performed because triggers are not active' });
  });

  it('says TriggerError when the only trigger fails, and keeps health only with a fallback (as KEDA)', () => {
    const withoutFallback = evaluate({}, { error: 'AccessDenied' }, 2).status;
    expect(byType(withoutFallback).Ready).toMatchObject({ status: 'False', reason: 'TriggerError', message: 'Triggers defined in ScaledObject are not working correctly' });
    expect(withoutFallback.health).toBeUndefined();
    const withFallback = evaluate({ fallback: { failureThreshold: 3, replicas: 6 } }, { error: 'AccessDenied' }, 2).status;
    expect(withFallback.health).toEqual({ 's0-aws-sqs-conformance-0': { numberOfFailures: 1, status: 'Failing' } });
  });

  it('says Paused with pausedReplicaCount while paused, then ScaledObjectUnpaused after', () => {
    const paused = evaluate({ pause: { paused: true, pausedReplicas: 2 } }, { value: 5 }, 3).status;
    expect(byType(paused).Paused).toEqual({ type: 'Paused', status: 'True', reason: 'ScaledObjectPaused', message: 'ScaledObject is paused' });
    expect(paused.pausedReplicaCount).toBe(2);
    const after = evaluate({}, { value: 5 }, 2, paused).status;
    expect(byType(after).Paused).toEqual({ type: 'Paused', status: 'False', reason: 'ScaledObjectUnpaused', message: 'pause annotation removed for ScaledObject' });
    expect(after.pausedReplicaCount).toBeUndefined();
  });

  it('moves lastActiveTime forward only after five minutes', () => {
    const first = evaluate({}, { value: 5 }, 1).status;
    const fourMinutesLater = evaluate({}, { value: 5 }, 1, first, NOW + 4 * 60_000).status;
    expect(fourMinutesLater.lastActiveTime).toBe('2026-12-02T14:40:00Z');
    expect(statusChanged(first, fourMinutesLater)).toBe(false);
    const fiveMinutesLater = evaluate({}, { value: 5 }, 1, first, NOW + 5 * 60_000).status;
    expect(fiveMinutesLater.lastActiveTime).toBe('2026-12-02T14:45:00Z');
    expect(statusChanged(first, fiveMinutesLater)).toBe(true);
  });
});

describe('Function: refusedStatus', () => {
  it('is KEDA’s failed check: Ready False with the message, Active Unknown, counts kept', () => {
    const previous: KedaStatus = { originalReplicaCount: 3, conditions: [] };
    const status = refusedStatus(undefined, 'spec.idleReplicaCount: must be less than minReplicaCount', previous);
    expect(status.originalReplicaCount).toBe(3);
    expect(byType(status).Ready).toEqual({ type: 'Ready', status: 'False', reason: 'ScaledObjectCheckFailed', message: 'spec.idleReplicaCount: must be less than minReplicaCount' });
    expect(byType(status).Active).toEqual({ type: 'Active', status: 'Unknown', reason: 'UnknownState', message: 'ScaledObject check failed' });
  });
});

describe('Function: statusChanged', () => {
  it('ignores key order and compares every field it would write', () => {
    const a: KedaStatus = { triggersTypes: 'cron', originalReplicaCount: 1 };
    expect(statusChanged({ originalReplicaCount: 1, triggersTypes: 'cron' }, a)).toBe(false);
    expect(statusChanged(a, { ...a, originalReplicaCount: 2 })).toBe(true);
    expect(statusChanged(undefined, a)).toBe(true);
  });
});

describe('Function: evaluationEvents', () => {
  it('announces activation from zero with the active triggers’ metric names', () => {
    const { scaledObject, observation, decision, status } = evaluate({}, { value: 10 });
    const events = evaluationEvents({ scaledObject, observation, decision, scaled: true, previous: status, next: status });
    expect(events).toEqual([
      { type: 'Normal', reason: 'KEDAScaleTargetActivated', note: `Scaled apps/v1.Deployment default/worker from 0 to ${decision.replicas}, triggered by s0-aws-sqs-conformance-0`, seriesKey: `KEDAScaleTargetActivated/0/${decision.replicas}` },
    ]);
  });

  it('raises KEDAScalerFailed on the first failure of a trigger, not on the second', () => {
    const first = evaluate({}, { error: 'AccessDenied' }, 2);
    expect(evaluationEvents({ ...first, scaled: false, previous: first.status, next: first.status }).map((e) => e.reason)).toEqual(['KEDAScalerFailed']);
    const decision2 = decide({ scaledObject: first.scaledObject, observation: first.observation, state: first.decision.state, now: NOW + 60_000 });
    expect(evaluationEvents({ ...first, decision: decision2, scaled: false, previous: first.status, next: first.status })).toEqual([]);
  });
});
