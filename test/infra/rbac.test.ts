import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../dev/local/kube/rbac.js';
import type { RbacBinding } from '../../dev/local/kube/rbac.js';
import { rbacObjects, rbacYaml, resourceOfKind } from '../../infra/index.js';
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

  it('grants get and patch on each kind’s /scale for the named targets only, and pods list', () => {
    const [role] = rbacObjects({
      targets: [target('shop', 'orders'), target('shop', 'web', 'StatefulSet'), target('shop', 'api'), target('shop', 'canary', 'Rollout', 'argoproj.io/v1alpha1'), target('shop', 'orders')],
    });
    expect(role?.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['api', 'orders'], verbs: ['get', 'patch'] },
      { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['web'], verbs: ['get', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts/scale'], resourceNames: ['canary'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
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
    { request: 'list pods', verb: 'list', resource: 'pods', apiGroup: '', namespace: 'shop', allowed: true },
    { request: 'patch deployments/scale of another Deployment', verb: 'patch', resource: 'deployments', subresource: 'scale', name: 'billing', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'patch statefulsets/scale named like the Deployment', verb: 'patch', resource: 'statefulsets', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'update deployments/scale', verb: 'update', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'patch deployments', verb: 'patch', resource: 'deployments', name: 'orders', apiGroup: 'apps', namespace: 'shop', allowed: false },
    { request: 'get secrets', verb: 'get', resource: 'secrets', apiGroup: '', namespace: 'shop', allowed: false },
    { request: 'patch scale in another namespace', verb: 'patch', resource: 'deployments', subresource: 'scale', name: 'orders', apiGroup: 'apps', namespace: 'kube-system', allowed: false },
  ])('lets the group $request: $allowed (evaluated by the local API server stand-in)', ({ allowed, request: _, ...attributes }) => {
    const bindings = asBindings(rbacObjects({ targets: [target('shop', 'orders'), target('shop', 'web', 'StatefulSet')] }));
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
