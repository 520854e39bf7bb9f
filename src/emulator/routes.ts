/**
 * The semantics of every Runframe v1 endpoint (docs/runframe-api.md parts A and B), as pure
 * handlers over the emulator state. The HTTP layer (server.ts) does auth, bodies, envelopes,
 * idempotency and persistence; handlers validate input, read or change state, and say whether
 * they changed it.
 */
import { createHash } from 'node:crypto';
import { OPEN_STATUSES, PAGE_CHANNELS, SEVERITIES, STATUSES, type Incident, type Severity, type TimelineEvent } from '../api/types';
import { DEFAULTS, LIMITS, POSTMORTEM_STRUCTURED_FIELDS, POSTMORTEM_TEXT_FIELDS } from '../domain/contract';
import { checkEmail, checkIncidentNumber, checkServiceKey, isIsoDateTime } from '../domain/identifiers';
import { nextStatuses } from './statusRules';
import type { EmulatorApiKey, EmulatorState, UserRecord } from './model';
import { onCallSnapshot } from './oncall';

/** An API error answer: HTTP status, error code, message and optional details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface RouteContext {
  method: string;
  /** path segments after /api/v1, decoded */
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  key: EmulatorApiKey;
  /** ms since epoch */
  now: number;
}

export interface RouteResult {
  status: number;
  data: unknown;
  /** true when state changed and must be committed */
  mutated?: boolean;
}

type Handler = (state: EmulatorState, ctx: RouteContext, params: string[]) => RouteResult;

interface Route {
  method: string;
  /** segments; ":" marks a parameter */
  pattern: string[];
  scope?: string;
  handler: Handler;
}

/** Collects field errors and throws one 422 with all of them. */
class FieldErrors {
  // No prototype: a field named "toString" or "constructor" must count as a field, not be found
  // on Object.prototype and skipped.
  readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;
  add(field: string, message: string): void {
    this.fields[field] ??= message;
  }
  get any(): boolean {
    return Object.keys(this.fields).length > 0;
  }
  throwIfAny(): void {
    if (!this.any) return;
    const summary = Object.entries(this.fields).map(([f, m]) => `${f}: ${m}`).join('; ');
    throw new ApiProblem(422, 'validation_error', `Invalid input: ${summary}`, { fields: this.fields });
  }
}

function optString(body: Record<string, unknown>, name: string, errors: FieldErrors, min: number, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errors.add(name, 'must be a string');
    return undefined;
  }
  if (v.trim().length < min) errors.add(name, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  else if (v.length > max) errors.add(name, `must be at most ${max} characters (got ${v.length})`);
  return v;
}

function severityOf(v: unknown, errors: FieldErrors, field = 'severity'): Severity | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  errors.add(field, `must be one of ${SEVERITIES.join(', ')}`);
  return undefined;
}

function paging(query: URLSearchParams, defaultLimit = 20): { limit: number; offset: number } {
  const errors = new FieldErrors();
  const limitRaw = query.get('limit');
  const offsetRaw = query.get('offset');
  const limit = limitRaw === null ? defaultLimit : Number(limitRaw);
  const offset = offsetRaw === null ? 0 : Number(offsetRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.add('limit', 'must be an integer from 1 to 100');
  if (!Number.isInteger(offset) || offset < 0) errors.add('offset', 'must be an integer of 0 or more');
  errors.throwIfAny();
  return { limit, offset };
}

function pageOf<T>(all: T[], query: URLSearchParams, defaultLimit = 20) {
  const { limit, offset } = paging(query, defaultLimit);
  const items = all.slice(offset, offset + limit);
  const hasMore = offset + limit < all.length;
  return { items, total: all.length, has_more: hasMore, next_offset: hasMore ? offset + limit : null };
}

function search<T>(items: T[], query: URLSearchParams, text: (item: T) => string): T[] {
  const q = query.get('search')?.trim().toLowerCase();
  return q ? items.filter((i) => text(i).toLowerCase().includes(q)) : items;
}

function findIncident(state: EmulatorState, ref: string): Incident {
  const checked = checkIncidentNumber(ref);
  if (!checked.ok) throw new ApiProblem(422, 'invalid_incident_number', checked.message, { fields: { incident_number: checked.message } });
  const incident = state.incidents.find((i) => i.incident_number === checked.value || i.id === checked.value);
  if (!incident) throw new ApiProblem(404, 'not_found', `Incident ${checked.value} not found`);
  return incident;
}

function actorOf(state: EmulatorState, key: EmulatorApiKey): UserRecord {
  const user = state.users.find((u) => u.email === key.user_email);
  return user ?? { id: 'api-key', name: key.label ?? 'API key', email: key.user_email, is_active: true, team_name: '', title: '', slack_user_id: '' };
}

function addEvent(incident: Incident, type: string, actor: UserRecord | null, comment: string, now: number): TimelineEvent {
  const event: TimelineEvent = {
    id: crypto.randomUUID(),
    type,
    comment,
    actor: actor ? { name: actor.name, email: actor.email } : null,
    created_at: new Date(now).toISOString(),
  };
  (incident.timeline ??= []).push(event);
  incident.updated_at = event.created_at;
  return event;
}

function addParticipant(incident: Incident, user: { name: string; email: string }, role: string): void {
  const list = (incident.participants ??= []);
  if (!list.some((p) => p.email === user.email)) list.push({ name: user.name, email: user.email, role });
}

function summaryOf(incident: Incident): Incident {
  const { timeline: _t, participants: _p, ...rest } = incident;
  return rest;
}

function isOpen(incident: Incident): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(incident.status ?? '');
}

