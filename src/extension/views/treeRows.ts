/**
 * Pure view models for the sidebar: sorting, grouping and wording. No `vscode` import, so this
 * runs (and is unit-tested) in plain Node. Times are ms since the epoch; ISO strings come from
 * the API (Runframe v1, docs/runframe-api.md).
 */
import type { Incident, OnCallEngineer, OnCallSnapshot } from '../../api/types';
import { sameEmail } from '../../domain/identifiers';

/**
 * Codicon and colour per severity (most severe first). The colours are our own
 * (package.json contributes.colors `runframe.sev0`..`runframe.sev4`), opaque with light, dark
 * and high-contrast defaults, because the charts.* colours fade to unreadable in Light Modern.
 */
export const SEVERITY_STYLE: Record<string, { icon: string; color: string; word: string }> = {
  SEV0: { icon: 'flame', color: 'runframe.sev0', word: 'critical' },
  SEV1: { icon: 'error', color: 'runframe.sev1', word: 'major' },
  SEV2: { icon: 'warning', color: 'runframe.sev2', word: 'moderate' },
  SEV3: { icon: 'info', color: 'runframe.sev3', word: 'minor' },
  SEV4: { icon: 'circle-outline', color: 'runframe.sev4', word: 'low' },
};
const UNKNOWN_STYLE = { icon: 'question', color: 'runframe.sev4', word: 'unknown' };
/** Acknowledged rows: a check in the severity's colour, so unacknowledged ones (severity icon) stand out by shape too. */
const ACKNOWLEDGED_ICON = 'pass';

import { escapeMarkdown, formatAge, formatAgo, formatEndsAt, formatSpan, formatUtc } from '../../domain/format';
import { isUnacknowledged, missedSla, slaState } from '../../domain/attention';

export { severityRank, sortIncidents } from '../../domain/order';
export { isUnacknowledged } from '../../domain/attention';

export interface IncidentRow {
  number: string;
  /** What is scanned first: "SEV1 unacked · Checkout API p99 latency above 4 s" ("SEV1 unacked, late · …" past the acknowledge SLA) */
  label: string;
  /** "2h · unassigned · INC-2026-040" ("ack SLA missed 1h · 2h · …" when missed) */
  description: string;
  /** Markdown */
  tooltip: string;
  icon: string;
  color: string;
  unacknowledged: boolean;
  /** True while the acknowledge or resolve SLA is missed and still open */
  slaMissed: boolean;
}

/**
 * The tree row of an incident: severity and acknowledged-or-not lead (icon and label), then the
 * title; age, owner and number follow in the description. A missed acknowledge SLA shows in both
 * ("late" in the label), a missed resolve SLA in the description.
 */
export function incidentRow(incident: Incident, nowMs: number): IncidentRow {
  const style = SEVERITY_STYLE[(incident.severity ?? '').toUpperCase()] ?? UNKNOWN_STYLE;
  const unacked = isUnacknowledged(incident);
  const missed = missedSla(incident, nowMs);
  const assignee = incident.assigned_to?.name ?? incident.assigned_to?.email;
  // Only a missed acknowledge SLA goes in the label (short: the title must still show at the
  // default width); a missed resolve SLA is common on long incidents and goes in the description.
  const head = `${incident.severity ?? '?'}${unacked ? ' unacked' : ''}${missed?.which === 'acknowledge' ? ', late' : ''}`;
  const parts = [
    missed ? `${missed.which === 'acknowledge' ? 'ack' : 'resolve'} SLA missed ${formatSpan(missed.overdueMs)}` : '',
    formatAge(incident.created_at, nowMs),
    incident.status ?? '',
    assignee ?? 'unassigned',
    incident.incident_number,
  ].filter(Boolean);
  const services = incident.services.map((s) => s.name ?? s.service_key).join(', ');
  const ack = slaState(incident.sla?.acknowledge_due_at, incident.acknowledged_at, nowMs);
  const resolve = slaState(incident.sla?.resolve_due_at, incident.resolved_at, nowMs);
  const lines = [
    `**${escapeMarkdown(incident.incident_number)}** ${escapeMarkdown(incident.title)}`,
    '',
    `${incident.severity ?? 'Unknown severity'} (${style.word}) · ${incident.status ?? 'unknown status'} · ${unacked ? '**unacknowledged**' : 'acknowledged'}`,
    '',
    `- Opened: ${formatUtc(incident.created_at)} (${formatAgo(incident.created_at, nowMs)})`,
    `- Acknowledged: ${incident.acknowledged_at ? formatUtc(incident.acknowledged_at) : '**no**'}${ack.state === 'none' ? '' : `; acknowledge SLA ${ack.state === 'missed' ? `**${ack.text}**` : ack.text}`}`,
  ];
  if (resolve.state !== 'none') lines.push(`- Resolve SLA: ${resolve.state === 'missed' ? `**${resolve.text}**` : resolve.text}`);
  lines.push(`- Assignee: ${assignee ? escapeMarkdown(assignee) : 'nobody'}`);
  if (incident.team_name) lines.push(`- Team: ${escapeMarkdown(incident.team_name)}`);
  if (services) lines.push(`- Services: ${escapeMarkdown(services)}`);
  if (incident.escalation_level !== undefined) lines.push(`- Escalation level: ${incident.escalation_level}`);
  if (incident.description) lines.push('', escapeMarkdown(incident.description.slice(0, 500)) + (incident.description.length > 500 ? '…' : ''));
  return {
    number: incident.incident_number,
    label: `${head} · ${incident.title}`,
    description: parts.join(' · '),
    tooltip: lines.join('\n'),
    icon: unacked ? style.icon : ACKNOWLEDGED_ICON,
    color: style.color,
    unacknowledged: unacked,
    slaMissed: Boolean(missed),
  };
}

