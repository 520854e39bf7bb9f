/**
 * The semantics of every Runframe v1 endpoint (docs/runframe-api.md parts A and B), as pure
 * handlers over the emulator state, one file per area. The HTTP layer (server.ts) does auth,
 * bodies, envelopes, idempotency and persistence; handlers validate input, read or change state,
 * and say whether they changed it.
 */
import { createHash } from 'node:crypto';
import type { Route } from './common';
import { DIRECTORY_ROUTES } from './directory';
import { INCIDENT_ROUTES } from './incidents';
import { ONCALL_ROUTES } from './oncall';
import { PAGING_ROUTES } from './paging';
import { POSTMORTEM_ROUTES } from './postmortems';

export { ApiProblem, type RouteContext, type RouteResult } from './common';

const ROUTES: readonly Route[] = [...DIRECTORY_ROUTES, ...INCIDENT_ROUTES, ...PAGING_ROUTES, ...ONCALL_ROUTES, ...POSTMORTEM_ROUTES];

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
