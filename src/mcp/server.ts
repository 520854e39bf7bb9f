/**
 * Builds the MCP server over the tool declarations. tools/list is computed once per registry and
 * answered from memory (no API call, so the handshake never waits on the network); tools/call
 * validates arguments with the tool's schema before any request, returns structuredContent with
 * a compact text rendering (at most 8 KB) or its JSON (RUNFRAME_TEXT_FORMAT=json), turns API failures into tool errors that carry the
 * client's hint and request id, and writes one audit line per call.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import type { RunframeClient } from '../api/client';
import { RunframeApiError, RunframeInputError } from '../api';
import { appToolMeta, UI_EXTENSION_ID } from './apps/incidentCard';
import { audited, type AuditLine, type AuditOutcome } from './audit';
import { confirmByForm, FORM_TIMEOUT_MS, supportsFormElicitation, type Elicit } from './elicitation';
import { fieldPath } from '../domain/shapeCheck';
import { registerCompletions } from './completions';
import { registerPrompts } from './prompts';
import { registerResources } from './resources';
import { serverInstructions } from './toolDocs';
import { MAX_RESULT_BYTES, MAX_STRUCTURED_BYTES } from './tools';
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
  /** Catalog tools left out by the settings, with the text saying which setting hides each (toolsets.ts hiddenTools) */
  hidden: ReadonlyMap<string, string>;
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
 * @param hidden tools the settings hide, by name, with the text a call to one of them answers
 * @param workspaceServices service keys of the user's workspace, named in the instructions
 */
export function buildRegistry(tools: readonly ToolDefinition[], readResources = tools.some((t) => t.tier === 'read'), hidden: ReadonlyMap<string, string> = new Map(), workspaceServices: readonly string[] = []): ToolRegistry {
  const list = tools.map(
    (t): Tool => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: jsonSchema(t.input, 'input') as Tool['inputSchema'],
      outputSchema: shallowOutputSchema(t.output) as Tool['outputSchema'],
      annotations: t.annotations,
      // The incident card (MCP Apps) is a resource, so it is named only when resources are served.
      ...(readResources && appToolMeta(t.name) ? { _meta: appToolMeta(t.name) } : {}),
    }),
  );
  return { byName: new Map(tools.map((t) => [t.name, t])), list, readResources, instructions: serverInstructions(tools, workspaceServices), hidden };
}

