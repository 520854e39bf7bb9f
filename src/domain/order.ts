/**
 * The order an on-call engineer reads incidents in: most severe first (SEV0..SEV4, unknown
 * severities last), then newest first. Shared by the sidebar and the MCP resources.
 */
import { SEVERITIES, STATUSES } from './contract';
import { isoToMs } from './format';

/** What ordering needs of an incident. */
export interface Orderable {
  incident_number: string;
  severity?: string;
  created_at?: string | null;
}

/** 0 for SEV0 .. 4 for SEV4; unknown severities sort last (5). Case-insensitive. */
export function severityRank(severity: string | undefined): number {
  const i = (SEVERITIES as readonly string[]).indexOf((severity ?? '').toUpperCase());
  return i < 0 ? SEVERITIES.length : i;
}


/** Most severe first, then newest first, then by number. Returns a new array. */
export function sortIncidents<T extends Orderable>(incidents: readonly T[]): T[] {
  return [...incidents].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      isoToMs(b.created_at) - isoToMs(a.created_at) ||
      a.incident_number.localeCompare(b.incident_number),
  );
}

/**
 * The statuses an incident may move to next: forward along new, investigating, fixing,
 * monitoring, resolved, closed (steps may be skipped); back from resolved to investigating
 * (reopen); nothing leaves closed. Part B (assumed, docs/runframe-api.md): orgs may rename or
 * restrict statuses, so the API stays the judge and a rejected transition is reported as it says.
 */
export function allowedTransitions(from: string): string[] {
  const order = STATUSES as readonly string[];
  const i = order.indexOf(from);
  if (from === 'closed' || i < 0) return [];
  const forward = order.slice(i + 1);
  return from === 'resolved' ? ['investigating', ...forward] : forward;
}
