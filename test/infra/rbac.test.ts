import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../dev/local/kube/rbac.js';
import { asBindings } from '../helpers/kube.js';
import { LPA_POLICY_RULES, loadManifests, rbacObjects, rbacYaml, resourceOfKind } from '../../infra/index.js';
import { rbacNeedsOf } from '../../infra/rbac.js';
import { QUEUE_URL, groupOf, sqsScaledObject } from '../helpers/manifests.js';
import { scaledObject } from './fixtures.js';

const target = (namespace: string, name: string, kind = 'Deployment', apiVersion = 'apps/v1') => ({ namespace, apiVersion, kind, name });

describe('Function: rbacObjects', () => {
  it('emits one Role and one RoleBinding per namespace, sorted and without duplicates', () => {
    // Act
    const objects = rbacObjects({ targets: [target('shop', 'a'), target('batch', 'b'), target('shop', 'c')] });
    // Assess
    expect(objects.map((o) => `${o.kind} ${(o.metadata as { namespace: string }).namespace}`)).toEqual([
      'Role batch',
      'RoleBinding batch',
      'Role shop',
      'RoleBinding shop',
    ]);
  });

  it('grants get and patch on each kind’s /scale for the named targets only, and nothing on the targets themselves (never read)', () => {
    const [role] = rbacObjects({
      targets: [target('shop', 'orders'), target('shop', 'web', 'StatefulSet'), target('shop', 'api'), target('shop', 'canary', 'Rollout', 'argoproj.io/v1alpha1'), target('shop', 'orders')],
    });
    expect(role?.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['api', 'orders'], verbs: ['get', 'patch'] },
      { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['web'], verbs: ['get', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts/scale'], resourceNames: ['canary'], verbs: ['get', 'patch'] },
    ]);
  });

  it('adds pods list only in the namespaces whose targets need ready pods', () => {
    const objects = rbacObjects({ targets: [target('shop', 'orders'), target('batch', 'jobs')], podNamespaces: ['batch'] });
    const rules = Object.fromEntries(objects.filter((o) => o.kind === 'Role').map((o) => [(o.metadata as { namespace: string }).namespace, o.rules]));
    expect(rules).toEqual({
      batch: [{ apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['jobs'], verbs: ['get', 'patch'] }, ...LPA_POLICY_RULES],
      shop: [{ apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['orders'], verbs: ['get', 'patch'] }],
    });
    expect(LPA_POLICY_RULES).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
  });

  it('binds the Role to the access entry group, lpa-scaler unless told', () => {
    const [, byDefault] = rbacObjects({ targets: [target('shop', 'a')] });
    const [, custom] = rbacObjects({ targets: [target('shop', 'a')], group: 'platform-autoscaler' });
    expect(byDefault?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'lpa-scaler' }]);
    expect(custom?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-autoscaler' }]);
    expect(custom?.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'platform-autoscaler' });
  });

  // What the runtime asks the API server (shared/kube/scaleClient.ts), and what it must never be able to do.
  it.each([
    { request: 'get deployments/scale of the target', verb: 'get', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: true },
    { request: 'patch deployments/scale of the target', verb: 'patch', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: true },
    { request: 'patch statefulsets/scale of the target', verb: 'patch', resource: 'statefulsets', subresource: 'scale', name: 'web', apiGroup: 'apps', namespace: 'shop', allowed: true },
    { request: 'get deployments (never called)', verb: 'get', resource: 'deployments', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'list pods where a Value target is', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'batch', allowed: true },
    { request: 'list pods where none is', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'shop', allowed: false },
    { request: 'patch deployments/scale of another Deployment', verb: 'patch', resource: 'deployments', subresource: 'scale', name: 'billing', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'patch statefulsets/scale named like the Deployment', verb: 'patch', resource: 'statefulsets', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'update deployments/scale', verb: 'update', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'patch deployments', verb: 'patch', resource: 'deployments', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'get secrets', verb: 'get', resource: 'secrets', apiGroup: '', namespace: 'shop', allowed: false },
    { request: 'patch scale in another namespace', verb: 'patch', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'kube-system', allowed: false },
  ])('lets the group $request: $allowed (evaluated by the local API server stand-in)', ({ allowed, request: _, ...attributes }) => {
    const bindings = asBindings(rbacObjects({ targets: [target('shop', 'orders'), target('shop', 'web', 'StatefulSet'), target('batch', 'jobs')], podNamespaces: ['batch'] }));
    expect(isAllowed(bindings, { username: 'lpa', groups: ['lpa-scaler'] }, attributes)).toBe(allowed);
  });
});

