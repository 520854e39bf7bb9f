/**
 * Which incidents deserve a notification: open incidents at or above a severity threshold that
 * were not seen at that severity before, and that the person did not bring there themselves
 * (created or raised from this window: announce only what others did). One that was already
 * open below the threshold is a raise ("raised to SEV1"), not a new incident. Each incident is announced once (also across reloads,
 * through the persisted `seen` list); one that is downgraded and raised again is announced again.
 * The first look at an environment only records what is there: opening VS Code must not bring a
 * burst of old incidents (the status bar shows those). Pure (no `vscode`).
 */
import type { Incident } from '../../api/types';
import { severityRank } from '../../domain/order';

/** The values of runframe.notifications.minimumSeverity: a severity to notify from, or "off". */
export const ANNOUNCEMENT_THRESHOLDS = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4', 'off'] as const;

/** "SEV0".."SEV4" to notify from (that severity and more severe), or "off". */
export type AnnouncementThreshold = (typeof ANNOUNCEMENT_THRESHOLDS)[number];

/** Persisted between sessions, per environment. */
export interface AnnouncementMemory {
  /** Incident numbers already announced (or present at the first look) */
  seen: string[];
  /** Every open incident number at the last look, any severity (tells a raise from a new one); absent in memories from before it existed */
  open?: string[];
}

/** One incident to announce; `raised` when it was open below the threshold at the last look. */
export interface Announcement {
  incident: Incident;
  raised: boolean;
}

/** At most this many numbers are remembered; the oldest are dropped first. */
export const MAX_REMEMBERED = 500;

/** True when `incident` is at or above `threshold`. */
export function meetsThreshold(incident: Incident, threshold: AnnouncementThreshold): boolean {
  if (threshold === 'off') return false;
  const rank = severityRank(incident.severity);
  return rank <= severityRank(threshold);
}

/**
 * Decides which of `openIncidents` to announce.
 * @param memory what was seen before; undefined for the first look at this environment
 * @param own numbers of incidents the person created or changed the severity of themselves: remembered, never announced
 * @returns the incidents to announce (most severe first, as given), which of them are raises, and the memory to persist
 */
export function incidentsToAnnounce(
  openIncidents: readonly Incident[],
  threshold: AnnouncementThreshold,
  memory: AnnouncementMemory | undefined,
  own: ReadonlySet<string> = new Set(),
): { announce: Incident[]; raised: Set<string>; memory: AnnouncementMemory } {
  // With announcements off, keep following the list (so turning them on later does not flood), announce nothing.
  const qualifying = openIncidents.filter((i) => meetsThreshold(i, threshold === 'off' ? 'SEV4' : threshold));
  const seen = new Set(memory?.seen ?? []);
  const announce = memory && threshold !== 'off' ? qualifying.filter((i) => !seen.has(i.incident_number) && !own.has(i.incident_number)) : [];
  const wasOpen = new Set(memory?.open ?? []);
  const raised = new Set(announce.filter((i) => wasOpen.has(i.incident_number)).map((i) => i.incident_number));
  // Remember what qualifies now; forget what no longer qualifies (resolved or downgraded), so a
  // reopened or re-raised incident is announced again.
  const now = new Set(qualifying.map((i) => i.incident_number));
  const kept = [...seen].filter((n) => now.has(n));
  for (const n of now) if (!seen.has(n)) kept.push(n);
  return { announce, raised, memory: { seen: kept.slice(-MAX_REMEMBERED), open: openIncidents.map((i) => i.incident_number).slice(0, MAX_REMEMBERED) } };
}
