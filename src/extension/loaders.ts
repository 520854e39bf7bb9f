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
