/**
 * A readiness check that cannot turn probes into a flood of API calls: at most one check in
 * flight, and its answer reused for `ttlMs` after it settles.
 */

/**
 * Wraps `check` (resolves true when ready; a rejection counts as not ready).
 * @param ttlMs how long an answer is reused, in ms (default 5000)
 * @param now clock in ms (tests)
 */
export function cachedReadiness(check: () => Promise<boolean>, ttlMs = 5000, now: () => number = Date.now): () => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  let last: { at: number; ok: boolean } | undefined;
  return () => {
    if (last && now() - last.at <= ttlMs) return Promise.resolve(last.ok);
    inFlight ??= check()
      .catch(() => false)
      .then((ok) => {
        last = { at: now(), ok };
        inFlight = undefined;
        return ok;
      });
    return inFlight;
  };
}
