/**
 * Incident tools: list, get, create, update, change status, acknowledge, add a timeline note;
 * their result shapes and text renderings. Runframe v1: /incidents (docs/runframe-api.md).
 */
import { z } from 'zod';
import type { RunframeClient } from '../../api/client';
import { RunframeApiError } from '../../api/errors';
import { isObject, parseTimelineEvent } from '../../api/parse';
import type { Incident, TimelineEvent } from '../../api/types';
import { DEFAULTS, LIMITS, STATUSES } from '../../domain/contract';
import { email, idempotencyKey, incidentRef, isoDateTime, limit, offset, serviceKey, severity } from '../schemas';
import { defineTool, READ, WRITE, type ToolDefinition, type ToolSpec } from './define';
import { isoSeconds } from '../../domain/format';
import { age, listLine, listOf, listSchema, nstr, str } from './results';

const personSchema = z.object({ name: nstr, email: nstr });
const slaSchema = z.object({ acknowledge_due_at: nstr, resolve_due_at: nstr });

/** A person as results carry them; null when there is none. */
const person = (p: { name?: string; email?: string } | null | undefined) => (p ? { name: p.name ?? null, email: p.email ?? null } : null);
const sla = (i: Incident) => (i.sla ? { acknowledge_due_at: i.sla.acknowledge_due_at ?? null, resolve_due_at: i.sla.resolve_due_at ?? null } : null);

/** The facts of an incident every incident result carries (list rows and full incidents). */
const incidentFactsSchema = z.object({
  id: nstr,
  number: str,
  title: str,
  severity: nstr,
  status: nstr,
  created_at: nstr,
  updated_at: nstr,
  acknowledged_at: nstr,
  resolved_at: nstr,
  assignee: personSchema.nullable(),
  resolved_by: personSchema.nullable(),
  team: nstr,
  services: z.array(z.object({ key: str, name: nstr })),
  escalation_level: z.number().nullable(),
  sla: slaSchema.nullable(),
});

/**
 * Every fact an agent acts on next: its id and number, absolute times, assignee and resolver
 * emails, team, service keys, escalation level, SLA due times.
 */
function incidentFacts(i: Incident): z.infer<typeof incidentFactsSchema> {
  return {
    id: i.id ?? null,
    number: i.incident_number,
    title: i.title,
    severity: i.severity ?? null,
    status: i.status ?? null,
    created_at: i.created_at ?? null,
    updated_at: i.updated_at ?? null,
    acknowledged_at: i.acknowledged_at ?? null,
    resolved_at: i.resolved_at ?? null,
    assignee: person(i.assigned_to),
    resolved_by: person(i.resolved_by),
    team: i.team_name ?? null,
    services: i.services.map((s) => ({ key: s.service_key, name: s.name ?? null })),
    escalation_level: i.escalation_level ?? null,
    sla: sla(i),
  };
}

export const incidentSummarySchema = incidentFactsSchema.extend({ age: nstr });
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

/** An incident as a list row: its facts and age, without the description, timeline or participants. */
export function incidentSummary(i: Incident, nowMs: number): IncidentSummary {
  return { ...incidentFacts(i), age: age(i.created_at, nowMs) };
}

const timelineEntrySchema = z.object({ at: nstr, type: str, by: nstr, text: nstr });

