/**
 * Service tools: list services (and their keys), get one. Runframe v1: GET /services.
 */
import { z } from 'zod';
import type { Service } from '../../api/types';
import { serviceKey } from '../schemas';
import { defineTool, READ, searchListTool, type ToolDefinition } from './define';
import { nstr, str } from './results';

export const serviceSchema = z.object({ key: str, name: str, team: nstr, description: nstr });
export function service(s: Service) {
  return { key: s.service_key, name: s.name, team: s.team_name ?? null, description: s.description ?? null };
}

/** The tools of this area, in the reference server's order. */
export const SERVICE_TOOLS: readonly ToolDefinition[] = [
  searchListTool({
    name: 'runframe_list_services',
    title: 'List services',
    description: 'List services with their service keys (needed to create incidents), owning team and description.',
    summary: 'services and their keys (`svc_` + 10 characters)',
    scope: 'services:read',
    searchHint: 'Text to find in name, key or description',
    item: serviceSchema,
    toItem: service,
    fetch: (client, args, signal) => client.listServices(args, signal),
  }),
  defineTool({
    name: 'runframe_get_service',
    title: 'Get service',
    description: 'Get one service by its service key.',
    summary: 'one service by its key',
    scope: 'services:read',
    tier: 'read',
    annotations: READ,
    input: z.object({ id: serviceKey() }).strict(),
    output: serviceSchema,
    run: async (client, { id }, signal) => service(await client.getService(id, signal)),
  }),
];
