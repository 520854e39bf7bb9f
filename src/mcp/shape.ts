/**
 * What tools give the model: API objects trimmed to the fields an agent acts on, as
 * `structuredContent` (matching each tool's outputSchema) plus a compact text rendering.
 * Pure functions; times are ISO strings from the API, ages are relative to `nowMs`.
 */
import { z } from 'zod';
import { isObject, parseTimelineEvent } from '../api/parse';
import type { EscalationPolicy, Incident, OnCallSnapshot, Page, PageResult, Postmortem, Service, Team, TimelineEvent, User } from '../api/types';

/** Largest result a tool returns, in bytes of structured JSON plus text (8 KiB). */
export const MAX_RESULT_BYTES = 8 * 1024;

/** Compact age: "45m", "5h", "3d". */
export function age(iso: string | null | undefined, nowMs: number): string | null {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return null;
  const m = Math.max(0, Math.floor((nowMs - t) / 60_000));
  return m < 60 ? `${m}m` : m < 48 * 60 ? `${Math.floor(m / 60)}h` : `${Math.floor(m / 1440)}d`;
}

const str = z.string();
const nstr = z.string().nullable();

export const incidentSummarySchema = z.object({
  number: str,
  title: str,
  severity: nstr,
  status: nstr,
  assignee: nstr,
  acknowledged: z.boolean(),
  age: nstr,
  services: z.array(str),
});
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

/** An incident as a list row: number, title, severity, status, assignee, age, services. */
export function incidentSummary(i: Incident, nowMs: number): IncidentSummary {
  return {
    number: i.incident_number,
    title: i.title,
    severity: i.severity ?? null,
    status: i.status ?? null,
    assignee: i.assigned_to?.name ?? i.assigned_to?.email ?? null,
    acknowledged: Boolean(i.acknowledged_at),
    age: age(i.created_at, nowMs),
    services: i.services.map((s) => s.name ?? s.service_key),
  };
}

const pagingFields = {
  total: z.number().nullable(),
  has_more: z.boolean(),
  next_offset: z.number().nullable(),
  note: z.string().optional(),
};

/** Output schema of a paginated list of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), ...pagingFields });
}

/** A page reshaped: items mapped, paging kept, a note when odd items were skipped. */
export function pageOf<T, U>(page: Page<T>, map: (t: T) => U) {
  return {
    items: page.items.map(map),
    total: page.total ?? null,
    has_more: page.has_more,
    next_offset: page.next_offset,
    ...(page.skipped ? { note: `${page.skipped} item(s) the API returned could not be read and were left out.` } : {}),
  };
}

const timelineEntrySchema = z.object({ at: nstr, type: str, by: nstr, text: nstr });

