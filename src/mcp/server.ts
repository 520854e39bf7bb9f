/**
 * Builds the MCP server over the tool declarations. tools/list is computed once per registry and
 * answered from memory (no API call, so the handshake never waits on the network); tools/call
 * validates arguments with the tool's schema before any request, returns structuredContent with
 * a compact text rendering (at most 8 KB), turns API failures into tool errors that carry the
 * client's hint and request id, and writes one audit line per call.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import type { RunframeClient } from '../api/client';
import { RunframeApiError, RunframeInputError } from '../api';
import { audited, type AuditLine, type AuditOutcome } from './audit';
import { fieldPath } from '../domain/shapeCheck';
import { registerCompletions } from './completions';
import { registerPrompts } from './prompts';
import { registerResources } from './resources';
import { serverInstructions } from './toolDocs';
import { MAX_RESULT_BYTES } from './tools';
import type { ToolDefinition } from './tools';

declare const __VERSION__: string;
/** Server version, injected by the bundler (package.json version). */
export const SERVER_VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';


/** A tool registry: definitions by name and their precomputed tools/list entries. */
export interface ToolRegistry {
  byName: ReadonlyMap<string, ToolDefinition>;
  list: Tool[];
  /** Whether resources and prompts are offered (they read, so they follow the read tier) */
  readResources: boolean;
  /** The instructions sent at initialize, naming the selected tools that notify people */
  instructions: string;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; [k: string]: unknown };

function typeOnly(s: JsonSchema): JsonSchema {
  const types = new Set<string>();
  for (const branch of s.anyOf ?? [s]) for (const t of [branch.type ?? []].flat()) types.add(t);
  const list = [...types];
  return list.length ? { type: list.length === 1 ? list[0] : list } : {};
}

/**
 * An output schema cut to its top-level fields and their types. Every tools/list carries these
 * to the model, and the full nesting (7 tools share the incident's) would more than double its
 * size; the structure below the top level is shown by each result's text rendering instead.
 */
export function shallowOutputSchema(schema: z.ZodObject): Record<string, unknown> {
  const full = jsonSchema(schema, 'output') as JsonSchema;
  const properties = Object.fromEntries(Object.entries(full.properties ?? {}).map(([k, v]) => [k, typeOnly(v)]));
  return { type: 'object', properties };
}

/**
 * Converts definitions to the tools/list form once: JSON Schema of each input and output.
 * @param readResources offer resources and prompts (default: when any read tool is selected)
 */
export function buildRegistry(tools: readonly ToolDefinition[], readResources = tools.some((t) => t.tier === 'read')): ToolRegistry {
  const list = tools.map(
    (t): Tool => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: jsonSchema(t.input, 'input') as Tool['inputSchema'],
      outputSchema: shallowOutputSchema(t.output) as Tool['outputSchema'],
      annotations: t.annotations,
    }),
  );
  return { byName: new Map(tools.map((t) => [t.name, t])), list, readResources, instructions: serverInstructions(tools) };
}

/**
 * Words for zod issues: each names the field and what to send instead. Pure.
 * @param allowed the tool's top-level fields, listed for unknown ones
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], allowed: readonly string[]): string[] {
  return issues.map((issue) => {
    const field = fieldPath(issue.path);
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

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function cutStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return value.length > max ? value.slice(0, max) + '… [cut]' : value;
  if (Array.isArray(value)) return value.map((v) => cutStrings(v, max));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutStrings(v, max)]));
  return value;
}

/**
 * Keeps a result (structured JSON + text) within MAX_RESULT_BYTES: cuts the declared array at an
 * item boundary with a note saying how to get the rest, then long strings if still too big.
 * @param offset the list offset the call asked for (to point at the next one)
 */
export function fitResult(def: ToolDefinition, structured: Record<string, unknown>, offset: number): { structured: Record<string, unknown>; text: string } {
  const render = (s: Record<string, unknown>) => def.render(s);
  const size = (s: Record<string, unknown>) => bytes(JSON.stringify(s)) + bytes(render(s));
  // The common case renders and measures once: most results are well under the cap.
  const text = render(structured);
  const json = JSON.stringify(structured);
  if (bytes(json) + bytes(text) <= MAX_RESULT_BYTES) return { structured, text };
  let out = structured;
  const key = def.truncate;
  const all = key ? (structured[key] as unknown[] | undefined) : undefined;
  if (key && Array.isArray(all) && all.length > 1) {
    const cut = (k: number): Record<string, unknown> =>
      key === 'items'
        ? { ...structured, items: all.slice(0, k), has_more: true, next_offset: offset + k, note: `Cut to ${k} of ${all.length} items to stay under 8 KB: narrow the filters or continue with offset=${offset + k}.` }
        : { ...structured, [key]: all.slice(all.length - k), note: `Timeline cut to the latest ${k} of ${all.length} events to stay under 8 KB.` };
    let lo = 1;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (size(cut(mid)) <= MAX_RESULT_BYTES) lo = mid;
      else hi = mid - 1;
    }
    out = cut(lo);
  }
  for (const max of [2000, 500, 120]) {
    if (size(out) <= MAX_RESULT_BYTES) break;
    out = cutStrings(out, max) as Record<string, unknown>;
  }
  return { structured: out, text: render(out) };
}

