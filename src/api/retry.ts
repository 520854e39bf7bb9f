/**
 * The retry policy for safe requests (GETs, and POSTs that carry an Idempotency-Key): which
 * failures are retried, how long to wait before each retry (once: the API's Retry-After or our
 * backoff), and when to give up. p-retry runs the loop.
 */
import pRetry from 'p-retry';
import { RunframeApiError } from './errors';

/** Retry policy for safe requests (GETs, and POSTs that carry an Idempotency-Key). All fields required; see DEFAULT_RETRY_POLICY. */
export interface RetryPolicy {
  /** Retries after the first attempt; default 3 */
  retries: number;
  /** Upper bound on the whole call including waits, in ms; default 20000 */
  maxRetryTimeMs: number;
  /** A Retry-After longer than this (s) is not waited for: the 429 is returned with its hint; default 10 */
  maxRetryAfterSeconds: number;
  /** Shortest first backoff in ms (doubles each retry, times a jitter of 1 to 2); default 250 */
  minDelayMs: number;
}

/** 3 retries within 20 s, Retry-After waited out up to 10 s, backoff from 250 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, maxRetryTimeMs: 20_000, maxRetryAfterSeconds: 10, minDelayMs: 250 };

/**
 * True for failures worth retrying on a safe request: a RunframeApiError of HTTP 429,
 * 500/502/503/504, or kind `network` (no connection, or one dropped). Timeouts are not retried.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof RunframeApiError)) return false;
  if (err.kind === 'network') return true;
  return err.kind === 'http' && [429, 500, 502, 503, 504].includes(err.status);
}

/** Waits `ms` milliseconds; rejects with the signal's reason if it aborts first. */
export type Delay = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The one timer a retry waits on; abortable, as p-retry's own wait was. */
const sleep: Delay = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * How long to wait before retry number `retry` (1 for the first), in ms, or undefined to give up.
 * A Retry-After (Runframe v1: 429 with `Retry-After`, s) is waited out as asked, unless it is longer
 * than maxRetryAfterSeconds or than what is left of maxRetryTimeMs. Without one: exponential
 * backoff, minDelayMs doubled per retry times a jitter of 1 to 2 (p-retry's `randomize`), cut to
 * what is left of the budget.
 * @param elapsedMs time since the first attempt started, in ms
 * @param random a number in [0, 1), for the jitter
 */
export function retryDelayMs(error: unknown, retry: number, elapsedMs: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  const remainingMs = policy.maxRetryTimeMs - elapsedMs;
  if (!isRetryable(error) || remainingMs <= 0) return undefined;
  const retryAfterMs = ((error as RunframeApiError).retryAfterSeconds ?? 0) * 1000;
  if (retryAfterMs > 0) {
    // Sooner would be refused again; too long, and the 429 goes back with its "retry after" hint.
    return retryAfterMs > policy.maxRetryAfterSeconds * 1000 || retryAfterMs > remainingMs ? undefined : retryAfterMs;
  }
  return Math.min(remainingMs, Math.round(policy.minDelayMs * 2 ** (retry - 1) * (1 + random())));
}

/** Test seams of withRetry; the defaults are real time. */
export interface RetryOptions {
  signal?: AbortSignal;
  /** The wait before a retry; default: an abortable setTimeout */
  delay?: Delay;
  /** A monotonic clock in ms; default performance.now */
  now?: () => number;
  /** Jitter source in [0, 1); default Math.random */
  random?: () => number;
}

/**
 * Runs `attempt`, then again after each retryable failure (isRetryable) while `policy` allows:
 * at most `retries` retries, each after ONE wait of retryDelayMs (the Retry-After, or the
 * backoff), all within maxRetryTimeMs. p-retry runs the loop (counting, abort between attempts)
 * with its own backoff off, so no retry waits twice.
 * @returns what the first successful attempt returns
 * @throws the last attempt's error; the signal's reason when it aborts during a wait
 */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
  const { signal, delay = sleep, now = () => performance.now(), random = Math.random } = options;
  if (policy.retries <= 0) return attempt();
  const started = now();
  const waitBefore = async (error: unknown, retry: number): Promise<boolean> => {
    const ms = signal?.aborted ? undefined : retryDelayMs(error, retry, now() - started, policy, random);
    if (ms === undefined) return false;
    await delay(ms, signal);
    return true;
  };
  // First attempt outside p-retry: the common, successful case pays nothing for it.
  try {
    return await attempt();
  } catch (err) {
    if (!(await waitBefore(err, 1))) throw err;
  }
  return pRetry(attempt, {
    retries: policy.retries - 1,
    // No delay of p-retry's own: waitBefore (called as shouldRetry) is the one wait before each retry.
    minTimeout: 0,
    signal,
    // p-retry counts from its own first attempt, which was our first retry.
    shouldRetry: ({ error, retriesConsumed }) => waitBefore(error, retriesConsumed + 2),
  });
}
