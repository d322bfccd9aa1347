/**
 * The per-request timeout, against a server that accepts the request and never answers. The timer
 * is injected and fires once the server holds the request: a real 100 ms timer would race the TLS
 * handshake on a busy machine.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { KubeConnectionError } from '../../../shared/kube/errors.js';
import { createKubeAgent, createScaleClient } from '../../../shared/kube/scaleClient.js';
import { startHttpsStub, type HttpsStub } from '../../unit/kube/httpsStub.js';

/** Timers that fire only when told to, as AbortSignal.timeout does when its time is up. */
const manualTimers = () => {
  const armed: { ms: number; controller: AbortController }[] = [];
  return {
    armed,
    timeoutSignal: (ms: number): AbortSignal => {
      const controller = new AbortController();
      armed.push({ ms, controller });
      return controller.signal;
    },
    fireLatest: () => armed.at(-1)?.controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
  };
};

let stub: HttpsStub;
beforeAll(async () => {
  stub = await startHttpsStub();
});
afterAll(async () => stub.close());

it('gives up on a request after timeoutMs and retries it as a timeout', async () => {
  // Prepare
  const agent = createKubeAgent(stub.caPem);
  const timers = manualTimers();
  // The server holds each request; its arrival is when the request's timer runs out.
  stub.fallback(() => (setImmediate(timers.fireLatest), { status: 200, hang: true }));
  const sleeps: number[] = [];
  const client = createScaleClient({
    endpoint: stub.url,
    agent,
    tokens: staticTokenSource('fixed'),
    timeoutMs: 100,
    timeoutSignal: timers.timeoutSignal,
    retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
  });
  try {
    // Act
    const error = await client.getScale('demo', 'worker').catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error).toMatchObject({ reason: 'Timeout', retryable: true });
    expect((error as Error).message).toBe(`get deployments/scale of deployment demo/worker: no response from ${stub.url} within 100 ms`);
    expect(stub.requests).toHaveLength(2);
    expect(timers.armed.map((t) => t.ms)).toEqual([100, 100]);
    expect(sleeps).toEqual([100]);
  } finally {
    await agent.close();
  }
});
