import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../../dev/local/kube/rbac.js';
import type { RbacBinding } from '../../../dev/local/kube/rbac.js';

/** The Role from the recorded cluster (team notes `kube-api-responses.md` §3), bound to user `scaler` and group `eks-autoscaler`. */
const bindings: RbacBinding[] = [
  {
    subjects: { users: ['scaler'], groups: ['eks-autoscaler'] },
    namespace: 'demo',
    rules: [
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ],
  },
  { subjects: { users: ['auditor'] }, namespace: 'demo', rules: [{ apiGroups: ['*'], resources: ['*/scale'], verbs: ['*'] }] },
];

const scaler = { username: 'scaler', groups: ['system:authenticated'] };
const scale = { apiGroup: 'apps', resource: 'deployments', subresource: 'scale', name: 'worker', namespace: 'demo' };
const deployment = { apiGroup: 'apps', resource: 'deployments', name: 'worker', namespace: 'demo' };

describe('Function: isAllowed', () => {
  it.each([
    { comment: 'scaler gets the scale', user: scaler, request: { ...scale, verb: 'get' }, allowed: true },
    { comment: 'scaler patches the scale', user: scaler, request: { ...scale, verb: 'patch' }, allowed: true },
    { comment: 'scaler updates the scale', user: scaler, request: { ...scale, verb: 'update' }, allowed: true },
    { comment: 'scaler cannot delete the scale', user: scaler, request: { ...scale, verb: 'delete' }, allowed: false },
    { comment: 'scaler gets the deployment', user: scaler, request: { ...deployment, verb: 'get' }, allowed: true },
    {
      comment: 'deployments/scale does not grant deployments',
      user: scaler,
      request: { ...deployment, verb: 'patch' },
      allowed: false,
    },
    {
      comment: 'deployments does not grant deployments/scale',
      user: { username: 'reader', groups: [] },
      request: { ...scale, verb: 'get' },
      allowed: false,
    },
    { comment: 'scaler lists pods', user: scaler, request: { apiGroup: '', resource: 'pods', namespace: 'demo', verb: 'list' }, allowed: true },
    {
      comment: 'pods in the core group are not pods in apps',
      user: scaler,
      request: { apiGroup: 'apps', resource: 'pods', namespace: 'demo', verb: 'list' },
      allowed: false,
    },
    { comment: 'the Role is namespaced', user: scaler, request: { ...scale, namespace: 'default', verb: 'get' }, allowed: false },
    {
      comment: 'a group subject matches',
      user: { username: 'arn:aws:sts::1:assumed-role/lpa/fn', groups: ['eks-autoscaler', 'system:authenticated'] },
      request: { ...scale, verb: 'patch' },
      allowed: true,
    },
    {
      comment: 'system:masters may do anything',
      user: { username: 'admin', groups: ['system:masters'] },
      request: { ...deployment, namespace: 'kube-system', verb: 'delete' },
      allowed: true,
    },
    { comment: '*/scale with * verbs and groups', user: { username: 'auditor', groups: [] }, request: { ...scale, verb: 'patch' }, allowed: true },
    {
      comment: '*/scale does not grant the parent resource',
      user: { username: 'auditor', groups: [] },
      request: { ...deployment, verb: 'get' },
      allowed: false,
    },
    {
      comment: 'anonymous is denied',
      user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      request: { ...scale, verb: 'get' },
      allowed: false,
    },
  ])('$comment', ({ user, request, allowed }) => {
    // Act
    const result = isAllowed(bindings, user, request);

    // Assess
    expect(result).toBe(allowed);
  });
});

describe('Function: isAllowed (resourceNames)', () => {
  const proxyBindings: RbacBinding[] = [
    {
      subjects: { users: ['scaler'] },
      namespace: 'monitoring',
      rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['http:prometheus-server:9090'], verbs: ['get'] }],
    },
  ];
  const proxy = { apiGroup: '', resource: 'services', subresource: 'proxy', namespace: 'monitoring', verb: 'get' };

  it.each([
    { comment: 'the listed name segment', name: 'http:prometheus-server:9090', allowed: true },
    { comment: 'the same Service under another segment (no scheme)', name: 'prometheus-server:9090', allowed: false },
    { comment: 'another Service', name: 'http:thanos-query:9090', allowed: false },
    { comment: 'a request that names nothing', name: undefined, allowed: false },
  ])('$comment → $allowed', ({ name, allowed }) => {
    expect(isAllowed(proxyBindings, scaler, { ...proxy, ...(name === undefined ? {} : { name }) })).toBe(allowed);
  });
});

describe('Function: isAllowed (ClusterRoleBinding)', () => {
  const clusterBindings: RbacBinding[] = [
    { subjects: { users: ['scaler'] }, namespace: '', clusterWide: true, rules: [{ apiGroups: ['keda.sh'], resources: ['clustertriggerauthentications'], resourceNames: ['shared'], verbs: ['get'] }] },
  ];
  const cta = { apiGroup: 'keda.sh', resource: 'clustertriggerauthentications', namespace: '', verb: 'get' };

  it.each([
    { comment: 'a cluster-scoped object it names', request: { ...cta, name: 'shared' }, allowed: true },
    { comment: 'a cluster-scoped object it does not name', request: { ...cta, name: 'other' }, allowed: false },
    { comment: 'the same resource in any namespace', request: { ...cta, name: 'shared', namespace: 'shop' }, allowed: true },
  ])('$comment → $allowed', ({ request, allowed }) => {
    expect(isAllowed(clusterBindings, scaler, request)).toBe(allowed);
  });
});
