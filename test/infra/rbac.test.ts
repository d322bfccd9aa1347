import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../dev/local/kube/rbac.js';
import type { RbacBinding } from '../../dev/local/kube/rbac.js';
import { LPA_POLICY_RULES, loadManifests, rbacObjects, rbacYaml } from '../../infra/index.js';
import { rbacNeedsOf } from '../../infra/rbac.js';
import { QUEUE_URL, groupOf, sqsScaledObject } from '../helpers/manifests.js';
import { scaledObject } from './fixtures.js';
import type { KubernetesObject } from '../../infra/index.js';

/** A generated Role + RoleBinding pair as the local Kubernetes stand-in evaluates RBAC. */
const asBindings = (objects: readonly KubernetesObject[]): RbacBinding[] =>
  objects
    .filter((object) => object.kind === 'RoleBinding')
    .map((binding) => {
      const { namespace } = binding.metadata as { namespace: string };
      const roleName = (binding.roleRef as { name: string }).name;
      const role = objects.find((o) => o.kind === 'Role' && (o.metadata as { name: string; namespace: string }).namespace === namespace && (o.metadata as { name: string }).name === roleName);
      const groups = (binding.subjects as { kind: string; name: string }[]).filter((s) => s.kind === 'Group').map((s) => s.name);
      return { namespace, subjects: { groups }, rules: (role?.rules ?? []) as RbacBinding['rules'] };
    });

describe('Function: rbacObjects', () => {
  it('emits one Role and one RoleBinding per namespace, sorted and without duplicates', () => {
    // Act
    const objects = rbacObjects({ namespaces: ['shop', 'batch', 'shop'] });
    // Assess
    expect(objects.map((o) => `${o.kind} ${(o.metadata as { namespace: string }).namespace}`)).toEqual([
      'Role batch',
      'RoleBinding batch',
      'Role shop',
      'RoleBinding shop',
    ]);
  });

  it('grants deployments/scale get and patch, and nothing on the Deployment itself (never read)', () => {
    const [role] = rbacObjects({ namespaces: ['shop'] });
    expect(role?.rules).toEqual([{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] }]);
  });

  it('adds pods list only in the namespaces whose targets need ready pods', () => {
    const objects = rbacObjects({ namespaces: ['shop', 'batch'], podNamespaces: ['batch'] });
    const rules = Object.fromEntries(objects.filter((o) => o.kind === 'Role').map((o) => [(o.metadata as { namespace: string }).namespace, o.rules]));
    expect(rules).toEqual({ batch: LPA_POLICY_RULES, shop: [LPA_POLICY_RULES[0]] });
    expect(LPA_POLICY_RULES[1]).toEqual({ apiGroups: [''], resources: ['pods'], verbs: ['list'] });
  });

  it('binds the Role to the access entry group, lpa-scaler unless told', () => {
    const [, byDefault] = rbacObjects({ namespaces: ['shop'] });
    const [, custom] = rbacObjects({ namespaces: ['shop'], group: 'platform-autoscaler' });
    expect(byDefault?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'lpa-scaler' }]);
    expect(custom?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-autoscaler' }]);
    expect(custom?.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'platform-autoscaler' });
  });

  // What the runtime asks the API server (shared/kube/scaleClient.ts), and what it must never be able to do.
  it.each([
    { request: 'get deployments/scale', verb: 'get', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'shop', allowed: true },
    { request: 'patch deployments/scale', verb: 'patch', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'shop', allowed: true },
    { request: 'get deployments (never called)', verb: 'get', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'list pods where a Value target is', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'batch', allowed: true },
    { request: 'list pods where none is', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'shop', allowed: false },
    { request: 'update deployments/scale', verb: 'update', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'patch deployments', verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'get secrets', verb: 'get', resource: 'secrets', apiGroup: '', namespace: 'shop', allowed: false },
    { request: 'patch scale in another namespace', verb: 'patch', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'kube-system', allowed: false },
  ])('lets the group $request: $allowed (evaluated by the local API server stand-in)', ({ allowed, request: _, ...attributes }) => {
    const bindings = asBindings(rbacObjects({ namespaces: ['shop', 'batch'], podNamespaces: ['batch'] }));
    expect(isAllowed(bindings, { username: 'lpa', groups: ['lpa-scaler'] }, attributes)).toBe(allowed);
  });
});

