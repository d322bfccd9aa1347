/**
 * cpu and memory triggers. The first table is KEDA's own `testCPUMemoryMetadata`
 * (pkg/scalers/cpu_memory_scaler_test.go, TestCPUMemoryParseMetadata), one row each, then
 * KEDA's webhook and ValidateTriggers rules with their messages.
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import type { ResourceTrigger } from '../../../shared/spec/types.js';
import { expectOneIssue, issuesOf, manifest, sqsTriggerJson, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const cpuTrigger = (fields: Json = {}, metadata: Json = { value: '50' }): Json => ({ type: 'cpu', metadata, ...fields });
/** One trigger; min 1 because an all-cpu object cannot have min 0. */
const withTriggers = (...triggers: Json[]) =>
  manifest((m) => {
    m.spec.triggers = triggers;
    m.spec.minReplicaCount = 1;
  });
const parsedTrigger = (trigger: Json): ResourceTrigger => valid(parseScaledObject(withTriggers(trigger))).spec.triggers[0] as ResourceTrigger;

describe('Function: parseScaledObject (cpu/memory, KEDA TestCPUMemoryParseMetadata)', () => {
  it.each([
    { row: 0, metricType: undefined, metadata: {}, valid: false },
    { row: 1, metricType: 'Utilization', metadata: { value: '50' }, valid: true },
    { row: 2, metricType: 'AverageValue', metadata: { value: '50' }, valid: true },
    { row: 3, metricType: 'Value', metadata: { value: '50' }, valid: false },
    { row: 4, metricType: undefined, metadata: { value: '' }, valid: false },
    { row: 5, metricType: undefined, metadata: {}, valid: false },
  ])('testCPUMemoryMetadata[$row]: metricType $metricType, metadata $metadata → valid $valid', ({ metricType, metadata, valid: ok }) => {
    const result = parseScaledObject(withTriggers(cpuTrigger(metricType === undefined ? {} : { metricType }, metadata)));
    expect(result.ok).toBe(ok);
  });
});

