/**
 * The local Runframe-compatible API: a real HTTP server (node:http) on 127.0.0.1 serving
 * /api/v1 with Runframe's envelopes, bearer keys with scopes, Idempotency-Key replay on
 * POST /incidents, and every change persisted before it is answered.
 *
 * Tests add fault injection, a request log and control endpoints through `hooks`
 * (src/emulator/testHarness.ts), which the product never loads.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SCOPES } from '../api/types';
import { isLoopbackHostHeader } from '../domain/loopback';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, nestedDeeperThan, tooDeepMessage } from '../domain/messageLimits';
import type { EmulatorApiKey, EmulatorState } from './model';
import { ApiProblem, fingerprint, matchRoute, type RouteResult } from './routes';
import { DEMO_READONLY_USER_EMAIL, DEMO_USER_EMAIL } from './seed';
import { EmulatorStore } from './store';

export { MAX_BODY_BYTES };


/**
 * A path segment decoded, or 400 for a malformed `%` escape (never a 500 and a stack).
 * @throws ApiProblem 400 bad_path
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiProblem(400, 'bad_path', `The path has a malformed %-escape in "${segment.slice(0, 40)}"; encode "%" as %25.`);
  }
}

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Bind address; default 127.0.0.1 */
  host?: string;
  /** JSON data file; in memory when omitted */
  dataFile?: string;
  /** Seed for new demo data; default 1 */
  seed?: number;
  /** Extra open incidents in new demo data, for scale tests; default 0 */
  extraOpenIncidents?: number;
  /** Keys to accept; default: one full-scope and one read-only key, freshly generated */
  apiKeys?: EmulatorApiKey[];
  /** What tests hook into every API request (src/emulator/testHarness.ts); none in the product */
  hooks?: RequestHooks;
  /** Clock, ms since epoch; default Date.now */
  now?: () => number;
  /**
   * Shifts the clock by this many ms (may be negative): new demo data, on-call shifts, SLA
   * deadlines and every timestamp the emulator stores follow the shifted time. Default 0.
   */
  clockOffsetMs?: number;
  /** A connection with no traffic for this long is closed, in ms (default 60000) */
  idleTimeoutMs?: number;
}

/** One API request as hooks see it; a hook may answer it itself through `res`. */
export interface HookedRequest {
  method: string;
  /** path without query */
  path: string;
  requestId: string;
  /** When it arrived, in ms since epoch on the emulator's (possibly shifted) clock */
  at: number;
  res: ServerResponse;
  userAgent?: string;
  clientRequestId?: string;
}

/**
 * Test-only hooks (fault injection, a request log, control endpoints). The product starts the
 * emulator without them, so none of that code is in the extension's bundle.
 */
