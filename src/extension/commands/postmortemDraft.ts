/**
 * A postmortem as a Markdown draft a person edits, and the POST /postmortems body read back from
 * it. The draft is prefilled from the incident (impact, response times, the timeline); each
 * section the author fills becomes one field. Text inside HTML comments is guidance and is never
 * sent. Pure. Fields: Runframe v1 POST /postmortems (docs/runframe-api.md).
 */
import { POSTMORTEM_TEXT_FIELDS, type PostmortemTextField } from '../../domain/contract';
import { formatDuration, formatUtc, isoToMs } from '../../domain/format';
import { ACTION_ITEM_STATUSES, type Incident, type PostmortemActionItem, type PostmortemInput } from '../../api/types';

/** First line of every draft; says which incident it belongs to. */
export const DRAFT_MARKER = /<!--\s*runframe-postmortem\s+incident=(INC-\d{4}-\d+)\s*-->/;

/** The heading and writing hint of each text section (every field of the contract must have one). */
const SECTION_TEXT: Record<PostmortemTextField, { heading: string; hint: string }> = {
  executive_summary: { heading: 'Executive summary', hint: 'Two or three sentences for leadership.' },
  summary: { heading: 'Summary', hint: 'What happened, in a paragraph.' },
  root_cause: { heading: 'Root cause', hint: 'The underlying cause, not the trigger.' },
  resolution: { heading: 'Resolution', hint: 'What stopped the impact.' },
  contributing_factors: { heading: 'Contributing factors', hint: 'What made it worse or slower to fix.' },
  detection_path: { heading: 'Detection path', hint: 'How we found out: alert, customer, colleague.' },
  monitoring_gaps: { heading: 'Monitoring gaps', hint: 'What should have alerted earlier.' },
  five_whys: { heading: 'Five whys', hint: 'Why? Why? Why? Why? Why?' },
  prevented_recurrence: { heading: 'Prevented recurrence', hint: 'What now stops this from happening again.' },
};

/** Text sections, in the contract's order (src/domain/contract.ts): heading -> API field. */
export const TEXT_SECTIONS: readonly { heading: string; field: PostmortemTextField; hint: string }[] = POSTMORTEM_TEXT_FIELDS.map((field) => ({ field, ...SECTION_TEXT[field] }));


const between = (from?: string | null, to?: string | null) => {
  const a = isoToMs(from);
  const b = isoToMs(to);
  return a && b && b >= a ? formatDuration(b - a) : '';
};

/** The draft's name, shown as its tab title: "Postmortem INC-2026-040 (draft)". */
export function postmortemDraftTitle(incidentNumber: string): string {
  return `Postmortem ${incidentNumber} (draft)`;
}

/** The draft for a resolved (or closed) incident, prefilled from it and its timeline. */
export function postmortemDraft(incident: Incident): string {
  const services = incident.services.map((s) => s.name ?? s.service_key);
  const out = [
    `<!-- runframe-postmortem incident=${incident.incident_number} -->`,
    `# Postmortem: ${incident.incident_number} ${incident.title}`,
    '',
    '<!-- Fill in the sections, then run "Runframe: Submit Postmortem" with this document open. Empty sections are not sent; text in comments like this one is never sent. -->',
    '',
  ];
  for (const s of TEXT_SECTIONS) out.push(`## ${s.heading}`, '', `<!-- ${s.hint} -->`, '', '');
  out.push(
    '## Impact',
    '',
    `- Duration: ${between(incident.created_at, incident.resolved_at)}`,
    '- Users affected: ',
    `- Services affected: ${services.join(', ')}`,
    '- Revenue impact: ',
    '',
    '## Response timeline',
    '',
    `- Time to acknowledge: ${between(incident.created_at, incident.acknowledged_at)}`,
    '- Time to identify: ',
    `- Time to resolve: ${between(incident.created_at, incident.resolved_at)}`,
    '',
    '## Timeline',
    '',
    '<!-- One line per event: "- <time> — <what happened>". Prefilled from the incident timeline (times in UTC). -->',
  );
  for (const e of [...(incident.timeline ?? [])].sort((a, b) => isoToMs(a.created_at) - isoToMs(b.created_at))) {
    if (!e.created_at) continue;
    const who = e.actor?.name ? ` (${e.actor.name})` : '';
    out.push(`- ${formatUtc(e.created_at)} — ${(e.comment ?? e.type).replace(/\r?\n/g, ' ')}${who}`);
  }
  out.push(
    '',
    '## Action items',
    '',
    `<!-- One per line: "- [ ] what to do — owner@example.com — due 2026-12-31"; [x] marks it completed, [~] in progress. -->`,
    '',
  );
  return out.join('\n');
}

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

