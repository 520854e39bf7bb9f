/**
 * The order an on-call engineer reads incidents in: most severe first (SEV0..SEV4, unknown
 * severities last), then newest first. Shared by the sidebar and the MCP resources.
 */
import { SEVERITIES, type Incident } from './types';

/** 0 for SEV0 .. 4 for SEV4; unknown severities sort last (5). Case-insensitive. */
export function severityRank(severity: string | undefined): number {
  const i = (SEVERITIES as readonly string[]).indexOf((severity ?? '').toUpperCase());
  return i < 0 ? SEVERITIES.length : i;
}

/** ms since epoch of an ISO 8601 time; 0 when missing or unreadable. */
export function isoToMs(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Most severe first, then newest first, then by number. Returns a new array. */
export function sortIncidents(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      isoToMs(b.created_at) - isoToMs(a.created_at) ||
      a.incident_number.localeCompare(b.incident_number),
  );
}