export interface CallContext {
  /** Where audit lines go; none when undefined */
  audit?: (line: AuditLine) => void;
}

type Outcome = { answer: CallToolResult; outcome: AuditOutcome };

/**
 * Runs one tools/call against a registry. Shared by every transport.
 * @param signal this call's own AbortSignal (one per call: it also ties the call's API requests to its audit line)
 * Resolves with the result: structuredContent and its compact text, or a tool error.
 * Never throws for bad arguments or API failures (they become tool errors); throws McpError for an unknown tool.
 */
export async function callTool(registry: ToolRegistry, client: RunframeClient, name: string, args: unknown, signal: AbortSignal, ctx: CallContext = {}): Promise<CallToolResult> {
  const def = registry.byName.get(name);
  if (!def) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${name}". Call tools/list for the available tools.`);
  const failed = (text: string, outcome: AuditOutcome): Outcome => ({ answer: toolError(text), outcome });
  const { answer } = await audited<Outcome>(name, ctx.audit, signal, (r) => r.outcome, async () => {
    const prepared = def.prepare(args ?? {});
    if ('issues' in prepared) {
      const lines = describeIssues(prepared.issues, Object.keys(def.input.shape));
      return failed(`Invalid arguments for ${name}; nothing was sent to Runframe.\n- ${lines.join('\n- ')}`, 'invalid_arguments');
    }
    try {
      const value = await prepared.run(client, signal);
      const { structured, text } = fitResult(def, value, prepared.offset);
      return { answer: { content: [{ type: 'text', text }], structuredContent: structured }, outcome: 'ok' };
    } catch (err) {
      if (err instanceof RunframeInputError) return failed(`Invalid arguments for ${name}; nothing was sent to Runframe.\n- ${err.message}`, 'invalid_arguments');
      if (err instanceof RunframeApiError) return failed(`${name} failed: ${err.message}`, 'api_error');
      return failed(`${name} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  });
  return answer;
}

// The SDK server validates JSON Schema only for elicitation, which we never use: a no-op
// validator spares every server instance the cost of building Ajv.
const noValidation: jsonSchemaValidator = { getValidator: () => (input: unknown) => ({ valid: true, data: input, errorMessage: undefined }) as never };

/** A tools/call request before its params are checked (readToolCallParams says what is wrong). */
const ToolCallEnvelope = z.object({ method: z.literal('tools/call'), params: z.unknown().optional() });

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The params of a tools/call request, or an McpError (-32602) saying what to send instead. Pure. */
export function readToolCallParams(params: unknown): { name: string; args: Record<string, unknown> | undefined } | McpError {
  if (!isPlainObject(params)) return new McpError(ErrorCode.InvalidParams, 'tools/call needs params: {"name": "<tool name from tools/list>", "arguments": {...}}');
  const { name, arguments: args } = params;
  if (typeof name !== 'string' || name === '') return new McpError(ErrorCode.InvalidParams, 'tools/call params.name must be a tool name from tools/list');
  if (args !== undefined && !isPlainObject(args)) return new McpError(ErrorCode.InvalidParams, 'tools/call params.arguments must be an object of the tool\'s fields');
  return { name, args };
}

/** Creates an MCP server (not yet connected) exposing `registry` backed by `client`. */
export function createMcpServer(client: RunframeClient, registry: ToolRegistry, ctx: CallContext = {}): Server {
  const server = new Server(
    { name: 'runframe', title: 'Runframe', version: SERVER_VERSION },
    {
      capabilities: { tools: { listChanged: false }, ...(registry.readResources ? { resources: {}, prompts: {}, completions: {} } : {}) },
      instructions: registry.instructions,
      jsonSchemaValidator: noValidation,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: registry.list }));
  // tools/call goes through the SDK's request handling (dispatch, cancellation, errors): our own
  // router measured at most 1.3x faster (README, Performance), under the 2x that would justify it.
  // Registered on Protocol, not Server: Server's override would answer bad params with -32603
  // and a zod dump, and check each result we made against the result schema again.
  Protocol.prototype.setRequestHandler.call(server, ToolCallEnvelope, (request: z.output<typeof ToolCallEnvelope>, extra: { signal: AbortSignal }) => {
    const params = readToolCallParams(request.params);
    if (params instanceof McpError) throw params;
    return callTool(registry, client, params.name, params.args, extra.signal, ctx);
  });
  if (registry.readResources) {
    registerResources(server, client);
    registerPrompts(server, client);
    registerCompletions(server, client);
  }
  return server;
}
