/**
 * The 17 tools of Runframe's public MCP server (same names and input contracts, v0.1.15),
 * each declared once, as data: name, title, description, access tier, input schema,
 * annotations and the handler that calls the shared API client.
 *
 * Annotations: read tools are readOnlyHint + !openWorldHint (VS Code runs them without asking);
 * page and escalate are destructiveHint + openWorldHint (they notify real people).
 */
import { z } from 'zod';
import type { RunframeClient } from '../api/client';
import { RunframeApiError } from '../api/errors';
import { DEFAULTS, LIMITS } from '../domain/contract';
import { email, incidentRef, isoDateTime, limit, offset, pageChannel, serviceKey, severity, actionItemStatus } from './schemas';
import * as shape from './shape';

/** Access tier: `read` reads only; `write` changes incidents and postmortems; `page` notifies people. */
export type ToolTier = 'read' | 'write' | 'page';

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** One tool, declared as data. `run` receives validated, normalised arguments. */
export interface ToolDefinition<S extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  tier: ToolTier;
  input: S;
  /** Schema of `structuredContent` (sent as outputSchema) */
  output: O;
  annotations: ToolAnnotations;
  /**
   * Performs the call and returns the structured result (trimmed to what an agent needs).
   * @throws RunframeApiError / RunframeInputError, turned into tool errors by the server
   */
  run(client: RunframeClient, args: z.output<S>, signal: AbortSignal): Promise<z.output<O>>;
  /** Compact text rendering of the structured result; default shape.compactText */
  render?: (result: z.output<O>) => string;
  /**
   * What may be cut to keep a result under 8 KB: list `items` (keep the first, point at the
   * next offset) or an incident's `timeline` (keep the latest). Long strings are cut last.
   */
  truncate?: 'items' | 'timeline';
}

function tool<S extends z.ZodObject, O extends z.ZodObject>(def: ToolDefinition<S, O>): ToolDefinition {
  return def as unknown as ToolDefinition;
}

const now = () => Date.now();

const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
const NOTIFY: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

const incidentId = { id: incidentRef() };

/** A free-text postmortem section. */
const postmortemText = z.string().max(LIMITS.postmortemText.max).optional();

/** The postmortem body fields, shared by create_postmortem. */
const postmortemFields = {
  summary: postmortemText.describe('What happened'),
  root_cause: postmortemText.describe('Root cause analysis'),
  resolution: postmortemText.describe('How it was fixed'),
  impact: z
    .object({
      duration: z.string().max(200).optional(),
      users_affected: z.string().max(500).optional(),
      services_affected: z.array(z.string().max(200)).max(50).optional(),
      revenue_impact: z.string().max(500).optional(),
    })
    .strict()
    .optional()
    .describe('Impact details'),
  timeline: z
    .array(z.object({ timestamp: z.string().max(64), description: z.string().min(1).max(2000) }).strict())
    .max(200)
    .optional()
    .describe('Timeline of events'),
  action_items: z
    .array(
      z
        .object({
          text: z.string().min(1).max(2000),
          owner_email: email('Owner email').optional(),
          due_date: z.string().max(32).optional().describe('YYYY-MM-DD'),
          status: actionItemStatus.default('pending'),
        })
        .strict(),
    )
    .max(100)
    .optional()
    .describe('Follow-up action items'),
  contributing_factors: postmortemText,
  detection_path: postmortemText,
  monitoring_gaps: postmortemText,
  response_timeline: z
    .object({
      time_to_acknowledge: z.string().max(100).optional(),
      time_to_identify: z.string().max(100).optional(),
      time_to_resolve: z.string().max(100).optional(),
    })
    .strict()
    .optional(),
  five_whys: postmortemText,
  executive_summary: postmortemText,
  prevented_recurrence: postmortemText,
};