describe('Function: parseScaledObject (cpu/memory triggers)', () => {
  it('reads a Utilization target as an integer percent, with no activation', () => {
    const trigger = parsedTrigger(cpuTrigger({ metricType: 'Utilization' }, { value: '50' }));
    expect(trigger).toMatchObject({ type: 'cpu', metricType: 'Utilization', metadata: { value: '50' }, target: 50, targetMilli: 50n, activationTarget: 0 });
  });

  it('reads an AverageValue target as an exact milli-quantity', () => {
    const trigger = parsedTrigger({ type: 'memory', metricType: 'AverageValue', metadata: { value: '256Mi', containerName: 'app' } });
    expect(trigger).toMatchObject({ type: 'memory', metadata: { value: '256Mi', containerName: 'app' }, targetMilli: 256n * 1024n * 1024n * 1000n });
  });

  it('takes a plain YAML number as the value', () => {
    expect(parsedTrigger(cpuTrigger({ metricType: 'Utilization' }, { value: 80 })).targetMilli).toBe(80n);
  });

  it.each([
    { comment: 'metricType is required', trigger: cpuTrigger(), path: 'spec.triggers[0].metricType', fragment: 'is required for cpu triggers' },
    { comment: 'Value is refused', trigger: cpuTrigger({ metricType: 'Value' }), path: 'spec.triggers[0].metricType', fragment: 'must be Utilization or AverageValue for cpu triggers' },
    { comment: 'a fractional percent', trigger: cpuTrigger({ metricType: 'Utilization' }, { value: '50.5' }), path: 'spec.triggers[0].metadata.value', fragment: 'must be an integer percent' },
    { comment: 'a zero percent', trigger: cpuTrigger({ metricType: 'Utilization' }, { value: '0' }), path: 'spec.triggers[0].metadata.value', fragment: 'must be > 0' },
    { comment: 'a quantity for Utilization', trigger: cpuTrigger({ metricType: 'Utilization' }, { value: '500m' }), path: 'spec.triggers[0].metadata.value', fragment: 'must be an integer percent' },
    { comment: 'not a quantity', trigger: cpuTrigger({ metricType: 'AverageValue' }, { value: '500 millicores' }), path: 'spec.triggers[0].metadata.value', fragment: 'must be a Kubernetes quantity' },
    { comment: 'a zero quantity', trigger: cpuTrigger({ metricType: 'AverageValue' }, { value: '0m' }), path: 'spec.triggers[0].metadata.value', fragment: 'must be positive' },
    { comment: 'the value is required', trigger: cpuTrigger({ metricType: 'Utilization' }, {}), path: 'spec.triggers[0].metadata.value', fragment: 'is required' },
    {
      comment: 'the deprecated metadata.type',
      trigger: cpuTrigger({ metricType: 'Utilization' }, { type: 'Utilization', value: '50' }),
      path: 'spec.triggers[0].metadata.type',
      fragment: 'is deprecated and removed in KEDA v2.18',
    },
    { comment: 'an unknown key', trigger: cpuTrigger({ metricType: 'Utilization' }, { value: '50', container: 'app' }), path: 'spec.triggers[0].metadata.container', fragment: 'did you mean "containerName"' },
    { comment: 'useCachedMetrics', trigger: cpuTrigger({ metricType: 'Utilization', useCachedMetrics: true }), path: 'spec.triggers[0].useCachedMetrics', fragment: 'is not allowed for cpu triggers' },
    { comment: 'Utilization on another trigger', trigger: { ...sqsTriggerJson(), metricType: 'Utilization' }, path: 'spec.triggers[0].metricType', fragment: 'Utilization is only for cpu and memory triggers' },
  ])('rejects: $comment', ({ trigger, path, fragment }) => {
    expectOneIssue(parseScaledObject(withTriggers(trigger)), path, fragment);
  });

  it('refuses minReplicaCount 0 when every trigger is cpu or memory (KEDA verifyCPUMemoryScalers)', () => {
    const so = manifest((m) => {
      m.spec.triggers = [cpuTrigger({ metricType: 'Utilization' }), { type: 'memory', metricType: 'Utilization', metadata: { value: '70' } }];
      m.spec.minReplicaCount = 0;
    });
    expectOneIssue(parseScaledObject(so), 'spec.minReplicaCount', 'only cpu/memory triggers AND minReplica is 0');
  });

  it('refuses an unset minReplicaCount when every trigger is cpu or memory', () => {
    const so = manifest((m) => (m.spec.triggers = [cpuTrigger({ metricType: 'Utilization' })]));
    expectOneIssue(parseScaledObject(so), 'spec.minReplicaCount', 'must be ≥ 1 when every trigger is cpu or memory');
  });

  it('allows minReplicaCount 0 beside another trigger (scale to zero on the queue, cpu above one)', () => {
    const so = manifest((m) => (m.spec.triggers = [sqsTriggerJson(), cpuTrigger({ metricType: 'Utilization' })]));
    expect(valid(parseScaledObject(so)).spec.minReplicaCount).toBe(0);
  });

  it('refuses fallback when no trigger but cpu/memory could fall back (KEDA CheckFallbackValid)', () => {
    const so = withTriggers(cpuTrigger({ metricType: 'Utilization' }));
    so.spec.fallback = { failureThreshold: 3, replicas: 5 };
    expectOneIssue(parseScaledObject(so), 'spec.fallback', 'needs at least one trigger that is not cpu or memory');
  });

  it('keeps cpu triggers out of the scalingModifiers formula', () => {
    const so = manifest((m) => {
      m.spec.triggers = [{ ...sqsTriggerJson(), name: 'queue' }, cpuTrigger({ name: 'load', metricType: 'Utilization' })];
      m.spec.advanced = { scalingModifiers: { formula: 'queue + load', target: '5' } };
    });
    const issues = issuesOf(parseScaledObject(so));
    expect(issues.map((i) => i.path)).toEqual(['spec.advanced.scalingModifiers.formula']);
  });
});
