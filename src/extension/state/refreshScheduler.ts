/**
 * When the sidebar, status bar and notifications refresh: on an interval, slower while the window
 * is unfocused, at once when the window regains focus after a while, with exponential backoff
 * after failures. Never two refreshes at a time: a request during a refresh is folded into one
 * follow-up. While focused, cheap checks for new incidents ("anything created after the newest I
 * know?") fill the gaps between full refreshes, as many as a request budget per minute leaves
 * after the full refresh's own requests, evenly spaced; a check that finds something refreshes
 * at once. Pure (no `vscode`); the clock is injected so tests drive it with fake timers.
 */

/** The timer functions the scheduler uses (node's globals, or @sinonjs/fake-timers in tests). */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** All durations in ms. */
export interface RefreshPolicy {
  /** Between refreshes while the window has focus */
  intervalMs: number;
  /** Between refreshes while it does not */
  unfocusedIntervalMs: number;
  /** Regaining focus refreshes at once when the last refresh finished at least this long ago */
  focusStaleMs: number;
  /** Longest wait after failures; the wait doubles per consecutive failure from the interval */
  backoffMaxMs: number;
  /**
   * API requests a minute, full refreshes and checks together, while focused and healthy; the
   * requests left after each full refresh become checks between it and the next. 0 or absent: no checks.
   */
  requestsPerMinute?: number;
}

/**
 * What the scheduler asks for: `now` (someone asked, or focus came back: load everything),
 * `scheduled` (the interval is up: the refresh may skip what cannot have changed) or `check`
 * (one cheap request: is there anything new?).
 */
export type RefreshKind = 'now' | 'scheduled' | 'check';

/** What a refresh reports. A bare boolean is `{ ok }`. */
export interface RefreshOutcome {
  ok: boolean;
  /** API requests it sent (a full refresh; default 1) */
  requests?: number;
  /** A check found something new: a full refresh follows at once */
  found?: boolean;
}

/**
 * The moments (ms after a full refresh finished) at which checks run before the next full
 * refresh: `budget` requests a minute, minus those the full refresh used, evenly spaced.
 * E.g. 60 s interval, 4 a minute, full refresh of 1 request: [15 s, 30 s, 45 s].
 */
export function checkTimes(intervalMs: number, requestsPerMinute: number, fullRequests: number): number[] {
  const perInterval = Math.floor((requestsPerMinute * intervalMs) / 60_000 + 1e-9);
  const n = Math.max(0, perInterval - Math.max(1, fullRequests));
  return Array.from({ length: n }, (_, k) => Math.round(((k + 1) * intervalMs) / (n + 1)));
}

export interface SchedulerState {
  running: boolean;
  /** ms since epoch of the last refresh that succeeded */
  lastSuccessAt?: number;
  /** Failures since the last success */
  consecutiveFailures: number;
  /** ms since epoch when the next scheduled refresh runs; undefined when stopped */
  nextDueAt?: number;
}

/** The interval in ms at which `policy` refreshes after `failures` consecutive failures. */
export function delayAfter(policy: RefreshPolicy, focused: boolean, failures: number): number {
  const base = focused ? policy.intervalMs : Math.max(policy.intervalMs, policy.unfocusedIntervalMs);
  if (failures <= 0) return base;
  // 2x, 4x, 8x ... the interval, never past the cap (but never faster than the interval either).
  return Math.max(base, Math.min(policy.backoffMaxMs, policy.intervalMs * 2 ** failures));
}

/**
 * The policy for the interval settings, in seconds: at least 10 s focused, never faster unfocused
 * than focused, back to the data at once on focus after min(interval, 30 s), backoff up to 10
 * minutes (or the interval, when that is longer).
 */
export function refreshPolicyFor(intervalSeconds: number, unfocusedIntervalSeconds: number, requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE): RefreshPolicy {
  const interval = Math.max(10, intervalSeconds) * 1000;
  const unfocused = Math.max(interval, unfocusedIntervalSeconds * 1000);
  return { intervalMs: interval, unfocusedIntervalMs: unfocused, focusStaleMs: Math.min(interval, 30_000), backoffMaxMs: Math.max(interval, 10 * 60_000), requestsPerMinute };
}

/**
 * Requests a minute while focused (issue #17: a new SEV0/SEV1 announced within 15 s, at most 4
 * requests a minute): with the 60 s interval, one full refresh and three checks 15 s apart.
 */
export const DEFAULT_REQUESTS_PER_MINUTE = 4;

const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Runs `refresh` on the policy's schedule. `refresh` resolves true on success and false (or
 * rejects) on failure; failures grow the wait, a success resets it.
 */
export class RefreshScheduler {
  #policy: RefreshPolicy;
  /** Checks still to run before the next full refresh, as ms since epoch */
  #checksDue: number[] = [];
  #checkTimer: unknown;
  #checking = false;
  #focused = true;
  #started = false;
  #timer: unknown;
  #inFlight: Promise<void> | null = null;
  #followUp: Promise<void> | null = null;
  #lastFinishedAt?: number;
  #state: SchedulerState = { running: false, consecutiveFailures: 0 };
  readonly #listeners = new Set<(state: SchedulerState) => void>();

