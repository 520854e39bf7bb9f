/**
 * Checks one incoming JSON-RPC message before the MCP SDK sees it, for both transports, so that
 * every malformed request gets its JSON-RPC answer (the SDK drops what fails its schema over
 * stdio, and over HTTP answers it with -32700 and `id: null`).
 *
 * JSON-RPC 2.0, section 5.1: -32700 for text that is not JSON, -32600 for an object that is not
 * a valid request, -32602 for invalid params, with the request's id when it can be read, else
 * null. MCP 2025-06-18 removed batches, so an array gets one -32600. A notification (no id,
 * "jsonrpc": "2.0" and a method name) with wrong params, and an invalid response, get no answer
 * (nobody waits for one); without those it is an invalid request, answered with id null.
 */
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { fieldPath } from '../domain/shapeCheck';
import { MAX_JSON_DEPTH, nestedDeeperThan, tooDeepMessage } from '../domain/messageLimits';

/** A JSON-RPC request id (MCP: a string or a number, never null). */
export type RpcId = string | number;

/** JSON-RPC 2.0 error codes we answer with. */
export const RPC = { parseError: -32700, invalidRequest: -32600, invalidParams: -32602 } as const;

/**
 * What to do with one message: hand it to the SDK, answer it with an error (`id` null when it
 * could not be read), or drop it (an invalid notification or response; `reason` is for the log).
 */
export type Envelope =
  | { kind: 'message'; message: JSONRPCMessage }
  | { kind: 'error'; id: RpcId | null; code: number; message: string }
  | { kind: 'drop'; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is RpcId => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const TOP_LEVEL = new Set(['jsonrpc', 'id', 'method', 'params', 'result', 'error']);

/** Parses one message's text (a leading byte-order mark is ignored) and checks it. Pure. */
export function parseEnvelope(text: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { kind: 'error', id: null, code: RPC.parseError, message: 'Parse error: send one JSON-RPC 2.0 message as JSON' };
  }
  return checkEnvelope(value);
}

/** Checks a parsed message against JSON-RPC 2.0 and the MCP SDK's message schema. Pure. */
export function checkEnvelope(value: unknown): Envelope {
  if (Array.isArray(value)) return invalid(null, 'batches are not supported (MCP 2025-06-18); send one message at a time');
  if (!isObject(value)) return invalid(null, 'a message must be a JSON object');
  const hasId = 'id' in value;
  const id = isId(value.id) ? value.id : null;
  const isRequestLike = 'method' in value;
  if (!isRequestLike) {
    // A response (to a request of ours) or nonsense: never answered, JSON-RPC has no way to.
    const checked = JSONRPCMessageSchema.safeParse(value);
    if (checked.success && ('result' in value || 'error' in value)) return { kind: 'message', message: checked.data };
    if ('result' in value || 'error' in value) return { kind: 'drop', reason: 'an invalid response' };
    return invalid(id, 'a request needs "method"');
  }
  if (hasId && id === null) return invalid(null, '"id" must be a string or a number');
  const bad = (message: string): Envelope => (hasId ? invalid(id, message) : { kind: 'drop', reason: `an invalid notification: ${message}` });
  // Without "jsonrpc": "2.0" and a method name it is no notification but an invalid request,
  // answered with id null (JSON-RPC 2.0, section 5.1).
  if (value.jsonrpc !== '2.0') return invalid(id, '"jsonrpc" must be "2.0"');
  if (typeof value.method !== 'string' || value.method === '') return invalid(id, '"method" must be a non-empty string');
  const extra = Object.keys(value).filter((k) => !TOP_LEVEL.has(k) || k === 'result' || k === 'error');
  if (extra.length) return bad(`unknown top-level field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  if (nestedDeeperThan(value, MAX_JSON_DEPTH)) return hasId ? params(id, `params: ${tooDeepMessage()}`) : bad(tooDeepMessage());
  if ('params' in value && !isObject(value.params)) return hasId ? params(id, '"params" must be an object when present') : bad('"params" must be an object');
  const checked = JSONRPCMessageSchema.safeParse(value);
  if (checked.success) return { kind: 'message', message: checked.data };
  // The SDK's schema is a union: report the request branch's first issue (it names the field).
  const issue = checked.error.issues.flatMap((i) => ('errors' in i ? (i.errors as { path: PropertyKey[]; message: string }[][])[hasId ? 0 : 1] ?? [] : [i]))[0];
  const where = issue ? fieldPath(issue.path) : '';
  const message = `${where || 'message'}: ${issue?.message ?? 'does not match the JSON-RPC request shape'}`;
  return hasId ? (where.startsWith('params') ? params(id, message) : invalid(id, message)) : bad(message);
}

function invalid(id: RpcId | null, message: string): Envelope {
  return { kind: 'error', id, code: RPC.invalidRequest, message: `Invalid Request: ${message}` };
}

function params(id: RpcId | null, message: string): Envelope {
  return { kind: 'error', id, code: RPC.invalidParams, message: `Invalid params: ${message}` };
}

/** The JSON-RPC error answer for an `error` envelope. */
export function errorAnswer(e: { id: RpcId | null; code: number; message: string }): { jsonrpc: '2.0'; id: RpcId | null; error: { code: number; message: string } } {
  return { jsonrpc: '2.0', id: e.id, error: { code: e.code, message: e.message } };
}
