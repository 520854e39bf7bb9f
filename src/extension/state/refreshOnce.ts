/**
 * One refresh of everything the views, the status bar and the announcements show: open incidents,
 * on-call and (until known) whose key it is, loaded together; then new incidents are announced and
 * open detail documents re-fetched. The refresh scheduler decides when this runs. Pure (no
 * `vscode`), so it is unit-tested in Node.
 */
import type { Incident, OnCallSnapshot } from '../../api/types';
import type { Identity } from './cockpitQueries';
import type { Connection } from './connection';
import type { Loadable } from './loadable';

/** What one refresh reads and updates. */
export interface RefreshTargets {
  /** Only the current connection's mode, revision and environment are read */
  connection: { readonly current: Pick<Connection, 'mode' | 'revision' | 'environment'> };
  incidents: Loadable<Incident[]>;
  oncall: Loadable<OnCallSnapshot>;
  identity: Loadable<Identity>;
  /** Announces the new incidents among `open`; `scope` is the environment id or "sandbox" */
  announce(scope: string, open: readonly Incident[]): Promise<void>;
  /** Re-fetches the open incident detail documents */
  refreshDetails(): void;
}

/**
 * Refreshes once.
 * @returns true when everything loaded (or there is nothing to load), false when incidents or
 * on-call failed; the scheduler backs off on false
 */
export async function refreshOnce(t: RefreshTargets): Promise<boolean> {
  const conn = t.connection.current;
  if (conn.mode === 'none') return true;
  const revision = conn.revision;
  await Promise.all([t.incidents.refresh(), t.oncall.refresh(), t.identity.state.value ? undefined : t.identity.refresh()]);
  // The connection changed meanwhile: this data belongs to the old one.
  if (t.connection.current.revision !== revision) return true;
  if (t.incidents.state.value && !t.incidents.state.error) await t.announce(conn.mode === 'sandbox' ? 'sandbox' : conn.environment.id, t.incidents.state.value);
  t.refreshDetails();
  return !t.incidents.state.error && !t.oncall.state.error;
}
