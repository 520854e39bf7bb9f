/**
 * Pure view models for the sidebar: sorting, grouping and wording. No `vscode` import, so this
 * runs (and is unit-tested) in plain Node. Times are ms since the epoch; ISO strings come from
 * the API (Runframe v1, docs/runframe-api.md).
 */
import type { Incident, OnCallEngineer, OnCallSnapshot } from '../../api/types';

/** Codicon and theme colour per severity (most severe first). */
export const SEVERITY_STYLE: Record<string, { icon: string; color: string; word: string }> = {
  SEV0: { icon: 'flame', color: 'charts.red', word: 'critical' },
  SEV1: { icon: 'error', color: 'charts.orange', word: 'major' },
  SEV2: { icon: 'warning', color: 'charts.yellow', word: 'moderate' },
  SEV3: { icon: 'info', color: 'charts.blue', word: 'minor' },
  SEV4: { icon: 'circle-outline', color: 'descriptionForeground', word: 'low' },
};
const UNKNOWN_STYLE = { icon: 'question', color: 'descriptionForeground', word: 'unknown' };

import { escapeMarkdown, formatAge, formatAgo, formatUntil, formatUtc } from '../../domain/format';

export { severityRank, sortIncidents } from '../../domain/order';

/** True when nobody has acknowledged the incident yet. */
export function isUnacknowledged(incident: Incident): boolean {
  return !incident.acknowledged_at;
}





export interface IncidentRow {
  number: string;
  /** "INC-2026-040 Checkout API p99 latency above 4 s" */
  label: string;
  /** "SEV1 · new · 2h · unassigned" */
  description: string;
  /** Markdown */
  tooltip: string;
  icon: string;
  color: string;
  unacknowledged: boolean;
}

/** The tree row of an incident. */
export function incidentRow(incident: Incident, nowMs: number): IncidentRow {
  const style = SEVERITY_STYLE[(incident.severity ?? '').toUpperCase()] ?? UNKNOWN_STYLE;
  const unacked = isUnacknowledged(incident);
  const assignee = incident.assigned_to?.name ?? incident.assigned_to?.email;
  const parts = [
    incident.severity ?? '?',
    incident.status ?? '?',
    formatAge(incident.created_at, nowMs),
    unacked ? 'unacknowledged' : assignee ?? 'unassigned',
  ].filter(Boolean);
  const services = incident.services.map((s) => s.name ?? s.service_key).join(', ');
  const ackDue = incident.sla?.acknowledge_due_at;
  const lines = [
    `**${escapeMarkdown(incident.incident_number)}** ${escapeMarkdown(incident.title)}`,
    '',
    `${incident.severity ?? 'Unknown severity'} (${style.word}) · ${incident.status ?? 'unknown status'}`,
    '',
    `- Opened: ${formatUtc(incident.created_at)} (${formatAgo(incident.created_at, nowMs)})`,
    `- Acknowledged: ${incident.acknowledged_at ? formatUtc(incident.acknowledged_at) : `**no**${ackDue ? ` (due ${formatUtc(ackDue)})` : ''}`}`,
    `- Assignee: ${assignee ? escapeMarkdown(assignee) : 'nobody'}`,
  ];
  if (incident.team_name) lines.push(`- Team: ${escapeMarkdown(incident.team_name)}`);
  if (services) lines.push(`- Services: ${escapeMarkdown(services)}`);
  if (incident.escalation_level !== undefined) lines.push(`- Escalation level: ${incident.escalation_level}`);
  if (incident.description) lines.push('', escapeMarkdown(incident.description.slice(0, 500)) + (incident.description.length > 500 ? '…' : ''));
  return {
    number: incident.incident_number,
    label: `${incident.incident_number} ${incident.title}`,
    description: parts.join(' · '),
    tooltip: lines.join('\n'),
    icon: style.icon,
    color: style.color,
    unacknowledged: unacked,
  };
}

export interface EngineerRow {
  name: string;
  /** "primary · until Sat 21 Nov 21:00 UTC (in 5h)" */
  description: string;
  email?: string;
}

export interface OnCallServiceRow {
  serviceKey: string;
  name: string;
  covered: boolean;
  /** "Sam Rivera · in 5h" or "No on-call coverage" */
  description: string;
  tooltip: string;
  engineers: EngineerRow[];
}

export interface OnCallTeamGroup {
  team: string;
  /** "3 of 4 services covered" */
  description: string;
  uncovered: number;
  services: OnCallServiceRow[];
}

function roleRank(role: string | undefined): number {
  const order = ['primary', 'secondary', 'backup'];
  const i = order.indexOf((role ?? '').toLowerCase());
  return i < 0 ? order.length : i;
}

function engineerRow(e: OnCallEngineer, nowMs: number): EngineerRow {
  const ends = e.shift_ends_at ? `until ${formatUtc(e.shift_ends_at)} (${formatUntil(e.shift_ends_at, nowMs)})` : '';
  return { name: e.name, email: e.email, description: [e.role, ends].filter(Boolean).join(' · ') };
}

/**
 * Groups the on-call snapshot by team (alphabetical; services without a team under "No team"),
 * services alphabetical within a team, engineers primary first.
 */
export function groupOnCall(snapshot: OnCallSnapshot, nowMs: number): OnCallTeamGroup[] {
  const byTeam = new Map<string, OnCallServiceRow[]>();
  for (const s of snapshot.services) {
    const engineers = [...s.on_call_engineers].sort((a, b) => roleRank(a.role) - roleRank(b.role));
    const covered = s.has_coverage && engineers.length > 0;
    const first = engineers[0];
    const row: OnCallServiceRow = {
      serviceKey: s.service_key,
      name: s.service_name,
      covered,
      description: covered ? `${first.name}${first.shift_ends_at ? ` · ${formatUntil(first.shift_ends_at, nowMs)}` : ''}` : 'No on-call coverage',
      tooltip: [
        `**${escapeMarkdown(s.service_name)}** (${escapeMarkdown(s.service_key)})`,
        s.service_description ? `\n${escapeMarkdown(s.service_description)}` : '',
        '',
        covered
          ? engineers.map((e) => `- ${escapeMarkdown(e.name)}${e.role ? ` (${e.role})` : ''}${e.shift_ends_at ? `, until ${formatUtc(e.shift_ends_at)}` : ''}${e.schedule_name ? `, ${escapeMarkdown(e.schedule_name)}` : ''}`).join('\n')
          : '**Nobody is on call for this service.** Incidents on it reach no one automatically.',
      ].join('\n'),
      engineers: engineers.map((e) => engineerRow(e, nowMs)),
    };
    const team = s.team_name || 'No team';
    const list = byTeam.get(team) ?? [];
    list.push(row);
    byTeam.set(team, list);
  }
  return [...byTeam.entries()]
    .sort(([a], [b]) => (a === 'No team' ? 1 : b === 'No team' ? -1 : a.localeCompare(b)))
    .map(([team, services]) => {
      services.sort((a, b) => a.name.localeCompare(b.name));
      const uncovered = services.filter((s) => !s.covered).length;
      return {
        team,
        uncovered,
        description: `${services.length - uncovered} of ${services.length} service${services.length === 1 ? '' : 's'} covered`,
        services,
      };
    });
}
