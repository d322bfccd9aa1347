import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CLUSTER, REGION, SCALER, mintToken, startFixture } from './helpers.js';

/** Bodies copied byte for byte from the recorded kube-apiserver (team notes `kube-api-responses.md`). */
const RECORDED = {
  unauthorized: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
  anonymous:
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"system:anonymous\\" cannot get resource \\"deployments/scale\\" in API group \\"apps\\" in the namespace \\"demo\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}',
  deleteDeployment:
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"scaler\\" cannot delete resource \\"deployments\\" in API group \\"apps\\" in the namespace \\"demo\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}',
  patchDeployment:
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"scaler\\" cannot patch resource \\"deployments\\" in API group \\"apps\\" in the namespace \\"demo\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}',
  otherNamespace:
    '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"worker\\" is forbidden: User \\"scaler\\" cannot get resource \\"deployments/scale\\" in API group \\"apps\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"name":"worker","group":"apps","kind":"deployments"},"code":403}',
};

const SCALE_PATH = '/apis/apps/v1/namespaces/demo/deployments/worker/scale';
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const clock = { now: T0 };
let fixture: Awaited<ReturnType<typeof startFixture>>;

beforeAll(async () => {
  fixture = await startFixture(clock);
  fixture.kube.cluster.addDeployment({ namespace: 'demo', name: 'worker', replicas: 1 });
});

afterAll(async () => {
  await fixture.close();
});

describe('Function: startKubeApi (TLS and authentication)', () => {
  it('serves a certificate that only its own CA verifies', async () => {
    // Act
    const unverified = request(`${fixture.kube.url}/version`);

    // Assess
    await expect(unverified).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('hands out the CA as DescribeCluster does: base64 of the PEM', () => {
    // Act
    const decoded = Buffer.from(fixture.kube.caData, 'base64').toString('utf8');

    // Assess
    expect(decoded).toBe(fixture.kube.caPem);
    expect(decoded).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('accepts an EKS token and acts as the mapped user', async () => {
    // Act
    const reply = await fixture.call({ path: SCALE_PATH, token: await fixture.scalerToken() });

    // Assess
    expect(reply.status).toBe(200);
    expect(fixture.kube.requests.at(-1)).toEqual({ method: 'GET', path: SCALE_PATH, status: 200, username: 'scaler' });
  });

  it.each([
    {
      comment: 'a token for another cluster',
      mint: () => mintToken({ credentials: SCALER, clusterName: 'other', region: REGION, signingDate: new Date(clock.now) }),
    },
    {
      comment: 'a token signed 16 minutes ago',
      mint: () => mintToken({ credentials: SCALER, clusterName: CLUSTER, region: REGION, signingDate: new Date(clock.now - 16 * 60_000) }),
    },
    { comment: 'an unknown static token', mint: async () => 'not-a-known-token' },
  ])('answers $comment with the recorded 401', async ({ mint }) => {
    // Act
    const reply = await fixture.call({ path: SCALE_PATH, token: await mint() });

    // Assess
    expect(reply.status).toBe(401);
    expect(reply.text).toBe(RECORDED.unauthorized);
  });

  it("keeps an accepted EKS token for 2 minutes, as kube-apiserver's webhook cache does, then verifies it again", async () => {
    // Prepare: a token with 30 s of its 15 minutes left.
    const token = await mintToken({ credentials: SCALER, clusterName: CLUSTER, region: REGION, signingDate: new Date(clock.now - 14.5 * 60_000) });
    try {
      // Act
      const first = await fixture.call({ path: SCALE_PATH, token });
      clock.now += 60_000;
      const expiredButCached = await fixture.call({ path: SCALE_PATH, token });
      clock.now += 90_000;
      const verifiedAgain = await fixture.call({ path: SCALE_PATH, token });

      // Assess
      expect([first.status, expiredButCached.status, verifiedAgain.status]).toEqual([200, 200, 401]);
    } finally {
      clock.now = T0;
    }
  });

  it('logs why a token was refused, with no user', async () => {
    // Prepare
    const token = await mintToken({ credentials: SCALER, clusterName: 'other', region: REGION, signingDate: new Date(clock.now) });

    // Act
    await fixture.call({ path: SCALE_PATH, token });

    // Assess
    expect(fixture.kube.requests.at(-1)).toEqual({
      method: 'GET',
      path: SCALE_PATH,
      status: 401,
      username: undefined,
      authError: expect.stringMatching(/SignatureDoesNotMatch/),
    });
  });

  it('treats a request without credentials as system:anonymous (recorded 403)', async () => {
    // Act
    const reply = await fixture.call({ path: SCALE_PATH });

    // Assess
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(RECORDED.anonymous);
  });

  it('accepts a static token (kube token file)', async () => {
    // Act
    const reply = await fixture.call({ path: '/apis/apps/v1/namespaces/kube-system/deployments/worker/scale', token: ADMIN_TOKEN });

    // Assess
    expect(reply.status).toBe(404);
    expect(fixture.kube.requests.at(-1)?.username).toBe('admin');
  });

  it('lets anyone read /version', async () => {
    // Act
    const reply = await fixture.call({ path: '/version' });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ major: '1', minor: '31' });
  });

  it('never writes a token into the request log', async () => {
    // Prepare
    const tokens = [await fixture.scalerToken(), ADMIN_TOKEN];

    // Act
    for (const token of tokens) await fixture.call({ path: SCALE_PATH, token });
    await fixture.call({ path: SCALE_PATH, token: `${tokens[0]}x` });

    // Assess
    const log = JSON.stringify(fixture.kube.requests);
    for (const token of tokens) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(11, 60));
    }
  });
});

describe('Function: startKubeApi (RBAC)', () => {
  it.each([
    { comment: 'DELETE the deployment', method: 'DELETE', path: '/apis/apps/v1/namespaces/demo/deployments/worker', expected: RECORDED.deleteDeployment },
    { comment: 'PATCH the deployment itself', method: 'PATCH', path: '/apis/apps/v1/namespaces/demo/deployments/worker', expected: RECORDED.patchDeployment },
    { comment: 'GET scale in another namespace', method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/worker/scale', expected: RECORDED.otherNamespace },
  ])('forbids scaler to $comment with the recorded 403', async ({ method, path, expected }) => {
    // Act
    const reply = await fixture.call({
      method,
      path,
      token: await fixture.scalerToken(),
      contentType: 'application/merge-patch+json',
      body: method === 'PATCH' ? '{"spec":{"replicas":5}}' : undefined,
    });

    // Assess
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(expected);
  });

  it('words a forbidden list in the core group as kube does', async () => {
    // Act
    const reply = await fixture.call({ path: '/api/v1/namespaces/default/pods', token: await fixture.scalerToken() });

    // Assess
    expect(reply.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "scaler" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('answers 405 for an allowed verb the simulation does not serve', async () => {
    // Act
    const reply = await fixture.call({ method: 'DELETE', path: '/apis/apps/v1/namespaces/demo/deployments/worker', token: ADMIN_TOKEN });

    // Assess
    expect(reply.status).toBe(405);
    expect(reply.json).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
  });

  it('answers 404 for a resource type it does not know', async () => {
    // Act
    const reply = await fixture.call({ path: '/apis/batch/v1/namespaces/demo/jobs', token: ADMIN_TOKEN });

    // Assess
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});