export const incidentDetailSchema = z.object({
  number: str,
  title: str,
  description: nstr,
  severity: nstr,
  status: nstr,
  created_at: nstr,
  acknowledged_at: nstr,
  resolved_at: nstr,
  assignee: z.object({ name: nstr, email: nstr }).nullable(),
  team: nstr,
  services: z.array(z.object({ key: str, name: nstr })),
  escalation_level: z.number().nullable(),
  sla: z.object({ acknowledge_due_at: nstr, resolve_due_at: nstr }).nullable(),
  participants: z.array(z.object({ name: nstr, email: nstr, role: nstr })),
  timeline: z.array(timelineEntrySchema),
  timeline_total: z.number(),
  note: z.string().optional(),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

function entry(e: TimelineEvent) {
  return { at: e.created_at ?? null, type: e.type, by: e.actor?.name ?? e.actor?.email ?? null, text: e.comment ?? null };
}

/** A full incident, timeline oldest first. */
export function incidentDetail(i: Incident): IncidentDetail {
  const timeline = (i.timeline ?? []).map(entry);
  return {
    number: i.incident_number,
    title: i.title,
    description: i.description ?? null,
    severity: i.severity ?? null,
    status: i.status ?? null,
    created_at: i.created_at ?? null,
    acknowledged_at: i.acknowledged_at ?? null,
    resolved_at: i.resolved_at ?? null,
    assignee: i.assigned_to ? { name: i.assigned_to.name ?? null, email: i.assigned_to.email ?? null } : null,
    team: i.team_name ?? null,
    services: i.services.map((s) => ({ key: s.service_key, name: s.name ?? null })),
    escalation_level: i.escalation_level ?? null,
    sla: i.sla ? { acknowledge_due_at: i.sla.acknowledge_due_at ?? null, resolve_due_at: i.sla.resolve_due_at ?? null } : null,
    participants: (i.participants ?? []).map((p) => ({ name: p.name ?? null, email: p.email ?? null, role: p.role ?? null })),
    timeline,
    timeline_total: timeline.length,
  };
}

export const noteResultSchema = z.object({ incident: str, added: z.boolean(), entry: timelineEntrySchema.nullable(), note: z.string().optional() });

/**
 * Result of adding a timeline note (the API's answer, part B: {incident_number, event}).
 * `added` is what the answer shows: true when it carries the new event. A success without a
 * readable event is not claimed as added, and says to check before sending the note again.
 */
export function noteResult(number: string, raw: unknown) {
  const ev = isObject(raw) ? parseTimelineEvent(raw.event) : undefined;
  if (ev) return { incident: number, added: true, entry: entry(ev) };
  return {
    incident: number,
    added: false,
    entry: null,
    note: 'Runframe accepted the request, but its answer does not show the new event: check the timeline (runframe_get_incident) before adding it again.',
  };
}

export const pageResultSchema = z.object({ paged: z.boolean(), incident: nstr, email: nstr, channels: z.array(str), urgency: nstr });

export function pageResult(r: PageResult) {
  return { paged: r.paged, incident: r.incident_number ?? null, email: r.email ?? null, channels: r.channels ?? [], urgency: r.urgency ?? null };
}

const engineerSchema = z.object({ name: str, email: nstr, role: nstr, until: nstr });
export const onCallSchema = z.object({
  at: nstr,
  services_total: z.number(),
  uncovered: z.array(z.object({ key: str, name: str, team: nstr })),
  services: z.array(z.object({ key: str, name: str, team: nstr, on_call: z.array(engineerSchema) })),
  note: z.string().optional(),
});

/** Who is on call, per covered service, plus the services nobody covers. */
export function onCall(s: OnCallSnapshot) {
  const covered = s.services.filter((x) => x.has_coverage && x.on_call_engineers.length);
  return {
    at: s.timestamp ?? null,
    services_total: s.services.length,
    uncovered: s.services.filter((x) => !covered.includes(x)).map((x) => ({ key: x.service_key, name: x.service_name, team: x.team_name ?? null })),
    services: covered.map((x) => ({
      key: x.service_key,
      name: x.service_name,
      team: x.team_name ?? null,
      on_call: x.on_call_engineers.map((e) => ({ name: e.name, email: e.email ?? null, role: e.role ?? null, until: e.shift_ends_at ?? null })),
    })),
  };
}

export const serviceSchema = z.object({ key: str, name: str, team: nstr, description: nstr });
export function service(s: Service) {
  return { key: s.service_key, name: s.name, team: s.team_name ?? null, description: s.description ?? null };
}

export const teamSchema = z.object({ name: str, description: nstr });
export function team(t: Team) {
  return { name: t.name, description: t.description ?? null };
}

export const userSchema = z.object({ name: str, email: str, active: z.boolean().nullable() });
export function user(u: User) {
  return { name: u.name, email: u.email, active: u.is_active ?? null };
}

export const policySchema = z.object({
  severity: nstr,
  levels: z.array(z.object({ level: z.number(), after_minutes: z.number().nullable(), notifies: z.array(str) })),
});
export function policy(p: EscalationPolicy) {
  return {
    severity: p.severity ?? null,
    levels: p.levels.map((l) => ({ level: l.level, after_minutes: l.delay_minutes ?? null, notifies: l.targets.map((t) => [t.name, t.email && `<${t.email}>`].filter(Boolean).join(' ') || t.type || '?') })),
  };
}

/** Postmortems keep every field the API sent: they are the content the model works on. */
export const postmortemSchema = z.looseObject({ incident_number: str });
export function postmortem(p: Postmortem) {
  return { ...p };
}

// ---- text renderings ---------------------------------------------------------------------------

function pagingLine(r: { items: unknown[]; total: number | null; has_more: boolean; next_offset: number | null; note?: string }, noun: string): string {
  const more = r.has_more ? `; more: call again with offset=${r.next_offset}` : '';
  return `${r.items.length} ${noun}${r.total !== null ? ` of ${r.total}` : ''}${more}${r.note ? `. ${r.note}` : ''}`;
}

/** One line per incident: number | severity | status | age | assignee | services | title. */
export function incidentListText(r: ReturnType<typeof pageOf<Incident, IncidentSummary>>): string {
  const lines = r.items.map((i) =>
    [i.number, i.severity ?? '?', i.status ?? '?', i.age ?? '?', i.acknowledged ? (i.assignee ?? 'unassigned') : 'UNACKNOWLEDGED', i.services.join(', ') || '-', i.title].join(' | '),
  );
  return [pagingLine(r, 'incidents'), ...lines].join('\n');
}

export function incidentDetailText(d: IncidentDetail): string {
  const head = [
    `${d.number} ${d.title}`,
    `${d.severity ?? '?'} | ${d.status ?? '?'} | team ${d.team ?? '-'} | escalation level ${d.escalation_level ?? '-'}`,
    `assignee: ${d.assignee ? `${d.assignee.name ?? ''} <${d.assignee.email ?? ''}>` : 'none'} | acknowledged: ${d.acknowledged_at ?? 'no'} | created: ${d.created_at ?? '?'}${d.resolved_at ? ` | resolved: ${d.resolved_at}` : ''}`,
    `services: ${d.services.map((s) => `${s.name ?? s.key} (${s.key})`).join(', ') || '-'}`,
  ];
  if (d.sla) head.push(`SLA: acknowledge by ${d.sla.acknowledge_due_at ?? '-'}, resolve by ${d.sla.resolve_due_at ?? '-'}`);
  if (d.description) head.push(`description: ${d.description}`);
  head.push(`timeline (${d.timeline.length} of ${d.timeline_total}${d.note ? `; ${d.note}` : ''}):`);
  return [...head, ...d.timeline.map((e) => `- ${e.at ?? '?'} ${e.type}${e.by ? ` by ${e.by}` : ''}${e.text ? `: ${e.text}` : ''}`)].join('\n');
}

export function onCallText(o: ReturnType<typeof onCall>): string {
  return [
    `on call at ${o.at ?? 'now'}: ${o.services.length} of ${o.services_total} services covered`,
    ...o.services.map((s) => `${s.name} (${s.key}, ${s.team ?? '-'}): ${s.on_call.map((e) => `${e.name}${e.role ? ` [${e.role}]` : ''}${e.until ? ` until ${e.until}` : ''}`).join('; ')}`),
    ...(o.uncovered.length ? [`NO COVERAGE: ${o.uncovered.map((s) => `${s.name} (${s.key})`).join(', ')}`] : []),
  ].join('\n');
}

/** Generic compact rendering: one `key: value` per line, lists one item per line as JSON. */
export function compactText(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.items)) {
      return [pagingLine(o as never, 'items'), ...o.items.map((i) => JSON.stringify(i))].join('\n');
    }
    return Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n');
  }
  return JSON.stringify(value);
}
