/**
 * Directory tools: teams, and people by name or email. Runframe v1: GET /teams, GET /users.
 */
import { z } from 'zod';
import type { Team, User } from '../../api/types';
import { LIMITS } from '../../domain/contract';
import { limit } from '../schemas';
import { defineTool, READ, searchListTool, type ToolDefinition } from './define';
import { listOf, listSchema, nstr, str } from './results';

export const teamSchema = z.object({ name: str, description: nstr });
export function team(t: Team) {
  return { name: t.name, description: t.description ?? null };
}

export const userSchema = z.object({ name: str, email: str, active: z.boolean().nullable() });
export function user(u: User) {
  return { name: u.name, email: u.email, active: u.is_active ?? null };
}

/** The tools of this area, in the reference server's order. */
export const DIRECTORY_TOOLS: readonly ToolDefinition[] = [
  searchListTool({
    name: 'runframe_list_teams',
    title: 'List teams',
    description: 'List teams (their exact names filter incidents and on-call).',
    summary: 'teams',
    scope: 'teams:read',
    searchHint: 'Text to find in the team name',
    item: teamSchema,
    toItem: team,
    fetch: (client, args, signal) => client.listTeams(args, signal),
  }),
  defineTool({
    name: 'runframe_find_user',
    title: 'Find user',
    description: 'Find people by name or email, e.g. to get the email for assigned_to, resolved_by or paging. Active users only unless include_inactive or is_active says otherwise.',
    summary: 'people by name or email (active only unless asked)',
    scope: 'users:read',
    tier: 'read',
    annotations: READ,
    input: z
      .object({
        search: z.string().trim().min(1).max(LIMITS.search.max).describe('Name or email to search for'),
        include_inactive: z.boolean().default(false).describe('Also return inactive users (for historical assignees or resolvers)'),
        is_active: z.boolean().optional().describe('Only active (true) or only inactive (false) users; overrides include_inactive'),
        limit: limit(10),
      })
      .strict(),
    output: listSchema(userSchema),
    truncate: 'items',
    run: async (client, { search, include_inactive, is_active, limit: max }, signal) =>
      listOf(await client.listUsers({ search, limit: max, offset: 0, is_active: is_active ?? (include_inactive ? undefined : true) }, signal), user),
  }),
];