describe('Function: resourceOfKind', () => {
  it.each([
    ['Deployment', 'deployments'],
    ['StatefulSet', 'statefulsets'],
    ['Rollout', 'rollouts'],
    ['Policy', 'policies'],
    ['Ingress', 'ingresses'],
  ])('%s → %s (kubectl’s guess, without discovery)', (kind, resource) => {
    expect(resourceOfKind(kind)).toBe(resource);
  });
});

describe('Function: rbacNeedsOf', () => {
  it('lists every target, and the namespaces and those with a Value metric (a trigger, or a Value formula) for pods', () => {
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
    expect(needs.targets.map((t) => t.namespace)).toEqual(['shop', 'batch', 'reports']);
    expect(needs.podNamespaces).toEqual(['batch', 'reports']);
    expect(needs.podMetricsNamespaces).toEqual([]);
    expect(needs.serviceProxies).toEqual([]);
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
      { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['search'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090', 'http:thanos-query:10902'], verbs: ['get'] },
    ]);
  });

  it('gives a namespace that only holds the Service a Role with that one rule', () => {
    const objects = rbacObjects({ targets: [target('shop', 'a')], serviceProxies: [{ namespace: 'observability', proxyName: 'http:prometheus:9090' }] });
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
    const options = { targets: [target('shop', 'a'), target('batch', 'b')] };
    const text = rbacYaml(options);
    // Assess
    const documents = parseAllDocuments(text).map((document) => document.toJS());
    expect(documents).toEqual(rbacObjects(options));
    expect(text.startsWith('# LPA RBAC for Kubernetes group "lpa-scaler"')).toBe(true);
  });
});

describe('Function: rbacObjects (cluster source)', () => {
  const objects = rbacObjects({ targets: [], fromCluster: { namespaces: ['demo'], scaleKinds: [{ group: 'argoproj.io', resource: 'rollouts' }] } });

  // Every call shared/app/clusterSource.ts makes, and what it must still never do.
  it.each([
    { request: 'list scaledobjects', verb: 'list', resource: 'scaledobjects', apiGroup: 'keda.sh', namespace: 'demo', allowed: true },
    { request: 'patch scaledobjects/status', verb: 'patch', resource: 'scaledobjects', subresource: 'status', name: 'so', apiGroup: 'keda.sh', namespace: 'demo', allowed: true },
    { request: 'patch scaledobjects (finalizer)', verb: 'patch', resource: 'scaledobjects', name: 'so', apiGroup: 'keda.sh', namespace: 'demo', allowed: true },
    { request: 'create events', verb: 'create', resource: 'events', apiGroup: 'events.k8s.io', namespace: 'demo', allowed: true },
    { request: 'list pods (its objects’ metric types are not known at deploy time)', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'demo', allowed: true },
    { request: 'list horizontalpodautoscalers', verb: 'list', resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling', namespace: 'demo', allowed: true },
    { request: 'patch statefulsets/scale of any object', verb: 'patch', resource: 'statefulsets', subresource: 'scale', name: 'any', apiGroup: 'apps', namespace: 'demo', allowed: true },
    { request: 'patch rollouts/scale', verb: 'patch', resource: 'rollouts', subresource: 'scale', name: 'r', apiGroup: 'argoproj.io', namespace: 'demo', allowed: true },
    { request: 'create scaledobjects', verb: 'create', resource: 'scaledobjects', apiGroup: 'keda.sh', namespace: 'demo', allowed: false },
    { request: 'delete scaledobjects', verb: 'delete', resource: 'scaledobjects', name: 'so', apiGroup: 'keda.sh', namespace: 'demo', allowed: false },
    { request: 'list scaledobjects in a namespace it does not serve', verb: 'list', resource: 'scaledobjects', apiGroup: 'keda.sh', namespace: 'other', allowed: false },
  ])('lets the group $request: $allowed', ({ allowed, request: _, ...attributes }) => {
    expect(isAllowed(asBindings(objects), { username: 'lpa', groups: ['lpa-scaler'] }, attributes)).toBe(allowed);
  });

  it('is a ClusterRole and ClusterRoleBinding when it serves every namespace', () => {
    const all = rbacObjects({ targets: [], fromCluster: {} });
    expect(all.map((o) => o.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });
});
