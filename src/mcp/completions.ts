/**
 * Argument completion (MCP 2025-06-18, "Completion": completion/complete), so a slash command
 * or an attached resource autocompletes from live data:
 *   prompts triage_incident / draft_postmortem, argument incident_number   incident numbers
 *   prompt handoff_summary, argument team_name                             team names
 *   resource template runframe://incidents/{incident_number}               incident numbers
 * Values start with what was typed (any case); at most 100, the most recent incidents first.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CompleteRequestSchema, type CompleteResult } from '@modelcontextprotocol/sdk/types.js';
import type { RunframeClient } from '../api/client';
import { LIMITS } from '../domain/contract';

/** MCP: a completion result carries at most 100 values. */
const MAX_VALUES = 100;
const INCIDENT_TEMPLATE = 'runframe://incidents/{incident_number}';
const INCIDENT_PROMPTS = new Set(['triage_incident', 'draft_postmortem']);

type Ref = { type: string; name?: string; uri?: string };

/** Which list an argument completes from, or undefined when we offer none for it. */
export function completionSource(ref: Ref, argument: string): 'incidents' | 'teams' | undefined {
  if (ref.type === 'ref/prompt' && ref.name && INCIDENT_PROMPTS.has(ref.name) && argument === 'incident_number') return 'incidents';
  if (ref.type === 'ref/prompt' && ref.name === 'handoff_summary' && argument === 'team_name') return 'teams';
  if (ref.type === 'ref/resource' && ref.uri === INCIDENT_TEMPLATE && argument === 'incident_number') return 'incidents';
  return undefined;
}

/** `names` that start with `typed` (ignoring case), as a completion result. Pure. */
export function completeFrom(names: readonly string[], typed: string): CompleteResult {
  const prefix = typed.trim().toLowerCase();
  const values = [...new Set(names)].filter((n) => n.toLowerCase().startsWith(prefix));
  return { completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES } };
}

/**
 * Completes `argument` of `ref` from live data (one API request).
 * @throws RunframeApiError when the API fails (the SDK answers it as an error)
 */
export async function complete(client: RunframeClient, ref: Ref, argument: { name: string; value: string }, signal?: AbortSignal): Promise<CompleteResult> {
  switch (completionSource(ref, argument.name)) {
    case 'incidents': {
      const page = await client.listIncidents({ limit: LIMITS.listLimit.max }, signal);
      return completeFrom(page.items.map((i) => i.incident_number).filter((n): n is string => typeof n === 'string'), argument.value);
    }
    case 'teams': {
      const page = await client.listTeams({ limit: LIMITS.listLimit.max }, signal);
      return completeFrom(page.items.map((t) => t.name).filter((n): n is string => typeof n === 'string'), argument.value);
    }
    default:
      return { completion: { values: [], total: 0, hasMore: false } };
  }
}

/** Registers completion/complete on `server` (declare the `completions` capability with it). */
export function registerCompletions(server: Server, client: RunframeClient): void {
  server.setRequestHandler(CompleteRequestSchema, (req, extra) => complete(client, req.params.ref as Ref, req.params.argument, extra.signal));
}
