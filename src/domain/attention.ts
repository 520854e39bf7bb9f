/**
 * What needs an on-call engineer's attention, written once for the sidebar, the activity-bar
 * badge, the status bar and the announcements: whether an incident is unacknowledged, how many
 * are, and where it stands against its SLA. Pure; "now" is passed in (ms since epoch).
 *
 * Source: docs/runframe-api.md part B: `acknowledged_at`, `resolved_at`,
 * `sla {acknowledge_due_at, resolve_due_at}` (ISO 8601, each possibly missing).
 */
import { formatSpan, formatUtc, isoToMs } from './format';

/** What attention needs of an incident. */
export interface Attendable {
  acknowledged_at?: string | null;
  resolved_at?: string | null;
  sla?: { acknowledge_due_at?: string | null; resolve_due_at?: string | null };
}

/** True when nobody has acknowledged the incident yet (`acknowledged_at` empty or missing). */
export function isUnacknowledged(incident: Attendable): boolean {
  return !incident.acknowledged_at;
}

/**
 * The one count of unacknowledged incidents: the activity-bar badge and the status bar both show
 * this number for the same list of open incidents.
 */
export function unacknowledgedCount(incidents: readonly Attendable[]): number {
  return incidents.filter(isUnacknowledged).length;
}

/** Where one SLA deadline stands. */
export interface SlaState {
  /** `none`: no deadline known; `due`: not done, deadline ahead; `met`/`missed`: done in/after time, or `missed` while still not done */
  state: 'none' | 'due' | 'met' | 'missed';
  /** Words for a tooltip or a page: "due in 8m (Sat 21 Nov 14:05 UTC)", "breached 6h ago (was due …)", "met (4m before due)", "missed by 3m" */
  text: string;
}

/**
 * Where a deadline stands at `nowMs`.
 * @param dueIso the SLA deadline (ISO 8601), or missing
 * @param doneIso when the thing was done (acknowledged or resolved), or missing when not yet
 */
export function slaState(dueIso: string | null | undefined, doneIso: string | null | undefined, nowMs: number): SlaState {
  const due = isoToMs(dueIso);
  if (!due) return { state: 'none', text: 'no target' };
  const done = isoToMs(doneIso);
  const span = (ms: number) => formatSpan(Math.abs(ms), Math.round);
  if (done) return done <= due ? { state: 'met', text: `met (${span(due - done)} before due)` } : { state: 'missed', text: `missed by ${span(done - due)}` };
  return nowMs <= due ? { state: 'due', text: `due in ${span(due - nowMs)} (${formatUtc(dueIso)})` } : { state: 'missed', text: `breached ${span(nowMs - due)} ago (was due ${formatUtc(dueIso)})` };
}

/**
 * The SLA an open incident has missed and is still missing, if any: acknowledge (not acknowledged
 * after its deadline) before resolve (not resolved after its deadline).
 * @returns e.g. `{ which: 'acknowledge', overdueMs: 21_600_000 }`, or undefined
 */
export function missedSla(incident: Attendable, nowMs: number): { which: 'acknowledge' | 'resolve'; overdueMs: number } | undefined {
  const ack = isoToMs(incident.sla?.acknowledge_due_at);
  if (ack && !incident.acknowledged_at && nowMs > ack) return { which: 'acknowledge', overdueMs: nowMs - ack };
  const res = isoToMs(incident.sla?.resolve_due_at);
  if (res && !incident.resolved_at && nowMs > res) return { which: 'resolve', overdueMs: nowMs - res };
  return undefined;
}
