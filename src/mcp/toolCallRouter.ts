/**
 * tools/call answered straight from the transport, beside the MCP SDK's request pipeline.
 *
 * Every other message still goes to the SDK (initialize, tools/list, resources, prompts, ping).
 * tools/call is the one message sent thousands of times, and the SDK's generic path costs it
 * more than our whole tool: zod parses of the JSON-RPC envelope and params (twice), of the
 * result, and per-request closures and controllers (`npm run bench`'s profile; before/after in
 * README "Performance"). The rules it applied are kept here:
 *   - params must be an object with a string `name` and, if present, an object `arguments`,
 *     else JSON-RPC error -32602 (Invalid params);
 *   - an error thrown by the handler becomes a JSON-RPC error with its code (McpError) or
 *     -32603 (Internal error);
 *   - notifications/cancelled for a call in progress aborts its signal, and no answer is sent
 *     for it (MCP 2025-06-18, "Cancellation": the receiver should not respond);
 *   - the transport closing aborts every call still running.
 * A result that arrives with its JSON text already made (the 8 KB fitting serialises it to
 * measure it) goes out as that text on transports that take it (SendsResultJson), instead of
 * being serialised a second time.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export type RequestId = string | number;

/**
 * A tools/call result, and optionally its JSON text: `resultJson` must be exactly
 * `JSON.stringify(result)` (same keys, same order), since it is sent in place of `result`.
 */
export interface ToolCallAnswer {
  result: CallToolResult;
  resultJson?: string;
}

/** Runs one tools/call; rejects with McpError for a protocol-level failure (e.g. unknown tool). */
export type ToolCallHandler = (name: string, args: Record<string, unknown> | undefined, signal: AbortSignal) => Promise<ToolCallAnswer>;

/** A transport that can send a JSON-RPC result given as JSON text, without serialising it again. */
export interface SendsResultJson {
  /**
   * Sends `{"jsonrpc":"2.0","id":id,"result":<resultJson>}`.
   * @param resultJson the JSON text of a CallToolResult
   */
  sendResultJson(id: RequestId, resultJson: string): Promise<void>;
}

const sendsResultJson = (t: Transport): t is Transport & SendsResultJson => typeof (t as Partial<SendsResultJson>).sendResultJson === 'function';

/** The JSON-RPC result message as one line of JSON text, from a result already serialised. Pure. */
export function resultMessageJson(id: RequestId, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The params of a tools/call request, or an McpError saying what is wrong with them. Pure. */
export function readToolCallParams(params: unknown): { name: string; args: Record<string, unknown> | undefined } | McpError {
  if (!isPlainObject(params)) return new McpError(ErrorCode.InvalidParams, 'tools/call needs params: {"name": "<tool name from tools/list>", "arguments": {...}}');
  const { name, arguments: args } = params;
  if (typeof name !== 'string' || name === '') return new McpError(ErrorCode.InvalidParams, 'tools/call params.name must be a tool name from tools/list');
  if (args !== undefined && !isPlainObject(args)) return new McpError(ErrorCode.InvalidParams, 'tools/call params.arguments must be an object of the tool\'s fields');
  return { name, args };
}

/**
 * Takes over tools/call on a transport an SDK Server is already connected to: wraps the
 * `onmessage` the server installed, so call it right after `server.connect(transport)`.
 * @param track called with each call's settlement promise (never rejects), e.g. to drain on exit
 */
export function routeToolCalls(transport: Transport, handle: ToolCallHandler, track: (settled: Promise<void>) => void = () => undefined): void {
  const toSdk = transport.onmessage;
  if (!toSdk) throw new Error('routeToolCalls: connect the server to the transport first');
  const running = new Map<RequestId, AbortController>();

  const answer = (id: RequestId, params: unknown): void => {
    const controller = new AbortController();
    running.set(id, controller);
    const read = readToolCallParams(params);
    const result = read instanceof McpError ? Promise.reject(read) : handle(read.name, read.args, controller.signal);
    const settled = result
      .then(
        (answered): Promise<void> | undefined => {
          if (controller.signal.aborted) return undefined;
          if (answered.resultJson !== undefined && sendsResultJson(transport)) return transport.sendResultJson(id, answered.resultJson);
          return transport.send({ jsonrpc: '2.0', id, result: answered.result });
        },
        (err: { code?: unknown; message?: unknown; data?: unknown }): Promise<void> | undefined => {
          if (controller.signal.aborted) return undefined;
          return transport.send({
            jsonrpc: '2.0',
            id,
            error: {
              code: Number.isSafeInteger(err?.code) ? (err.code as number) : ErrorCode.InternalError,
              message: typeof err?.message === 'string' ? err.message : 'Internal error',
              ...(err?.data !== undefined ? { data: err.data } : {}),
            },
          });
        },
      )
      .catch((err: unknown) => transport.onerror?.(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        // Only ours: a client may reuse an id once its call has been answered.
        if (running.get(id) === controller) running.delete(id);
      });
    track(settled);
  };

  // As the SDK does for its own handlers: a closed connection stops the calls still running.
  const toSdkOnClose = transport.onclose;
  transport.onclose = () => {
    for (const controller of running.values()) controller.abort('connection closed');
    running.clear();
    toSdkOnClose?.call(transport);
  };

  transport.onmessage = (message, extra) => {
    const m = message as { method?: unknown; id?: unknown; params?: { requestId?: unknown; reason?: unknown } };
    if (m.method === 'tools/call' && (typeof m.id === 'string' || typeof m.id === 'number')) return answer(m.id, m.params);
    if (m.method === 'notifications/cancelled' && m.id === undefined) {
      const controller = running.get(m.params?.requestId as RequestId);
      if (controller) return void controller.abort(typeof m.params?.reason === 'string' ? m.params.reason : 'cancelled by the client');
    }
    toSdk.call(transport, message, extra);
  };
}
