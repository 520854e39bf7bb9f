/**
 * Streamable HTTP for teams: stateless (no sessions, so any number of replicas can run behind a
 * load balancer). Each POST /mcp is one exchange on the MCP SDK's StreamableHTTPServerTransport
 * (JSON answers) with a server of its own; the client and the tool registry are shared.
 *
 * Rules, in the order they apply:
 *   header and body read deadlines (slow clients are cut off); at most maxConcurrent requests
 *   in progress, beyond that 503 with Retry-After; 8 KB header limit (Node answers 431); Host and Origin must be loopback when bound to loopback
 *   (403); GET /healthz liveness and GET /readyz readiness without auth or details; only /mcp
 *   (404) and only POST (405); the bearer token, checked by `authorize` (auth.ts: MCP_ACCESS_TOKEN
 *   or each person's own Runframe key; 401, or 503 when a key cannot be verified now); 1 MB body
 *   (413); JSON (400). Errors never carry a token or a stack. Every answer names its request id
 *   (X-Request-ID) and gets one JSON log line (log.ts); metrics go to `observer` (metrics.ts).
 *   close() (SIGTERM): /readyz answers 503 at once while requests are still served for
 *   `drainDelayMs` (so load balancers take the replica out first), then stop accepting, finish
 *   requests in flight, exit.
 * Source: MCP specification 2025-06-18, "Streamable HTTP" (single JSON response per POST).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Authorize } from './auth';
import { requestIdOf, type Logger } from './log';
import type { HttpObserver } from './metrics';

/** Largest request body, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest request header block, in bytes (8 KiB). */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Shortest accepted MCP_ACCESS_TOKEN entry, in characters. */
export const MIN_TOKEN_LENGTH = 16;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

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
  /** Readiness: resolves true when the API is reachable with our key */
  ready: () => Promise<boolean>;
  /** Requests handled at once; more get 503 with Retry-After (default 64) */
  maxConcurrent?: number;
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

/** SHA-256 of a token: equal-length values for timingSafeEqual. */
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Constant-time check of `presented` against every accepted token (no early exit).
 * @param accepted SHA-256 digests of the accepted tokens (`digest`), computed once at start
 */
export function tokenMatches(presented: string, accepted: readonly Buffer[]): boolean {
  const p = digest(presented);
  let ok = false;
  for (const d of accepted) ok = timingSafeEqual(p, d) || ok;
  return ok;
}

/** Checks MCP_ACCESS_TOKEN; returns the tokens or a message that never echoes them. */
export function parseAccessTokens(raw: string | undefined): { ok: true; tokens: string[] } | { ok: false; message: string } {
  const tokens = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (!tokens.length) return { ok: false, message: 'MCP_ACCESS_TOKEN is required for --transport http: set one or more bearer tokens, comma-separated (new,old) to rotate.' };
  if (tokens.some((t) => t.length < MIN_TOKEN_LENGTH)) return { ok: false, message: `every MCP_ACCESS_TOKEN entry must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`).` };
  return { ok: true, tokens };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0].toLowerCase();
}

function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function jsonError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: code, message }, headers);
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, id: unknown = null): void {
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
  const checkHost = isLoopbackHost(options.host);
  const { observer, log } = options;
  const observeAnswer = observeAnswerWith(observer, log);
  let draining = false;
  let readyCache: { at: number; ok: boolean } | undefined;
  let active = 0;
  let stopping = false;
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    // The path alone, without building a URL per request; other forms of it get 404.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    if (checkHost) {
      const host = req.headers.host ?? '';
      if (!LOOPBACK_NAMES.has(hostnameOf(host))) return jsonError(res, 403, 'forbidden', 'Host not allowed');
      const origin = req.headers.origin;
      if (origin !== undefined) {
        let allowed = false;
        try {
          allowed = LOOPBACK_NAMES.has(new URL(origin).hostname.toLowerCase()) || LOOPBACK_NAMES.has(`[${new URL(origin).hostname}]`);
        } catch {
          allowed = false;
        }
        if (!allowed) return jsonError(res, 403, 'forbidden', 'Origin not allowed');
      }
    }
    if (req.method === 'GET' && pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && pathname === '/readyz') {
      if (draining) return json(res, 503, { status: 'draining' });
      // Cached briefly so probes cannot turn into a flood of API calls.
      if (!readyCache || Date.now() - readyCache.at > 5000) readyCache = { at: Date.now(), ok: await options.ready().catch(() => false) };
      return json(res, readyCache.ok ? 200 : 503, { status: readyCache.ok ? 'ready' : 'unavailable' });
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
      if (size > MAX_BODY_BYTES) {
        jsonError(res, 413, 'payload_too_large', `Body over ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    let message: unknown;
    try {
      message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return rpcError(res, 400, -32700, 'Parse error: the body must be one JSON-RPC message');
    }
    if (!message || typeof message !== 'object' || Array.isArray(message) || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      return rpcError(res, 400, -32600, 'Invalid Request: send one JSON-RPC 2.0 message per POST');
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
    await transport.handleRequest(req, res, message);
  };

  const maxConcurrent = options.maxConcurrent ?? 64;
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
      if (active >= maxConcurrent) {
        // Shed load instead of queueing without bound; health probes still answer.
        if (!req.url?.startsWith('/healthz')) {
          observer?.shed('overloaded');
          jsonError(res, 503, 'overloaded', 'Too many requests in progress; retry shortly', { 'retry-after': '1' });
          req.resume();
          return;
        }
      }
      active++;
      const done = observer?.started();
      res.on('close', () => {
        active--;
        done?.();
      });
      const deadline = setTimeout(() => {
        if (res.headersSent) return;
        observer?.timedOut(504);
        rpcError(res, 504, -32603, `No answer within ${responseTimeout / 1000} s; retry later`);
      }, responseTimeout);
      res.on('close', () => clearTimeout(deadline));
      handle(req, res, requestId).catch(() => {
        if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
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
      while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
