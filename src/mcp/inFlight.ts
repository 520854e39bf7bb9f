/**
 * Follows the requests a transport received and has not answered yet, whatever their method
 * (tools/call, resources/read, prompts/get, ...), so the stdio server can answer every one of
 * them before it exits when its input ends. A request the client cancelled needs no answer
 * (MCP 2025-06-18, "Cancellation") and stops counting.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

type Id = string | number;

/** What `trackInFlight` gives: how many requests wait for an answer, and a way to wait for them. */
export interface InFlight {
  readonly size: number;
  /** Resolves once every request received so far is answered, or after `maxWaitMs` (ms). */
  drain(maxWaitMs: number): Promise<void>;
}

/**
 * Wraps `transport.onmessage` and `transport.send` (call it right after `server.connect`).
 * @throws Error when the transport has no onmessage yet (not connected)
 */
export function trackInFlight(transport: Transport): InFlight {
  const toServer = transport.onmessage;
  if (!toServer) throw new Error('trackInFlight: connect the server to the transport first');
  const waiting = new Set<Id>();
  let idle: (() => void) | undefined;
  const settle = (id: unknown) => {
    if ((typeof id === 'string' || typeof id === 'number') && waiting.delete(id) && waiting.size === 0) idle?.();
  };
  transport.onmessage = (message, extra) => {
    const m = message as { method?: unknown; id?: unknown; params?: { requestId?: unknown } };
    if (typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')) waiting.add(m.id);
    else if (m.method === 'notifications/cancelled') settle(m.params?.requestId);
    toServer.call(transport, message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    await send(message, options);
    // Answered once the answer is written (a result or an error carries the request's id).
    if (!('method' in message)) settle((message as { id?: unknown }).id);
  };
  return {
    get size() {
      return waiting.size;
    },
    async drain(maxWaitMs) {
      if (!waiting.size) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => (idle = r)),
        new Promise<void>((r) => {
          timer = setTimeout(r, maxWaitMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
