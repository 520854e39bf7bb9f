import assert from 'node:assert/strict';
import { RunframeApiError } from '../../src/api/errors';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from '../../src/api/retry';

const httpError = (status: number, retryAfterSeconds?: number) =>
  new RunframeApiError({ kind: 'http', status, code: `http_${status}`, apiMessage: 'x', hint: 'x', retryAfterSeconds, method: 'GET', path: '/teams' });

/** An attempt that fails with `errors`, one per call, then succeeds; counts its calls. */
function failing(errors: RunframeApiError[]) {
  const left = [...errors];
  const r = {
    calls: 0,
    attempt: async () => {
      r.calls++;
      const err = left.shift();
      if (err) throw err;
      return 'ok';
    },
  };
  return r;
}

const realSetTimeout = globalThis.setTimeout;

/**
 * Runs `fn` with every setTimeout recorded (its delay in ms) and fired at once; with `keep`, fired
 * after its delay instead, unref'd so that a wait the code fails to end cannot hold the test run open.
 */
async function recordingTimers<T>(fn: () => Promise<T>, keep = false): Promise<{ result: T; timers: number[] }> {
  const timers: number[] = [];
  globalThis.setTimeout = ((cb: () => void, ms?: number) => {
    timers.push(ms ?? 0);
    return keep ? realSetTimeout(cb, ms).unref() : realSetTimeout(cb, 0);
  }) as typeof setTimeout;
  try {
    return { result: await fn(), timers };
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
}

describe('retry policy: one wait before each retry', () => {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, minDelayMs: 100 };
  const noJitter = () => 0;
  // A test that times out never reaches recordingTimers' finally.
  afterEach(() => void (globalThis.setTimeout = realSetTimeout));

  it('waits exactly once per retry, p-retry included: one timer each, nothing else sleeps', async () => {
    const r = failing([httpError(503), httpError(429, 2), httpError(502)]);
    const { result, timers } = await recordingTimers(() => withRetry(r.attempt, policy, { random: noJitter }));
    assert.equal(result, 'ok');
    assert.equal(r.calls, 4);
    // Backoff 100, then the Retry-After (2 s) instead of the backoff, then backoff 400.
    assert.deepEqual(timers, [100, 2000, 400]);
  });

  it('backs off exponentially with a jitter of 1 to 2, and waits out Retry-After as asked', async () => {
    const waits: number[] = [];
    const delay = async (ms: number) => void waits.push(ms);
    const r = failing([httpError(500), httpError(503), httpError(503, 3)]);
    assert.equal(await withRetry(r.attempt, policy, { delay, random: () => 0.5 }), 'ok');
    assert.deepEqual(waits, [150, 300, 3000]);
  });

  it('gives up without waiting on a Retry-After beyond maxRetryAfterSeconds or the time left, and on a 4xx', async () => {
    for (const [err, p] of [
      [httpError(429, 120), policy],
      [httpError(429, 2), { ...policy, maxRetryTimeMs: 1500 }],
      [httpError(404), policy],
    ] as const) {
      const waits: number[] = [];
      const r = failing([err]);
      await assert.rejects(withRetry(r.attempt, p, { delay: async (ms) => void waits.push(ms) }), (e) => e === err);
      assert.deepEqual([r.calls, waits], [1, []]);
    }
  });

  it('stays within maxRetryTimeMs: the last backoff is cut to the time left, then it gives up', async () => {
    let t = 0;
    const waits: number[] = [];
    const delay = async (ms: number) => {
      waits.push(ms);
      t += ms;
    };
    const r = failing(Array.from({ length: 6 }, () => httpError(503)));
    await assert.rejects(withRetry(r.attempt, { ...policy, retries: 5, minDelayMs: 400, maxRetryTimeMs: 1000 }, { delay, now: () => t, random: noJitter }));
    assert.deepEqual(waits, [400, 600]);
    assert.equal(r.calls, 3);
  });

  it('an abort during the wait ends it with the signal\'s reason, without another attempt', async function () {
    this.timeout(5000); // the wait asked for is an hour: only the abort can end it
    const controller = new AbortController();
    const r = failing([httpError(503)]);
    const attempt = () => {
      setImmediate(() => controller.abort(new Error('cancelled by the caller')));
      return r.attempt();
    };
    const hourly = { ...policy, minDelayMs: 3_600_000, maxRetryTimeMs: 10_000_000 };
    const { timers } = await recordingTimers(() => assert.rejects(withRetry(attempt, hourly, { signal: controller.signal, random: noJitter }), /cancelled by the caller/), true);
    assert.deepEqual(timers, [3_600_000]);
    assert.equal(r.calls, 1);
  });
});
