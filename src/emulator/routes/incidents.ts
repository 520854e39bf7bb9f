/**
 * Incidents (Runframe v1, docs/runframe-api.md): list with filters, get, create (idempotent through the
 * server), update, change status, acknowledge and timeline notes.
 */
import { SEVERITIES, STATUSES, type Incident, type Severity } from '../../api/types';
import { DEFAULTS, LIMITS } from '../../domain/contract';
import { checkEmail, checkServiceKey } from '../../domain/identifiers';
import type { UserRecord } from '../model';
import { onCallSnapshot } from '../oncall';
import { nextStatuses } from '../statusRules';
import { ApiProblem, FieldErrors, optString, severityOf, pageOf, findIncident, actorOf, addEvent, addParticipant, summaryOf, isOpen, timeFilter, type Handler, type Route } from './common';

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

/** The routes of this area: method, path pattern (":" a parameter), the scope a key needs, handler. */
export const INCIDENT_ROUTES: Route[] = [
  { method: 'GET', pattern: ['incidents'], scope: 'incidents:read', handler: listIncidents },
  { method: 'POST', pattern: ['incidents'], scope: 'incidents:write', handler: createIncident },
  { method: 'GET', pattern: ['incidents', ':'], scope: 'incidents:read', handler: getIncident },
  { method: 'PATCH', pattern: ['incidents', ':'], scope: 'incidents:write', handler: updateIncident },
  { method: 'POST', pattern: ['incidents', ':', 'status'], scope: 'incidents:write', handler: changeStatus },
  { method: 'POST', pattern: ['incidents', ':', 'acknowledge'], scope: 'incidents:write', handler: acknowledge },
  { method: 'POST', pattern: ['incidents', ':', 'events'], scope: 'incidents:write', handler: addNote },
];
