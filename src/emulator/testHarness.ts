/**
 * Test-only machinery around the emulator: injected faults (latency, stalls, 429, 5xx,
 * malformed or empty bodies, connection resets before or after a write is committed), a log of
 * the API requests received, and /__emulator/* endpoints to drive both from another process.
 * The sandbox in the extension starts the plain emulator (server.ts) and never loads this file,
 * so none of it is in the extension's bundle (a test checks dist/extension.js).
 */
import type { ServerResponse } from 'node:http';
import { ApiProblem } from './routes';
import { problemPayload, readBody, send, startEmulator, type EmulatorOptions, type HookedRequest, type RunningEmulator } from './server';

/** A fault to inject into matching requests, `times` times (default 1). */
export type FaultSpec = {
  /** HTTP method to match; any when omitted */
  method?: string;
  /** substring or regular expression matched against the path (without query) */
  path?: string | RegExp;
  /** how many matching requests it applies to; default 1 */
  times?: number;
  /** "before": instead of handling; "after": handle (and commit) first, then fail the answer. Default "before". */
  phase?: 'before' | 'after';
} & (
  | { type: 'status'; status: number; code?: string; retryAfterSeconds?: number }
  | { type: 'delay'; ms: number }
  | { type: 'stall' }
  | { type: 'malformed_json' }
  | { type: 'empty_body' }
  | { type: 'reset' }
  | { type: 'reset_mid_body' }
);

/** One API request the emulator received (test endpoints excluded). */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** HTTP status answered; 0 until answered (or when the connection was dropped) */
  status: number;
  /** ms since epoch, on the emulator's clock */
  at: number;
  /** User-Agent and X-Request-Id the client sent */
  userAgent?: string;
  clientRequestId?: string;
}

/** Most requests the log keeps (the oldest go first). */
const LOG_LIMIT = 10_000;

/** Keeps the queue of faults to inject. */
export class FaultInjector {
  #faults: (FaultSpec & { left: number })[] = [];
  /** Queues a fault for the next `spec.times` (default 1) matching requests. */
  add(spec: FaultSpec): void {
    this.#faults.push({ ...spec, left: spec.times ?? 1 });
  }
  /** Drops every queued fault. */
  clear(): void {
    this.#faults = [];
  }
  /** How many faults are still queued. */
  get pending(): number {
    return this.#faults.length;
  }
  /** Takes the first fault matching this request and phase, if any. */
  take(method: string, path: string, phase: 'before' | 'after'): FaultSpec | undefined {
    const i = this.#faults.findIndex(
      (f) =>
        (f.phase ?? 'before') === phase &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = this.#faults[i];
    if (--f.left <= 0) this.#faults.splice(i, 1);
    return f;
  }
}

/** An emulator with faults and a request log, for tests. */
export interface TestEmulator extends RunningEmulator {
  faults: FaultInjector;
  /** API requests received, oldest first (at most the last 10,000) */
  requests: RequestLogEntry[];
  /** How many API requests were received since start (not capped like `requests`) */
  readonly requestCount: number;
}

/**
 * Answers `r` as `fault` says. @returns true when the fault answered (or dropped) the request,
 * false when it only delayed it and the request goes on
 */
async function deliverFault(fault: FaultSpec, r: HookedRequest, stalled: Set<ServerResponse>): Promise<boolean> {
  const { res, requestId } = r;
  switch (fault.type) {
    case 'delay':
      await new Promise((done) => setTimeout(done, fault.ms));
      return false;
    case 'stall':
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return true;
    case 'status': {
      const p = new ApiProblem(fault.status, fault.code ?? (fault.status === 429 ? 'rate_limited' : 'injected_fault'), fault.status === 429 ? 'Too many requests' : `Injected fault: HTTP ${fault.status}`);
      send(res, fault.status, problemPayload(p, requestId), { 'x-request-id': requestId, ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}) });
      return true;
    }
    case 'malformed_json':
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
      res.end('{"data": {"incident_number": "INC-');
      return true;
    case 'empty_body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 0, 'x-request-id': requestId });
      res.end();
      return true;
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'reset_mid_body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000, 'x-request-id': requestId });
      res.write('{"data": {"items": [');
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
  }
}

/**
 * Starts the emulator with fault injection and a request log, and (with `testEndpoints`) serves
 * POST/DELETE /__emulator/faults and GET/DELETE /__emulator/requests for tests in another process.
 * @throws as startEmulator
 */
export async function startTestEmulator(options: EmulatorOptions & { testEndpoints?: boolean } = {}): Promise<TestEmulator> {
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  let requestCount = 0;
  const stalled = new Set<ServerResponse>();
  const emulator = await startEmulator({
    ...options,
    hooks: {
      testEndpoint: options.testEndpoints
        ? async (req, res, path) => {
            if (!path.startsWith('/__emulator/')) return false;
            if (path === '/__emulator/faults' && req.method === 'POST') {
              const spec = JSON.parse((await readBody(req)) || '{}') as FaultSpec & { pathRegex?: string };
              if (spec.pathRegex) spec.path = new RegExp(spec.pathRegex);
              faults.add(spec);
              send(res, 201, { data: { pending: faults.pending } });
            } else if (path === '/__emulator/faults' && req.method === 'DELETE') {
              faults.clear();
              send(res, 200, { data: { pending: 0 } });
            } else if (path === '/__emulator/requests' && req.method === 'GET') {
              send(res, 200, { data: requests });
            } else if (path === '/__emulator/requests' && req.method === 'DELETE') {
              requests.length = 0;
              send(res, 200, { data: { cleared: true } });
            } else {
              send(res, 404, { error: { code: 'not_found', message: 'Unknown test endpoint' } });
            }
            return true;
          }
        : undefined,
      before: async (r) => {
        const entry: RequestLogEntry = { method: r.method, path: r.path, status: 0, at: r.at, userAgent: r.userAgent, clientRequestId: r.clientRequestId };
        requests.push(entry);
        requestCount++;
        if (requests.length > LOG_LIMIT) requests.splice(0, requests.length - LOG_LIMIT);
        r.res.on('finish', () => (entry.status = r.res.statusCode));
        const fault = faults.take(r.method, r.path, 'before');
        return fault ? deliverFault(fault, r, stalled) : false;
      },
      after: async (r) => {
        const fault = faults.take(r.method, r.path, 'after');
        return fault ? deliverFault(fault, r, stalled) : false;
      },
    },
  });
  return {
    ...emulator,
    faults,
    requests,
    get requestCount() {
      return requestCount;
    },
    async close() {
      for (const res of stalled) res.destroy();
      await emulator.close();
    },
  };
}
