/**
 * What the sidebar loads, through the shared client. Pure (no `vscode`), so benchmarks and unit
 * tests run the same code path as the views.
 */
import type { RunframeClient } from '../../api/client';
import { OPEN_STATUSES, type Incident, type OnCallSnapshot } from '../../api/types';
import { sortIncidents } from '../../domain/order';

/**
 * Every open incident (all pages, 100 per request), most severe first then newest.
 * Runframe v1: GET /incidents?status=new&status=investigating&status=fixing&status=monitoring
 */
export async function loadOpenIncidents(client: RunframeClient | undefined, signal?: AbortSignal): Promise<Incident[]> {
  if (!client) return [];
  const open = await client.listAllIncidents({ status: [...OPEN_STATUSES] }, { signal });
  return sortIncidents(open.items);
}

/**
 * The cheap check between full refreshes: open incidents created at or after `sinceIso` (the
 * newest creation time already known), one request of at most 20. Runframe v1 (part A,
 * docs/runframe-api.md): GET /incidents?status=…&created_after=<ISO 8601>&limit=20.
 */
export async function loadOpenIncidentsCreatedSince(client: RunframeClient | undefined, sinceIso: string, signal?: AbortSignal): Promise<Incident[]> {
  if (!client) return [];
  const page = await client.listIncidents({ status: [...OPEN_STATUSES], created_after: sinceIso, limit: 20 }, signal);
  return page.items;
}

/** Who is on call now. Runframe v1: GET /on-call/current */
export async function loadOnCall(client: RunframeClient | undefined, signal?: AbortSignal): Promise<OnCallSnapshot> {
  return client ? client.getCurrentOnCall(undefined, signal) : { services: [] };
}

/** Whom the key belongs to (part B, assumed fields); all parts optional. */
export interface Identity {
  name?: string;
  email?: string;
  /** The user's own team, when GET /users says */
  team?: string;
}

/**
 * Whom the key belongs to: GET /auth/verify's `user` (part B, assumed; the published contract
 * does not name it), else `fallbackEmail` (the runframe.userEmail setting); then the user's name
 * and team from GET /users?search=<email> when the key may read users. A failing user lookup
 * (e.g. 403 without users:read) leaves name and team unknown rather than failing the identity.
 */
export async function loadIdentity(client: RunframeClient | undefined, fallbackEmail?: string, signal?: AbortSignal): Promise<Identity> {
  if (!client) return {};
  const auth = await client.verifyKey(signal);
  const email = auth.user?.email ?? (fallbackEmail?.trim() || undefined);
  const identity: Identity = { name: auth.user?.name, email };
  if (email) {
    try {
      const users = await client.listUsers({ search: email, limit: 5 }, signal);
      const me = users.items.find((u) => u.email.toLowerCase() === email.toLowerCase());
      identity.team = me?.team_name;
      identity.name ??= me?.name;
    } catch {
      // Name and team unknown; "My teams" still uses the on-call schedule.
    }
  }
  return identity;
}
