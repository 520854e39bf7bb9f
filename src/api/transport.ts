/**
 * The HTTP transport under the Runframe client: one request and its whole answer on node:http(s)
 * with keep-alive agents, a timeout and an AbortSignal. It knows no endpoint, envelope or retry
 * rule; the client (client.ts) adds those. Node >= 20, as in VS Code's extension host.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One finished request, for logs and audit lines. Never carries the key, a body or a query. */
export interface RequestRecord {
  method: string;
  /** path without query string */
  path: string;
  /** HTTP status, 0 when no response */
  status: number;
  durationMs: number;
  requestId?: string;
  errorCode?: string;
}

// Keep-alive connections: an incident tool makes many small requests to one API host.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

/** Where requests go: the parts of the base URL node:http needs, parsed once per client. */
export interface Target {
  https: boolean;
  /** Without IPv6 brackets, as node:http wants it */
  hostname: string;
  /** '' for the protocol's default */
  port: string;
  /** Path prefix of the base URL without a trailing slash, usually '' */
  basePath: string;
}

/**
 * The Target of a base URL.
 * @param url an `http:` or `https:` URL; the caller has checked the protocol
 */
export function targetOf(url: URL): Target {
  return { https: url.protocol === 'https:', hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port, basePath: url.pathname.replace(/\/+$/, '') };
}

/** Query parameters: arrays repeat the parameter; undefined values are left out. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/**
 * The request path node:http sends: `basePath + path`, then `?query` when there is one.
 * @param path already encoded, e.g. "/api/v1/incidents/INC-2026-001"
 */
export function pathWithQuery(target: Target, path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const search = params.toString();
  return `${target.basePath}${path}${search ? `?${search}` : ''}`;
}

/** One request to send. */
export interface ExchangeRequest {
  method: string;
  /** Path and query string, as pathWithQuery makes it */
  path: string;
  /** Header names in lower case; content-length is added for a body */
  headers: Record<string, string>;
  /** UTF-8 body, sent as is */
  body?: string;
  /** Covers connecting, waiting and reading the whole body, in ms */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The answer to one HTTP exchange, body read in full. */
export interface Exchange {
  status: number;
  statusText: string;
  /** A header's value (lower-case name), repeated values joined with ", " */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8 */
  text: string;
}

/**
 * Why an exchange failed: before the request went out (connect), after it was sent but before
 * any answer (sent), or while reading the answer's body (read). `status` is 0 unless an answer's
 * head arrived; `requestId` is that answer's X-Request-Id.
 */
export class ExchangeError extends Error {
  constructor(
    readonly phase: 'connect' | 'sent' | 'read',
    readonly reason: 'timeout' | 'aborted' | 'network',
    readonly status: number,
    readonly requestId: string | undefined,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

/**
 * One HTTP exchange on node:http(s) with keep-alive: sends `request` to `target` and reads the
 * whole answer, whatever its status.
 * @throws ExchangeError on timeout (request.timeoutMs, ms), abort (request.signal), a failed
 * connection, or an answer cut short
 */
export function exchange(target: Target, request: ExchangeRequest): Promise<Exchange> {
  const { method, path, headers, body, timeoutMs, signal } = request;
  return new Promise((resolve, reject) => {
    let res: IncomingMessage | undefined;
    let sent = false;
    let settled = false;
    const fail = (reason: 'timeout' | 'aborted' | 'network', cause: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const requestId = res?.headers['x-request-id'];
      reject(new ExchangeError(res ? 'read' : sent ? 'sent' : 'connect', reason, res?.statusCode ?? 0, typeof requestId === 'string' ? requestId : undefined, cause));
      req.destroy();
    };
    const onAbort = () => fail('aborted', signal?.reason);
    // Options rather than a URL: node:http would turn a URL back into these on every request.
    const options = {
      hostname: target.hostname, port: target.port, path, method, agent: target.https ? httpsAgent : httpAgent,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    };
    const req = (target.https ? httpsRequest : httpRequest)(options, (response) => {
      res = response;
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('error', (err) => fail('network', err));
      response.on('aborted', () => fail('network', new Error('ECONNRESET')));
      response.on('end', () => {
        if (settled) return;
        if (!response.complete) return fail('network', new Error('ECONNRESET'));
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          header: (name) => {
            const v = response.headers[name];
            return Array.isArray(v) ? v.join(', ') : v;
          },
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    const timer = setTimeout(() => fail('timeout', new Error('timeout')), timeoutMs);
    req.on('error', (err) => fail('network', err));
    req.on('finish', () => (sent = true));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
