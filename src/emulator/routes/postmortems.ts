/**
 * Postmortems (Runframe v1, docs/runframe-api.md): one per resolved incident, with the fields the
 * organisation requires.
 */
import { ACTION_ITEM_STATUSES, LIMITS, POSTMORTEM_STRUCTURED_FIELDS, POSTMORTEM_TEXT_FIELDS } from '../../domain/contract';
import { ApiProblem, FieldErrors, optString, findIncident, actorOf, addEvent, type Handler, type Route } from './common';

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
      else if (item.status !== undefined && !(ACTION_ITEM_STATUSES as readonly unknown[]).includes(item.status)) errors.add(`action_items[${i}].status`, `must be ${ACTION_ITEM_STATUSES.join(', ')}`);
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

/** The routes of this area: method, path pattern (":" a parameter), the scope a key needs, handler. */
export const POSTMORTEM_ROUTES: Route[] = [
  { method: 'GET', pattern: ['postmortems'], scope: 'postmortems:read', handler: getPostmortem },
  { method: 'POST', pattern: ['postmortems'], scope: 'postmortems:write', handler: createPostmortem },
];