  constructor(
    private readonly refresh: (kind: RefreshKind) => Promise<boolean | RefreshOutcome>,
    policy: RefreshPolicy,
    private readonly clock: SchedulerClock = systemClock,
  ) {
    this.#policy = policy;
  }

  get state(): Readonly<SchedulerState> {
    return this.#state;
  }

  get focused(): boolean {
    return this.#focused;
  }

  /** Subscribes to state changes; returns an unsubscribe handle. */
  onDidChange(listener: (state: SchedulerState) => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Starts the schedule with a refresh now (or, when one is already running, after it). */
  start(): Promise<void> {
    this.#started = true;
    return this.#inFlight ?? this.refreshNow();
  }

  /** Stops scheduling; a refresh in flight finishes but schedules nothing. */
  stop(): void {
    this.#started = false;
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#clearChecks();
    this.#set({ nextDueAt: undefined });
  }

  /** New intervals; the next refresh is re-planned from when the last one finished. */
  setPolicy(policy: RefreshPolicy): void {
    this.#policy = policy;
    if (!this.#inFlight) this.#schedule();
  }

  /**
   * Window focus changed. Regaining focus refreshes at once when the last refresh is older than
   * focusStaleMs (and no failure backoff is in force); otherwise the schedule is re-planned.
   */
  setFocused(focused: boolean): void {
    if (focused === this.#focused) return;
    this.#focused = focused;
    if (this.#inFlight) return;
    const stale = this.#lastFinishedAt === undefined || this.clock.now() - this.#lastFinishedAt >= this.#policy.focusStaleMs;
    if (focused && this.#started && stale && this.#state.consecutiveFailures === 0) void this.refreshNow();
    else this.#schedule();
  }

  /**
   * Refreshes now (a person asked, or something changed). During a refresh, one follow-up is
   * queued and every caller waits for it: the data they get is newer than their request.
   */
  refreshNow(): Promise<void> {
    return this.#request('now');
  }

  #request(kind: RefreshKind): Promise<void> {
    if (this.#inFlight) {
      this.#followUp ??= this.#inFlight.then(() => {
        this.#followUp = null;
        return this.#run(kind);
      });
      return this.#followUp;
    }
    return this.#run(kind);
  }

  #run(kind: RefreshKind): Promise<void> {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#clearChecks();
    this.#set({ running: true, nextDueAt: undefined });
    let requests = 1;
    const run = (async () => {
      let ok = false;
      try {
        const outcome = await this.refresh(kind);
        ok = typeof outcome === 'boolean' ? outcome : outcome.ok;
        if (typeof outcome === 'object' && outcome.requests !== undefined) requests = outcome.requests;
      } catch {
        ok = false;
      }
      this.#lastFinishedAt = this.clock.now();
      this.#set(ok ? { running: false, consecutiveFailures: 0, lastSuccessAt: this.#lastFinishedAt } : { running: false, consecutiveFailures: this.#state.consecutiveFailures + 1 });
    })();
    this.#inFlight = run.finally(() => {
      this.#inFlight = null;
      if (this.#followUp) return;
      this.#lastFullRequests = requests;
      this.#schedule();
    });
    return this.#inFlight;
  }

  #lastFullRequests = 1;

  #schedule(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#clearChecks();
    if (!this.#started) return this.#set({ nextDueAt: undefined });
    const now = this.clock.now();
    const last = this.#lastFinishedAt ?? now;
    const due = last + delayAfter(this.#policy, this.#focused, this.#state.consecutiveFailures);
    this.#timer = this.clock.setTimeout(() => void this.#request('scheduled'), Math.max(0, due - now));
    this.#set({ nextDueAt: Math.max(now, due) });
    // Checks only while focused and healthy: unfocused, nobody is looking; failing, backoff rules.
    if (this.#focused && this.#state.consecutiveFailures === 0 && this.#policy.requestsPerMinute) {
      this.#checksDue = checkTimes(this.#policy.intervalMs, this.#policy.requestsPerMinute, this.#lastFullRequests)
        .map((t) => last + t)
        .filter((t) => t > now && t < due);
      this.#armCheck();
    }
  }

  #armCheck(): void {
    this.clock.clearTimeout(this.#checkTimer);
    this.#checkTimer = undefined;
    const next = this.#checksDue.shift();
    if (next === undefined) return;
    this.#checkTimer = this.clock.setTimeout(() => void this.#check(), Math.max(0, next - this.clock.now()));
  }

  /** One cheap check; a find refreshes at once, a failure is left to the next full refresh. */
  async #check(): Promise<void> {
    this.#checkTimer = undefined;
    if (this.#inFlight || this.#checking || !this.#started) return;
    this.#checking = true;
    let found = false;
    try {
      const outcome = await this.refresh('check');
      found = typeof outcome === 'object' && Boolean(outcome.found);
    } catch {
      // The next full refresh tells whether the API is really down.
    } finally {
      this.#checking = false;
    }
    if (!this.#started || this.#inFlight) return;
    if (found) void this.#request('scheduled');
    else this.#armCheck();
  }

  #clearChecks(): void {
    this.clock.clearTimeout(this.#checkTimer);
    this.#checkTimer = undefined;
    this.#checksDue = [];
  }

  #set(patch: Partial<SchedulerState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const l of this.#listeners) l(this.#state);
  }
}
