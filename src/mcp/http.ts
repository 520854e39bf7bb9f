/**
 * Streamable HTTP for teams: stateless (no sessions, so any number of replicas can run behind a
 * load balancer). Each POST /mcp is one exchange on the MCP SDK's StreamableHTTPServerTransport
 * (JSON answers) with a server of its own; the tool registry is shared.
 *
 * Rules, in the order they apply:
 *   header and body read deadlines (slow clients are cut off); at most maxConcurrent requests
 *   in progress, shared fairly between clients (src/mcp/fairShare.ts: a client is the bearer
 *   token it presents, or its address without one), beyond that 503 with Retry-After; 8 KB
 *   header limit (Node answers 431); Host and Origin must be loopback when bound to loopback
 *   (403); GET/HEAD /healthz liveness and /readyz readiness without auth or details; only /mcp
 *   (404) and only POST (405); the bearer token (scheme in any case), checked by `authorize`
 *   (auth.ts: MCP_ACCESS_TOKEN or each person's own Runframe key; 401, or 503 when a key cannot
 *   be verified now); 1 MB body (413); JSON (400 with -32700); one valid JSON-RPC message (400
 *   with -32600/-32602 and the request's id, src/mcp/envelope.ts); `notifications/cancelled`
 *   cancels the named request of the same client only (src/mcp/cancellation.ts). Every answer
 *   past the envelope check (504 at the deadline, 500) carries the request's id. Errors never
 *   carry a token or a stack. Every answer names its request id (X-Request-ID) and gets one
 *   JSON log line (log.ts); metrics go to `observer` (metrics.ts).
 *   close() (SIGTERM): /readyz answers 503 at once while requests are still served for
 *   `drainDelayMs` (so load balancers take the replica out first), then stop accepting, finish
 *   requests in flight, exit.
 * Source: MCP specification 2025-06-18, "Streamable HTTP" (single JSON response per POST).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isLoopbackBindAddress, isLoopbackHostHeader, isLoopbackOrigin } from '../domain/loopback';
import { MAX_BODY_BYTES } from '../domain/messageLimits';
import { CancelScopes } from './cancellation';
import { parseEnvelope, RPC, type RpcId } from './envelope';
import { FairSlots, type SlotRefusal } from './fairShare';
import { cachedReadiness } from './readiness';
import { BEARER, type Authorize } from './auth';
import { requestIdOf, type Logger } from './log';
import type { HttpObserver } from './metrics';

export { MAX_BODY_BYTES };
/** Largest request header block, in bytes (8 KiB). */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Shortest accepted MCP_ACCESS_TOKEN entry, in characters. */
export const MIN_TOKEN_LENGTH = 16;


