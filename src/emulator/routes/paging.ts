/**
 * Escalating an incident and paging a person (Runframe v1, docs/runframe-api.md). In the emulator
 * nothing leaves the machine: both are recorded on the timeline.
 */
import { DEFAULTS } from '../../domain/contract';
import { checkEmail } from '../../domain/identifiers';
import { PageBody } from '../../domain/requests';
import { ApiProblem, checkBody, FieldErrors, findIncident, actorOf, addEvent, addParticipant, isOpen, type Handler, type Route } from './common';

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
  const input = checkBody(PageBody, body, errors, 'is not a field of a page');
  errors.throwIfAny();
  if (!input) return errors.fail();
  const { channels } = input;
  const message = input.message ?? undefined;
  const user = state.users.find((u) => u.email === (email as { value: string }).value);
  if (!user) throw new ApiProblem(404, 'user_not_found', `No user with email ${(email as { value: string }).value}`);
  if (!user.is_active) throw new ApiProblem(422, 'user_inactive', `${user.name} is inactive and cannot be paged`, { fields: { email: 'user is inactive' } });
  const unique = [...new Set(channels)];
  const urgency = incident.severity === 'SEV0' || incident.severity === 'SEV1' ? 'high' : 'low';
  addParticipant(incident, user, 'responder');
  addEvent(incident, 'paged', actorOf(state, key), `Paged ${user.name} via ${unique.join(' and ')} (${urgency} urgency)${message ? `: ${message}` : ''} (emulator: no notification left this machine)`, now);
  return { status: 201, data: { paged: true, incident_number: incident.incident_number, email: user.email, name: user.name, channels: unique, urgency }, mutated: true };
};

/** The routes of this area: method, path pattern (":" a parameter), the scope a key needs, handler. */
export const PAGING_ROUTES: Route[] = [
  { method: 'POST', pattern: ['incidents', ':', 'escalate'], scope: 'incidents:write', handler: escalate },
  { method: 'POST', pattern: ['incidents', ':', 'page'], scope: 'incidents:write', handler: page },
];
