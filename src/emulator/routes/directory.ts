/**
 * The key, services, teams and users (Runframe v1, docs/runframe-api.md).
 */
import { checkServiceKey } from '../../domain/identifiers';
import { ApiProblem, pageOf, search, actorOf, type Handler, type Route } from './common';

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

const listTeams: Handler = (state, { query }) => ({
  status: 200,
  data: pageOf(search(state.teams, query, (t) => `${t.name} ${t.description}`), query),
});

const listUsers: Handler = (state, { query }) => {
  const active = query.get('is_active');
  if (active !== null && active !== 'true' && active !== 'false') {
    throw new ApiProblem(422, 'validation_error', 'is_active must be true or false', { fields: { is_active: 'must be true or false' } });
  }
  const matching = search(state.users, query, (u) => `${u.name} ${u.email}`).filter((u) => active === null || String(u.is_active) === active);
  const p = pageOf(matching, query);
  return { status: 200, data: { ...p, items: p.items.map(({ id, name, email, is_active, team_name }) => ({ id, name, email, is_active, team_name })) } };
};

/** The routes of this area: method, path pattern (":" a parameter), the scope a key needs, handler. */
export const DIRECTORY_ROUTES: Route[] = [
  { method: 'GET', pattern: ['auth', 'verify'], handler: verify },
  { method: 'GET', pattern: ['services'], scope: 'services:read', handler: listServices },
  { method: 'GET', pattern: ['services', ':'], scope: 'services:read', handler: getService },
  { method: 'GET', pattern: ['teams'], scope: 'teams:read', handler: listTeams },
  { method: 'GET', pattern: ['users'], scope: 'users:read', handler: listUsers },
];
