/**
 * One refresh of everything the views, the status bar and the announcements show: open incidents,
 * on-call (when it may have changed) and (until known) whose key it is, loaded together; then new
 * incidents are announced and open detail documents re-fetched. Or, between those, the cheap
 * check for new incidents. The refresh scheduler decides when each runs. Pure (no `vscode`), so
 * it is unit-tested in Node.
 */
import type { Incident, OnCallSnapshot } from '../../api/types';
import { isoToMs } from '../../domain/format';
import type { RefreshKind, RefreshOutcome } from './refreshScheduler';
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
  /** Open incidents created at or after `sinceIso` (the cheap check); absent: checks find nothing */
  createdSince?(sinceIso: string): Promise<Incident[]>;
  /** ms since epoch (injectable for tests) */
  now?(): number;
}

/** On-call is re-read on a scheduled refresh only when older than this (shifts change rarely). */
export const ONCALL_MAX_AGE_MS = 10 * 60_000;

/**
 * Whether the on-call snapshot may have changed: never loaded, older than ONCALL_MAX_AGE_MS, or
 * a shift in it has ended (GET /on-call/current, `shift_ends_at`).
 */
export function onCallDue(snapshot: OnCallSnapshot | undefined, updatedAt: number | undefined, nowMs: number): boolean {
  if (!snapshot || updatedAt === undefined || nowMs - updatedAt >= ONCALL_MAX_AGE_MS) return true;
  return snapshot.services.some((s) => s.on_call_engineers.some((e) => {
    const end = isoToMs(e.shift_ends_at);
    return end > 0 && end <= nowMs;
  }));
}

/**
 * The cheap check: asks for open incidents created since the newest one known and reports
 * whether any is not in the list yet (one request).
 */
export async function checkForNew(t: RefreshTargets): Promise<RefreshOutcome> {
  const known = t.incidents.state.value;
  if (t.connection.current.mode === 'none' || !known || !t.createdSince) return { ok: true, requests: 0 };
  const newest = known.reduce((m, i) => Math.max(m, isoToMs(i.created_at)), 0);
  // Nothing known yet: any open incident is news, so ask from the epoch (limit keeps it small).
  const since = new Date(newest || 0).toISOString();
  const numbers = new Set(known.map((i) => i.incident_number));
  const fresh = await t.createdSince(since);
  return { ok: true, requests: 1, found: fresh.some((i) => !numbers.has(i.incident_number)) };
}

/**
 * What the scheduler runs: `check` is checkForNew; `now` refreshes everything; `scheduled`
 * refreshes everything but on-call, unless onCallDue.
 */
export function refreshFor(t: RefreshTargets): (kind: RefreshKind) => Promise<RefreshOutcome> {
  return async (kind) => {
    if (kind === 'check') return checkForNew(t);
    const now = t.now?.() ?? Date.now();
    const withOnCall = kind === 'now' || onCallDue(t.oncall.state.value, t.oncall.state.updatedAt, now);
    const requests = 1 + (withOnCall ? 1 : 0) + (t.identity.state.value ? 0 : 2);
    return { ok: await refreshOnce(t, { onCall: withOnCall }), requests };
  };
}

/**
 * Refreshes once.
 * @param options.onCall false to keep the on-call snapshot as it is (default true)
 * @returns true when everything loaded (or there is nothing to load), false when incidents or
 * on-call failed; the scheduler backs off on false
 */
export async function refreshOnce(t: RefreshTargets, options: { onCall?: boolean } = {}): Promise<boolean> {
  const conn = t.connection.current;
  if (conn.mode === 'none') return true;
  const revision = conn.revision;
  await Promise.all([t.incidents.refresh(), options.onCall === false ? undefined : t.oncall.refresh(), t.identity.state.value ? undefined : t.identity.refresh()]);
  // The connection changed meanwhile: this data belongs to the old one.
  if (t.connection.current.revision !== revision) return true;
  if (t.incidents.state.value && !t.incidents.state.error) await t.announce(conn.mode === 'sandbox' ? 'sandbox' : conn.environment.id, t.incidents.state.value);
  t.refreshDetails();
  return !t.incidents.state.error && !t.oncall.state.error;
}
