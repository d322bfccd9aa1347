/**
 * The per-request timeout, against a server that accepts the request and never answers. This waits
 * for real (the timeout is the behaviour under test), so it keeps the timeout at 100 ms.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { KubeConnectionError } from '../../../shared/kube/errors.js';
import { createKubeAgent } from '../../../shared/kube/transport.js';
import { deploymentRef, scaleClientWithoutDiscovery } from '../../helpers/kube.js';
import { startHttpsStub, type HttpsStub } from '../../unit/kube/httpsStub.js';

let stub: HttpsStub;
beforeAll(async () => {
  stub = await startHttpsStub();
  stub.fallback(() => ({ status: 200, hang: true }));
});
afterAll(async () => stub.close());

it('gives up on a request after timeoutMs and retries it as a timeout', async () => {
  // Prepare
  const agent = createKubeAgent(stub.caPem);
  const sleeps: number[] = [];
  const client = scaleClientWithoutDiscovery({
    endpoint: stub.url,
    agent,
    tokens: staticTokenSource('fixed'),
    timeoutMs: 100,
    retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
  });
  try {
    // Act
    const error = await client.getScale('demo', deploymentRef('worker')).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error).toMatchObject({ reason: 'Timeout', retryable: true });
    expect((error as Error).message).toBe(`get deployments/scale of deployment demo/worker: no response from ${stub.url} within 100 ms`);
    expect(stub.requests).toHaveLength(2);
    expect(sleeps).toEqual([100]);
  } finally {
    await agent.close();
  }
});
