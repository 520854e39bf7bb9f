/**
 * How the Incidents view is filtered and grouped, kept per workspace (VS Code's workspaceState)
 * so the view comes back as it was left. Pure (no `vscode`): any Memento-like store will do.
 */
import { FILTER_LABELS, GROUPING_LABELS, type IncidentFilter, type IncidentGrouping } from './incidentFilters';

/** The part of vscode.Memento the view state uses. */
export interface ViewStateStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

const FILTER_KEY = 'runframe.filter';
const GROUPING_KEY = 'runframe.grouping';

/** The filter and grouping of the Incidents view; listeners hear a change once it is stored. */
export class IncidentsViewState {
  #filter: IncidentFilter;
  #grouping: IncidentGrouping;
  readonly #listeners = new Set<() => void>();

  constructor(private readonly store: ViewStateStore) {
    // Stored by an earlier version or edited by hand: fall back to the defaults when unknown.
    const filter = store.get<string>(FILTER_KEY, 'all');
    const grouping = store.get<string>(GROUPING_KEY, 'none');
    this.#filter = (filter in FILTER_LABELS ? filter : 'all') as IncidentFilter;
    this.#grouping = (grouping in GROUPING_LABELS ? grouping : 'none') as IncidentGrouping;
  }

  get filter(): IncidentFilter {
    return this.#filter;
  }

  get grouping(): IncidentGrouping {
    return this.#grouping;
  }

  /** Sets and stores the filter ("all" for an unknown one). */
  async setFilter(filter: IncidentFilter): Promise<void> {
    this.#filter = filter in FILTER_LABELS ? filter : 'all';
    await this.store.update(FILTER_KEY, this.#filter);
    this.#fire();
  }

  /** Sets and stores the grouping ("none" for an unknown one). */
  async setGrouping(grouping: IncidentGrouping): Promise<void> {
    this.#grouping = grouping in GROUPING_LABELS ? grouping : 'none';
    await this.store.update(GROUPING_KEY, this.#grouping);
    this.#fire();
  }

  /** Subscribes to changes; returns an unsubscribe handle. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  #fire(): void {
    for (const l of this.#listeners) l();
  }
}