export const incidentDetailSchema = incidentFactsSchema.extend({
  description: nstr,
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
    ...incidentFacts(i),
    description: i.description ?? null,
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

/** The columns of the list text, named once in its header line. */
const LIST_COLUMNS = 'number|id|severity|status|title|team|services (key name)|assignee|escalation level|created (age)|updated|acknowledged|resolved (by)|SLA acknowledge due|SLA resolve due';

const t = (iso: string | null) => isoSeconds(iso) ?? '-';
const services = (list: { key: string; name: string | null }[]) => list.map((x) => `${x.key}${x.name ? ` ${x.name}` : ''}`).join(', ') || '-';

/**
 * The list as a model reads it: a paging line, a header naming the columns once, then one line
 * per incident with every fact of incidentSummary, `|`-separated (titles keep their own text),
 * times absolute (ISO 8601 UTC to the second) and people by email. About a third of the same
 * list as indented API JSON (the reference server's text).
 */
export function incidentListText(r: ReturnType<typeof listOf<Incident, IncidentSummary>>): string {
  const lines = r.items.map((i) =>
    [
      i.number, i.id ?? '-', i.severity ?? '?', i.status ?? '?', i.title, i.team ?? '-', services(i.services),
      i.assignee?.email ?? i.assignee?.name ?? 'unassigned', i.escalation_level ?? '-',
      `${t(i.created_at)}${i.age ? ` (${i.age})` : ''}`, t(i.updated_at), i.acknowledged_at ? t(i.acknowledged_at) : 'UNACKNOWLEDGED',
      i.resolved_at ? `${t(i.resolved_at)}${i.resolved_by ? ` by ${i.resolved_by.email ?? i.resolved_by.name}` : ''}` : '-',
      t(i.sla?.acknowledge_due_at ?? null), t(i.sla?.resolve_due_at ?? null),
    ].join('|'),
  );
  return [listLine(r, 'incidents'), ...(lines.length ? [LIST_COLUMNS] : []), ...lines].join('\n');
}

export function incidentDetailText(d: IncidentDetail): string {
  const head = [
    `${d.number} ${d.title}`,
    `id ${d.id ?? '-'} | ${d.severity ?? '?'} | ${d.status ?? '?'} | team ${d.team ?? '-'} | escalation level ${d.escalation_level ?? '-'}`,
    `assignee: ${d.assignee ? `${d.assignee.name ?? ''} <${d.assignee.email ?? ''}>` : 'none'} | acknowledged: ${d.acknowledged_at ? t(d.acknowledged_at) : 'no'} | created: ${t(d.created_at)} | updated: ${t(d.updated_at)}${d.resolved_at ? ` | resolved: ${t(d.resolved_at)}${d.resolved_by ? ` by ${d.resolved_by.name ?? ''} <${d.resolved_by.email ?? ''}>` : ''}` : ''}`,
    `services: ${d.services.map((s) => `${s.name ?? s.key} (${s.key})`).join(', ') || '-'}`,
  ];
  if (d.sla) head.push(`SLA: acknowledge by ${t(d.sla.acknowledge_due_at)}, resolve by ${t(d.sla.resolve_due_at)}`);
  if (d.participants.length) head.push(`participants: ${d.participants.map((p) => `${p.name ?? ''} <${p.email ?? ''}>${p.role ? ` ${p.role}` : ''}`).join(', ')}`);
  if (d.description) head.push(`description: ${d.description}`);
  head.push(`timeline (${d.timeline.length} of ${d.timeline_total}${d.note ? `; ${d.note}` : ''}):`);
  return [...head, ...d.timeline.map((e) => `- ${t(e.at)} ${e.type}${e.by ? ` by ${e.by}` : ''}${e.text ? `: ${e.text}` : ''}`)].join('\n');
}

const now = () => Date.now();

/** The incident argument most tools take. */
export const incidentId = { id: incidentRef() };

/**
 * A tool that takes only an incident (`id`) and answers with the whole incident, as get,
 * acknowledge and escalate do. @param call the API call, e.g. Runframe v1 POST /incidents/{number}/acknowledge
 */
export function incidentTool(spec: Omit<ToolSpec<z.ZodObject<typeof incidentId>, typeof incidentDetailSchema>, 'input' | 'output' | 'run' | 'render' | 'truncate'> & { call: (client: RunframeClient, id: string, signal: AbortSignal) => Promise<Incident> }): ToolDefinition {
  const { call, ...rest } = spec;
  return defineTool({
    ...rest,
    input: z.object(incidentId).strict(),
    output: incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id }, signal) => incidentDetail(await call(client, id, signal)),
    render: incidentDetailText,
  });
}

