/**
 * Discovery's cache, with a scripted transport and an injected clock: one document per group-version
 * while fresh, asked again after the TTL, and a failure never cached.
 */
import { describe, expect, it } from 'vitest';
import { DISCOVERY_TTL_MS, createDiscovery, splitApiVersion } from '../../../shared/kube/discovery.js';
import { KubeApiError } from '../../../shared/kube/errors.js';
import type { Call, KubeTransport } from '../../../shared/kube/transport.js';

/** The recorded `/apis/apps/v1`, cut to Deployments. */
const APPS_V1 = {
  kind: 'APIResourceList',
  groupVersion: 'apps/v1',
  resources: [
    { name: 'deployments', namespaced: true, kind: 'Deployment' },
    { name: 'deployments/scale', namespaced: true, kind: 'Scale', group: 'autoscaling', version: 'v1' },
  ],
};

const scripted = (answers: (() => unknown)[]) => {
  const paths: string[] = [];
  const transport: KubeTransport = {
    send: async () => {
      throw new Error('not used');
    },
    sendOnce: async () => {
      throw new Error('not used');
    },
    read: async (call: Call, schema) => {
      paths.push(call.path);
      const next = answers.shift();
      if (next === undefined) throw new Error('no answer scripted');
      return schema.parse(next());
    },
  };
  return { transport, paths };
};

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };

describe('Function: createDiscovery', () => {
  it('reads a group-version once while fresh, and again after the TTL', async () => {
    let now = 0;
    const { transport, paths } = scripted([() => APPS_V1, () => APPS_V1]);
    const discovery = createDiscovery(transport, () => now);
    await discovery.resolveScalable(DEPLOYMENT);
    now += DISCOVERY_TTL_MS - 1;
    await discovery.resolveScalable(DEPLOYMENT);
    expect(paths).toEqual(['/apis/apps/v1']);
    now += 1;
    expect(await discovery.resolveScalable(DEPLOYMENT)).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' });
    expect(paths).toEqual(['/apis/apps/v1', '/apis/apps/v1']);
  });

  it('forgets a failed read, so the next call asks again', async () => {
    const { transport, paths } = scripted([
      () => {
        throw new KubeApiError('503', { status: 503, reason: 'ServiceUnavailable', retryable: true });
      },
      () => APPS_V1,
    ]);
    const discovery = createDiscovery(transport, () => 0);
    await expect(discovery.resolveScalable(DEPLOYMENT)).rejects.toThrow('503');
    await expect(discovery.resolveScalable(DEPLOYMENT)).resolves.toMatchObject({ resource: 'deployments' });
    expect(paths).toHaveLength(2);
  });

  it('reads the core group at /api/v1', async () => {
    const { transport, paths } = scripted([() => ({ kind: 'APIResourceList', groupVersion: 'v1', resources: [] })]);
    await createDiscovery(transport, () => 0).resolveScalable({ apiVersion: 'v1', kind: 'ReplicationController' }).catch(() => undefined);
    expect(paths).toEqual(['/api/v1']);
  });
});

describe('Function: splitApiVersion', () => {
  it.each([
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['v1', { group: '', version: 'v1' }],
    ['argoproj.io/v1alpha1', { group: 'argoproj.io', version: 'v1alpha1' }],
    ['a/b/c', undefined],
    ['/v1', undefined],
  ])('%s', (apiVersion, expected) => {
    expect(splitApiVersion(apiVersion)).toEqual(expected);
  });
});
