/**
 * When the sidebar, status bar and notifications refresh: on an interval, slower while the window
 * is unfocused, at once when the window regains focus after a while, with exponential backoff
 * after failures. Never two refreshes at a time: a request during a refresh is folded into one
 * follow-up. Pure (no `vscode`); the clock is injected so tests drive it with fake timers.
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
export function refreshPolicyFor(intervalSeconds: number, unfocusedIntervalSeconds: number): RefreshPolicy {
  const interval = Math.max(10, intervalSeconds) * 1000;
  const unfocused = Math.max(interval, unfocusedIntervalSeconds * 1000);
  return { intervalMs: interval, unfocusedIntervalMs: unfocused, focusStaleMs: Math.min(interval, 30_000), backoffMaxMs: Math.max(interval, 10 * 60_000) };
}

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
  #focused = true;
  #started = false;
  #timer: unknown;
  #inFlight: Promise<void> | null = null;
  #followUp: Promise<void> | null = null;
  #lastFinishedAt?: number;
  #state: SchedulerState = { running: false, consecutiveFailures: 0 };
  readonly #listeners = new Set<(state: SchedulerState) => void>();

  constructor(
    private readonly refresh: () => Promise<boolean>,
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
    if (this.#inFlight) {
      this.#followUp ??= this.#inFlight.then(() => {
        this.#followUp = null;
        return this.#run();
      });
      return this.#followUp;
    }
    return this.#run();
  }

  #run(): Promise<void> {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#set({ running: true, nextDueAt: undefined });
    const run = (async () => {
      let ok = false;
      try {
        ok = await this.refresh();
      } catch {
        ok = false;
      }
      this.#lastFinishedAt = this.clock.now();
      this.#set(ok ? { running: false, consecutiveFailures: 0, lastSuccessAt: this.#lastFinishedAt } : { running: false, consecutiveFailures: this.#state.consecutiveFailures + 1 });
    })();
    this.#inFlight = run.finally(() => {
      this.#inFlight = null;
      if (!this.#followUp) this.#schedule();
    });
    return this.#inFlight;
  }

  #schedule(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#started) return this.#set({ nextDueAt: undefined });
    const now = this.clock.now();
    const due = (this.#lastFinishedAt ?? now) + delayAfter(this.#policy, this.#focused, this.#state.consecutiveFailures);
    this.#timer = this.clock.setTimeout(() => void this.refreshNow(), Math.max(0, due - now));
    this.#set({ nextDueAt: Math.max(now, due) });
  }

  #set(patch: Partial<SchedulerState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const l of this.#listeners) l(this.#state);
  }
}
