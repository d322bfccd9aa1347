import { describe, expect, it } from 'vitest';
import { KubeApiError, KubeNotFoundError } from '../../../shared/kube/errors.js';
import { parseRetryAfter, withRetry, type RetryPolicy } from '../../../shared/kube/retry.js';

const retryable = (retryAfterMs?: number) =>
  new KubeApiError('busy', { status: 503, reason: 'ServiceUnavailable', retryable: true, retryAfterMs });

/** A policy that records waits instead of waiting; `random` returns the given values in turn. */
const recordingPolicy = (randoms: number[] = [0.5], overrides: Partial<RetryPolicy> = {}) => {
  const sleeps: number[] = [];
  let i = 0;
  const policy: RetryPolicy = {
    attempts: 3,
    baseDelayMs: 200,
    maxDelayMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => randoms[Math.min(i++, randoms.length - 1)] ?? 0,
    ...overrides,
  };
  return { policy, sleeps };
};

/** An operation that fails with `errors` in turn, then returns 'ok'. */
const failing = (...errors: Error[]) => {
  let calls = 0;
  return {
    run: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'ok';
    },
    get calls() {
      return calls;
    },
  };
};

describe('Function: withRetry', () => {
  it('backs off exponentially with full jitter: random × base × 2^(attempt-1)', async () => {
    // Prepare
    const { policy, sleeps } = recordingPolicy([0.5, 0.25]);
    const op = failing(retryable(), retryable());
    // Act
    const result = await withRetry(op.run, policy);
    // Assess
    expect(result).toBe('ok');
    expect(sleeps).toEqual([100, 100]); // 0.5 × 200, 0.25 × 400
  });

  it('gives up after the configured attempts and throws the last error', async () => {
    const { policy, sleeps } = recordingPolicy();
    const last = retryable();
    const op = failing(retryable(), retryable(), last);
    await expect(withRetry(op.run, policy)).rejects.toBe(last);
    expect(op.calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([
    { comment: 'a non-retryable KubeApiError', error: new KubeNotFoundError('deployment demo/x not found') },
    { comment: 'an error that is not a KubeApiError', error: new TypeError('bug') },
  ])('does not retry $comment', async ({ error }) => {
    const { policy, sleeps } = recordingPolicy();
    const op = failing(error);
    await expect(withRetry(op.run, policy)).rejects.toBe(error);
    expect(op.calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits what Retry-After asks instead of the backoff', async () => {
    const { policy, sleeps } = recordingPolicy();
    await withRetry(failing(retryable(2_000)).run, policy);
    expect(sleeps).toEqual([2_000]);
  });

  it('gives up when Retry-After asks for longer than the longest wait it may take', async () => {
    const { policy, sleeps } = recordingPolicy();
    const error = retryable(30_000);
    await expect(withRetry(failing(error).run, policy)).rejects.toBe(error);
    expect(sleeps).toEqual([]);
  });

  it('caps each backoff at maxDelayMs', async () => {
    const { policy, sleeps } = recordingPolicy([0.999], { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_500 });
    await withRetry(failing(retryable(), retryable(), retryable(), retryable()).run, policy);
    expect(Math.max(...sleeps)).toBeLessThan(1_500);
  });
});

describe('Function: parseRetryAfter', () => {
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  it.each([
    { comment: 'delta-seconds', value: '3', expected: 3_000 },
    { comment: 'an HTTP date', value: 'Mon, 23 Nov 2026 10:00:05 GMT', expected: 5_000 },
    { comment: 'a date in the past', value: 'Mon, 23 Nov 2026 09:00:00 GMT', expected: 0 },
    { comment: 'absent', value: undefined, expected: undefined },
    { comment: 'garbage', value: 'soon', expected: undefined },
  ])('reads $comment', ({ value, expected }) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
