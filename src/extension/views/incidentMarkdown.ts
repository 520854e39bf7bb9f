/**
 * The read-only detail document of one incident, as Markdown: summary, services, assignee, SLA
 * state, escalation level, participants and the full timeline (oldest first). Pure; times shown
 * in UTC so the document reads the same on every machine. Fields follow docs/runframe-api.md
 * (part B, assumed): every one may be missing.
 */
import type { Incident } from '../../api/types';
import { escapeMarkdown as md, formatAgo, formatUtc, isoToMs } from '../../domain/format';
import { slaState as slaOf } from '../../domain/attention';
import { SEVERITY_STYLE } from './treeRows';

/** "met (4m before due)", "**breached** 12m ago (was due …)", "due in 8m (…)": the domain's SLA state, a breach in bold. */
export function slaState(due: string | null | undefined, doneAt: string | null | undefined, nowMs: number): string {
  return slaOf(due, doneAt, nowMs).text.replace(/^breached/, '**breached**');
}

/** The whole document. `updatedAt` is when it was fetched (ms since epoch). */
export function renderIncidentDetail(incident: Incident, nowMs: number, environment: string): string {
  const sev = (incident.severity ?? '').toUpperCase();
  const style = SEVERITY_STYLE[sev];
  const person = (p: { name?: string; email?: string } | null | undefined) => (p ? `${md(p.name ?? p.email)}${p.name && p.email ? ` (${md(p.email)})` : ''}` : '—');
  const out: string[] = [
    `# ${md(incident.incident_number)}: ${md(incident.title)}`,
    '',
    `**${sev || 'Unknown severity'}**${style ? ` (${style.word})` : ''} · **${md(incident.status ?? 'unknown status')}** · opened ${formatAgo(incident.created_at, nowMs) || '? ago'} · ${incident.acknowledged_at ? 'acknowledged' : '**unacknowledged**'}`,
    '',
    '| | |',
    '|---|---|',
    `| Assignee | ${person(incident.assigned_to)} |`,
    `| Team | ${md(incident.team_name) || '—'} |`,
    `| Services | ${incident.services.length ? incident.services.map((s) => `${md(s.name ?? s.service_key)} \`${s.service_key}\``).join(', ') : '—'} |`,
    `| Escalation level | ${incident.escalation_level ?? '—'} |`,
    `| Acknowledge SLA | ${slaState(incident.sla?.acknowledge_due_at, incident.acknowledged_at, nowMs)} |`,
    `| Resolve SLA | ${slaState(incident.sla?.resolve_due_at, incident.resolved_at, nowMs)} |`,
    `| Opened | ${formatUtc(incident.created_at) || '—'} |`,
  ];
  if (incident.acknowledged_at) out.push(`| Acknowledged | ${formatUtc(incident.acknowledged_at)} |`);
  if (incident.resolved_at) out.push(`| Resolved | ${formatUtc(incident.resolved_at)}${incident.resolved_by ? ` by ${person(incident.resolved_by)}` : ''} |`);
  if (incident.closed_at) out.push(`| Closed | ${formatUtc(incident.closed_at)} |`);
  out.push('', '## Description', '', incident.description?.trim() ? incident.description.trim() : '_No description._');
  if (incident.participants?.length) {
    out.push('', '## Participants', '');
    for (const p of incident.participants) out.push(`- ${person(p)}${p.role ? ` — ${md(p.role)}` : ''}`);
  }
  const timeline = [...(incident.timeline ?? [])].sort((a, b) => isoToMs(a.created_at) - isoToMs(b.created_at));
  out.push('', `## Timeline (${timeline.length} event${timeline.length === 1 ? '' : 's'})`, '');
  if (!timeline.length) out.push('_No timeline events._');
  for (const e of timeline) {
    const who = e.actor?.name ?? e.actor?.email;
    out.push(`- **${formatUtc(e.created_at) || 'unknown time'}** · ${md(e.type)}${who ? ` · ${md(who)}` : ''}${e.comment ? `  \n  ${md(e.comment)}` : ''}`);
  }
  out.push('', '---', `_${md(environment)} · fetched ${formatUtc(new Date(nowMs).toISOString())} · read-only; refreshes with the sidebar. Act on it from the Incidents view or the command palette (Runframe: …)._`, '');
  return out.join('\n');
}
