/**
 * MCP resources a user can attach as chat context:
 *   runframe://incidents/open            open incidents, most severe first (Markdown)
 *   runframe://oncall/current            who is on call now (Markdown)
 *   runframe://incidents/{incident_number}  one incident with its timeline (Markdown)
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, McpError, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { RunframeClient } from '../api/client';
import { RunframeApiError } from '../api/errors';
import { sortIncidents } from '../domain/order';
import { OPEN_STATUSES } from '../api/types';
import { checkIncidentNumber } from '../domain/identifiers';
import { INCIDENT_CARD_RESOURCE, readAppResource } from './apps/incidentCard';
import { incidentMarkdown, incidentTableMarkdown, onCallMarkdown } from './markdown';

const OPEN = 'runframe://incidents/open';
const ONCALL = 'runframe://oncall/current';
const INCIDENT_PREFIX = 'runframe://incidents/';

const LIST = [
  { uri: OPEN, name: 'open-incidents', title: 'Open incidents', description: 'Every open incident, most severe first, as a Markdown table.', mimeType: 'text/markdown' },
  { uri: ONCALL, name: 'oncall-current', title: 'Who is on call', description: 'Who is on call now for each service, and the services nobody covers.', mimeType: 'text/markdown' },
];
const TEMPLATES = [
  { uriTemplate: `${INCIDENT_PREFIX}{incident_number}`, name: 'incident', title: 'Incident', description: 'One incident with its timeline, e.g. runframe://incidents/INC-2026-001.', mimeType: 'text/markdown' },
];

function toMcpError(err: unknown): McpError {
  if (err instanceof RunframeApiError) return new McpError(err.status === 404 ? ErrorCode.InvalidParams : ErrorCode.InternalError, err.message);
  return new McpError(ErrorCode.InternalError, err instanceof Error ? err.message : String(err));
}

/** Markdown of the resource at `uri`. @throws McpError for an unknown URI or an API failure */
export async function readResource(client: RunframeClient, uri: string, signal?: AbortSignal): Promise<string> {
  const now = Date.now();
  try {
    if (uri === OPEN) {
      const page = await client.listAllIncidents({ status: [...OPEN_STATUSES] }, { signal });
      const sorted = sortIncidents(page.items);
      return `# Open incidents (${sorted.length})\n\n${incidentTableMarkdown(sorted, now)}`;
    }
    if (uri === ONCALL) return onCallMarkdown(await client.getCurrentOnCall(undefined, signal));
    if (uri.startsWith(INCIDENT_PREFIX)) {
      const checked = checkIncidentNumber(decodeURIComponent(uri.slice(INCIDENT_PREFIX.length)));
      if (!checked.ok) throw new McpError(ErrorCode.InvalidParams, `Bad resource URI ${uri}: ${checked.message}`);
      return incidentMarkdown(await client.getIncident(checked.value, signal), now);
    }
  } catch (err) {
    throw err instanceof McpError ? err : toMcpError(err);
  }
  throw new McpError(ErrorCode.InvalidParams, `Unknown resource ${uri}. Resources: ${OPEN}, ${ONCALL}, ${INCIDENT_PREFIX}{incident_number}.`);
}

/** Registers resources/list, resources/templates/list and resources/read on `server`. */
export function registerResources(server: Server, client: RunframeClient): void {
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [...LIST, INCIDENT_CARD_RESOURCE] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req, extra) => readUiResource(req.params.uri) ?? {
    contents: [{ uri: req.params.uri, mimeType: 'text/markdown', text: await readResource(client, req.params.uri, extra.signal) }],
  });
}

/** The MCP App resources (ui://), or undefined for other URIs. @throws McpError when the card was not built in */
function readUiResource(uri: string) {
  try {
    return readAppResource(uri);
  } catch (err) {
    throw new McpError(ErrorCode.InternalError, err instanceof Error ? err.message : String(err));
  }
}
