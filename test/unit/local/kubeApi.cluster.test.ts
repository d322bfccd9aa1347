import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './helpers.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const clock = { now: T0 };
let fixture: Awaited<ReturnType<typeof startFixture>>;
let serial = 0;

const newDeployment = (replicas: number, startupDelayMs = 0) => {
  serial += 1;
  const name = `app-${serial}`;
  fixture.kube.cluster.addDeployment({ namespace: 'demo', name, replicas, startupDelayMs });
  return { name, scalePath: `/apis/apps/v1/namespaces/demo/deployments/${name}/scale`, podsPath: `/api/v1/namespaces/demo/pods?labelSelector=app%3D${name}` };
};

const asScaler = async (call: { method?: string; path: string; body?: string }) =>
  fixture.call({ contentType: 'application/merge-patch+json', ...call, token: await fixture.scalerToken() });

interface PodItem {
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly status: { readonly phase: string; readonly conditions: ReadonlyArray<{ readonly type: string; readonly status: string }> };
}

const readyOf = (pod: PodItem) => pod.status.conditions.find((c) => c.type === 'Ready')?.status;

beforeAll(async () => {
  fixture = await startFixture(clock);
});

afterAll(async () => {
  await fixture.close();
});

describe('Function: startKubeApi (pods)', () => {
  it('lists the pods of the selector as a PodList', async () => {
    // Prepare
    const { name, podsPath } = newDeployment(2);
    newDeployment(3);

    // Act
    const reply = await asScaler({ path: podsPath });

    // Assess
    const list = reply.json as { kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: PodItem[] };
    expect(reply.status).toBe(200);
    expect(list).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
    expect(list.items).toHaveLength(2);
    expect(list.items.every((pod) => pod.metadata.labels.app === name && pod.metadata.name.startsWith(`${name}-`))).toBe(true);
  });

  it('shows new pods Running but not Ready until the startup delay has passed', async () => {
    // Prepare
    const { scalePath, podsPath } = newDeployment(1, 20_000);
    await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":3}}' });

    // Act
    const during = (await asScaler({ path: podsPath })).json as { items: PodItem[] };
    clock.now += 20_000;
    const after = (await asScaler({ path: podsPath })).json as { items: PodItem[] };

    // Assess
    expect(during.items.map((pod) => [pod.status.phase, readyOf(pod)])).toEqual([
      ['Running', 'True'],
      ['Running', 'False'],
      ['Running', 'False'],
    ]);
    expect(after.items.map(readyOf)).toEqual(['True', 'True', 'True']);
  });

  it('reports status.replicas at once after a scale-up', async () => {
    // Prepare
    const { scalePath } = newDeployment(1, 60_000);
    await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":4}}' });

    // Act
    const reply = await asScaler({ path: scalePath });

    // Assess
    expect(reply.json).toMatchObject({ spec: { replicas: 4 }, status: { replicas: 4 } });
  });

  it('answers a selector it cannot parse with 400', async () => {
    // Act
    const reply = await asScaler({ path: '/api/v1/namespaces/demo/pods?labelSelector=app%20in%20(a%2Cb)' });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});

describe('Function: SimulatedCluster.injectFailures (over HTTP)', () => {
  it('fails the next matching request with 429 and Retry-After, then recovers', async () => {
    // Prepare
    const { scalePath } = newDeployment(1);
    fixture.kube.cluster.injectFailures({ status: 429, count: 1, pathIncludes: scalePath, retryAfterSeconds: 7 });

    // Act
    const first = await asScaler({ path: scalePath });
    const second = await asScaler({ path: scalePath });

    // Assess
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":7},"code":429}',
    );
    expect(second.status).toBe(200);
  });

  it.each([
    { status: 409 as const, reason: 'Conflict', retryAfter: undefined },
    { status: 500 as const, reason: 'InternalError', retryAfter: undefined },
    { status: 503 as const, reason: 'ServiceUnavailable', retryAfter: undefined },
    { status: 429 as const, reason: 'TooManyRequests', retryAfter: '1' },
  ])('answers an injected $status with a $reason Status', async ({ status, reason, retryAfter }) => {
    // Prepare
    const { scalePath } = newDeployment(1);
    fixture.kube.cluster.injectFailures({ status, count: 1, method: 'PATCH', pathIncludes: scalePath });

    // Act
    const reply = await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":2}}' });

    // Assess
    expect(reply.status).toBe(status);
    expect(reply.json).toMatchObject({ kind: 'Status', status: 'Failure', reason, code: status });
    expect(reply.headers['retry-after']).toBe(retryAfter);
  });

  it('names the deployment in an injected conflict', async () => {
    // Prepare
    const { name, scalePath } = newDeployment(1);
    fixture.kube.cluster.injectFailures({ status: 409, count: 1, pathIncludes: scalePath });

    // Act
    const reply = await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":2}}' });

    // Assess
    expect(reply.json).toMatchObject({ details: { name, group: 'apps', kind: 'deployments' } });
  });

  it('changes nothing when the write is failed by an injection', async () => {
    // Prepare
    const { name, scalePath } = newDeployment(1);
    fixture.kube.cluster.injectFailures({ status: 503, count: 1, method: 'PATCH', pathIncludes: scalePath });

    // Act
    await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":5}}' });

    // Assess
    expect(fixture.kube.cluster.deployment('demo', name)).toMatchObject({ specReplicas: 1, history: [] });
    expect(fixture.kube.cluster.patchCount('demo', name)).toBe(0);
  });

  it('fails only requests of the given method', async () => {
    // Prepare
    const { scalePath } = newDeployment(1);
    fixture.kube.cluster.injectFailures({ status: 500, count: 1, method: 'PATCH', pathIncludes: scalePath });

    // Act
    const get = await asScaler({ path: scalePath });
    const patch = await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":2}}' });

    // Assess
    expect([get.status, patch.status]).toEqual([200, 500]);
  });
});

describe('Function: SimulatedCluster.onChange (over HTTP)', () => {
  it('tells a listener about a scale written through the API', async () => {
    // Prepare
    const { name, scalePath } = newDeployment(1);
    const seen: Array<{ to: number; by: string }> = [];
    const unsubscribe = fixture.kube.cluster.onChange((change) => {
      if (change.name === name) seen.push({ to: change.to, by: change.by });
    });

    // Act
    await asScaler({ method: 'PATCH', path: scalePath, body: '{"spec":{"replicas":3}}' });
    unsubscribe();

    // Assess
    expect(seen).toEqual([{ to: 3, by: 'scaler' }]);
  });
});
