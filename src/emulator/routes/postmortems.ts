/**
 * Postmortems (Runframe v1, docs/runframe-api.md): one per resolved incident, with the fields the
 * organisation requires.
 */
import { PostmortemBody } from '../../domain/requests';
import { ApiProblem, checkBody, FieldErrors, findIncident, actorOf, addEvent, type Handler, type Route } from './common';

const getPostmortem: Handler = (state, { query }) => {
  const ref = query.get('incident_number');
  if (!ref) throw new ApiProblem(422, 'validation_error', 'incident_number is required', { fields: { incident_number: 'is required' } });
  const incident = findIncident(state, ref);
  const pm = state.postmortems.find((p) => p.incident_number === incident.incident_number);
  if (!pm) throw new ApiProblem(404, 'not_found', `Incident ${incident.incident_number} has no postmortem yet`);
  return { status: 200, data: pm };
};


const createPostmortem: Handler = (state, { body, key, now }) => {
  const errors = new FieldErrors();
  const input = checkBody(PostmortemBody, body, errors, 'is not a postmortem field');
  if (!input) return errors.fail();
  const incident = findIncident(state, input.incident_number);
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
