/**
 * Who is on call now and the escalation policy of a severity (Runframe v1, docs/runframe-api.md).
 */
import { SEVERITIES } from '../../api/types';
import { onCallSnapshot } from '../oncall';
import { ApiProblem, FieldErrors, severityOf, type Handler, type Route } from './common';

const onCall: Handler = (state, { query, now }) => {
  const team = query.get('team_name') ?? undefined;
  if (team !== undefined && !state.teams.some((t) => t.name === team)) throw new ApiProblem(404, 'not_found', `Team "${team}" not found`);
  return { status: 200, data: onCallSnapshot(state, now, team) };
};

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

/** The routes of this area: method, path pattern (":" a parameter), the scope a key needs, handler. */
export const ONCALL_ROUTES: Route[] = [
  { method: 'GET', pattern: ['on-call', 'current'], scope: 'oncall:read', handler: onCall },
  { method: 'GET', pattern: ['escalation-policies'], scope: 'oncall:read', handler: escalationPolicy },
];
