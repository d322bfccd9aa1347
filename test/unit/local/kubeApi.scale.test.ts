import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startFixture } from './helpers.js';

const T0 = Date.UTC(2026, 10, 22, 23, 59, 33);
const clock = { now: T0 };
let fixture: Awaited<ReturnType<typeof startFixture>>;
let serial = 0;

/** Every test gets its own Deployment, so tests never see each other's writes. */
const newDeployment = (replicas = 1) => {
  serial += 1;
  const name = `worker-${serial}`;
  fixture.kube.cluster.addDeployment({ namespace: 'demo', name, replicas });
  const path = `/apis/apps/v1/namespaces/demo/deployments/${name}/scale`;
  return { name, path, rv: () => fixture.kube.cluster.deployment('demo', name).resourceVersion };
};

const asScaler = async (call: { method?: string; path: string; body?: string; contentType?: string }) =>
  fixture.call({ contentType: 'application/merge-patch+json', ...call, token: await fixture.scalerToken() });

beforeAll(async () => {
  fixture = await startFixture(clock);
});

afterAll(async () => {
  await fixture.close();
});

describe('Function: startKubeApi (scale subresource)', () => {
  it('returns the Scale in the recorded shape and field order', async () => {
    // Prepare
    const { name, path } = newDeployment(3);
    const uid = /"uid":"([^"]+)"/.exec((await asScaler({ path })).text)?.[1];

    // Act
    const reply = await asScaler({ path });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.text).toBe(
      `{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"${name}","namespace":"demo","uid":"${uid}","resourceVersion":"${fixture.kube.cluster.deployment('demo', name).resourceVersion}","creationTimestamp":"2026-11-22T23:59:33Z"},"spec":{"replicas":3},"status":{"replicas":3,"selector":"app=${name}"}}`,
    );
  });

  it('omits spec.replicas at zero, as Go does for an int32 omitempty', async () => {
    // Prepare
    const { path } = newDeployment(0);

    // Act
    const reply = await asScaler({ path });

    // Assess
    expect(reply.json).toMatchObject({ spec: {}, status: { replicas: 0 } });
  });

  it('applies a merge patch, bumps resourceVersion and records who scaled', async () => {
    // Prepare
    const { name, path, rv } = newDeployment(1);
    const before = rv();

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body: '{"spec":{"replicas":2}}' });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ spec: { replicas: 2 }, status: { replicas: 2 } });
    expect(Number(rv())).toBeGreaterThan(Number(before));
    expect(fixture.kube.cluster.deployment('demo', name).history).toEqual([{ time: T0, replicas: 2, by: 'scaler' }]);
    expect(fixture.kube.cluster.patchCount('demo', name)).toBe(1);
  });

  it.each([
    { contentType: 'application/json-patch+json', body: '[{"op":"replace","path":"/spec/replicas","value":4}]' },
    { contentType: 'application/strategic-merge-patch+json', body: '{"spec":{"replicas":4}}' },
    { contentType: 'application/merge-patch+json; charset=utf-8', body: '{"spec":{"replicas":4}}' },
  ])('accepts $contentType', async ({ contentType, body }) => {
    // Prepare
    const { name, path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body, contentType });

    // Assess
    expect(reply.status).toBe(200);
    expect(fixture.kube.cluster.deployment('demo', name).specReplicas).toBe(4);
  });

  it('answers a dry run with the result but changes nothing', async () => {
    // Prepare
    const { name, path, rv } = newDeployment(1);
    const before = rv();

    // Act
    const reply = await asScaler({ method: 'PATCH', path: `${path}?dryRun=All`, body: '{"spec":{"replicas":6}}' });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ spec: { replicas: 6 }, metadata: { resourceVersion: before } });
    expect(fixture.kube.cluster.deployment('demo', name)).toMatchObject({ specReplicas: 1, resourceVersion: before, history: [] });
    expect(fixture.kube.cluster.patchCount('demo', name)).toBe(0);
  });

  it('still validates on a dry run', async () => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path: `${path}?dryRun=All`, body: '{"spec":{"replicas":-1}}' });

    // Assess
    expect(reply.status).toBe(422);
  });

  it('still authorizes a dry run', async () => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await fixture.call({
      method: 'PATCH',
      path: `${path.replace('/demo/', '/default/')}?dryRun=All`,
      body: '{"spec":{"replicas":2}}',
      contentType: 'application/merge-patch+json',
      token: await fixture.scalerToken(),
    });

    // Assess
    expect(reply.status).toBe(403);
  });

  it('answers an unsupported content type with the recorded 415', async () => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body: '{"spec":{"replicas":3}}', contentType: 'text/plain' });

    // Assess
    expect(reply.status).toBe(415);
    expect(reply.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"415: Unsupported Media Type","reason":"UnsupportedMediaType","details":{},"code":415}',
    );
  });

  it('answers negative replicas with the recorded 422', async () => {
    // Prepare
    const { name, path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body: '{"spec":{"replicas":-1}}' });

    // Assess
    expect(reply.status).toBe(422);
    expect(reply.text).toBe(
      `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Scale.autoscaling \\"${name}\\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"${name}","group":"autoscaling","kind":"Scale","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}`,
    );
  });

  it.each([
    { body: '{"spec":{"replicas":"three"}}', goError: 'cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32' },
    { body: '{"spec":{"replicas":2.5}}', goError: 'cannot unmarshal number 2.5 into Go struct field ScaleSpec.spec.replicas of type int32' },
  ])('answers undecodable replicas $body with a 422 naming the Go field', async ({ body, goError }) => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body });

    // Assess
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ reason: 'Invalid', message: expect.stringContaining(goError), details: { causes: [{ field: 'patch' }] } });
  });

  it('answers malformed JSON with the recorded 400', async () => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body: '{"spec":' });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"error decoding patch: unexpected end of JSON input","reason":"BadRequest","code":400}',
    );
  });

  it('answers a JSON Patch that does not apply with 422', async () => {
    // Prepare
    const { path } = newDeployment(1);

    // Act
    const reply = await asScaler({
      method: 'PATCH',
      path,
      body: '[{"op":"test","path":"/spec/replicas","value":9},{"op":"replace","path":"/spec/replicas","value":2}]',
      contentType: 'application/json-patch+json',
    });

    // Assess
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ reason: 'Invalid', details: { causes: [{ reason: 'UnexpectedServerResponse' }] } });
  });

  it.each([
    {
      method: 'GET',
      expected:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments/scale.apps \\"does-not-exist\\" not found","reason":"NotFound","details":{"name":"does-not-exist","group":"apps","kind":"deployments/scale"},"code":404}',
    },
    {
      method: 'PATCH',
      expected:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"does-not-exist\\" not found","reason":"NotFound","details":{"name":"does-not-exist","group":"apps","kind":"deployments"},"code":404}',
    },
  ])('answers $method on a missing deployment with the recorded 404', async ({ method, expected }) => {
    // Act
    const reply = await asScaler({
      method,
      path: '/apis/apps/v1/namespaces/demo/deployments/does-not-exist/scale',
      body: method === 'PATCH' ? '{"spec":{"replicas":3}}' : undefined,
    });

    // Assess
    expect(reply.status).toBe(404);
    expect(reply.text).toBe(expected);
  });

  it('answers a PUT with a stale resourceVersion with the recorded 409', async () => {
    // Prepare
    const { name, path, rv } = newDeployment(2);
    const stale = rv();
    await asScaler({ method: 'PATCH', path, body: '{"spec":{"replicas":4}}' });
    const body = JSON.stringify({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: 'demo', resourceVersion: stale }, spec: { replicas: 6 } });

    // Act
    const reply = await asScaler({ method: 'PUT', path, body, contentType: 'application/json' });

    // Assess
    expect(reply.status).toBe(409);
    expect(reply.text).toBe(
      `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \\"${name}\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"${name}","group":"apps","kind":"deployments"},"code":409}`,
    );
    expect(fixture.kube.cluster.deployment('demo', name).specReplicas).toBe(4);
  });

  it.each([
    { comment: 'the current resourceVersion', withVersion: true },
    { comment: 'no resourceVersion (unconditional)', withVersion: false },
  ])('accepts a PUT with $comment', async ({ withVersion }) => {
    // Prepare
    const { name, path, rv } = newDeployment(2);
    const before = rv();
    const metadata = { name, namespace: 'demo', ...(withVersion ? { resourceVersion: before } : {}) };

    // Act
    const reply = await asScaler({ method: 'PUT', path, body: JSON.stringify({ metadata, spec: { replicas: 7 } }), contentType: 'application/json' });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ spec: { replicas: 7 } });
    expect(Number(rv())).toBeGreaterThan(Number(before));
  });

  it('treats metadata.resourceVersion in a merge patch as a precondition', async () => {
    // Prepare
    const { path } = newDeployment(2);

    // Act
    const reply = await asScaler({ method: 'PATCH', path, body: '{"metadata":{"resourceVersion":"1"},"spec":{"replicas":3}}' });

    // Assess
    expect(reply.status).toBe(409);
  });

  it('rejects a PUT whose name differs from the URL', async () => {
    // Prepare
    const { path } = newDeployment(2);

    // Act
    const reply = await asScaler({ method: 'PUT', path, body: '{"metadata":{"name":"other"},"spec":{"replicas":3}}', contentType: 'application/json' });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ message: expect.stringContaining('does not match the name on the URL') });
  });
});

describe('Function: startKubeApi (deployments)', () => {
  it('returns the Deployment with spec and status', async () => {
    // Prepare
    const { name } = newDeployment(3);

    // Act
    const reply = await asScaler({ path: `/apis/apps/v1/namespaces/demo/deployments/${name}` });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name, namespace: 'demo', generation: 1 },
      spec: { replicas: 3, selector: { matchLabels: { app: name } } },
      status: { observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3 },
    });
  });

  it('answers a missing Deployment with 404 naming deployments.apps', async () => {
    // Act
    const reply = await fixture.call({ path: '/apis/apps/v1/namespaces/demo/deployments/ghost', token: ADMIN_TOKEN });

    // Assess
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ message: 'deployments.apps "ghost" not found', details: { kind: 'deployments' } });
  });
});