/** Splits the draft into "## heading" -> body (comments removed, trimmed). */
function sections(markdown: string): Map<string, string> {
  const map = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => current !== undefined && map.set(current.toLowerCase(), stripComments(body.join('\n')).trim());
  for (const line of markdown.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) {
      flush();
      current = h[1];
      body = [];
    } else if (current !== undefined) body.push(line);
  }
  flush();
  return map;
}

/** "- Label: value" lines of a section, by lower-case label; empty values left out. */
function bullets(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const m = /^\s*[-*]\s+([^:]+):\s*(.*)$/.exec(line);
    if (m && m[2].trim()) map.set(m[1].trim().toLowerCase(), m[2].trim());
  }
  return map;
}

/**
 * Reads a draft back into a POST /postmortems body.
 * @returns the body, or `{ error }` when the document is not a draft (no marker line)
 */
export function parsePostmortemDraft(markdown: string): { input: PostmortemInput } | { error: string } {
  const marker = DRAFT_MARKER.exec(markdown);
  if (!marker) return { error: 'This document is not a Runframe postmortem draft (its first line names the incident). Open one with "Runframe: Draft Postmortem".' };
  const input: PostmortemInput = { incident_number: marker[1] };
  const secs = sections(markdown);
  for (const s of TEXT_SECTIONS) {
    const text = secs.get(s.heading.toLowerCase());
    if (text) (input as unknown as Record<string, unknown>)[s.field] = text;
  }
  const impact = bullets(secs.get('impact'));
  const services = impact.get('services affected');
  const impactBody = {
    duration: impact.get('duration'),
    users_affected: impact.get('users affected'),
    services_affected: services ? services.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    revenue_impact: impact.get('revenue impact'),
  };
  if (Object.values(impactBody).some((v) => v !== undefined)) input.impact = JSON.parse(JSON.stringify(impactBody));
  const rt = bullets(secs.get('response timeline'));
  const rtBody = { time_to_acknowledge: rt.get('time to acknowledge'), time_to_identify: rt.get('time to identify'), time_to_resolve: rt.get('time to resolve') };
  if (Object.values(rtBody).some((v) => v !== undefined)) input.response_timeline = JSON.parse(JSON.stringify(rtBody));
  const timeline = (secs.get('timeline') ?? '')
    .split('\n')
    // The time is whatever precedes the first dash: "Sat 21 Nov 14:05 UTC" as prefilled, or an ISO time.
    .map((l) => /^\s*[-*]\s+(.+?)\s+(?:—|--?)\s+(.+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ timestamp: m[1], description: m[2].trim() }));
  if (timeline.length) input.timeline = timeline;
  const items: PostmortemActionItem[] = [];
  for (const line of (secs.get('action items') ?? '').split('\n')) {
    const m = /^\s*[-*]\s+\[([ xX~])\]\s+(.+)$/.exec(line);
    if (!m) continue;
    const parts = m[2].split(/\s+[—]\s+|\s+--\s+/).map((p) => p.trim());
    const item: PostmortemActionItem = { text: parts[0], status: m[1] === ' ' ? 'pending' : m[1] === '~' ? 'in_progress' : 'completed' };
    for (const p of parts.slice(1)) {
      if (/^\S+@\S+$/.test(p)) item.owner_email = p;
      else if (/^due\s+/i.test(p)) item.due_date = p.replace(/^due\s+/i, '');
    }
    if (item.text && (ACTION_ITEM_STATUSES as readonly string[]).includes(item.status!)) items.push(item);
  }
  if (items.length) input.action_items = items;
  return { input };
}

/** The draft's heading for an API field name, e.g. "root_cause" -> "Root cause". */
export function headingOf(field: string): string {
  return TEXT_SECTIONS.find((s) => s.field === field)?.heading ?? field.replace(/_/g, ' ');
}
