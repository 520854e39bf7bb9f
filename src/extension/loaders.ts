/**
 * What the sidebar loads, through the shared client. Pure (no `vscode`), so benchmarks and unit
 * tests run the same code path as the views.
 */
import type { RunframeClient } from '../api/client';
import { OPEN_STATUSES, type Incident, type OnCallSnapshot } from '../api/types';
import { sortIncidents } from '../api/order';

/**
 * Every open incident (all pages, 100 per request), most severe first then newest.
 * Runframe v1: GET /incidents?status=new&status=investigating&status=fixing&status=monitoring
 */
export async function loadOpenIncidents(client: RunframeClient | undefined, signal?: AbortSignal): Promise<Incident[]> {
  if (!client) return [];
  const page = await client.listAllIncidents({ status: [...OPEN_STATUSES] }, { signal });
  return sortIncidents(page.items);
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
 * Whom the key belongs to: GET /auth/verify's `user` (part B, assumed), then the user's team from
 * GET /users?search=<email> when the key may read users. A failing team lookup (e.g. 403 without
 * users:read) leaves the team unknown rather than failing the whole identity.
 */
export async function loadIdentity(client: RunframeClient | undefined, signal?: AbortSignal): Promise<Identity> {
  if (!client) return {};
  const auth = await client.verifyKey(signal);
  const identity: Identity = { name: auth.user?.name, email: auth.user?.email };
  if (identity.email) {
    try {
      const users = await client.listUsers({ search: identity.email, limit: 5 }, signal);
      identity.team = users.items.find((u) => u.email.toLowerCase() === identity.email!.toLowerCase())?.team_name;
    } catch {
      // Team unknown; "My teams" still uses the on-call schedule.
    }
  }
  return identity;
}
