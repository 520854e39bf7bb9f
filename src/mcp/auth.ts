/**
 * Who may call POST /mcp, and as whom the server then acts. Two modes:
 *
 * - shared (default): clients send one of the MCP_ACCESS_TOKEN tokens; the server acts with its
 *   own RUNFRAME_API_KEY, so every action is the key's user's.
 * - per-user (`--auth per-user`, MCP_AUTH_MODE=per-user): each client sends its own Runframe API
 *   key as its bearer token and the server holds none. The key is verified with
 *   `GET /auth/verify` (Runframe v1, docs/runframe-api.md part A) and the answer cached for
 *   `cacheTtlMs` (default 60 s; refusals 10 s) under an HMAC-SHA-256 of the key with a random
 *   per-process salt, never the key itself. The key's scopes decide which tools are listed and
 *   callable (src/mcp/scopes.ts), and each request's API calls are made with that key, so
 *   acknowledgements and notes are attributed to its user. A revoked key therefore works for at
 *   most the cache time.
 *
 * Neither mode ever puts a token or key in a log line, a metric or an error message.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RunframeApiError } from '../api';
import { RunframeClient, type RunframeClientOptions } from '../api/client';
import { checkApiKeyFormat } from '../domain/identifiers';
import { tokenMatches } from './http';
import { RESOURCE_SCOPES, toolsForScopes } from './scopes';
import { buildRegistry, type ToolRegistry } from './server';
import type { ToolDefinition } from './tools';

export const AUTH_MODES = ['shared', 'per-user'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Default time a verified key is trusted without asking the API again, in ms (60 s). */
export const DEFAULT_AUTH_CACHE_TTL_MS = 60_000;
/** How long a refused key stays refused without asking again, in ms (10 s; capped by the TTL). */
export const REFUSED_CACHE_TTL_MS = 10_000;
/** Most keys remembered at once; the oldest entry goes first. */
export const AUTH_CACHE_MAX_ENTRIES = 10_000;

/** Who the request acts as, once let in. */
export interface Authorized {
  ok: true;
  /** Makes this request's MCP server (its tools, and the key its API calls use). */
  createServer(requestId: string): Server;
  /** The key's user, when the API named one (per-user mode); for logs, never a secret */
  user?: string;
}

/** Why a request is refused; `message` never echoes what was sent. */
export interface Refused {
  ok: false;
  status: 401 | 503;
  reason: 'missing' | 'invalid' | 'unverifiable';
  message: string;
}

/**
 * Decides a request's access from its Authorization header. `knows` answers at once, without
 * asking anyone, whether the header carries a token already known to be good: only such a token
 * names a client of its own for fairness and cancellation (http.ts); an unknown one counts as its
 * sender's address, so made-up tokens cannot each claim a share of the server.
 */
export type Authorize = ((authorization: string | undefined) => Promise<Authorized | Refused> | Authorized | Refused) & { knows(authorization: string | undefined): boolean };

/** `Authorization: Bearer <token>`, the scheme in any case (RFC 9110, section 11.1). */
export const BEARER = /^bearer +(\S+) *$/i;

const missing = (message: string): Refused => ({ ok: false, status: 401, reason: 'missing', message });

/**
 * Shared-key mode: the bearer must be one of `tokens` (compared in constant time).
 * @param createServer the server every admitted request gets (acting with the server's own key)
 */
export function sharedAuth(tokens: readonly string[], createServer: (requestId: string) => Server): Authorize {
  const accepted = tokens.map((t) => createHash('sha256').update(t).digest());
  const knows = (authorization: string | undefined): boolean => {
    const m = BEARER.exec(authorization ?? '');
    return Boolean(m && tokenMatches(m[1], accepted));
  };
  const authorize = (authorization: string | undefined): Authorized | Refused => {
    const m = BEARER.exec(authorization ?? '');
    if (!m) return missing('A valid bearer token is required');
    if (!tokenMatches(m[1], accepted)) return { ok: false, status: 401, reason: 'invalid', message: 'A valid bearer token is required' };
    return { ok: true, createServer };
  };
  return Object.assign(authorize, { knows });
}

export interface PerUserAuthOptions {
  /** Client settings every per-request client shares (base URL, timeout, user agent, onRequest); the key is the request's */
  client: Omit<RunframeClientOptions, 'apiKey'>;
  /** The tools this server offers at most (toolsets and disabled tools applied); each key sees those its scopes allow */
  tools: readonly ToolDefinition[];
  /** Makes the MCP server for one request from its client and registry (server.ts createMcpServer, with the request's audit sink) */
  makeServer(client: RunframeClient, registry: ToolRegistry, requestId: string, user: string | undefined): Server;
  /** How long a verified key is trusted, in ms (default 60000; 0 verifies on every request) */
  cacheTtlMs?: number;
  /** Tools the settings hide, by name, with what a call to one answers (toolsets.ts hiddenTools) */
  hidden?: ReadonlyMap<string, string>;
  /** Service keys of the user's workspace, named in the instructions */
  workspaceServices?: readonly string[];
}

