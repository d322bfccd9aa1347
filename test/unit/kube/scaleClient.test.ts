/**
 * The scale client over real HTTPS to a scripted loopback server: what goes on the wire, how each
 * answer maps to a result or an error, retries (sleep injected, never waited), TLS verification.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BearerToken, staticTokenSource, type BearerTokenSource } from '../../../shared/kube/bearerToken.js';
import {
  KubeApiError,
  KubeConnectionError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeResponseError,
  KubeUnauthorizedError,
} from '../../../shared/kube/errors.js';
import type { RetryPolicy } from '../../../shared/kube/retry.js';
import { createKubeAgent, createScaleClient } from '../../../shared/kube/scaleClient.js';
import { makeCa, startHttpsStub, type HttpsStub } from './httpsStub.js';

const scale = (spec: number | undefined, status = 0) => ({
  kind: 'Scale',
  apiVersion: 'autoscaling/v1',
  metadata: { name: 'worker', namespace: 'demo', resourceVersion: '198' },
  spec: spec === undefined ? {} : { replicas: spec },
  status: { replicas: status, selector: 'app=worker' },
});
const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
const pod = (phase: string, ready: boolean) => ({
  metadata: { name: 'p' },
  status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

/** Tokens `k8s-aws-v1.secret-1`, `-2`, …: a new one after each invalidate(). */
const countingTokens = () => {
  let minted = 1;
  let invalidations = 0;
  const source: BearerTokenSource = {
    getToken: async () => new BearerToken(`k8s-aws-v1.secret-${minted}`, { origin: 'test', expiresAt: undefined }),
    invalidate: () => {
      invalidations++;
      minted++;
      return true;
    },
  };
  return {
    source,
    get invalidations() {
      return invalidations;
    },
  };
};

const recordingRetry = () => {
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    attempts: 3,
    baseDelayMs: 200,
    maxDelayMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
  return { policy, sleeps };
};

let stub: HttpsStub;
let agent: ReturnType<typeof createKubeAgent>;

beforeAll(async () => {
  stub = await startHttpsStub();
  agent = createKubeAgent(stub.caPem);
});
afterAll(async () => {
  await agent.close();
  await stub.close();
});
beforeEach(() => stub.reset());

const client = (tokens: BearerTokenSource = countingTokens().source, retry = recordingRetry().policy) =>
  createScaleClient({ endpoint: stub.url, agent, tokens, retry });

