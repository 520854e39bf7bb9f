/**
 * Incidents (Runframe v1, docs/runframe-api.md): list with filters, get, create (idempotent through the
 * server), update, change status, acknowledge and timeline notes.
 */
import { SEVERITIES, STATUSES, type Incident, type Severity } from '../../api/types';
import { DEFAULTS } from '../../domain/contract';
import { CreateIncidentBody, StatusChangeBody, TimelineNoteBody, UpdateIncidentBody } from '../../domain/requests';
import { checkEmail, checkServiceKey } from '../../domain/identifiers';
import type { UserRecord } from '../model';
import { onCallSnapshot } from '../oncall';
import { nextStatuses } from '../statusRules';
import { ApiProblem, checkBody, FieldErrors, pageOf, findIncident, actorOf, addEvent, addParticipant, summaryOf, isOpen, timeFilter, type Handler, type Route } from './common';

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
  const input = checkBody(CreateIncidentBody, body, errors, 'is not a field of a new incident');
  const rawServices = body.service_ids;
  const serviceKeys: string[] = [];
  if (Array.isArray(rawServices) && !errors.fields.service_ids) {
    rawServices.forEach((k, i) => {
      const c = checkServiceKey(k);
      if (!c.ok) errors.add(`service_ids[${i}]`, c.message);
      else if (!state.services.some((s) => s.service_key === c.value)) errors.add(`service_ids[${i}]`, `no service with key ${c.value}`);
      else if (!serviceKeys.includes(c.value)) serviceKeys.push(c.value);
    });
  }
  errors.throwIfAny();
  if (!input) return errors.fail();
  const title = input.title;
  const description = input.description ?? undefined;
  const severity = input.severity ?? DEFAULTS.severity;
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
  // PATCH never changes status: say where it is changed instead of "not an updatable field".
  if (Object.hasOwn(body, 'status')) errors.add('status', 'status is changed with POST /incidents/{number}/status, not PATCH');
  const { status: _status, ...fields } = body;
  const input = checkBody(UpdateIncidentBody, fields, errors, 'is not an updatable field');
  const title = input?.title ?? undefined;
  const description = input?.description ?? undefined;
  const severity = input?.severity ?? undefined;
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
  const input = checkBody(StatusChangeBody, body, errors, 'is not a field of a status change');
  if (!input) return errors.fail();
  const { status } = input;
  const comment = input.comment ?? undefined;
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
  const input = checkBody(TimelineNoteBody, body, errors, 'is not a field of a timeline note');
  if (!input) return errors.fail();
  const event = addEvent(incident, 'note', actorOf(state, key), input.comment.trim(), now);
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