/** All 17 tools, in the reference server's order. */
export const TOOLS: readonly ToolDefinition[] = [
  tool({
    name: 'runframe_list_incidents',
    title: 'List incidents',
    description: 'List incidents filtered by status, severity, assignee, team or dates, newest first. Returns a page of incidents (no timelines) with total, has_more and next_offset.',
    tier: 'read',
    annotations: READ,
    input: z
      .object({
        status: z.array(z.string().min(1).max(50)).max(10).optional().describe('Statuses to include: new, investigating, fixing, monitoring, resolved, closed (may vary by organization)'),
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
    output: shape.pageSchema(shape.incidentSummarySchema),
    truncate: 'items',
    run: async (client, args, signal) => shape.pageOf(await client.listIncidents(args, signal), (i) => shape.incidentSummary(i, now())),
    render: shape.incidentListText,
  }),
  tool({
    name: 'runframe_get_incident',
    title: 'Get incident',
    description: 'Get one incident with its timeline, participants, affected services, assignee, SLA and escalation level.',
    tier: 'read',
    annotations: READ,
    input: z.object(incidentId).strict(),
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id }, signal) => shape.incidentDetail(await client.getIncident(id, signal)),
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_create_incident',
    title: 'Create incident',
    description: 'Declare a new incident. Needs 1-50 service keys (find them with runframe_list_services). Assignment follows the on-call schedule. Retry-safe: the same idempotency_key and input never create a second incident.',
    tier: 'write',
    annotations: WRITE,
    input: z
      .object({
        title: z.string().trim().min(LIMITS.title.min).max(LIMITS.title.max).describe(`Incident title, ${LIMITS.title.min}-${LIMITS.title.max} characters`),
        description: z.string().max(LIMITS.description.max).optional().describe(`Details, at most ${LIMITS.description.max} characters`),
        severity: severity.optional().describe(`SEV0 (critical) to SEV4; default ${DEFAULTS.severity}`),
        service_ids: z.array(serviceKey()).min(LIMITS.services.min).max(LIMITS.services.max).describe(`Affected service keys, ${LIMITS.services.min}-${LIMITS.services.max}, e.g. ["svc_K7QW2M9XHP"]`),
        idempotency_key: z.string().min(LIMITS.idempotencyKey.min).max(LIMITS.idempotencyKey.max).optional().describe('Retry-safe key: the same key and input replay the first result'),
      })
      .strict(),
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    // Always retry-safe: the caller's key, or one made for this call (reused by the client's retries).
    run: async (client, { idempotency_key, ...input }, signal) => {
      const key = idempotency_key ?? `mcp-${crypto.randomUUID()}`;
      try {
        return shape.incidentDetail(await client.createIncident(input, { idempotencyKey: key, signal }));
      } catch (err) {
        // If the answer was lost, the same key replays the incident instead of making a second one.
        if (err instanceof RunframeApiError && (err.kind !== 'http' || err.status >= 500 || err.status === 429)) {
          throw err.withHint(`To retry without risking a second incident, call again with idempotency_key "${key}".`);
        }
        throw err;
      }
    },
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_update_incident',
    title: 'Update incident',
    description: 'Change an incident\'s title, description, severity or assignee (at least one). For status use runframe_change_incident_status.',
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
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id, ...patch }, signal) => shape.incidentDetail(await client.updateIncident(id, patch, signal)),
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_change_incident_status',
    title: 'Change incident status',
    description: 'Move an incident to another status: new, investigating, fixing, monitoring, resolved, closed. Forward steps may be skipped; resolved can reopen to investigating; closed is final. To acknowledge use runframe_acknowledge_incident.',
    tier: 'write',
    annotations: WRITE,
    input: z
      .object({
        ...incidentId,
        status: z.string().trim().min(1).max(50).describe('Target status: new, investigating, fixing, monitoring, resolved, closed'),
        comment: z.string().max(LIMITS.statusComment.max).optional().describe(`Reason for the change, at most ${LIMITS.statusComment.max} characters`),
      })
      .strict(),
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id, status, comment }, signal) => shape.incidentDetail(await client.changeIncidentStatus(id, status, comment, signal)),
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_acknowledge_incident',
    title: 'Acknowledge incident',
    description: 'Acknowledge an incident: assigns it to the API key\'s user, stamps the acknowledgement time and stops the acknowledge SLA. Answers "already acknowledged" if someone did.',
    tier: 'write',
    annotations: { ...WRITE, idempotentHint: true },
    input: z.object(incidentId).strict(),
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id }, signal) => shape.incidentDetail(await client.acknowledgeIncident(id, signal)),
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_add_incident_event',
    title: 'Add timeline note',
    description: 'Add a note to an incident\'s timeline (what was found, tried or decided).',
    tier: 'write',
    annotations: WRITE,
    input: z.object({ ...incidentId, comment: z.string().trim().min(LIMITS.note.min).max(LIMITS.note.max).describe(`The note, ${LIMITS.note.min}-${LIMITS.note.max} characters`) }).strict(),
    output: shape.noteResultSchema,
    run: async (client, { id, comment }, signal) => shape.noteResult(id, await client.addIncidentEvent(id, comment, signal)),
  }),
  tool({
    name: 'runframe_escalate_incident',
    title: 'Escalate incident',
    description: 'Escalate an incident to the next level of its severity\'s escalation policy. Sends real notifications to the people at that level.',
    tier: 'page',
    annotations: NOTIFY,
    input: z.object(incidentId).strict(),
    output: shape.incidentDetailSchema,
    truncate: 'timeline',
    run: async (client, { id }, signal) => shape.incidentDetail(await client.escalateIncident(id, signal)),
    render: shape.incidentDetailText,
  }),
  tool({
    name: 'runframe_page_someone',
    title: 'Page someone',
    description: 'Page a person about an incident by email via slack and/or email. Sends real notifications; urgency follows the incident severity.',
    tier: 'page',
    annotations: NOTIFY,
    input: z
      .object({
        incident_id: incidentRef(),
        email: email('Email of the person to page (find it with runframe_find_user)'),
        channels: z.array(pageChannel).min(1).max(2).default(['slack']).describe('Delivery channels: slack, email (default ["slack"])'),
        message: z.string().max(LIMITS.pageMessage.max).optional().describe(`Message for the person, at most ${LIMITS.pageMessage.max} characters`),
      })
      .strict(),
    output: shape.pageResultSchema,
    run: async (client, { incident_id, email: to, channels, message }, signal) =>
      shape.pageResult(await client.pageSomeone(incident_id, { email: to, channels: [...new Set(channels)], message }, signal)),
  }),
  tool({
    name: 'runframe_get_current_oncall',
    title: 'Who is on call',
    description: 'Who is on call right now, per service: engineers with role (primary, secondary), schedule and shift end, and which services have no coverage.',
    tier: 'read',
    annotations: READ,
    input: z.object({ team_name: z.string().min(1).max(LIMITS.search.max).optional().describe('Exact team name; all teams when omitted') }).strict(),
    output: shape.onCallSchema,
    run: async (client, { team_name }, signal) => shape.onCall(await client.getCurrentOnCall(team_name, signal)),
    render: shape.onCallText,
  }),
  tool({
    name: 'runframe_list_services',
    title: 'List services',
    description: 'List services with their service keys (needed to create incidents), owning team and description.',
    tier: 'read',
    annotations: READ,
    input: z.object({ search: z.string().max(LIMITS.search.max).optional().describe('Text to find in name, key or description'), limit: limit(20), offset }).strict(),
    output: shape.pageSchema(shape.serviceSchema),
    truncate: 'items',
    run: async (client, args, signal) => shape.pageOf(await client.listServices(args, signal), shape.service),
  }),
  tool({
    name: 'runframe_get_service',
    title: 'Get service',
    description: 'Get one service by its service key.',
    tier: 'read',
    annotations: READ,
    input: z.object({ id: serviceKey() }).strict(),
    output: shape.serviceSchema,
    run: async (client, { id }, signal) => shape.service(await client.getService(id, signal)),
  }),
  tool({
    name: 'runframe_create_postmortem',
    title: 'Create postmortem',
    description: 'Create the postmortem of a resolved or closed incident. Which fields are required depends on the organization\'s postmortem level; a rejection lists the missing ones.',
    tier: 'write',
    annotations: WRITE,
    input: z.object({ incident_number: incidentRef(), ...postmortemFields }).strict(),
    output: shape.postmortemSchema,
    run: async (client, args, signal) => shape.postmortem(await client.createPostmortem(args, signal)),
  }),
  tool({
    name: 'runframe_get_postmortem',
    title: 'Get postmortem',
    description: 'Get the postmortem of an incident.',
    tier: 'read',
    annotations: READ,
    input: z.object({ incident_number: incidentRef() }).strict(),
    output: shape.postmortemSchema,
    run: async (client, { incident_number }, signal) => shape.postmortem(await client.getPostmortem(incident_number, signal)),
  }),
  tool({
    name: 'runframe_list_teams',
    title: 'List teams',
    description: 'List teams (their exact names filter incidents and on-call).',
    tier: 'read',
    annotations: READ,
    input: z.object({ search: z.string().max(LIMITS.search.max).optional().describe('Text to find in the team name'), limit: limit(20), offset }).strict(),
    output: shape.pageSchema(shape.teamSchema),
    truncate: 'items',
    run: async (client, args, signal) => shape.pageOf(await client.listTeams(args, signal), shape.team),
  }),
  tool({
    name: 'runframe_get_escalation_policy',
    title: 'Get escalation policy',
    description: 'Get the escalation policy for a severity: its levels, delays and who each level notifies.',
    tier: 'read',
    annotations: READ,
    input: z.object({ severity: severity.describe('SEV0 (critical) to SEV4') }).strict(),
    output: shape.policySchema,
    run: async (client, { severity: sev }, signal) => shape.policy(await client.getEscalationPolicy(sev, signal)),
  }),
  tool({
    name: 'runframe_find_user',
    title: 'Find user',
    description: 'Find people by name or email, e.g. to get the email for assigned_to, resolved_by or paging. Active users only unless include_inactive or is_active says otherwise.',
    tier: 'read',
    annotations: READ,
    input: z
      .object({
        search: z.string().trim().min(1).max(LIMITS.search.max).describe('Name or email to search for'),
        include_inactive: z.boolean().default(false).describe('Also return inactive users (for historical assignees or resolvers)'),
        is_active: z.boolean().optional().describe('Only active (true) or only inactive (false) users; overrides include_inactive'),
        limit: limit(10),
      })
      .strict(),
    output: shape.pageSchema(shape.userSchema),
    truncate: 'items',
    run: async (client, { search, include_inactive, is_active, limit: max }, signal) =>
      shape.pageOf(await client.listUsers({ search, limit: max, offset: 0, is_active: is_active ?? (include_inactive ? undefined : true) }, signal), shape.user),
  }),
];