describe('Function: createScaleClient (requests)', () => {
  it('GETs the scale subresource with the bearer token and reads replicas and selector', async () => {
    // Prepare
    stub.queue({ status: 200, body: scale(3, 2) });
    // Act
    const result = await client().getScale('demo', 'worker');
    // Assess
    expect(result).toEqual({ specReplicas: 3, statusReplicas: 2, selector: 'app=worker' });
    const [request] = stub.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/apis/apps/v1/namespaces/demo/deployments/worker/scale');
    expect(request?.headers.authorization).toBe('Bearer k8s-aws-v1.secret-1');
    expect(request?.headers.accept).toBe('application/json');
  });

  it('reads a Scale without spec.replicas as 0 replicas', async () => {
    stub.queue({ status: 200, body: scale(undefined) });
    expect((await client().getScale('demo', 'worker')).specReplicas).toBe(0);
  });

  it('PATCHes only replicas, as a JSON merge patch', async () => {
    stub.queue({ status: 200, body: scale(5) });
    const result = await client().patchScale('demo', 'worker', 5);
    expect(result.specReplicas).toBe(5);
    const [request] = stub.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.path).toBe('/apis/apps/v1/namespaces/demo/deployments/worker/scale');
    expect(request?.headers['content-type']).toBe('application/merge-patch+json');
    expect(request?.body).toBe('{"spec":{"replicas":5}}');
  });

  it('adds ?dryRun=All for a dry run', async () => {
    stub.queue({ status: 200, body: scale(5) });
    await client().patchScale('demo', 'worker', 5, { dryRun: true });
    expect(stub.requests[0]?.path).toBe('/apis/apps/v1/namespaces/demo/deployments/worker/scale?dryRun=All');
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 31])('refuses to send replicas %s', async (replicas) => {
    await expect(client().patchScale('demo', 'worker', replicas)).rejects.toThrow('must be a whole number from 0 to 2147483647');
    expect(stub.requests).toHaveLength(0);
  });

  it('counts Running pods with Ready=True across pages, selecting by label', async () => {
    // Prepare: two pages; only the Running+Ready pods count.
    stub.queue(
      { status: 200, body: { kind: 'PodList', metadata: { continue: 'page2' }, items: [pod('Running', true), pod('Running', false), pod('Pending', false)] } },
      { status: 200, body: { kind: 'PodList', metadata: { continue: '' }, items: [pod('Running', true), pod('Succeeded', true)] } },
    );
    // Act
    const ready = await client().countReadyPods('demo', 'app=worker,tier in (a,b)');
    // Assess
    expect(ready).toBe(2);
    const [first, second] = stub.requests.map((r) => new URL(r.path, stub.url));
    expect(first?.pathname).toBe('/api/v1/namespaces/demo/pods');
    expect(first?.searchParams.get('labelSelector')).toBe('app=worker,tier in (a,b)');
    expect(first?.searchParams.get('continue')).toBeNull();
    expect(second?.searchParams.get('continue')).toBe('page2');
  });

  it('refuses an empty selector rather than count every pod in the namespace', async () => {
    await expect(client().countReadyPods('demo', ' ')).rejects.toThrow('is empty');
    expect(stub.requests).toHaveLength(0);
  });

  it('fails naming the field when the body is not a Scale', async () => {
    stub.queue({ status: 200, body: { kind: 'Scale', spec: { replicas: 'three' }, status: { replicas: 0 } } });
    const error = await client().getScale('demo', 'worker').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeResponseError);
    expect((error as Error).message).toContain('spec.replicas');
  });
});

describe('Function: createScaleClient (401: one re-mint)', () => {
  it('invalidates the token and succeeds with a fresh one', async () => {
    // Prepare
    const tokens = countingTokens();
    stub.queue({ status: 401, body: status(401, 'Unauthorized', 'Unauthorized') }, { status: 200, body: scale(3) });
    // Act
    const result = await client(tokens.source).getScale('demo', 'worker');
    // Assess
    expect(result.specReplicas).toBe(3);
    expect(tokens.invalidations).toBe(1);
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual(['Bearer k8s-aws-v1.secret-1', 'Bearer k8s-aws-v1.secret-2']);
  });

  it('fails with KubeUnauthorizedError when the fresh token is refused too, without backoff retries', async () => {
    const tokens = countingTokens();
    const retry = recordingRetry();
    stub.fallback(() => ({ status: 401, body: status(401, 'Unauthorized', 'Unauthorized') }));
    const error = await client(tokens.source, retry.policy).getScale('demo', 'worker').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeUnauthorizedError);
    expect(stub.requests).toHaveLength(2);
    expect(retry.sleeps).toEqual([]);
  });

  it('does not resend a fixed token that cannot be refreshed', async () => {
    stub.fallback(() => ({ status: 401, body: status(401, 'Unauthorized', 'Unauthorized') }));
    await expect(client(staticTokenSource('fixed')).getScale('demo', 'worker')).rejects.toBeInstanceOf(KubeUnauthorizedError);
    expect(stub.requests).toHaveLength(1);
  });
});