export interface RequestHooks {
  /** Serves a test control path (outside the API and its keys); true when it answered */
  testEndpoint?(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  /** Before an API request is handled; true when the hook answered it */
  before?(r: HookedRequest): Promise<boolean>;
  /** After it was handled and committed, before the answer; true when the hook answered it */
  after?(r: HookedRequest): Promise<boolean>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4010 (the API base URL, without /api/v1) */
  url: string;
  port: number;
  keys: EmulatorApiKey[];
  store: EmulatorStore;
  /** Stops accepting, ends open connections and waits for pending writes. */
  close(): Promise<void>;
}

/** A fresh random API key, `rf_` + 40 hex characters. */
export function generateApiKey(kind = 'sandbox'): string {
  return `rf_${kind}_${randomBytes(20).toString('hex')}`;
}

/** The default keys: one with every scope, one with the read scopes only. */
export function defaultApiKeys(fullKey?: string): EmulatorApiKey[] {
  return [
    { key: fullKey ?? generateApiKey('demo'), scopes: [...SCOPES], user_email: DEMO_USER_EMAIL, label: 'full access' },
    { key: generateApiKey('readonly'), scopes: SCOPES.filter((s) => s.endsWith(':read')), user_email: DEMO_READONLY_USER_EMAIL, label: 'read-only' },
  ];
}

const escapeHtml = (t: unknown) => String(t ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A plain page for an incident at /incidents/{number}, standing in for Runframe's web app so
 * "Open in Browser" leads somewhere in the sandbox. Read-only demo data on 127.0.0.1.
 */
function sendIncidentPage(res: ServerResponse, state: EmulatorState, number: string): void {
  const incident = state.incidents.find((i) => i.incident_number === number.toUpperCase());
  const body = incident
    ? `<h1>${escapeHtml(incident.incident_number)}: ${escapeHtml(incident.title)}</h1><p><b>${escapeHtml(incident.severity)}</b> · ${escapeHtml(incident.status)} · ${escapeHtml(incident.team_name)}</p><p>${escapeHtml(incident.description)}</p><h2>Timeline</h2><ul>${(incident.timeline ?? []).map((e) => `<li>${escapeHtml(e.created_at)} · ${escapeHtml(e.type)} · ${escapeHtml(e.actor?.name)}: ${escapeHtml(e.comment)}</li>`).join('')}</ul>`
    : `<h1>No incident ${escapeHtml(number)}</h1>`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(number)} · Runframe emulator</title></head><body style="font-family:sans-serif;max-width:50em;margin:2em auto">${body}<hr><small>Runframe emulator: demo data, not the Runframe web app.</small></body></html>`;
  res.writeHead(incident ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(html);
}

/** Answers with a JSON body and its length. */
export function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string | number> = {}): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The API's error envelope for a problem: `{error: {code, message, details?}, meta: {request_id, timestamp}}`. */
export function problemPayload(p: ApiProblem, requestId: string) {
  return {
    error: { code: p.code, message: p.message, ...(p.details ? { details: p.details } : {}) },
    meta: { request_id: requestId, timestamp: new Date().toISOString() },
  };
}

/**
 * The request body as text, at most MAX_BODY_BYTES.
 * @throws ApiProblem 413 when it is larger
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new ApiProblem(413, 'payload_too_large', `Request body over ${MAX_BODY_BYTES} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // Answered with 413 and the connection closed after it: destroying the request here
        // would reset the connection before the client reads the answer.
        over = true;
        chunks.length = 0;
        reject(new ApiProblem(413, 'payload_too_large', `Request body over ${MAX_BODY_BYTES} bytes`, undefined, { closeConnection: true }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the emulator and resolves once it listens.
 * @throws Error when the port is taken (EADDRINUSE) or the data file is unreadable
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.now ?? Date.now;
  const offset = options.clockOffsetMs ?? 0;
  const now = offset ? () => clock() + offset : clock;
  const hooks = options.hooks;
  const store = await EmulatorStore.open({ file: options.dataFile, seed: options.seed, extraOpenIncidents: options.extraOpenIncidents, now: new Date(now()) });
  const keys = options.apiKeys ?? defaultApiKeys();
  const keyByValue = new Map(keys.map((k) => [k.key, k]));
  // Request ids: a per-start random prefix and a counter (unique, and cheap on every request).
  const idPrefix = 'req_' + randomBytes(4).toString('hex');
  let requestCounter = 0;
  const sockets = new Set<Socket>();
  let pendingWork = Promise.resolve();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = `${idPrefix}${(++requestCounter).toString(16).padStart(8, '0')}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const path = url.pathname;
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    const key = match ? keyByValue.get(match[1]) : undefined;
    // Every route needs the key or a loopback Host: another name for 127.0.0.1 is a page doing
    // DNS rebinding, which must not read the sandbox's incidents.
    if (!key && !isLoopbackHostHeader(req.headers.host)) {
      return send(res, 403, problemPayload(new ApiProblem(403, 'forbidden', 'Host not allowed: use 127.0.0.1 or localhost, or send the API key'), requestId), { 'x-request-id': requestId });
    }
    if (hooks?.testEndpoint && (await hooks.testEndpoint(req, res, path))) return;
    if (path === '/healthz' && method === 'GET') return send(res, 200, { status: 'ok' });
    if (method === 'GET' && path.startsWith('/incidents/')) {
      let number: string;
      try {
        number = decodeSegment(path.slice('/incidents/'.length));
      } catch (err) {
        return send(res, 400, problemPayload(err as ApiProblem, requestId), { 'x-request-id': requestId });
      }
      return sendIncidentPage(res, store.state, number);
    }

    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const hooked: HookedRequest = { method, path, requestId, at: now(), res, userAgent: header('user-agent'), clientRequestId: header('x-request-id') };
    const fail = (p: ApiProblem, headers: Record<string, string> = {}) => send(res, p.status, problemPayload(p, requestId), { 'x-request-id': requestId, ...headers });

    if (hooks?.before && (await hooks.before(hooked))) return;

    try {
      if (!path.startsWith('/api/v1/')) throw new ApiProblem(404, 'not_found', `No such endpoint: ${method} ${path}. The API lives under /api/v1.`);
      const segments = path.slice('/api/v1/'.length).split('/').filter(Boolean).map(decodeSegment);
      if (!key) {
        throw new ApiProblem(401, 'unauthorized', match ? 'The API key is invalid or has been revoked.' : 'Missing API key: send Authorization: Bearer rf_...');
      }
      const { route, params, methods } = matchRoute(method, segments);
      if (!route) {
        if (methods.length) throw new ApiProblem(405, 'method_not_allowed', `${method} is not allowed here; use ${methods.join(', ')}`);
        throw new ApiProblem(404, 'not_found', `No such endpoint: ${method} ${path}`);
      }
      if (route.scope && !key.scopes.includes(route.scope)) {
        throw new ApiProblem(403, 'insufficient_scope', `This API key lacks the ${route.scope} scope.`, { required_scope: route.scope });
      }
      let body: Record<string, unknown> = {};
      if (method === 'POST' || method === 'PATCH') {
        const text = await readBody(req);
        if (text.trim() !== '') {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (err) {
            throw new ApiProblem(400, 'invalid_json', `The request body is not valid JSON: ${(err as Error).message}`);
          }
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiProblem(400, 'invalid_body', 'The request body must be a JSON object');
          // Checked before any route sees it: a value this deep could not be stored or sent back.
          if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) throw new ApiProblem(400, 'invalid_body', `The request body is ${tooDeepMessage()}`);
          body = parsed as Record<string, unknown>;
        }
      }

      // Idempotency-Key (POST /incidents): same key + same body replays; a different body is rejected.
      const idemHeader = req.headers['idempotency-key'];
      const idemKey = method === 'POST' && segments.length === 1 && segments[0] === 'incidents' && typeof idemHeader === 'string' && idemHeader.trim() ? idemHeader.trim() : undefined;
      // Scoped to the key's user, not to anything derived from the key (the file must hold none).
      const idemSlot = idemKey ? `${key.user_email}:${idemKey}` : undefined;
      const print = idemSlot ? fingerprint(body) : undefined;
      let result: RouteResult;
      let replayed = false;
      const prior = idemSlot ? store.state.idempotency[idemSlot] : undefined;
      if (prior) {
        if (prior.fingerprint !== print) {
          throw new ApiProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body; use a new key for a new incident.', { fields: { 'Idempotency-Key': 'already used with a different body' } });
        }
        result = { status: prior.status, data: prior.data };
        replayed = true;
      } else {
        // A handler that fails half-way must leave no change behind: restore what it started from.
        const before = method === 'GET' ? undefined : store.snapshot();
        try {
          result = route.handler(store.state, { method, segments, query: url.searchParams, body, key, now: now() }, params);
        } catch (err) {
          if (before !== undefined) store.restore(before);
          throw err;
        }
        if (idemSlot && result.status < 300) {
          store.state.idempotency[idemSlot] = { fingerprint: print as string, status: result.status, data: result.data, created_at: new Date(now()).toISOString() };
        }
      }
      if (result.mutated || (idemSlot && !replayed)) {
        const write = store.commit();
        pendingWork = pendingWork.then(() => write.catch(() => undefined));
        await write;
      }
      if (hooks?.after && (await hooks.after(hooked))) return;
      send(res, result.status, { data: result.data }, { 'x-request-id': requestId, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
    } catch (err) {
      if (err instanceof ApiProblem) return fail(err, err.closeConnection ? { connection: 'close' } : {});
      // Anything else is our bug: answer 500 with the request id, keep serving.
      process.stderr.write(`[emulator] ${method} ${path} failed: ${(err as Error).stack ?? String(err)}\n`);
      return fail(new ApiProblem(500, 'internal_error', 'The emulator failed to handle this request; see its log.'));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      process.stderr.write(`[emulator] unexpected: ${String(err)}\n`);
      if (!res.headersSent) send(res, 500, { error: { code: 'internal_error', message: 'Unexpected emulator error' } });
      else res.destroy();
    });
  });
  // Idle connections (keep-alive or never used) are closed instead of piling up.
  server.keepAliveTimeout = 5000;
  server.setTimeout(options.idleTimeoutMs ?? 60_000, (socket) => socket.destroy());
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Requests Node rejects before our handler (oversized headers or URL, malformed HTTP) still
  // get the API's error envelope, as a real API behind a proxy would give.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const [status, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large', 'Request headers (or URL) too large'] : [400, 'bad_request', 'Malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message }, meta: { request_id: null, timestamp: new Date().toISOString() } });
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    port: addr.port,
    keys,
    store,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      await pendingWork;
    },
  };
}