function timeFilter(query: URLSearchParams, name: string, errors: FieldErrors): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!isIsoDateTime(v)) {
    errors.add(name, 'must be an ISO 8601 date-time, e.g. 2026-04-01T00:00:00Z');
    return undefined;
  }
  return Date.parse(v);
}

// ---- handlers -------------------------------------------------------------------------------

const verify: Handler = (state, ctx) => ({
  status: 200,
  data: {
    valid: true,
    scopes: ctx.key.scopes,
    organization_name: state.organization.name,
    // Part B (assumed): who the key acts as; left out to mimic part-A-only deployments.
    ...(ctx.key.verify_without_user ? {} : { user: { name: actorOf(state, ctx.key).name, email: ctx.key.user_email } }),
  },
});

const listIncidents: Handler = (state, { query }) => {
  const errors = new FieldErrors();
  const statuses = query.getAll('status').map((s) => s.trim().toLowerCase());
  for (const s of statuses) if (!(STATUSES as readonly string[]).includes(s)) errors.add('status', `unknown status "${s}"; use ${STATUSES.join(', ')}`);
  const severities = query.getAll('severity').map((s) => s.trim().toUpperCase());
  for (const s of severities) if (!(SEVERITIES as readonly string[]).includes(s)) errors.add('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const email = (name: string) => {
    const v = query.get(name);
    if (v === null) return undefined;
    const c = checkEmail(v);
    if (!c.ok) errors.add(name, c.message);
    return c.ok ? c.value : undefined;
  };
  const assignedTo = email('assigned_to');
  const resolvedBy = email('resolved_by');
  const team = query.get('team_name');
  const createdAfter = timeFilter(query, 'created_after', errors);
  const createdBefore = timeFilter(query, 'created_before', errors);
  const resolvedAfter = timeFilter(query, 'resolved_after', errors);
  const resolvedBefore = timeFilter(query, 'resolved_before', errors);
  errors.throwIfAny();
  const matches = state.incidents.filter((i) => {
    const created = Date.parse(i.created_at ?? '');
    const resolved = i.resolved_at ? Date.parse(i.resolved_at) : undefined;
    return (
      (!statuses.length || statuses.includes(i.status ?? '')) &&
      (!severities.length || severities.includes(i.severity ?? '')) &&
      (assignedTo === undefined || i.assigned_to?.email === assignedTo) &&
      (resolvedBy === undefined || i.resolved_by?.email === resolvedBy) &&
      (team === null || i.team_name === team) &&
      (createdAfter === undefined || created >= createdAfter) &&
      (createdBefore === undefined || created <= createdBefore) &&
      (resolvedAfter === undefined || (resolved !== undefined && resolved >= resolvedAfter)) &&
      (resolvedBefore === undefined || (resolved !== undefined && resolved <= resolvedBefore))
    );
  });
  // Newest first, as an incident list is read.
  const sorted = matches.slice().sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  const page = pageOf(sorted, query);
  return { status: 200, data: { ...page, items: page.items.map(summaryOf) } };
};