describe('Function: createScaleClient (errors and retries)', () => {
  it('maps 403 to KubeForbiddenError naming the verb, resource and namespace RBAC refused', async () => {
    stub.queue({
      status: 403,
      body: status(403, 'Forbidden', 'deployments.apps "worker" is forbidden: User "scaler" cannot patch resource "deployments/scale" in API group "apps" in the namespace "demo"'),
    });
    const error = await client().patchScale('demo', 'worker', 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeForbiddenError);
    expect((error as Error).message).toContain('RBAC does not allow "patch" on "deployments/scale" in API group "apps" in namespace "demo"');
    expect(stub.requests).toHaveLength(1);
  });

  it('maps 404 to KubeNotFoundError naming the deployment', async () => {
    stub.queue({ status: 404, body: status(404, 'NotFound', 'deployments/scale.apps "ghost" not found') });
    const error = await client().getScale('demo', 'ghost').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeNotFoundError);
    expect((error as Error).message).toContain('deployment demo/ghost not found');
  });

  it.each([
    { comment: '409 Conflict', status: 409, reason: 'Conflict' },
    { comment: '500 InternalError', status: 500, reason: 'InternalError' },
    { comment: '503 ServiceUnavailable', status: 503, reason: 'ServiceUnavailable' },
  ])('retries $comment with backoff, then succeeds', async ({ status: code, reason }) => {
    const retry = recordingRetry();
    stub.queue({ status: code, body: status(code, reason, 'try again') }, { status: 200, body: scale(4) });
    const result = await client(countingTokens().source, retry.policy).patchScale('demo', 'worker', 4);
    expect(result.specReplicas).toBe(4);
    expect(stub.requests).toHaveLength(2);
    expect(retry.sleeps).toEqual([100]); // 0.5 × 200 ms
  });

  it('waits what Retry-After says on 429', async () => {
    const retry = recordingRetry();
    stub.queue({ status: 429, body: status(429, 'TooManyRequests', 'Too many requests'), headers: { 'retry-after': '2' } }, { status: 200, body: scale(1) });
    await client(countingTokens().source, retry.policy).getScale('demo', 'worker');
    expect(retry.sleeps).toEqual([2_000]);
  });

  it('gives up after 3 attempts with a retryable KubeApiError', async () => {
    const retry = recordingRetry();
    stub.fallback(() => ({ status: 503, body: status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request') }));
    const error = await client(countingTokens().source, retry.policy).getScale('demo', 'worker').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 503, reason: 'ServiceUnavailable', retryable: true });
    expect(stub.requests).toHaveLength(3);
    expect(retry.sleeps).toEqual([100, 200]);
  });

  it('does not retry 422 and reports the Status message', async () => {
    stub.queue({ status: 422, body: status(422, 'Invalid', 'Scale.autoscaling "worker" is invalid: spec.replicas: Invalid value') });
    const error = await client().patchScale('demo', 'worker', 3).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, retryable: false });
    expect((error as Error).message).toContain('spec.replicas: Invalid value');
    expect(stub.requests).toHaveLength(1);
  });

  it('never puts the token in an error message', async () => {
    // Prepare: one failure of each kind the client can raise.
    const tokens = countingTokens();
    const replies = [401, 401, 403, 404, 409, 409, 409, 422, 500, 500, 500];
    stub.queue(...replies.map((code) => ({ status: code, body: status(code, 'X', 'message') })));
    const c = client(tokens.source);
    const failure = (promise: Promise<unknown>): Promise<Error> => promise.then(() => new Error('expected a failure'), (e: Error) => e);
    const errors = [
      await failure(c.getScale('demo', 'worker')),
      await failure(c.getScale('demo', 'worker')),
      await failure(c.getScale('demo', 'worker')),
      await failure(c.patchScale('demo', 'worker', 1)),
      await failure(c.patchScale('demo', 'worker', 1)),
      await failure(c.countReadyPods('demo', 'app=worker')),
    ];
    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(KubeApiError);
      expect(`${error.message} ${String(error.cause ?? '')}`).not.toContain('secret-');
    }
  });
});

