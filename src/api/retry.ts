/**
 * The retry policy for safe requests (GETs, and POSTs that carry an Idempotency-Key): which
 * failures are retried, how long to wait, and when to give up. p-retry runs the loop.
 */
import pRetry from 'p-retry';
import { RunframeApiError } from './errors';

/** Retry policy for safe requests (GETs, and POSTs that carry an Idempotency-Key). */
export interface RetryPolicy {
  /** Retries after the first attempt; default 3 */
  retries: number;
  /** Upper bound on the whole call including waits, in ms; default 20000 */
  maxRetryTimeMs: number;
  /** A Retry-After longer than this (s) is not waited for: the 429 is returned with its hint; default 10 */
  maxRetryAfterSeconds: number;
  /** First backoff delay in ms (doubles each retry); default 250 */
  minDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, maxRetryTimeMs: 20_000, maxRetryAfterSeconds: 10, minDelayMs: 250 };

/** True for failures worth retrying on a safe request: 429, 500/502/503/504, or no connection. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof RunframeApiError)) return false;
  if (err.kind === 'network') return true;
  return err.kind === 'http' && [429, 500, 502, 503, 504].includes(err.status);
}

/** Retryable, within budget; waits out the error's Retry-After first (at most maxRetryAfterSeconds). */
async function shouldRetry(error: unknown, policy: RetryPolicy, started: number, signal?: AbortSignal): Promise<boolean> {
  if (!isRetryable(error) || signal?.aborted) return false;
  const wait = ((error as RunframeApiError).retryAfterSeconds ?? 0) * 1000;
  if (wait > policy.maxRetryAfterSeconds * 1000 || Date.now() - started + wait > policy.maxRetryTimeMs) return false;
  // Without a Retry-After, back off briefly before the first retry (pRetry spaces the later ones).
  await new Promise((r) => setTimeout(r, wait > 0 ? wait : policy.minDelayMs));
  return true;
}

/** Runs `attempt`, and again on retryable failures, as `policy` allows. */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  if (policy.retries <= 0) return attempt();
  const started = Date.now();
  // First attempt outside the retry machinery: the common, successful case pays nothing for it.
  try {
    return await attempt();
  } catch (err) {
    if (!(await shouldRetry(err, policy, started, signal))) throw err;
  }
  return pRetry(attempt, {
    retries: policy.retries - 1,
    minTimeout: policy.minDelayMs,
    factor: 2,
    randomize: true,
    maxRetryTime: Math.max(0, policy.maxRetryTimeMs - (Date.now() - started)),
    signal,
    shouldRetry: ({ error }) => shouldRetry(error, policy, started, signal),
  });
}