/** The tools of this area, in the reference server's order. */
export const INCIDENT_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'runframe_list_incidents',
    title: 'List incidents',
    description: 'List incidents filtered by status, severity, assignee, team or dates, newest first. Returns a page of incidents (no timelines) with total, has_more and next_offset.',
    summary: 'incidents by status, severity, assignee, resolver, team, created/resolved dates; paginated',
    scope: 'incidents:read',
    tier: 'read',
    annotations: READ,
    input: z
      .object({
        status: z.array(z.string().min(1).max(50)).max(10).optional().describe(`Statuses to include: ${STATUSES.join(', ')} (may vary by organization)`),
        severity: z.array(severity).max(5).optional().describe('Severities to include, SEV0 (critical) to SEV4'),
        assigned_to: email('Current assignee email (find it with runframe_find_user)').optional(),
        resolved_by: email('Resolver email').optional(),
        team_name: z.string().min(1).max(LIMITS.search.max).optional().describe('Exact team name (see runframe_list_teams)'),
        created_after: isoDateTime('Only incidents created at or after this ISO 8601 time').optional(),
        created_before: isoDateTime('Only incidents created at or before this ISO 8601 time').optional(),
        resolved_after: isoDateTime('Only incidents resolved at or after this ISO 8601 time').optional(),
        resolved_before: isoDateTime('Only incidents resolved at or before this ISO 8601 time').optional(),
        limit: limit(20),
        offset,
      })
      .strict(),
    output: listSchema(incidentSummarySchema),
    truncate: 'items',
    run: async (client, args, signal) => listOf(await client.listIncidents(args, signal), (i) => incidentSummary(i, now())),
    render: incidentListText,
  }),
  incidentTool({
    name: 'runframe_get_incident',
    title: 'Get incident',
    description: 'Get one incident with its timeline, participants, affected services, assignee, SLA and escalation level.',
    summary: 'one incident with timeline, participants, services, SLA, escalation level',
    scope: 'incidents:read',
    tier: 'read',
    annotations: READ,
    call: (client, id, signal) => client.getIncident(id, signal),
  }),
  defineTool({
    name: 'runframe_create_incident',
    title: 'Create incident',
    description: `Declare a new incident. Needs ${LIMITS.services.min}-${LIMITS.services.max} service keys (find them with runframe_list_services). Assignment follows the on-call schedule. Retry-safe: the same idempotency_key and input never create a second incident.`,
    summary: `declare an incident on ${LIMITS.services.min}-${LIMITS.services.max} services; always sent with an \`Idempotency-Key\``,
    scope: 'incidents:write',
    tier: 'write',
    annotations: WRITE,
    input: z
      .object({
        title: z.string().trim().min(LIMITS.title.min).max(LIMITS.title.max).describe(`Incident title, ${LIMITS.title.min}-${LIMITS.title.max} characters`),
        description: z.string().max(LIMITS.description.max).optional().describe(`Details, at most ${LIMITS.description.max} characters`),
        severity: severity.optional().describe(`SEV0 (critical) to SEV4; default ${DEFAULTS.severity}`),
        service_ids: z.array(serviceKey()).min(LIMITS.services.min).max(LIMITS.services.max).describe(`Affected service keys, ${LIMITS.services.min}-${LIMITS.services.max}, e.g. ["svc_K7QW2M9XHP"]`),
        idempotency_key: idempotencyKey.optional(),
      })
      .strict(),
    output: incidentDetailSchema,
    truncate: 'timeline',
    // Always retry-safe: the caller's key, or one made for this call (reused by the client's retries).
    run: async (client, { idempotency_key, ...input }, signal) => {
      const key = idempotency_key ?? `mcp-${crypto.randomUUID()}`;
      try {
        return incidentDetail(await client.createIncident(input, { idempotencyKey: key, signal }));
      } catch (err) {
        // If the answer was lost, the same key replays the incident instead of making a second one.
        if (err instanceof RunframeApiError && (err.kind !== 'http' || err.status >= 500 || err.status === 429)) {
          throw err.withHint(`To retry without risking a second incident, call again with idempotency_key "${key}".`);
        }
        throw err;
      }
    },
    render: incidentDetailText,
  }),
  defineTool({
    name: 'runframe_update_incident',
    title: 'Update incident',
    description: 'Change an incident\'s title, description, severity or assignee (at least one). For status use runframe_change_incident_status.',
    summary: 'title, description, severity or assignee',
    scope: 'incidents:write',
    tier: 'write',
    annotations: { ...WRITE, idempotentHint: true },
    input: z
      .object({
        ...incidentId,
        title: z.string().trim().min(LIMITS.title.min).max(LIMITS.title.max).optional(),
        description: z.string().max(LIMITS.description.max).optional(),
        severity: severity.optional(),
        assigned_to: email('Email of the engineer to assign (find it with runframe_find_user)').optional(),
      })
      .strict()
      .refine((a) => a.title !== undefined || a.description !== undefined || a.severity !== undefined || a.assigned_to !== undefined, {
        message: 'At least one field must be provided for update: title, description, severity or assigned_to',
      }),
    output: incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id, ...patch }, signal) => incidentDetail(await client.updateIncident(id, patch, signal)),
    render: incidentDetailText,
  }),
  defineTool({
    name: 'runframe_change_incident_status',
    title: 'Change incident status',
    description: `Move an incident to another status: ${STATUSES.join(', ')}. Forward steps may be skipped; resolved can reopen to investigating; closed is final. To acknowledge use runframe_acknowledge_incident.`,
    summary: `move along ${STATUSES.join(', ')}`,
    scope: 'incidents:write',
    tier: 'write',
    annotations: WRITE,
    input: z
      .object({
        ...incidentId,
        status: z.string().trim().min(1).max(50).describe(`Target status: ${STATUSES.join(', ')}`),
        comment: z.string().max(LIMITS.statusComment.max).optional().describe(`Reason for the change, at most ${LIMITS.statusComment.max} characters`),
      })
      .strict(),
    output: incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id, status, comment }, signal) => incidentDetail(await client.changeIncidentStatus(id, status, comment, signal)),
    render: incidentDetailText,
  }),
  incidentTool({
    name: 'runframe_acknowledge_incident',
    title: 'Acknowledge incident',
    description: 'Acknowledge an incident: assigns it to the API key\'s user, stamps the acknowledgement time and stops the acknowledge SLA. Answers "already acknowledged" if someone did.',
    summary: 'assign to the key\'s user and stop the acknowledge SLA',
    scope: 'incidents:write',
    tier: 'write',
    annotations: { ...WRITE, idempotentHint: true },
    call: (client, id, signal) => client.acknowledgeIncident(id, signal),
  }),
  defineTool({
    name: 'runframe_add_incident_event',
    title: 'Add timeline note',
    description: 'Add a note to an incident\'s timeline (what was found, tried or decided).',
    summary: 'add a timeline note',
    scope: 'incidents:write',
    tier: 'write',
    annotations: WRITE,
    input: z.object({ ...incidentId, comment: z.string().trim().min(LIMITS.note.min).max(LIMITS.note.max).describe(`The note, ${LIMITS.note.min}-${LIMITS.note.max} characters`) }).strict(),
    output: noteResultSchema,
    run: async (client, { id, comment }, signal) => noteResult(id, await client.addIncidentEvent(id, comment, signal)),
  }),
];