interface Verified {
  valid: boolean;
  /** Whether the API could be asked at all (an outage is not cached) */
  reachable: boolean;
  registry?: ToolRegistry;
  user?: string;
}

/**
 * Per-user mode (see the module comment). Keys that do not look like Runframe keys (`rf_...`)
 * are refused without asking the API. Concurrent first requests with one key share one verify.
 */
export function perUserAuth(options: PerUserAuthOptions): Authorize & { cacheSize(): number } {
  const ttl = options.cacheTtlMs ?? DEFAULT_AUTH_CACHE_TTL_MS;
  // Random per process: a digest seen in memory cannot be checked against guessed keys elsewhere.
  const salt = randomBytes(32);
  const cache = new Map<string, { until: number; verified: Promise<Verified>; valid?: boolean }>();
  const registries = new Map<string, ToolRegistry>();
  const registryFor = (scopes: readonly string[]): ToolRegistry => {
    const id = [...new Set(scopes)].sort().join(' ');
    let r = registries.get(id);
    if (!r) {
      const tools = toolsForScopes(options.tools, scopes);
      // A tool the key's scopes leave out answers why, as one the settings hide does.
      const hidden = new Map(options.hidden);
      for (const t of options.tools) {
        if (!tools.includes(t)) hidden.set(t.name, `${t.name} needs the ${t.scope} scope, which your Runframe API key does not have: create a key with it in Runframe (Settings, API keys).`);
      }
      r = buildRegistry(tools, tools.length > 0 && RESOURCE_SCOPES.every((s) => scopes.includes(s)) && options.tools.some((t) => t.tier === 'read'), hidden, options.workspaceServices);
      registries.set(id, r);
    }
    return r;
  };
  const clientFor = (apiKey: string) => new RunframeClient({ ...options.client, apiKey });

  const verify = async (apiKey: string): Promise<Verified> => {
    try {
      const info = await clientFor(apiKey).verifyKey();
      if (!info.valid) return { valid: false, reachable: true };
      return { valid: true, reachable: true, registry: registryFor(info.scopes), user: info.user?.email };
    } catch (err) {
      if (err instanceof RunframeApiError && (err.status === 401 || err.status === 403)) return { valid: false, reachable: true };
      return { valid: false, reachable: false };
    }
  };

  const authorize = async (authorization: string | undefined): Promise<Authorized | Refused> => {
    const m = BEARER.exec(authorization ?? '');
    if (!m) return missing('Send your Runframe API key as the bearer token (Authorization: Bearer rf_...)');
    const apiKey = m[1];
    if (!checkApiKeyFormat(apiKey).ok) return { ok: false, status: 401, reason: 'invalid', message: 'The bearer token must be your Runframe API key (it starts with rf_)' };
    const id = createHmac('sha256', salt).update(apiKey).digest('base64');
    const now = Date.now();
    let entry = cache.get(id);
    if (!entry || entry.until <= now) {
      if (entry) cache.delete(id);
      const verified = verify(apiKey);
      entry = { until: now + ttl, verified };
      if (ttl > 0) {
        if (cache.size >= AUTH_CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(id, entry);
        const stored = entry;
        // Outages are not remembered; refusals only briefly.
        void verified.then((v) => {
          stored.valid = v.valid;
          if (!v.reachable) cache.delete(id);
          else if (!v.valid) stored.until = Math.min(stored.until, Date.now() + REFUSED_CACHE_TTL_MS);
        });
      }
    }
    const v = await entry.verified;
    if (!v.reachable) return { ok: false, status: 503, reason: 'unverifiable', message: 'Runframe could not be reached to verify your API key; retry shortly' };
    if (!v.valid || !v.registry) return { ok: false, status: 401, reason: 'invalid', message: 'Runframe refused this API key: create a new one in Runframe (Settings, API keys)' };
    const { registry, user } = v;
    return { ok: true, user, createServer: (requestId) => options.makeServer(clientFor(apiKey), registry, requestId, user) };
  };
  const knows = (authorization: string | undefined): boolean => {
    const m = BEARER.exec(authorization ?? '');
    if (!m) return false;
    const entry = cache.get(createHmac('sha256', salt).update(m[1]).digest('base64'));
    return Boolean(entry?.valid && entry.until > Date.now());
  };
  return Object.assign(authorize, { knows, cacheSize: () => cache.size });
}

/**
 * Readiness without a key (per-user mode): the API answers `GET /auth/verify` at all. 200, 401
 * and 403 mean a Runframe API is there; anything else (404, 5xx, no answer) does not.
 * @param baseUrl without /api/v1
 */
export async function apiReachable(baseUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/auth/verify`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    await res.body?.cancel();
    return res.status === 200 || res.status === 401 || res.status === 403;
  } catch {
    return false;
  }
}
