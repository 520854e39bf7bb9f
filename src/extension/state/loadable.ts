/**
 * A value loaded from the API and shared by everything that shows it (tree views, status bar,
 * pickers): one fetch serves all, concurrent refreshes share the fetch in flight, and the last
 * good value is kept when a refresh fails. Pure (no `vscode`), so it is unit-tested in Node.
 * Called Loadable, not Resource: an MCP resource is something else in this repository.
 */

/** What a Loadable holds now: the last good value, the last error, and whether a load runs. */
export interface LoadableState<T> {
  /** Last value loaded successfully */
  value?: T;
  /** Error of the last refresh, cleared by the next success */
  error?: unknown;
  /** ms since epoch of the last successful load */
  updatedAt?: number;
  loading: boolean;
}

/** One loadable value with its state; listeners hear every change. */
export class Loadable<T> {
  #state: LoadableState<T> = { loading: false };
  #inFlight: Promise<void> | null = null;
  #listeners = new Set<(state: LoadableState<T>) => void>();
  #generation = 0;

  /**
   * @param load fetches the value; its rejection becomes `state.error`
   * @param now clock in ms (injectable for tests)
   */
  constructor(
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): Readonly<LoadableState<T>> {
    return this.#state;
  }

  /** Subscribes to changes; returns an unsubscribe function. */
  onDidChange(listener: (state: LoadableState<T>) => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Loads now, or joins the load already in flight. Never rejects. */
  refresh(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const generation = this.#generation;
    this.#set({ ...this.#state, loading: true });
    this.#inFlight = this.load()
      .then(
        (value) => {
          if (generation === this.#generation) this.#set({ value, updatedAt: this.now(), loading: false });
        },
        (error: unknown) => {
          if (generation === this.#generation) this.#set({ ...this.#state, error, loading: false });
        },
      )
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  /** Forgets the value (e.g. the connection changed); a load in flight is ignored when it lands. */
  reset(): void {
    this.#generation++;
    this.#inFlight = null;
    this.#set({ loading: false });
  }

  #set(state: LoadableState<T>): void {
    this.#state = state;
    for (const l of this.#listeners) l(state);
  }
}