export interface EngineerRow {
  name: string;
  /** The row's label: the name, "Sam Rivera (you)" for the key's user */
  label: string;
  /** "primary · until 21:00 (in 5h)" (local clock) */
  description: string;
  email?: string;
  /** True for the key's user */
  isMe: boolean;
}

export interface OnCallServiceRow {
  serviceKey: string;
  name: string;
  covered: boolean;
  /** "Sam Rivera · until 21:00 (in 5h)", "You · until …" (the key's user) or "No on-call coverage" */
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


function engineerRow(e: OnCallEngineer, nowMs: number, myEmail: string | undefined): EngineerRow {
  const me = sameEmail(e.email, myEmail);
  return { name: e.name, label: me ? `${e.name} (you)` : e.name, email: e.email, isMe: me, description: [e.role, formatEndsAt(e.shift_ends_at, nowMs)].filter(Boolean).join(' · ') };
}

/**
 * Groups the on-call snapshot by team (the teams the key's user is on call in first, then
 * alphabetical; services without a team under "No team", last),
 * services alphabetical within a team, engineers primary first. Shift ends read
 * "until 14:00 (in 7h)" on the local clock; the key's user (`myEmail`) is marked "(you)".
 */
export function groupOnCall(snapshot: OnCallSnapshot, nowMs: number, myEmail?: string): OnCallTeamGroup[] {
  const byTeam = new Map<string, OnCallServiceRow[]>();
  for (const s of snapshot.services) {
    const engineers = [...s.on_call_engineers].sort((a, b) => roleRank(a.role) - roleRank(b.role));
    const covered = s.has_coverage && engineers.length > 0;
    const first = engineers[0];
    const row: OnCallServiceRow = {
      serviceKey: s.service_key,
      name: s.service_name,
      covered,
      // "You" first: the row is cut at the default width, and that word is what the eye looks for.
      description: covered ? [sameEmail(first.email, myEmail) ? 'You' : first.name, formatEndsAt(first.shift_ends_at, nowMs)].filter(Boolean).join(' · ') : 'No on-call coverage',
      tooltip: [
        `**${escapeMarkdown(s.service_name)}** (${escapeMarkdown(s.service_key)})`,
        s.service_description ? `\n${escapeMarkdown(s.service_description)}` : '',
        '',
        covered
          ? engineers.map((e) => `- ${escapeMarkdown(e.name)}${sameEmail(e.email, myEmail) ? ' (you)' : ''}${e.role ? ` (${e.role})` : ''}${e.shift_ends_at ? `, until ${formatUtc(e.shift_ends_at)}` : ''}${e.schedule_name ? `, ${escapeMarkdown(e.schedule_name)}` : ''}`).join('\n')
          : '**Nobody is on call for this service.** Incidents on it reach no one automatically.',
      ].join('\n'),
      engineers: engineers.map((e) => engineerRow(e, nowMs, myEmail)),
    };
    const team = s.team_name || 'No team';
    const list = byTeam.get(team) ?? [];
    list.push(row);
    byTeam.set(team, list);
  }
  // Teams I am on call in first: "(you)" is in sight without scrolling.
  const mine = (rows: OnCallServiceRow[]) => (rows.some((r) => r.engineers.some((e) => e.isMe)) ? 0 : 1);
  return [...byTeam.entries()]
    .sort(([a, x], [b, y]) => mine(x) - mine(y) || (a === 'No team' ? 1 : b === 'No team' ? -1 : a.localeCompare(b)))
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
