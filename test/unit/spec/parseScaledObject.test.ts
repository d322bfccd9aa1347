import { describe, expect, it } from 'vitest';
import { SUPPORTED_TRIGGER_TYPES, parseScaledObject } from '../../../shared/spec/index.js';
import { cronTriggerJson, expectOneIssue, issuesOf, manifest, sqsTriggerJson, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

describe('Function: parseScaledObject', () => {
  describe('defaults', () => {
    it('applies KEDA defaults to every unset spec field', () => {
      // Act
      const so = valid(parseScaledObject(manifest((m) => delete m.metadata.namespace)));

      // Assess
      expect(so.metadata).toEqual({ name: 'orders-worker', namespace: 'default', labels: {}, annotations: {} });
      expect(so.spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-worker' },
        pollingInterval: 30,
        cooldownPeriod: 300,
        initialCooldownPeriod: 0,
        minReplicaCount: 0,
        maxReplicaCount: 100,
        advanced: { restoreToOriginalReplicaCount: false },
      });
      expect(so.spec).not.toHaveProperty('idleReplicaCount');
      expect(so.spec).not.toHaveProperty('fallback');
      expect(so.pause).toEqual({ paused: false, pausedScaleIn: false, pausedScaleOut: false, forceActivation: false });
    });

    it('keys an unnamed trigger by its index and a named one by its name', () => {
      // Prepare
      const input = manifest((m) => m.spec.triggers.push({ ...cronTriggerJson(), name: 'office-hours' }));

      // Act
      const [first, second] = valid(parseScaledObject(input)).spec.triggers;

      // Assess
      expect(first).toMatchObject({ index: 0, key: '0', metricType: 'AverageValue', useCachedMetrics: false });
      expect(first).not.toHaveProperty('name');
      expect(second).toMatchObject({ index: 1, key: 'office-hours', name: 'office-hours', type: 'cron' });
    });

    it('defaults fallback.behavior to static', () => {
      const so = valid(parseScaledObject(manifest((m) => (m.spec.fallback = { failureThreshold: 3, replicas: 2 }))));
      expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'static' });
    });

    it('defaults scalingModifiers activationTarget to 0 and metricType to AverageValue, and parses target', () => {
      // Prepare
      const input = manifest((m) => {
        m.spec.triggers[0].name = 'queue';
        m.spec.advanced = { scalingModifiers: { formula: 'queue * 2', target: '7.5' } };
      });

      // Act
      const so = valid(parseScaledObject(input));

      // Assess
      expect(so.spec.advanced.scalingModifiers).toEqual({ formula: 'queue * 2', target: 7.5, activationTarget: 0, metricType: 'AverageValue' });
    });

    it('keeps explicit values, including explicit zeros', () => {
      // Prepare
      const input = manifest((m) =>
        Object.assign(m.spec, { pollingInterval: 5, cooldownPeriod: 0, initialCooldownPeriod: 60, idleReplicaCount: 0, minReplicaCount: 2, maxReplicaCount: 9 }),
      );

      // Act
      const so = valid(parseScaledObject(input));

      // Assess
      expect(so.spec).toMatchObject({ pollingInterval: 5, cooldownPeriod: 0, initialCooldownPeriod: 60, idleReplicaCount: 0, minReplicaCount: 2, maxReplicaCount: 9 });
    });

    it('treats null fields as unset, as Kubernetes prunes them (a Helm template rendering an unset value)', () => {
      const so = valid(parseScaledObject(manifest((m) => Object.assign(m.spec, { idleReplicaCount: null, minReplicaCount: 1, fallback: null }))));
      expect(so.spec).not.toHaveProperty('idleReplicaCount');
      expect(so.spec).not.toHaveProperty('fallback');
    });
  });

  describe('document', () => {
    it('names the source "<input>" and document 0 unless told otherwise', () => {
      const [issue] = issuesOf(parseScaledObject(manifest((m) => (m.spec.pollingInterval = 0))));
      expect(issue).toMatchObject({ source: '<input>', documentIndex: 0, path: 'spec.pollingInterval' });
      expect(issue).not.toHaveProperty('line');
    });

    it('uses the given source and document index in every issue', () => {
      const [issue] = issuesOf(parseScaledObject(manifest((m) => (m.spec.pollingInterval = 0)), { source: 'event.json', documentIndex: 2 }));
      expect(issue).toMatchObject({ source: 'event.json', documentIndex: 2 });
    });

    it('rejects a value that is not an object', () => {
      expectOneIssue(parseScaledObject('apiVersion: keda.sh/v1alpha1'), '', 'must be a mapping');
    });

    it('rejects another apiVersion for kind ScaledObject', () => {
      expectOneIssue(parseScaledObject(manifest((m) => (m.apiVersion = 'keda.k8s.io/v1alpha1'))), 'apiVersion', 'must be "keda.sh/v1alpha1"');
    });

    it('rejects a document of another kind', () => {
      expectOneIssue(parseScaledObject(manifest((m) => (m.kind = 'ScaledJob'))), 'kind', 'must be "ScaledObject"');
    });

    it('accepts server-set ObjectMeta fields and a status, and keeps creationTimestamp', () => {
      // Prepare
      const input = manifest((m) => {
        Object.assign(m.metadata, {
          uid: '5f0c6d2e-8a1b-4c3d-9e8f-0a1b2c3d4e5f',
          resourceVersion: '918273',
          generation: 4,
          creationTimestamp: '2025-03-01T09:30:00Z',
          finalizers: ['finalizer.keda.sh'],
          ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name: 'shop', uid: 'x' }],
          managedFields: [{ manager: 'kubectl', operation: 'Update' }],
          deletionTimestamp: '2025-03-02T09:30:00Z',
          deletionGracePeriodSeconds: 0,
        });
        m.status = { conditions: [{ type: 'Ready', status: 'True' }], originalReplicaCount: 1 };
      });

      // Act
      const so = valid(parseScaledObject(input));

      // Assess
      expect(so.metadata.creationTimestamp).toBe('2025-03-01T09:30:00Z');
      expect(so).not.toHaveProperty('status');
    });

    it.each([
      { comment: 'unknown ObjectMeta key', edit: (m: Json) => (m.metadata.label = { a: 'b' }), path: 'metadata.label', fragment: 'did you mean "labels"' },
      { comment: 'unknown top-level key', edit: (m: Json) => (m.specs = {}), path: 'specs', fragment: 'did you mean "spec"' },
      { comment: 'typo in spec', edit: (m: Json) => (m.spec.pollingIntervall = 15), path: 'spec.pollingIntervall', fragment: 'did you mean "pollingInterval"' },
      { comment: 'shortened name', edit: (m: Json) => (m.spec.maxReplicas = 10), path: 'spec.maxReplicas', fragment: 'did you mean "maxReplicaCount"' },
      { comment: 'typo in a trigger', edit: (m: Json) => (m.spec.triggers[0].metaData = {}), path: 'spec.triggers[0].metaData', fragment: 'did you mean "metadata"' },
      { comment: 'typo in scaleTargetRef', edit: (m: Json) => (m.spec.scaleTargetRef.nmae = 'x'), path: 'spec.scaleTargetRef.nmae', fragment: 'did you mean "name"' },
      { comment: 'no near match lists what is allowed', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 1, replicas: 1, zzz: 1 }), path: 'spec.fallback.zzz', fragment: 'allowed: behavior, failureThreshold, replicas' },
    ])('rejects an unknown key: $comment', ({ edit, path, fragment }) => {
      const issue = expectOneIssue(parseScaledObject(manifest(edit)), path, 'unknown key');
      expect(issue.message).toContain(fragment);
    });

    it('reports each unknown key of one object at its own path', () => {
      const issues = issuesOf(parseScaledObject(manifest((m) => Object.assign(m.spec, { foo: 1, bar: 2 }))));
      expect(issues.map((i) => i.path).sort()).toEqual(['spec.bar', 'spec.foo']);
    });

    it('reports every broken rule of a document, not just the first', () => {
      // Prepare: four independent mistakes in different parts of the document
      const input = manifest((m) => {
        m.metadata.name = 'Orders_Worker';
        m.spec.pollingInterval = 0;
        m.spec.triggers[0].metadata.queueLength = 'five';
        m.spec.triggers.push({ type: 'rabbitmq', metadata: {} });
      });

      // Act
      const issues = issuesOf(parseScaledObject(input));

      // Assess
      expect(issues.map((i) => i.path).sort()).toEqual([
        'metadata.name',
        'spec.pollingInterval',
        'spec.triggers[0].metadata.queueLength',
        'spec.triggers[1].type',
      ]);
    });
  });

  describe('spec rules', () => {
    it.each([
      { comment: 'scaleTargetRef.name is required', edit: (m: Json) => delete m.spec.scaleTargetRef.name, path: 'spec.scaleTargetRef.name', fragment: 'is required' },
      { comment: 'scaleTargetRef is required', edit: (m: Json) => delete m.spec.scaleTargetRef, path: 'spec.scaleTargetRef', fragment: 'is required' },
      { comment: 'metadata.name is required', edit: (m: Json) => delete m.metadata.name, path: 'metadata.name', fragment: 'is required' },
      { comment: 'pollingInterval ≥ 1', edit: (m: Json) => (m.spec.pollingInterval = 0), path: 'spec.pollingInterval', fragment: 'must be ≥ 1, got 0' },
      { comment: 'pollingInterval is an integer', edit: (m: Json) => (m.spec.pollingInterval = 2.5), path: 'spec.pollingInterval', fragment: 'must be an integer, got 2.5' },
      { comment: 'pollingInterval is a number, not a string', edit: (m: Json) => (m.spec.pollingInterval = '30'), path: 'spec.pollingInterval', fragment: 'must be an integer, got "30"' },
      { comment: 'cooldownPeriod ≥ 0', edit: (m: Json) => (m.spec.cooldownPeriod = -1), path: 'spec.cooldownPeriod', fragment: 'must be ≥ 0' },
      { comment: 'initialCooldownPeriod ≥ 0', edit: (m: Json) => (m.spec.initialCooldownPeriod = -5), path: 'spec.initialCooldownPeriod', fragment: 'must be ≥ 0' },
      { comment: 'minReplicaCount ≥ 0', edit: (m: Json) => (m.spec.minReplicaCount = -1), path: 'spec.minReplicaCount', fragment: 'must be ≥ 0' },
      { comment: 'maxReplicaCount ≥ 1', edit: (m: Json) => (m.spec.maxReplicaCount = 0), path: 'spec.maxReplicaCount', fragment: 'must be ≥ 1' },
      { comment: 'idleReplicaCount ≥ 0', edit: (m: Json) => Object.assign(m.spec, { idleReplicaCount: -1, minReplicaCount: 1 }), path: 'spec.idleReplicaCount', fragment: 'must be ≥ 0' },
      { comment: 'min ≤ max', edit: (m: Json) => Object.assign(m.spec, { minReplicaCount: 5, maxReplicaCount: 3 }), path: 'spec.minReplicaCount', fragment: 'must be ≤ maxReplicaCount (3), got 5' },
      { comment: 'min ≤ the default max of 100', edit: (m: Json) => (m.spec.minReplicaCount = 101), path: 'spec.minReplicaCount', fragment: 'must be ≤ maxReplicaCount (100)' },
      { comment: 'idle < min', edit: (m: Json) => Object.assign(m.spec, { idleReplicaCount: 2, minReplicaCount: 2 }), path: 'spec.idleReplicaCount', fragment: 'must be less than minReplicaCount (2), got 2' },
      { comment: 'KEDA quirk: idle 0 with min unset fails (unset min is checked as 0)', edit: (m: Json) => (m.spec.idleReplicaCount = 0), path: 'spec.idleReplicaCount', fragment: 'minReplicaCount unset' },
      { comment: 'at least one trigger', edit: (m: Json) => (m.spec.triggers = []), path: 'spec.triggers', fragment: 'must have at least 1 item' },
      { comment: 'triggers is required', edit: (m: Json) => delete m.spec.triggers, path: 'spec.triggers', fragment: 'is required' },
      { comment: 'fallback.failureThreshold ≥ 0', edit: (m: Json) => (m.spec.fallback = { failureThreshold: -1, replicas: 1 }), path: 'spec.fallback.failureThreshold', fragment: 'must be ≥ 0' },
      { comment: 'fallback.replicas ≥ 0', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 1, replicas: -2 }), path: 'spec.fallback.replicas', fragment: 'must be ≥ 0' },
      { comment: 'fallback.replicas is required', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 1 }), path: 'spec.fallback.replicas', fragment: 'is required' },
      { comment: 'fallback.behavior is an enum', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 1, replicas: 1, behavior: 'latest' }), path: 'spec.fallback.behavior', fragment: 'must be one of "static"' },
      { comment: 'behavior scalingModifiers needs a formula', edit: (m: Json) => (m.spec.fallback = { failureThreshold: 1, replicas: 1, behavior: 'scalingModifiers' }), path: 'spec.fallback.behavior', fragment: 'requires advanced.scalingModifiers.formula' },
      { comment: 'restoreToOriginalReplicaCount is a boolean', edit: (m: Json) => (m.spec.advanced = { restoreToOriginalReplicaCount: 'yes' }), path: 'spec.advanced.restoreToOriginalReplicaCount', fragment: 'must be a boolean' },
    ])('rejects: $comment', ({ edit, path, fragment }) => {
      expectOneIssue(parseScaledObject(manifest(edit)), path, fragment);
    });

    it('accepts KEDA quirk: idle 0 with an explicit min 0 (checked as 1)', () => {
      const so = valid(parseScaledObject(manifest((m) => Object.assign(m.spec, { idleReplicaCount: 0, minReplicaCount: 0 }))));
      expect(so.spec).toMatchObject({ idleReplicaCount: 0, minReplicaCount: 0 });
    });

    it('accepts min equal to max', () => {
      expect(parseScaledObject(manifest((m) => Object.assign(m.spec, { minReplicaCount: 4, maxReplicaCount: 4 }))).ok).toBe(true);
    });

    it('warns that cooldownPeriod has no effect when min > 0 and idle is unset', () => {
      // Act
      const result = parseScaledObject(manifest((m) => Object.assign(m.spec, { cooldownPeriod: 120, minReplicaCount: 1 })));

      // Assess
      expect(result.ok).toBe(true);
      expect(result.warnings.map((w) => [w.path, w.message])).toEqual([['spec.cooldownPeriod', expect.stringContaining('has no effect')]]);
    });
  });

  describe('triggers (common fields)', () => {
    it.each([
      { comment: 'duplicate names', edit: (m: Json) => m.spec.triggers.push({ ...cronTriggerJson(), name: 'a' }, { ...sqsTriggerJson(), name: 'a' }), path: 'spec.triggers[2].name', fragment: 'duplicate trigger name "a" (also spec.triggers[1].name)' },
      { comment: 'a name equal to another trigger\'s index key', edit: (m: Json) => m.spec.triggers.push({ ...cronTriggerJson(), name: '0' }), path: 'spec.triggers[1].name', fragment: 'also the key of unnamed spec.triggers[0]' },
      { comment: 'empty name', edit: (m: Json) => (m.spec.triggers[0].name = ''), path: 'spec.triggers[0].name', fragment: 'must not be empty' },
      { comment: 'metricType Utilization', edit: (m: Json) => (m.spec.triggers[0].metricType = 'Utilization'), path: 'spec.triggers[0].metricType', fragment: 'Utilization is only for cpu and memory triggers' },
      { comment: 'metricType typo', edit: (m: Json) => (m.spec.triggers[0].metricType = 'Average'), path: 'spec.triggers[0].metricType', fragment: 'must be "AverageValue", "Value" or "Utilization", got "Average"' },
      { comment: 'useCachedMetrics on cron', edit: (m: Json) => (m.spec.triggers = [{ ...cronTriggerJson(), useCachedMetrics: true }]), path: 'spec.triggers[0].useCachedMetrics', fragment: 'not allowed for cron triggers' },
      { comment: 'metadata is required', edit: (m: Json) => delete m.spec.triggers[0].metadata, path: 'spec.triggers[0].metadata', fragment: 'is required' },
      { comment: 'authenticationRef needs a name', edit: (m: Json) => (m.spec.triggers[0].authenticationRef = { kind: 'TriggerAuthentication' }), path: 'spec.triggers[0].authenticationRef.name', fragment: 'is required' },
      { comment: 'authenticationRef kind', edit: (m: Json) => (m.spec.triggers[0].authenticationRef = { name: 'a', kind: 'Secret' }), path: 'spec.triggers[0].authenticationRef.kind', fragment: '"ClusterTriggerAuthentication"' },
    ])('rejects: $comment', ({ edit, path, fragment }) => {
      expectOneIssue(parseScaledObject(manifest(edit)), path, fragment);
    });

    it('accepts useCachedMetrics and metricType Value on an SQS trigger', () => {
      const [trigger] = valid(parseScaledObject(manifest((m) => Object.assign(m.spec.triggers[0], { useCachedMetrics: true, metricType: 'Value' })))).spec.triggers;
      expect(trigger).toMatchObject({ useCachedMetrics: true, metricType: 'Value' });
    });

    it('defaults authenticationRef.kind to TriggerAuthentication', () => {
      const [trigger] = valid(parseScaledObject(manifest((m) => (m.spec.triggers[0].authenticationRef = { name: 'aws' })))).spec.triggers;
      expect(trigger?.authenticationRef).toEqual({ name: 'aws', kind: 'TriggerAuthentication' });
    });

    it('rejects an unsupported trigger type, naming it and listing the supported ones', () => {
      expectOneIssue(
        parseScaledObject(manifest((m) => (m.spec.triggers = [{ type: 'rabbitmq', metadata: { queueName: 'orders' } }]))),
        'spec.triggers[0].type',
        `trigger type "rabbitmq" is not supported by LPA; supported: ${SUPPORTED_TRIGGER_TYPES.join(', ')}`,
      );
    });
  });

  describe('names', () => {
    it.each([
      { comment: 'name over 63 characters', edit: (m: Json) => (m.metadata.name = 'a'.repeat(64)), path: 'metadata.name', fragment: 'at most 63 characters, got 64' },
      { comment: 'derived HPA name keda-hpa-<name> over 63', edit: (m: Json) => (m.metadata.name = 'a'.repeat(55)), path: 'metadata.name', fragment: 'gives the HPA name "keda-hpa-aaa' },
      { comment: 'configured HPA name over 63', edit: (m: Json) => (m.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'h'.repeat(64) } }), path: 'spec.advanced.horizontalPodAutoscalerConfig.name', fragment: 'at most 63 characters, got 64' },
      { comment: 'name not RFC 1123', edit: (m: Json) => (m.metadata.name = 'Orders_Worker'), path: 'metadata.name', fragment: 'lowercase RFC 1123 subdomain' },
      { comment: 'namespace not RFC 1123', edit: (m: Json) => (m.metadata.namespace = 'Shop'), path: 'metadata.namespace', fragment: 'lowercase RFC 1123 label' },
    ])('rejects: $comment', ({ edit, path, fragment }) => {
      expectOneIssue(parseScaledObject(manifest(edit)), path, fragment);
    });

    it('accepts a 54-character name (the HPA name is then exactly 63)', () => {
      expect(parseScaledObject(manifest((m) => (m.metadata.name = 'a'.repeat(54)))).ok).toBe(true);
    });

    it('accepts a long name when a short HPA name is configured', () => {
      const input = manifest((m) => {
        m.metadata.name = 'a'.repeat(60);
        m.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'short' } };
      });
      expect(parseScaledObject(input).ok).toBe(true);
    });
  });
});