describe('Function: createScaleClient (TLS and connections)', () => {
  it('refuses a server whose certificate another CA signed, without retrying', async () => {
    // Prepare: an agent that trusts a different CA.
    const other = createKubeAgent((await makeCa()).caPem);
    const retry = recordingRetry();
    stub.queue({ status: 200, body: scale(1) });
    try {
      // Act
      const error = await createScaleClient({ endpoint: stub.url, agent: other, tokens: countingTokens().source, retry: retry.policy })
        .getScale('demo', 'worker')
        .catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(KubeConnectionError);
      expect(error).toMatchObject({ reason: 'TLSVerificationFailed', retryable: false, status: undefined });
      expect((error as Error).message).toContain('does not verify against the cluster CA');
      expect(stub.requests).toHaveLength(0);
      expect(retry.sleeps).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('retries a refused connection, then reports it', async () => {
    // Prepare: a port nobody listens on (the stub's, after a second stub is closed).
    const gone = await startHttpsStub();
    await gone.close();
    const goneAgent = createKubeAgent(gone.caPem);
    const retry = recordingRetry();
    try {
      const error = await createScaleClient({ endpoint: gone.url, agent: goneAgent, tokens: countingTokens().source, retry: retry.policy })
        .getScale('demo', 'worker')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeConnectionError);
      expect(error).toMatchObject({ reason: 'ConnectionError', retryable: true });
      expect((error as Error).message).toContain(`no response from ${gone.url} (ECONNREFUSED)`);
      expect(retry.sleeps).toHaveLength(2);
    } finally {
      await goneAgent.close();
    }
  });
});

describe('Function: createScaleClient (budgets)', () => {
  it('ends a call in flight when its signal aborts, with the reason and without retrying', async () => {
    // Prepare: the server holds the request; the caller's budget runs out once it has arrived.
    const retry = recordingRetry();
    const budget = new AbortController();
    stub.fallback(() => (setImmediate(() => budget.abort(new Error('the tick has 0 ms left'))), { status: 200, hang: true }));

    // Act
    const error = await client(countingTokens().source, retry.policy).patchScale('demo', 'worker', 3, { signal: budget.signal }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(error).toMatchObject({ reason: 'Aborted', retryable: false });
    expect((error as Error).message).toBe(`patch deployments/scale of deployment demo/worker: abandoned before ${stub.url} answered: the tick has 0 ms left`);
    expect(stub.requests).toHaveLength(1);
    expect(retry.sleeps).toEqual([]);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const error = await client().getScale('demo', 'worker', { signal: AbortSignal.abort(new Error('no time left')) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'Aborted', retryable: false });
    expect(stub.requests).toHaveLength(0);
  });

  it('stops retrying once the signal aborts during a backoff', async () => {
    // Prepare: 503s; the budget runs out while the client waits to retry.
    const budget = new AbortController();
    const policy: RetryPolicy = { ...recordingRetry().policy, sleep: async () => budget.abort(new Error('out of time')) };
    stub.fallback(() => ({ status: 503, body: status(503, 'ServiceUnavailable', 'busy') }));

    // Act
    const error = await client(countingTokens().source, policy).getScale('demo', 'worker', { signal: budget.signal }).catch((e: unknown) => e);

    // Assess: the 503 is what the caller learns, after one request.
    expect(error).toMatchObject({ status: 503, reason: 'ServiceUnavailable' });
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses a response body over the size limit, naming the limit, without retrying', async () => {
    // Prepare
    const retry = recordingRetry();
    stub.queue({ status: 200, body: { ...scale(1), padding: 'x'.repeat(4_096) } });

    // Act
    const error = await createScaleClient({ endpoint: stub.url, agent, tokens: countingTokens().source, retry: retry.policy, maxBodyBytes: 1_024 })
      .getScale('demo', 'worker')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(KubeResponseError);
    expect((error as Error).message).toBe('get deployments/scale of deployment demo/worker: response body over 1024 bytes (HTTP 200): refused');
    expect(retry.sleeps).toEqual([]);
  });
});