const getIncident: Handler = (state, _ctx, [ref]) => ({ status: 200, data: findIncident(state, ref) });

const createIncident: Handler = (state, { body, key, now }) => {
  const errors = new FieldErrors();
  const title = optString(body, 'title', errors, LIMITS.title.min, LIMITS.title.max);
  if (title === undefined && !errors.fields.title) errors.add('title', `is required (${LIMITS.title.min}-${LIMITS.title.max} characters)`);
  const description = optString(body, 'description', errors, 0, LIMITS.description.max);
  const severity = severityOf(body.severity, errors) ?? (errors.fields.severity ? undefined : DEFAULTS.severity);
  const rawServices = body.service_ids;
  const serviceKeys: string[] = [];
  if (!Array.isArray(rawServices) || rawServices.length < LIMITS.services.min || rawServices.length > LIMITS.services.max) {
    errors.add('service_ids', `must be a list of ${LIMITS.services.min} to ${LIMITS.services.max} service keys`);
  } else {
    rawServices.forEach((k, i) => {
      const c = checkServiceKey(k);
      if (!c.ok) errors.add(`service_ids[${i}]`, c.message);
      else if (!state.services.some((s) => s.service_key === c.value)) errors.add(`service_ids[${i}]`, `no service with key ${c.value}`);
      else if (!serviceKeys.includes(c.value)) serviceKeys.push(c.value);
    });
  }
  for (const k of Object.keys(body)) {
    if (!['title', 'description', 'severity', 'service_ids'].includes(k)) errors.add(k, 'is not a field of a new incident');
  }
  errors.throwIfAny();
  const sla = state.organization.sla[severity as Severity];
  if (!sla) {
    throw new ApiProblem(422, 'sla_not_configured', `No SLA is configured for ${severity} in this organization; pick another severity or configure one.`, { fields: { severity: 'no SLA configured' } });
  }
  const services = serviceKeys.map((k) => state.services.find((s) => s.service_key === k)!);
  const year = new Date(now).getUTCFullYear().toString();
  state.sequences[year] = (state.sequences[year] ?? 0) + 1;
  const number = `INC-${year}-${String(state.sequences[year]).padStart(3, '0')}`;
  // Assignment follows the on-call schedule of the first covered service.
  const oncall = onCallSnapshot(state, now).services.find((s) => services.some((x) => x.service_key === s.service_key) && s.has_coverage);
  const primary = oncall?.on_call_engineers.find((e) => e.role === 'primary') ?? oncall?.on_call_engineers[0];
  const at = new Date(now).toISOString();
  const incident: Incident = {
    id: crypto.randomUUID(),
    incident_number: number,
    title: (title as string).trim(),
    description: description ?? '',
    severity,
    status: 'new',
    created_at: at,
    updated_at: at,
    acknowledged_at: null,
    resolved_at: null,
    closed_at: null,
    assigned_to: primary ? { name: primary.name, email: primary.email } : null,
    resolved_by: null,
    team_name: services[0].team_name,
    services: services.map((s) => ({ service_key: s.service_key, name: s.name })),
    escalation_level: 1,
    sla: {
      acknowledge_due_at: new Date(now + sla.acknowledge_minutes * 60_000).toISOString(),
      resolve_due_at: new Date(now + sla.resolve_minutes * 60_000).toISOString(),
    },
    timeline: [],
    participants: [],
  };
  const actor = actorOf(state, key);
  addEvent(incident, 'created', actor, `Incident declared by ${actor.name}`, now);
  if (primary) addParticipant(incident, { name: primary.name, email: primary.email as string }, 'responder');
  state.incidents.push(incident);
  return { status: 201, data: incident, mutated: true };
};

