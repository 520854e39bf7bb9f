/**
 * The API key scopes each tool needs (docs/runframe-api.md, part A: "Calling an endpoint without
 * its scope answers 403"; the scope of each endpoint is named beside it in src/api/client.ts). In
 * per-user mode a client is offered only the tools its own key can use.
 */
import type { Scope } from '../domain/contract';
import type { ToolDefinition } from './tools';

/** Scopes per tool name: every tool of the catalog has an entry (test/mcp/team.test.ts checks). */
export const TOOL_SCOPES: Readonly<Record<string, readonly Scope[]>> = {
  runframe_list_incidents: ['incidents:read'],
  runframe_get_incident: ['incidents:read'],
  runframe_create_incident: ['incidents:write'],
  runframe_update_incident: ['incidents:write'],
  runframe_change_incident_status: ['incidents:write'],
  runframe_acknowledge_incident: ['incidents:write'],
  runframe_add_incident_event: ['incidents:write'],
  runframe_escalate_incident: ['incidents:write'],
  runframe_page_someone: ['incidents:write'],
  runframe_get_current_oncall: ['oncall:read'],
  runframe_get_escalation_policy: ['oncall:read'],
  runframe_list_services: ['services:read'],
  runframe_get_service: ['services:read'],
  runframe_create_postmortem: ['postmortems:write'],
  runframe_get_postmortem: ['postmortems:read'],
  runframe_list_teams: ['teams:read'],
  runframe_find_user: ['users:read'],
};

/** Resources and prompts read incidents and who is on call. */
export const RESOURCE_SCOPES: readonly Scope[] = ['incidents:read', 'oncall:read'];

/** The tools of `tools` whose scopes `granted` holds, in their order; a tool without an entry is left out. Pure. */
export function toolsForScopes(tools: readonly ToolDefinition[], granted: readonly string[]): ToolDefinition[] {
  return tools.filter((t) => TOOL_SCOPES[t.name]?.every((s) => granted.includes(s)) ?? false);
}
