/**
 * Markdown renderings for MCP resources and prompts: an incident with its timeline, the open
 * incidents, and who is on call. Pure; `nowMs` only feeds relative ages.
 */
import type { Incident, OnCallSnapshot } from '../api/types';
import { escapeMarkdown } from '../domain/format';
import { age } from './tools/results';

// API text must not break the Markdown around it (no headings or tables from titles).
const inline = escapeMarkdown;

/** One incident: summary, services, SLA, participants and the full timeline, oldest first. */
export function incidentMarkdown(i: Incident, nowMs: number): string {
  const lines = [
    `# ${inline(i.incident_number)}: ${inline(i.title)}`,
    '',
    `- **Severity:** ${i.severity ?? 'unknown'}`,
    `- **Status:** ${i.status ?? 'unknown'}`,
    `- **Opened:** ${i.created_at ?? '?'} (${age(i.created_at, nowMs) ?? '?'} ago)`,
    `- **Acknowledged:** ${i.acknowledged_at ?? 'not yet'}`,
    `- **Assignee:** ${i.assigned_to ? inline(`${i.assigned_to.name ?? ''} <${i.assigned_to.email ?? ''}>`) : 'nobody'}`,
    `- **Team:** ${inline(i.team_name) || '-'}`,
    `- **Services:** ${i.services.map((s) => `${inline(s.name ?? s.service_key)} (\`${s.service_key}\`)`).join(', ') || '-'}`,
    `- **Escalation level:** ${i.escalation_level ?? '-'}`,
  ];
  if (i.sla) lines.push(`- **SLA:** acknowledge by ${i.sla.acknowledge_due_at ?? '-'}, resolve by ${i.sla.resolve_due_at ?? '-'}`);
  if (i.resolved_at) lines.push(`- **Resolved:** ${i.resolved_at}${i.resolved_by ? ` by ${inline(i.resolved_by.name ?? i.resolved_by.email)}` : ''}`);
  if (i.description) lines.push('', '## Description', '', i.description.trim());
  if (i.participants?.length) {
    lines.push('', '## Participants', '', ...i.participants.map((p) => `- ${inline(p.name ?? p.email)}${p.role ? ` (${inline(p.role)})` : ''}`));
  }
  lines.push('', '## Timeline', '');
  const timeline = i.timeline ?? [];
  if (!timeline.length) lines.push('_No timeline events._');
  for (const e of timeline) lines.push(`- ${e.created_at ?? '?'} **${e.type.replace(/[^A-Za-z0-9_-]/g, "")}**${e.actor ? ` by ${inline(e.actor.name ?? e.actor.email)}` : ''}${e.comment ? `: ${inline(e.comment)}` : ''}`);
  return lines.join('\n') + '\n';
}

/** A table of incidents (most severe first as given), or a line saying there are none. */
export function incidentTableMarkdown(incidents: readonly Incident[], nowMs: number): string {
  if (!incidents.length) return '_No open incidents._\n';
  const rows = incidents.map((i) =>
    `| ${inline(i.incident_number)} | ${i.severity ?? '?'} | ${i.status ?? '?'} | ${age(i.created_at, nowMs) ?? '?'} | ${i.acknowledged_at ? inline(i.assigned_to?.name ?? i.assigned_to?.email) || 'unassigned' : '**unacknowledged**'} | ${inline(i.services.map((s) => s.name ?? s.service_key).join(', '))} | ${inline(i.title)} |`,
  );
  return ['| Incident | Severity | Status | Age | Assignee | Services | Title |', '|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** Who is on call per team and service, with shift ends; uncovered services called out. */
export function onCallMarkdown(s: OnCallSnapshot): string {
  const lines = [`# On call${s.timestamp ? ` at ${s.timestamp}` : ''}`, ''];
  const uncovered = s.services.filter((x) => !x.has_coverage || !x.on_call_engineers.length);
  if (uncovered.length) lines.push(`**No coverage:** ${uncovered.map((x) => `${inline(x.service_name)} (\`${x.service_key}\`)`).join(', ')}`, '');
  const teams = [...new Set(s.services.map((x) => x.team_name ?? 'No team'))].sort();
  for (const team of teams) {
    lines.push(`## ${inline(team)}`, '');
    const services = s.services.filter((x) => (x.team_name ?? 'No team') === team).sort((a, b) => a.service_name.localeCompare(b.service_name));
    for (const svc of services) {
      const who = svc.on_call_engineers.map((e) => `${inline(e.name)}${e.role ? ` (${e.role})` : ''}${e.shift_ends_at ? ` until ${e.shift_ends_at}` : ''}`).join('; ');
      lines.push(`- **${inline(svc.service_name)}** (\`${svc.service_key}\`): ${who || 'nobody'}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
