/**
 * Which tools and resources an API key's scopes allow (docs/runframe-api.md, part A: "Calling an
 * endpoint without its scope answers 403"). Each tool names its scope in its definition. In
 * per-user mode a client is offered only the tools its own key can use.
 */
import type { Scope } from '../domain/contract';
import type { ToolDefinition } from './tools';

/** Resources and prompts read incidents and who is on call. */
export const RESOURCE_SCOPES: readonly Scope[] = ['incidents:read', 'oncall:read'];

/** The tools of `tools` whose scope `granted` holds, in their order. Pure. */
export function toolsForScopes(tools: readonly ToolDefinition[], granted: readonly string[]): ToolDefinition[] {
  return tools.filter((t) => granted.includes(t.scope));
}
