/**
 * Prometheus metrics of the HTTP server (prom-client), served as text on `GET /metrics` from a
 * port of their own (`--metrics-port`), never the MCP port: scrapers reach it inside the cluster
 * while /mcp stays behind its bearer token, and no token has to be handed to Prometheus.
 *
 * Names (all prefixed runframe_mcp_):
 *   tool_calls_total{tool,outcome}            tool calls; outcome as in the audit line
 *   tool_call_duration_seconds{tool}          histogram
 *   upstream_requests_total{method,route,status}  API requests (retries included); status 0 = no answer
 *   upstream_request_duration_seconds{method,route}  histogram
 *   http_requests_in_flight                   requests being handled now
 *   http_requests_total{status}               answers by HTTP status
 *   http_requests_shed_total{reason}          503s: overloaded | shutting_down
 *   http_requests_timed_out_total{status}     504 (no answer in time) and 408 (client too slow)
 *   auth_failures_total{reason}               bearer refused: missing | invalid | unverifiable
 * plus prom-client's default process metrics. Labels never hold a key, a token, an email or an
 * incident number: API paths are reduced to their route (`/incidents/:id/acknowledge`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from '../api/client';
import type { AuditLine } from './audit';

// Static segments of the API's paths (docs/runframe-api.md, part A); any other segment is an identifier.
const STATIC_SEGMENTS = new Set(['auth', 'verify', 'incidents', 'status', 'acknowledge', 'events', 'escalate', 'page', 'on-call', 'current', 'services', 'postmortems', 'teams', 'escalation-policies', 'users']);

/** An API path reduced to its route: identifiers become `:id`, the query is dropped. Pure. */
export function routeOf(path: string): string {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  return bare.split('/').map((s) => (s === '' || STATIC_SEGMENTS.has(s) ? s : ':id')).join('/');
}

/** What the HTTP server reports about each request (see startHttpServer's `observer`). */
export interface HttpObserver {
  /** A request was accepted for handling; call the result once it is answered. */
  started(): () => void;
  /** Any answer, by status. */
  answered(status: number): void;
  shed(reason: 'overloaded' | 'shutting_down'): void;
  timedOut(status: 504 | 408): void;
  authFailed(reason: 'missing' | 'invalid' | 'unverifiable'): void;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/** The server's metrics, in a registry of their own (not prom-client's global one). */
export class McpMetrics implements HttpObserver {
  readonly registry = new Registry();
  readonly #toolCalls = new Counter({ name: 'runframe_mcp_tool_calls_total', help: 'Tool calls by tool and outcome', labelNames: ['tool', 'outcome'], registers: [this.registry] });
  readonly #toolDuration = new Histogram({ name: 'runframe_mcp_tool_call_duration_seconds', help: 'Tool call duration in seconds', labelNames: ['tool'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  readonly #upstream = new Counter({ name: 'runframe_mcp_upstream_requests_total', help: 'Runframe API requests by method, route and HTTP status (0: no answer)', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly #upstreamDuration = new Histogram({ name: 'runframe_mcp_upstream_request_duration_seconds', help: 'Runframe API request latency in seconds', labelNames: ['method', 'route'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  readonly #inFlight = new Gauge({ name: 'runframe_mcp_http_requests_in_flight', help: 'HTTP requests being handled', registers: [this.registry] });
  readonly #answered = new Counter({ name: 'runframe_mcp_http_requests_total', help: 'HTTP answers by status', labelNames: ['status'], registers: [this.registry] });
  readonly #shed = new Counter({ name: 'runframe_mcp_http_requests_shed_total', help: 'Requests refused with 503: overloaded or shutting down', labelNames: ['reason'], registers: [this.registry] });
  readonly #timedOut = new Counter({ name: 'runframe_mcp_http_requests_timed_out_total', help: 'Requests that timed out: 504 (our answer late), 408 (client too slow)', labelNames: ['status'], registers: [this.registry] });
  readonly #authFailed = new Counter({ name: 'runframe_mcp_auth_failures_total', help: 'Bearer tokens refused', labelNames: ['reason'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'runframe_mcp_' });
  }

  /** An audit sink (src/mcp/audit.ts): counts the call and observes its duration. */
  observeToolCall = (line: AuditLine): void => {
    this.#toolCalls.inc({ tool: line.tool, outcome: line.outcome });
    this.#toolDuration.observe({ tool: line.tool }, line.duration_ms / 1000);
  };

  /** For the client's onRequest: one API request (an attempt; retries count apart). */
  observeUpstream = (record: RequestRecord): void => {
    const route = routeOf(record.path);
    this.#upstream.inc({ method: record.method, route, status: String(record.status) });
    this.#upstreamDuration.observe({ method: record.method, route }, record.durationMs / 1000);
  };

  started(): () => void {
    this.#inFlight.inc();
    let done = false;
    return () => {
      if (!done) this.#inFlight.dec();
      done = true;
    };
  }

  answered(status: number): void {
    this.#answered.inc({ status: String(status) });
  }

  shed(reason: 'overloaded' | 'shutting_down'): void {
    this.#shed.inc({ reason });
  }

  timedOut(status: 504 | 408): void {
    this.#timedOut.inc({ status: String(status) });
  }

  authFailed(reason: 'missing' | 'invalid' | 'unverifiable'): void {
    this.#authFailed.inc({ reason });
  }
}

/**
 * Serves `GET /metrics` (Prometheus text format 0.0.4) and nothing else (404; 405 for other methods).
 * @throws Error with code EADDRINUSE when the port is taken
 */
export async function startMetricsServer(metrics: McpMetrics, host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: use GET /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('Use GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