/** "an integer", "a list", "an object": zod's expected type in words, with its article. */
function typeWords(expected: string): string {
  const words: Record<string, string> = { int: 'an integer', array: 'a list', object: 'an object', boolean: 'true or false', number: 'a number', string: 'a string' };
  return words[expected] ?? `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

/**
 * Words for zod issues: each names the field and what to send instead. Pure.
 * A length issue at a field that has the wrong type is left out: zod 4 also checks a list's
 * size on a string ("slack" for ["slack"]), which would add a bogus "at most 2 characters".
 * @param allowed the tool's top-level fields, listed for unknown ones
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], allowed: readonly string[]): string[] {
  const wrongType = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => fieldPath(i.path)));
  return issues
    .filter((issue) => !((issue.code === 'too_big' || issue.code === 'too_small') && wrongType.has(fieldPath(issue.path))))
    .map((issue) => {
      const field = fieldPath(issue.path);
      const at = field || 'arguments';
      switch (issue.code) {
        case 'unrecognized_keys':
          return `${issue.keys.map((k) => `"${k}"`).join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}${field ? ` in ${field}` : ''}; allowed fields: ${allowed.join(', ')}`;
        case 'invalid_type':
          return issue.message.endsWith('received undefined') ? `${at}: is required (${issue.expected})` : `${at}: must be ${typeWords(issue.expected)}, ${issue.message.replace(/^.*received /, 'got ')}`;
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

/** `s` cut to `max` characters, marked "… [cut]" when cut. */
const cap = (s: string, max: number): string => (s.length > max ? s.slice(0, max) + '… [cut]' : s);

/**
 * An error text kept as small as results are: each line at most `maxLine` characters and the
 * whole within MAX_RESULT_BYTES. Error texts may echo the caller's input (a bad id, the API's
 * message about a field), which can be megabytes. Pure.
 */
export function capErrorText(text: string, maxLine = 500): string {
  const kept: string[] = [];
  let size = 0;
  for (const line of text.split('\n').map((l) => cap(l, maxLine))) {
    size += bytes(line) + 1;
    if (size > MAX_RESULT_BYTES - 64) {
      kept.push('… [cut to stay under 8 KB]');
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

function cutStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return cap(value, max);
  if (Array.isArray(value)) return value.map((v) => cutStrings(v, max));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutStrings(v, max)]));
  return value;
}

/**
 * Keeps a result within its caps: structured JSON within MAX_STRUCTURED_BYTES and, in the compact
 * form, its text within MAX_RESULT_BYTES. Cuts the declared array at an item boundary with a note
 * saying how to get the rest, then long strings if still too big.
 * @param offset the list offset the call asked for (to point at the next one)
 * @param textFormat 'json': the text is the structured JSON (only its cap applies)
 */
export function fitResult(def: ToolDefinition, structured: Record<string, unknown>, offset: number, textFormat: TextFormat = 'compact'): { structured: Record<string, unknown>; text: string } {
  const render = (s: Record<string, unknown>) => (textFormat === 'json' ? JSON.stringify(s) : def.render(s));
  const fits = (s: Record<string, unknown>, text = render(s)) => bytes(JSON.stringify(s)) <= MAX_STRUCTURED_BYTES && (textFormat === 'json' || bytes(text) <= MAX_RESULT_BYTES);
  // The common case renders and measures once: most results are well under the caps.
  const text = render(structured);
  if (fits(structured, text)) return { structured, text };
  let out = structured;
  const key = def.truncate;
  const all = key ? (structured[key] as unknown[] | undefined) : undefined;
  if (key && Array.isArray(all) && all.length > 1) {
    const cut = (k: number): Record<string, unknown> =>
      key === 'items'
        ? { ...structured, items: all.slice(0, k), has_more: true, next_offset: offset + k, note: `Cut to ${k} of ${all.length} items to stay under the size cap: narrow the filters or continue with offset=${offset + k}.` }
        : { ...structured, [key]: all.slice(all.length - k), note: `Timeline cut to the latest ${k} of ${all.length} events to stay under the size cap.` };
    let lo = 1;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(cut(mid))) lo = mid;
      else hi = mid - 1;
    }
    out = cut(lo);
  }
  for (const max of [2000, 500, 120]) {
    if (fits(out)) break;
    out = cutStrings(out, max) as Record<string, unknown>;
  }
  return { structured: out, text: render(out) };
}

export interface CallContext {
  /** Where audit lines go; none when undefined */
  audit?: (line: AuditLine) => void;
  /** Asks the person with a form (the client declared form elicitation); tools that notify people confirm through it first */
  elicit?: Elicit;
  /**
   * What a result's text is: 'compact' (default) the tool's rendering for a model, 'json' the
   * JSON of structuredContent, for clients and scripts that parse the text (RUNFRAME_TEXT_FORMAT).
   */
  textFormat?: TextFormat;
}

/** The forms a result's text can take (RUNFRAME_TEXT_FORMAT). */
export const TEXT_FORMATS = ['compact', 'json'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/**
 * A result that says which top-level arguments were ignored: `ignored_arguments` in the
 * structured result and a first line in the text. Names are capped (a name can be any string).
 */
export function withIgnored(result: { structured: Record<string, unknown>; text: string }, ignored: readonly string[], allowed: readonly string[]): { structured: Record<string, unknown>; text: string } {
  const names = ignored.slice(0, 20).map((n) => cap(n, 100));
  const more = ignored.length > names.length ? ` and ${ignored.length - names.length} more` : '';
  const line = `Ignored unknown argument${ignored.length > 1 ? 's' : ''} ${names.map((n) => JSON.stringify(n)).join(', ')}${more} (this tool takes: ${allowed.join(', ')}).`;
  return { structured: { ...result.structured, ignored_arguments: names }, text: `${line}\n${result.text}` };
}

type Outcome = { answer: CallToolResult; outcome: AuditOutcome };

/**
 * Runs one tools/call against a registry. Shared by every transport.
 * @param signal this call's own AbortSignal (one per call: it also ties the call's API requests to its audit line)
 * Resolves with the result: structuredContent and its compact text, or a tool error.
 * Never throws for bad arguments or API failures (they become tool errors), nor for a catalog tool
 * the settings hide (a tool error naming the setting); throws McpError for a name no tool has.
 */
export async function callTool(registry: ToolRegistry, client: RunframeClient, name: string, args: unknown, signal: AbortSignal, ctx: CallContext = {}): Promise<CallToolResult> {
  const def = registry.byName.get(name);
  if (!def) {
    const hiddenBy = registry.hidden.get(name);
    if (hiddenBy) return toolError(hiddenBy);
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${cap(name, 100)}". Call tools/list for the available tools.`);
  }
  const failed = (text: string, outcome: AuditOutcome): Outcome => ({ answer: toolError(capErrorText(text)), outcome });
  const { answer } = await audited<Outcome>(name, ctx.audit, signal, (r) => r.outcome, async () => {
    let prepared = def.prepare(args ?? {});
    const invalid = (issues: readonly z.core.$ZodIssue[], why = 'Invalid arguments') =>
      failed(`${why} for ${name}; nothing was sent to Runframe.\n- ${describeIssues(issues, Object.keys(def.input.shape)).join('\n- ')}`, 'invalid_arguments');
    if ('issues' in prepared) return invalid(prepared.issues);
    try {
      // The person confirms (and may edit) in a form; what they accept is checked like any arguments.
      const form = ctx.elicit && prepared.confirm ? await prepared.confirm(client, signal) : undefined;
      if (form && ctx.elicit) {
        const answer = await confirmByForm(form, ctx.elicit, signal);
        if (!answer.sent) return failed(answer.text, 'declined');
        prepared = def.prepare(answer.args);
        if ('issues' in prepared) return invalid(prepared.issues, 'Invalid values in the confirmation form');
      }
      const value = await prepared.run(client, signal);
      const fitted = fitResult(def, value, prepared.offset, ctx.textFormat);
      const { structured, text } = prepared.ignored.length ? withIgnored(fitted, prepared.ignored, Object.keys(def.input.shape)) : fitted;
      return { answer: { content: [{ type: 'text', text: ctx.textFormat === 'json' ? JSON.stringify(structured) : text }], structuredContent: structured }, outcome: 'ok' };
    } catch (err) {
      if (err instanceof RunframeInputError) return failed(`Invalid arguments for ${name}; nothing was sent to Runframe.\n- ${err.message}`, 'invalid_arguments');
      if (err instanceof RunframeApiError) return failed(`${name} failed: ${err.message}`, 'api_error');
      return failed(`${name} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  });
  return answer;
}

// The SDK server validates JSON Schema only for elicitation answers, which callTool checks with
// the tool's own input schema instead: a no-op validator spares every server building Ajv.
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
      // SEP-2133 `extensions`: the server supports MCP Apps (its incident card is a resource).
      capabilities: { tools: { listChanged: false }, ...(registry.readResources ? { resources: {}, prompts: {}, completions: {}, extensions: { [UI_EXTENSION_ID]: {} } } : {}) },
      instructions: registry.instructions,
      jsonSchemaValidator: noValidation,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: registry.list }));
  // tools/call goes through the SDK's request handling (dispatch, cancellation, errors): our own
  // router measured at most 1.3x faster (README, Performance), under the 2x that would justify it.
  // Registered on Protocol, not Server: Server's override would answer bad params with -32603
  // and a zod dump, and check each result we made against the result schema again.
  Protocol.prototype.setRequestHandler.call(server, ToolCallEnvelope, (request: z.output<typeof ToolCallEnvelope>, extra: { signal: AbortSignal; requestId: string | number }) => {
    const params = readToolCallParams(request.params);
    if (params instanceof McpError) throw params;
    // A form goes out tied to its tools/call (over HTTP: on that call's stream).
    const elicit: Elicit | undefined = supportsFormElicitation(server.getClientCapabilities())
      ? (form, signal) => server.elicitInput(form, { signal, relatedRequestId: extra.requestId, timeout: FORM_TIMEOUT_MS })
      : undefined;
    return callTool(registry, client, params.name, params.args, extra.signal, { ...ctx, elicit });
  });
  if (registry.readResources) {
    registerResources(server, client);
    registerPrompts(server, client);
    registerCompletions(server, client);
  }
  return server;
}