describe('Function: rbacNeedsOf', () => {
  it('lists every target namespace, and those with a Value metric (a trigger, or a Value formula) for pods', () => {
    // Prepare
    const value = { type: 'aws-sqs-queue', name: 'queue', metricType: 'Value', metadata: { queueURL: QUEUE_URL, queueLength: '10', awsRegion: 'eu-west-1' } };
    const { objects } = groupOf([
      sqsScaledObject('average', {}, 'shop'),
      sqsScaledObject('by-pods', { triggers: [value] }, 'batch'),
      sqsScaledObject('formula', { advanced: { scalingModifiers: { formula: 'queue', target: '5', metricType: 'Value' } } }, 'reports'),
    ]);

    // Act
    const needs = rbacNeedsOf(objects);

    // Assess
    expect(needs).toEqual({ namespaces: ['shop', 'batch', 'reports'], podNamespaces: ['batch', 'reports'], podMetricsNamespaces: [], serviceProxies: [] });
  });
});

describe('Function: rbacObjects (in-cluster Prometheus)', () => {
  const prometheusTrigger = (serverAddress: string) => ({ type: 'prometheus', metadata: { serverAddress, query: 'up', threshold: '1' } });
  const needs = rbacNeedsOf(
    loadManifests([
      scaledObject('checkout', 'shop', [prometheusTrigger('http://prometheus-server.monitoring.svc.cluster.local:9090'), prometheusTrigger('http://thanos-query.monitoring:10902')]),
      scaledObject('search', 'monitoring', [prometheusTrigger('https://prometheus.internal.example.com')]),
    ]).objects.map((o) => o.scaledObject),
  );

  it('derives the proxied Services, as the proxy path spells them, from the triggers', () => {
    expect(needs.serviceProxies).toEqual([
      { namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' },
      { namespace: 'monitoring', proxyName: 'http:thanos-query:10902' },
    ]);
  });

  it('adds services/proxy get on exactly those names to the Role of their namespace', () => {
    const monitoring = rbacObjects(needs).find((o) => o.kind === 'Role' && (o.metadata as { namespace: string }).namespace === 'monitoring');
    expect(monitoring?.rules).toEqual([
      LPA_POLICY_RULES[0],
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090', 'http:thanos-query:10902'], verbs: ['get'] },
    ]);
  });

  it('gives a namespace that only holds the Service a Role with that one rule', () => {
    const objects = rbacObjects({ namespaces: ['shop'], serviceProxies: [{ namespace: 'observability', proxyName: 'http:prometheus:9090' }] });
    expect(objects.map((o) => `${o.kind} ${(o.metadata as { namespace: string }).namespace}`)).toEqual(['Role observability', 'RoleBinding observability', 'Role shop', 'RoleBinding shop']);
    expect(objects[0]?.rules).toEqual([{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus:9090'], verbs: ['get'] }]);
  });

  it.each([
    { name: 'http:prometheus-server:9090', allowed: true },
    { name: 'http:alertmanager:9093', allowed: false },
  ])('lets the group proxy to $name: $allowed (evaluated by the local API server stand-in)', ({ name, allowed }) => {
    const attributes = { verb: 'get', resource: 'services', subresource: 'proxy', apiGroup: '', namespace: 'monitoring', name };
    expect(isAllowed(asBindings(rbacObjects(needs)), { username: 'lpa', groups: ['lpa-scaler'] }, attributes)).toBe(allowed);
  });
});

describe('Function: rbacYaml', () => {
  it('is the same objects as a YAML stream kubectl can apply', () => {
    // Act
    const text = rbacYaml({ namespaces: ['shop', 'batch'] });
    // Assess
    const documents = parseAllDocuments(text).map((document) => document.toJS());
    expect(documents).toEqual(rbacObjects({ namespaces: ['shop', 'batch'] }));
    expect(text.startsWith('# LPA RBAC for Kubernetes group "lpa-scaler"')).toBe(true);
  });
});