export interface HttpServerOptions {
  /**
   * Checks the bearer token and gives the MCP server for one request (auth.ts: sharedAuth or
   * perUserAuth). The SDK's transport serves one exchange and an SDK Server one transport at a
   * time, so each request gets its own (they share the tool registry, which is costly).
   */
  authorize: Authorize;
  host: string;
  port: number;
  /** Counts requests, answers, shed and timed-out ones (metrics.ts); none when undefined */
  observer?: HttpObserver;
  /** One line per answer, with its request id (log.ts); none when undefined */
  log?: Logger;
  /** After close() starts: how long /readyz answers 503 while requests are still served, in ms (default 0) */
  drainDelayMs?: number;
  /** Readiness: resolves true when the API is reachable (with our key, in shared mode) */
  ready: () => Promise<boolean>;
  /** Requests handled at once; more get 503 with Retry-After (default 64) */
  maxConcurrent?: number;
  /** Slots each client is always entitled to (src/mcp/fairShare.ts; default a quarter of maxConcurrent) */
  clientShare?: number;
  /** Deadline to receive all request headers, in ms (slow-loris guard; default 10000) */
  headersTimeoutMs?: number;
  /** Deadline to receive the whole request, body included, in ms (default 30000) */
  requestTimeoutMs?: number;
  /** Deadline for the server's answer to /mcp, in ms; then 504 (default 45000) */
  responseTimeoutMs?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting, waits for requests in flight (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/** One request as the server follows it: who sent it, and its JSON-RPC id once read. */
interface Exchange {
  /** The client, for fairness and cancellation: a salted digest of its known-good bearer token, or its address */
  client: { key: string; knownToken: boolean };
  id: RpcId | null;
  /** Set when no slot was free: only a cancellation is served, anything else gets 503 */
  refused?: SlotRefusal;
}

/** Largest body read while the client has no slot: enough for a `notifications/cancelled`. */
const SMALL_BODY_BYTES = 4096;

function overloaded(res: ServerResponse, why: SlotRefusal, observer: HttpObserver | undefined, headers: Record<string, string> = {}): void {
  observer?.shed('overloaded');
  const message = why === 'full' ? 'Too many requests in progress; retry shortly' : 'Too many requests in progress from this client; retry once some are answered';
  jsonError(res, 503, 'overloaded', message, { 'retry-after': '1', ...headers });
}

/** JSON-RPC error code of a request its client cancelled (as LSP's RequestCancelled). */
export const CANCELLED = -32800;

/** SHA-256 of a token: equal-length values for timingSafeEqual. */
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Constant-time lookup of `presented` among the accepted tokens (no early exit).
 * @param accepted SHA-256 digests of the accepted tokens (`digest`), computed once at start
 * @returns the index of the matching token, or -1
 */
export function tokenIndex(presented: string, accepted: readonly Buffer[]): number {
  const p = digest(presented);
  let found = -1;
  accepted.forEach((d, i) => {
    if (timingSafeEqual(p, d)) found = i;
  });
  return found;
}

/** Whether `presented` is one of the accepted tokens (constant time; see tokenIndex). */
export function tokenMatches(presented: string, accepted: readonly Buffer[]): boolean {
  return tokenIndex(presented, accepted) >= 0;
}

/** Checks MCP_ACCESS_TOKEN; returns the tokens or a message that never echoes them. */
export function parseAccessTokens(raw: string | undefined): { ok: true; tokens: string[] } | { ok: false; message: string } {
  const tokens = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (!tokens.length) return { ok: false, message: 'MCP_ACCESS_TOKEN is required for --transport http: set one or more bearer tokens, comma-separated (new,old) to rotate.' };
  if (tokens.some((t) => t.length < MIN_TOKEN_LENGTH)) return { ok: false, message: `every MCP_ACCESS_TOKEN entry must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`).` };
  return { ok: true, tokens };
}



function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function jsonError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: code, message }, headers);
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, id: RpcId | null = null): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Counts each answer and writes its log line once the response is finished or cut off. */
function observeAnswerWith(observer: HttpObserver | undefined, log: Logger | undefined) {
  return (req: IncomingMessage, res: ServerResponse, requestId: string): void => {
    const started = performance.now();
    res.once('close', () => {
      const status = res.headersSent ? res.statusCode : 0;
      observer?.answered(status);
      // Path without the query: nothing a client sends after "?" reaches the log.
      log?.log(status >= 500 || status === 0 ? 'warn' : 'info', 'request', {
        request_id: requestId, method: req.method, path: (req.url ?? '/').split('?')[0].slice(0, 200), status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10, completed: res.writableFinished,
      });
    });
  };
}

/**
 * Starts the HTTP server; each POST /mcp that `options.authorize` lets in is answered by the server it gives.
 * @throws Error with code EADDRINUSE when the port is taken
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const checkHost = isLoopbackBindAddress(options.host);
  const { observer, log } = options;
  const observeAnswer = observeAnswerWith(observer, log);
  const ready = cachedReadiness(options.ready);
  const cancels = new CancelScopes();
  // Client keys are digests with a salt of this process: a token never sits in memory as a key.
  const salt = randomBytes(16);
  let draining = false;
  let stopping = false;
  const sockets = new Set<Socket>();

  /**
   * Who sent `req`, for fairness and cancellation, decided before anything is read and without
   * asking anyone: a bearer token `authorize` already knows to be good (so made-up tokens cannot
   * each claim a share), else the sender's address. In shared mode everyone who uses one
   * MCP_ACCESS_TOKEN is one client: give each person a token of their own (the list takes many).
   */
  const identify = (req: IncomingMessage): Exchange['client'] => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    if (!match || !options.authorize.knows(req.headers.authorization)) return { key: `address:${req.socket.remoteAddress ?? ''}`, knownToken: false };
    return { key: `token:${createHmac('sha256', salt).update(match[1]).digest('base64url')}`, knownToken: true };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, pathname: string, exchange: Exchange, requestId: string): Promise<void> => {
    if (checkHost) {
      if (!isLoopbackHostHeader(req.headers.host)) return jsonError(res, 403, 'forbidden', 'Host not allowed');
      const origin = req.headers.origin;
      if (origin !== undefined && !isLoopbackOrigin(origin)) return jsonError(res, 403, 'forbidden', 'Origin not allowed');
    }
    const probe = req.method === 'GET' || req.method === 'HEAD';
    if (probe && pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (probe && pathname === '/readyz') {
      if (draining) return json(res, 503, { status: 'draining' });
      const ok = await ready();
      return json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'unavailable' });
    }
    if (pathname !== '/mcp') return jsonError(res, 404, 'not_found', 'Not found');
    if (req.method !== 'POST') return jsonError(res, 405, 'method_not_allowed', 'Use POST /mcp', { allow: 'POST' });
    const who = await options.authorize(req.headers.authorization);
    if (!who.ok) {
      observer?.authFailed(who.reason);
      if (who.status === 503) return jsonError(res, 503, 'unavailable', who.message, { 'retry-after': '5' });
      return jsonError(res, 401, 'unauthorized', who.message, { 'www-authenticate': 'Bearer' });
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      jsonError(res, 413, 'payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (exchange.refused && size > SMALL_BODY_BYTES) {
        overloaded(res, exchange.refused, observer, { connection: 'close' });
        req.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) {
        jsonError(res, 413, 'payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    // The same check as stdio's: -32700 for bad JSON, a leading byte-order mark ignored.
    const envelope = parseEnvelope(Buffer.concat(chunks).toString('utf8'));
    if (envelope.kind === 'error') return rpcError(res, 400, envelope.code, envelope.message, envelope.id);
    if (envelope.kind === 'drop') return rpcError(res, 400, RPC.invalidRequest, `Invalid Request: ${envelope.reason}`);
    const rpc = envelope.message;
    if ('method' in rpc && rpc.method === 'notifications/cancelled' && !('id' in rpc)) {
      // Reaches this client's own request only; nothing else to do for it (202 like any notification).
      cancels.cancel(exchange.client.key, (rpc.params as { requestId?: unknown } | undefined)?.requestId);
      res.writeHead(202).end();
      return;
    }
    if (exchange.refused) return overloaded(res, exchange.refused, observer);
    if ('method' in rpc && 'id' in rpc) {
      const id = rpc.id;
      exchange.id = id;
      // Cancelled: answered at once (the client stops waiting), and closing the exchange below
      // aborts the handler's signal, which stops its API request.
      const done = cancels.register(exchange.client.key, id, () => {
        if (!res.headersSent) rpcError(res, 200, CANCELLED, 'Request cancelled by the client', id);
      });
      res.on('close', done);
    }
    // The SDK's transport, stateless and answering with JSON: it checks the rest of the exchange
    // (Accept, MCP-Protocol-Version, the JSON-RPC shape) and answers notifications with 202.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = who.createServer(requestId);
    // A client that hangs up, or an answer past the deadline (504), closes both: the SDK then
    // aborts the handler's signal, which cancels its API request. Cancellation stays within
    // this one exchange, so no client can reach another's call.
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, rpc);
  };

  const slots = new FairSlots(options.maxConcurrent ?? 64, options.clientShare);
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  const responseTimeout = options.responseTimeoutMs ?? 45_000;
  const http: HttpServer = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout,
      requestTimeout,
      // How often Node checks those deadlines (its default, 30 s, would let a slow client linger).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 2))),
    },
    (req, res) => {
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      if (observer || log) observeAnswer(req, res, requestId);
      if (stopping) {
        observer?.shed('shutting_down');
        jsonError(res, 503, 'shutting_down', 'Shutting down', { connection: 'close', 'retry-after': '1' });
        return;
      }
      // The path alone, without building a URL per request; other forms of it get 404.
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const pathname = q < 0 ? target : target.slice(0, q);
      const exchange: Exchange = { client: identify(req), id: null };
      // Health probes take no slot, so they answer under load too.
      if (pathname !== '/healthz' && pathname !== '/readyz') {
        // Shed load instead of queueing without bound.
        const slot = slots.acquire(exchange.client.key);
        if (typeof slot !== 'string') {
          const done = observer?.started();
          res.on('close', () => {
            slot();
            done?.();
          });
        } else if (req.method === 'POST' && exchange.client.knownToken && !(Number(req.headers['content-length']) > SMALL_BODY_BYTES)) {
          // May be a cancellation, which frees slots: read it before refusing (small and bounded;
          // only for a token already known to be good, so no API call is made for it).
          exchange.refused = slot;
        } else {
          overloaded(res, slot, observer);
          req.resume();
          return;
        }
      }
      const deadline = setTimeout(() => {
        if (res.headersSent) return;
        observer?.timedOut(504);
        rpcError(res, 504, -32603, `No answer within ${responseTimeout / 1000} s; retry later`, exchange.id);
      }, responseTimeout);
      res.on('close', () => clearTimeout(deadline));
      handle(req, res, pathname, exchange, requestId).catch(() => {
        if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error', exchange.id);
        else res.destroy();
      });
    },
  );
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed requests and oversized headers: answer without details, never a stack.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (status.startsWith('408')) observer?.timedOut(408);
    log?.warn('client error', { status: Number(status.slice(0, 3)), reason: err.code ?? 'unknown' });
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const addr = http.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}/mcp`,
    port: addr.port,
    async close(graceMs = 10_000) {
      // Not ready first, still serving: load balancers stop sending here before we stop accepting.
      draining = true;
      if (options.drainDelayMs) await new Promise((r) => setTimeout(r, options.drainDelayMs));
      stopping = true;
      const closed = new Promise<void>((r) => http.close(() => r()));
      http.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (slots.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