const updateIncident: Handler = (state, { body, key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  const errors = new FieldErrors();
  const title = optString(body, 'title', errors, LIMITS.title.min, LIMITS.title.max);
  const description = optString(body, 'description', errors, 0, LIMITS.description.max);
  const severity = severityOf(body.severity, errors);
  let assignee: UserRecord | undefined;
  if (body.assigned_to !== undefined && body.assigned_to !== null) {
    const c = checkEmail(body.assigned_to);
    if (!c.ok) errors.add('assigned_to', c.message);
    else {
      assignee = state.users.find((u) => u.email === c.value);
      if (!assignee) errors.add('assigned_to', `no user with email ${c.value}`);
      else if (!assignee.is_active) errors.add('assigned_to', `${assignee.name} is inactive and cannot be assigned`);
    }
  }
  for (const k of Object.keys(body)) {
    if (k === 'status') errors.add('status', 'status is changed with POST /incidents/{number}/status, not PATCH');
    else if (!['title', 'description', 'severity', 'assigned_to'].includes(k)) errors.add(k, 'is not an updatable field');
  }
  if (!errors.any && title === undefined && description === undefined && severity === undefined && assignee === undefined) {
    errors.add('body', 'at least one of title, description, severity, assigned_to is required');
  }
  errors.throwIfAny();
  const actor = actorOf(state, key);
  const changes: string[] = [];
  if (title !== undefined && title.trim() !== incident.title) {
    incident.title = title.trim();
    changes.push(`title to "${incident.title}"`);
  }
  if (description !== undefined && description !== incident.description) {
    incident.description = description;
    changes.push('description');
  }
  if (severity !== undefined && severity !== incident.severity) {
    changes.push(`severity ${incident.severity} -> ${severity}`);
    incident.severity = severity;
  }
  if (assignee && assignee.email !== incident.assigned_to?.email) {
    incident.assigned_to = { name: assignee.name, email: assignee.email };
    addParticipant(incident, assignee, 'responder');
    changes.push(`assignee to ${assignee.name}`);
  }
  if (changes.length) addEvent(incident, 'updated', actor, `Changed ${changes.join(', ')}`, now);
  return { status: 200, data: incident, mutated: changes.length > 0 };
};


const changeStatus: Handler = (state, { body, key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  const errors = new FieldErrors();
  const raw = body.status;
  const status = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!status) errors.add('status', `is required; one of ${STATUSES.join(', ')}`);
  else if (!(STATUSES as readonly string[]).includes(status)) errors.add('status', `unknown status "${String(raw).slice(0, 40)}"; use ${STATUSES.join(', ')}`);
  const comment = optString(body, 'comment', errors, 0, LIMITS.statusComment.max);
  errors.throwIfAny();
  const from = incident.status ?? 'new';
  const allowed = nextStatuses(from);
  if (!allowed.includes(status)) {
    const why = status === from ? `the incident is already ${from}` : from === 'closed' ? 'a closed incident cannot change status' : `${from} -> ${status} is not allowed`;
    throw new ApiProblem(422, 'invalid_transition', `Cannot change ${incident.incident_number} to ${status}: ${why}.${allowed.length ? ` Allowed next: ${allowed.join(', ')}.` : ''}`, { from, to: status, allowed });
  }
  const actor = actorOf(state, key);
  const at = new Date(now).toISOString();
  incident.status = status;
  if (status === 'resolved') {
    incident.resolved_at = at;
    incident.resolved_by = { name: actor.name, email: actor.email };
  } else if (status === 'closed') {
    incident.closed_at = at;
    if (!incident.resolved_at) {
      incident.resolved_at = at;
      incident.resolved_by = { name: actor.name, email: actor.email };
    }
  } else if (from === 'resolved') {
    incident.resolved_at = null;
    incident.resolved_by = null;
  }
  addEvent(incident, 'status_change', actor, `Status changed from ${from} to ${status}${comment ? `: ${comment}` : ''}`, now);
  return { status: 200, data: incident, mutated: true };
};

const acknowledge: Handler = (state, { key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  if (incident.acknowledged_at) {
    const who = incident.assigned_to?.name ?? 'someone';
    throw new ApiProblem(409, 'already_acknowledged', `Incident ${incident.incident_number} was already acknowledged by ${who} at ${incident.acknowledged_at}.`, {
      acknowledged_at: incident.acknowledged_at,
      assigned_to: incident.assigned_to ?? null,
    });
  }
  if (!isOpen(incident)) {
    throw new ApiProblem(422, 'incident_not_open', `Incident ${incident.incident_number} is ${incident.status}; only open incidents can be acknowledged.`);
  }
  const actor = actorOf(state, key);
  incident.acknowledged_at = new Date(now).toISOString();
  incident.assigned_to = { name: actor.name, email: actor.email };
  addParticipant(incident, actor, 'incident_commander');
  const due = incident.sla?.acknowledge_due_at ? Date.parse(incident.sla.acknowledge_due_at) : undefined;
  const slaNote = due === undefined ? '' : now <= due ? ' within the acknowledge SLA' : ' after the acknowledge SLA was breached';
  addEvent(incident, 'acknowledged', actor, `${actor.name} acknowledged the incident${slaNote}`, now);
  return { status: 200, data: incident, mutated: true };
};

const addNote: Handler = (state, { body, key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  const errors = new FieldErrors();
  const comment = optString(body, 'comment', errors, LIMITS.note.min, LIMITS.note.max);
  if (comment === undefined && !errors.fields.comment) errors.add('comment', 'is required');
  errors.throwIfAny();
  const event = addEvent(incident, 'note', actorOf(state, key), (comment as string).trim(), now);
  return { status: 201, data: { incident_number: incident.incident_number, event }, mutated: true };
};

const escalate: Handler = (state, { key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  if (!isOpen(incident)) {
    throw new ApiProblem(422, 'incident_not_open', `Incident ${incident.incident_number} is ${incident.status}; only open incidents can be escalated.`);
  }
  const policy = state.escalation_policies.find((p) => p.severity === incident.severity);
  const levels = policy?.levels ?? [];
  const current = incident.escalation_level ?? DEFAULTS.escalationLevel;
  if (current >= levels.length) {
    throw new ApiProblem(409, 'max_escalation_level', `Incident ${incident.incident_number} is already at level ${current}, the last level of the ${incident.severity} escalation policy.`, { escalation_level: current, levels: levels.length });
  }
  const next = levels[current];
  incident.escalation_level = current + 1;
  const notified = next.targets.map((t) => t.name ?? t.email ?? t.type).join(', ');
  addEvent(incident, 'escalated', actorOf(state, key), `Escalated to level ${current + 1}; notified ${notified} (emulator: no notification left this machine)`, now);
  return { status: 200, data: incident, mutated: true };
};

const page: Handler = (state, { body, key, now }, [ref]) => {
  const incident = findIncident(state, ref);
  const errors = new FieldErrors();
  const email = checkEmail(body.email);
  if (!email.ok) errors.add('email', email.message);
  const channels = body.channels;
  if (!Array.isArray(channels) || channels.length === 0) errors.add('channels', `must be a non-empty list of ${PAGE_CHANNELS.join(', ')}`);
  else for (const c of channels) if (!(PAGE_CHANNELS as readonly unknown[]).includes(c)) errors.add('channels', `unknown channel ${JSON.stringify(c)}; use ${PAGE_CHANNELS.join(', ')}`);
  const message = optString(body, 'message', errors, 0, LIMITS.pageMessage.max);
  errors.throwIfAny();
  const user = state.users.find((u) => u.email === (email as { value: string }).value);
  if (!user) throw new ApiProblem(404, 'user_not_found', `No user with email ${(email as { value: string }).value}`);
  if (!user.is_active) throw new ApiProblem(422, 'user_inactive', `${user.name} is inactive and cannot be paged`, { fields: { email: 'user is inactive' } });
  const unique = [...new Set(channels as string[])];
  const urgency = incident.severity === 'SEV0' || incident.severity === 'SEV1' ? 'high' : 'low';
  addParticipant(incident, user, 'responder');
  addEvent(incident, 'paged', actorOf(state, key), `Paged ${user.name} via ${unique.join(' and ')} (${urgency} urgency)${message ? `: ${message}` : ''} (emulator: no notification left this machine)`, now);
  return { status: 201, data: { paged: true, incident_number: incident.incident_number, email: user.email, name: user.name, channels: unique, urgency }, mutated: true };
};

const onCall: Handler = (state, { query, now }) => {
  const team = query.get('team_name') ?? undefined;
  if (team !== undefined && !state.teams.some((t) => t.name === team)) throw new ApiProblem(404, 'not_found', `Team "${team}" not found`);
  return { status: 200, data: onCallSnapshot(state, now, team) };
};

const listServices: Handler = (state, { query }) => ({
  status: 200,
  data: pageOf(search(state.services, query, (s) => `${s.name} ${s.service_key} ${s.description} ${s.team_name}`), query),
});

const getService: Handler = (state, _ctx, [raw]) => {
  const c = checkServiceKey(raw);
  if (!c.ok) throw new ApiProblem(422, 'invalid_service_key', c.message, { fields: { service_key: c.message } });
  const svc = state.services.find((s) => s.service_key === c.value);
  if (!svc) throw new ApiProblem(404, 'not_found', `Service ${c.value} not found`);
  return { status: 200, data: svc };
};

const getPostmortem: Handler = (state, { query }) => {
  const ref = query.get('incident_number');
  if (!ref) throw new ApiProblem(422, 'validation_error', 'incident_number is required', { fields: { incident_number: 'is required' } });
  const incident = findIncident(state, ref);
  const pm = state.postmortems.find((p) => p.incident_number === incident.incident_number);
  if (!pm) throw new ApiProblem(404, 'not_found', `Incident ${incident.incident_number} has no postmortem yet`);
  return { status: 200, data: pm };
};

const POSTMORTEM_FIELDS = new Set<string>(['incident_number', ...POSTMORTEM_TEXT_FIELDS, ...POSTMORTEM_STRUCTURED_FIELDS]);

const createPostmortem: Handler = (state, { body, key, now }) => {
  const errors = new FieldErrors();
  if (typeof body.incident_number !== 'string') errors.add('incident_number', 'is required, e.g. INC-2026-001');
  for (const f of POSTMORTEM_TEXT_FIELDS) optString(body, f, errors, 0, LIMITS.postmortemText.max);
  for (const k of Object.keys(body)) if (!POSTMORTEM_FIELDS.has(k)) errors.add(k, 'is not a postmortem field');
  if (body.impact !== undefined && (typeof body.impact !== 'object' || body.impact === null || Array.isArray(body.impact))) errors.add('impact', 'must be an object');
  if (body.response_timeline !== undefined && (typeof body.response_timeline !== 'object' || body.response_timeline === null || Array.isArray(body.response_timeline))) errors.add('response_timeline', 'must be an object');
  if (body.timeline !== undefined) {
    if (!Array.isArray(body.timeline)) errors.add('timeline', 'must be a list of {timestamp, description}');
    else body.timeline.forEach((e, i) => {
      if (!e || typeof e !== 'object' || typeof (e as Record<string, unknown>).description !== 'string') errors.add(`timeline[${i}]`, 'needs a description');
    });
  }
  if (body.action_items !== undefined) {
    if (!Array.isArray(body.action_items)) errors.add('action_items', 'must be a list of {text, owner_email, due_date, status}');
    else body.action_items.forEach((a, i) => {
      const item = a as Record<string, unknown>;
      if (!item || typeof item !== 'object' || typeof item.text !== 'string' || !item.text.trim()) errors.add(`action_items[${i}].text`, 'is required');
      else if (item.status !== undefined && !['pending', 'in_progress', 'completed'].includes(item.status as string)) errors.add(`action_items[${i}].status`, 'must be pending, in_progress or completed');
    });
  }
  errors.throwIfAny();
  const incident = findIncident(state, body.incident_number as string);
  if (incident.status !== 'resolved' && incident.status !== 'closed') {
    throw new ApiProblem(422, 'incident_not_resolved', `Incident ${incident.incident_number} is ${incident.status}; write the postmortem once it is resolved.`);
  }
  if (state.postmortems.some((p) => p.incident_number === incident.incident_number)) {
    throw new ApiProblem(409, 'postmortem_exists', `Incident ${incident.incident_number} already has a postmortem.`);
  }
  const missing = state.organization.postmortem_required_fields.filter((f) => typeof body[f] !== 'string' || !(body[f] as string).trim());
  if (missing.length) {
    throw new ApiProblem(422, 'postmortem_incomplete', `This organization's postmortem level requires: ${missing.join(', ')}.`, {
      missing_fields: missing,
      fields: Object.fromEntries(missing.map((f) => [f, 'is required at this postmortem level'])),
    });
  }
  const pm = { ...body, incident_number: incident.incident_number, id: crypto.randomUUID(), status: 'draft', created_at: new Date(now).toISOString() };
  state.postmortems.push(pm as never);
  addEvent(incident, 'postmortem_created', actorOf(state, key), 'Postmortem draft created', now);
  return { status: 201, data: pm, mutated: true };
};

const listTeams: Handler = (state, { query }) => ({
  status: 200,
  data: pageOf(search(state.teams, query, (t) => `${t.name} ${t.description}`), query),
});

const escalationPolicy: Handler = (state, { query }) => {
  const errors = new FieldErrors();
  const raw = query.get('severity');
  if (raw === null) errors.add('severity', `is required; one of ${SEVERITIES.join(', ')}`);
  const severity = raw === null ? undefined : severityOf(raw, errors);
  errors.throwIfAny();
  const policy = state.escalation_policies.find((p) => p.severity === severity);
  if (!policy) throw new ApiProblem(404, 'not_found', `No escalation policy for ${severity}`);
  return { status: 200, data: policy };
};

const listUsers: Handler = (state, { query }) => {
  const active = query.get('is_active');
  if (active !== null && active !== 'true' && active !== 'false') {
    throw new ApiProblem(422, 'validation_error', 'is_active must be true or false', { fields: { is_active: 'must be true or false' } });
  }
  const matching = search(state.users, query, (u) => `${u.name} ${u.email}`).filter((u) => active === null || String(u.is_active) === active);
  const p = pageOf(matching, query);
  return { status: 200, data: { ...p, items: p.items.map(({ id, name, email, is_active, team_name }) => ({ id, name, email, is_active, team_name })) } };
};

const ROUTES: Route[] = [
  { method: 'GET', pattern: ['auth', 'verify'], handler: verify },
  { method: 'GET', pattern: ['incidents'], scope: 'incidents:read', handler: listIncidents },
  { method: 'POST', pattern: ['incidents'], scope: 'incidents:write', handler: createIncident },
  { method: 'GET', pattern: ['incidents', ':'], scope: 'incidents:read', handler: getIncident },
  { method: 'PATCH', pattern: ['incidents', ':'], scope: 'incidents:write', handler: updateIncident },
  { method: 'POST', pattern: ['incidents', ':', 'status'], scope: 'incidents:write', handler: changeStatus },
  { method: 'POST', pattern: ['incidents', ':', 'acknowledge'], scope: 'incidents:write', handler: acknowledge },
  { method: 'POST', pattern: ['incidents', ':', 'events'], scope: 'incidents:write', handler: addNote },
  { method: 'POST', pattern: ['incidents', ':', 'escalate'], scope: 'incidents:write', handler: escalate },
  { method: 'POST', pattern: ['incidents', ':', 'page'], scope: 'incidents:write', handler: page },
  { method: 'GET', pattern: ['on-call', 'current'], scope: 'oncall:read', handler: onCall },
  { method: 'GET', pattern: ['services'], scope: 'services:read', handler: listServices },
  { method: 'GET', pattern: ['services', ':'], scope: 'services:read', handler: getService },
  { method: 'GET', pattern: ['postmortems'], scope: 'postmortems:read', handler: getPostmortem },
  { method: 'POST', pattern: ['postmortems'], scope: 'postmortems:write', handler: createPostmortem },
  { method: 'GET', pattern: ['teams'], scope: 'teams:read', handler: listTeams },
  { method: 'GET', pattern: ['escalation-policies'], scope: 'oncall:read', handler: escalationPolicy },
  { method: 'GET', pattern: ['users'], scope: 'users:read', handler: listUsers },
];

/** The route for a method and path, with its parameters; `methods` lists what the path allows when the method does not match. */
export function matchRoute(method: string, segments: string[]): { route?: Route; params: string[]; methods: string[] } {
  const methods: string[] = [];
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const ok = route.pattern.every((p, i) => {
      if (p === ':') {
        params.push(segments[i]);
        return true;
      }
      return p === segments[i];
    });
    if (!ok) continue;
    if (route.method === method) return { route, params, methods };
    methods.push(route.method);
  }
  return { params: [], methods };
}

/** sha256 hex of a value's canonical JSON (object keys sorted), for idempotency fingerprints. */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}
