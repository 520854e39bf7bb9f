/**
 * A value loaded from the API and shared by everything that shows it (tree views now, the status
 * bar later): one fetch serves all, concurrent refreshes share the fetch in flight, and the last
 * good value is kept when a refresh fails. Pure (no `vscode`), so it is unit-tested in Node.
 */

export interface ResourceState<T> {
  /** Last value loaded successfully */
  value?: T;
  /** Error of the last refresh, cleared by the next success */
  error?: unknown;
  /** ms since epoch of the last successful load */
  updatedAt?: number;
  loading: boolean;
}

export class Resource<T> {
  #state: ResourceState<T> = { loading: false };
  #inFlight: Promise<void> | null = null;
  #listeners = new Set<(state: ResourceState<T>) => void>();
  #generation = 0;

  /**
   * @param load fetches the value; its rejection becomes `state.error`
   * @param now clock in ms (injectable for tests)
   */
  constructor(
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): Readonly<ResourceState<T>> {
    return this.#state;
  }

  /** Subscribes to changes; returns an unsubscribe function. */
  onDidChange(listener: (state: ResourceState<T>) => void): { dispose(): void } {
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

  #set(state: ResourceState<T>): void {
    this.#state = state;
    for (const l of this.#listeners) l(state);
  }
}
