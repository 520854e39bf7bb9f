/**
 * Builds the MCP server over the tool declarations: tools/list is computed once per registry and
 * answered from memory (no API call, so the handshake never waits on the network), tools/call
 * validates arguments with the tool's schema before any request, and turns API failures into tool
 * errors that carry the client's hint.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { RunframeClient } from '../api/client';
import { RunframeApiError, RunframeInputError } from '../api';
import type { ToolDefinition } from './tools';

declare const __VERSION__: string;
/** Server version, injected by the bundler (package.json version). */
export const SERVER_VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const INSTRUCTIONS = [
  'Runframe incident management. Incident numbers look like INC-2026-001; severities run SEV0 (critical) to SEV4.',
  'Service keys (svc_ + 10 characters) come from runframe_list_services; emails for assignees and paging from runframe_find_user.',
  'runframe_page_someone and runframe_escalate_incident notify real people: confirm intent first.',
].join(' ');

/** A tool registry: the definitions by name and their precomputed tools/list entries. */
export interface ToolRegistry {
  byName: ReadonlyMap<string, ToolDefinition>;
  list: Tool[];
}

/** Converts definitions to the tools/list form once (JSON Schema of each input, `$schema` dropped). */
export function buildRegistry(tools: readonly ToolDefinition[]): ToolRegistry {
  const list = tools.map((t): Tool => {
    const { $schema: _drop, ...inputSchema } = z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return { name: t.name, title: t.title, description: t.description, inputSchema: inputSchema as Tool['inputSchema'], annotations: { title: t.title, ...t.annotations } };
  });
  return { byName: new Map(tools.map((t) => [t.name, t])), list };
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Words for zod issues: each names the field and what to send instead. Pure.
 * @param allowed the tool's top-level fields, listed for unknown ones
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], allowed: readonly string[]): string[] {
  return issues.map((issue) => {
    const field = pathOf(issue.path);
    const at = field || 'arguments';
    switch (issue.code) {
      case 'unrecognized_keys':
        return `${issue.keys.map((k) => `"${k}"`).join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}${field ? ` in ${field}` : ''}; allowed fields: ${allowed.join(', ')}`;
      case 'invalid_type':
        return issue.message.endsWith('received undefined') ? `${at}: is required (${issue.expected})` : `${at}: must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, ${issue.message.replace(/^.*received /, 'got ')}`;
      case 'invalid_value':
        return `${at}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      case 'too_small':
        return `${at}: ${issue.origin === 'array' ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? (issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`) : `must be at least ${issue.minimum}`}`;
      case 'too_big':
        return `${at}: ${issue.origin === 'array' ? `takes at most ${issue.maximum} items` : issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`}`;
      default:
        return `${at}: ${issue.message}`;
    }
  });
}

/** A tool error result: text only, `isError: true`. */
export function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * Runs one tools/call against a registry. Exported so every transport shares it.
 * Never throws for bad arguments or API failures (they become tool errors); throws McpError for an unknown tool.
 */
export async function callTool(registry: ToolRegistry, client: RunframeClient, name: string, args: unknown, signal: AbortSignal): Promise<CallToolResult> {
  const def = registry.byName.get(name);
  if (!def) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name}". Call tools/list for the available tools.`);
  const parsed = def.input.safeParse(args ?? {});
  if (!parsed.success) {
    const lines = describeIssues(parsed.error.issues, Object.keys(def.input.shape));
    return toolError(`Invalid arguments for ${name}; nothing was sent to Runframe.\n- ${lines.join('\n- ')}`);
  }
  try {
    const value = await def.run(client, parsed.data, signal);
    return { content: [{ type: 'text', text: JSON.stringify(value) }] };
  } catch (err) {
    if (err instanceof RunframeInputError) return toolError(`Invalid arguments for ${name}; nothing was sent to Runframe.\n- ${err.message}`);
    if (err instanceof RunframeApiError) return toolError(`${name} failed: ${err.message}`);
    return toolError(`${name} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const inFlight = new WeakMap<Server, Set<Promise<unknown>>>();

/** Creates an MCP server (not yet connected) exposing `registry`'s tools backed by `client`. */
export function createMcpServer(client: RunframeClient, registry: ToolRegistry): Server {
  const server = new Server({ name: 'runframe', title: 'Runframe', version: SERVER_VERSION }, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  const pending = new Set<Promise<unknown>>();
  inFlight.set(server, pending);
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: registry.list }));
  server.setRequestHandler(CallToolRequestSchema, (req, extra) => {
    const call = callTool(registry, client, req.params.name, req.params.arguments, extra.signal);
    pending.add(call);
    void call.finally(() => pending.delete(call)).catch(() => undefined);
    return call;
  });
  return server;
}

/**
 * Resolves once every tool call in flight on `server` has answered, or after `maxWaitMs`
 * (so a client that closes stdin right after a request still gets its answer).
 */
export async function drainToolCalls(server: Server, maxWaitMs: number): Promise<void> {
  const pending = inFlight.get(server);
  if (!pending?.size) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...pending]),
    new Promise((r) => {
      timer = setTimeout(r, maxWaitMs);
    }),
  ]);
  clearTimeout(timer);
}
