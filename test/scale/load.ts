/**
 * A steady, bounded load: `concurrency` workers, each sending one MCP tools/call after another
 * (with `pauseMs` between) through keep-alive connections, tagging every request with the phase
 * in which its answer (or failure) came: a request cut off by a SIGKILL counts in the kill's phase
 * even when it was sent just before. Figures per phase: sent, answered 2xx, failed (any other status or no answer),
 * p50 and p99 latency of all requests in ms.
 */
import { Agent, request } from 'node:http';

export interface PhaseFigures {
  phase: string;
  sent: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  /** Failures by kind: HTTP status or error code */
  failures: Record<string, number>;
}

interface Sample {
  phase: string;
  ms: number;
  status: number;
  error?: string;
}

export interface Load {
  /** Requests are tagged with this phase from now on. */
  setPhase(phase: string): void;
  /** Requests started and not yet answered. */
  inFlight(): number;
  /** Requests started so far. */
  sent(): number;
  /** Stops sending, waits for the answers in flight, returns figures per phase in order. */
  stop(): Promise<PhaseFigures[]>;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * Starts the load at `url` with bearer `token`.
 * @param maxRequests hard bound on requests sent (the load stops sending past it)
 */
export function startLoad(url: string, token: string, options: { concurrency: number; pauseMs: number; maxRequests: number; body: string }): Load {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const samples: Sample[] = [];
  let phase = 'warm-up';
  let stopped = false;
  let inFlight = 0;
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      inFlight++;
      sent++;
      const done = (status: number, error?: string) => {
        inFlight--;
        samples.push({ phase, ms: performance.now() - started, status, error });
        resolve();
      };
      const req = request(
        { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(options.body) } },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
          res.on('error', (e: NodeJS.ErrnoException) => done(0, e.code ?? 'response_error'));
        },
      );
      req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => done(0, e.code ?? 'error'));
      req.end(options.body);
    });
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (!stopped && sent < options.maxRequests) {
      await one();
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  });
  return {
    setPhase: (p) => (phase = p),
    inFlight: () => inFlight,
    sent: () => sent,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
      const phases = [...new Set(samples.map((s) => s.phase))];
      return phases.map((p) => {
        const mine = samples.filter((s) => s.phase === p);
        const lat = mine.map((s) => s.ms).sort((a, b) => a - b);
        const bad = mine.filter((s) => s.status < 200 || s.status > 299);
        const failures: Record<string, number> = {};
        for (const b of bad) failures[b.error ?? String(b.status)] = (failures[b.error ?? String(b.status)] ?? 0) + 1;
        return { phase: p, sent: mine.length, ok: mine.length - bad.length, failed: bad.length, p50: Math.round(pct(lat, 50) * 10) / 10, p99: Math.round(pct(lat, 99) * 10) / 10, failures };
      });
    },
  };
}

/** The figures as a table, one row per phase. */
export function formatFigures(rows: PhaseFigures[]): string {
  const head = ['phase', 'sent', '2xx', 'failed', 'p50 ms', 'p99 ms', 'failures'];
  const body = rows.map((r) => [r.phase, r.sent, r.ok, r.failed, r.p50, r.p99, Object.entries(r.failures).map(([k, v]) => `${k}:${v}`).join(' ') || '-'].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
