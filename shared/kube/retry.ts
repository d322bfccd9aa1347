/**
 * Retries for Kubernetes calls: exponential backoff with full jitter (delay drawn uniformly from
 * [0, base·2^n), capped), so many Lambdas hitting one busy API server do not retry in step.
 * Only errors a `KubeApiError` marks `retryable` are retried (409, 429, 5xx, no response).
 * Sleep and randomness are injected: tests never wait.
 */
import { KubeApiError } from './errors.js';

interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  /** No single wait is longer; a `Retry-After` above it ends the retries instead of being shortened. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), like `Math.random`. */
  readonly random: () => number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 3 attempts, 200 ms base: at most ~0.6 s of waiting, well inside a one-minute tick. */
const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  sleep: realSleep,
  random: Math.random,
};

/** The wait before attempt `attempt + 1` (attempt counts from 1), or `undefined` to stop retrying. */
const delayAfter = (error: unknown, attempt: number, policy: RetryPolicy): number | undefined => {
  if (!(error instanceof KubeApiError) || !error.retryable || attempt >= policy.attempts) return undefined;
  if (error.retryAfterMs !== undefined) {
    // The server said when; waiting less is pointless and waiting longer than our budget is not ours to do.
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
};

/** A function, not a property test: TypeScript would keep `aborted` narrowed across an await. */
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or attempts run out; or until
 * `signal` aborts, after which the last error is the answer (no attempt starts on a spent budget).
 */
const withRetry = async <T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY, signal?: AbortSignal): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delay = delayAfter(error, attempt, policy);
      if (delay === undefined || isAborted(signal)) throw error;
      await policy.sleep(delay);
      if (isAborted(signal)) throw error;
    }
  }
};

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * `now` is injected for the date form.
 */
const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

export { DEFAULT_RETRY_POLICY, isAborted, parseRetryAfter, withRetry };
export type { RetryPolicy };
