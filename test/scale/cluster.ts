/**
 * Three (or N) MCP server processes behind a real HAProxy on 127.0.0.1, for the scale test and
 * the bench. HAProxy health-checks each replica on GET /readyz (every 250 ms, down after 2
 * failures, up after 2 successes), retries a refused connection on another replica, and is
 * queried through its CSV stats page. Requires `haproxy` (test/scale/setup.sh installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SERVER_JS = join(ROOT, 'dist', 'server.js');

/** Whether an haproxy binary is on PATH. */
export function haproxyAvailable(): boolean {
  return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it next). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface ClusterOptions {
  replicas: number;
  /** Environment of every replica (API URL, key, token, drain delay...), PATH added */
  env: Record<string, string>;
}

export interface Replica {
  name: string;
  port: number;
  proc: ChildProcess;
}

export interface Cluster {
  /** The load balancer's MCP URL, http://127.0.0.1:PORT/mcp */
  url: string;
  lbPort: number;
  replicas: Replica[];
  /** Requests each replica is handling now, by HAProxy's count (stats `scur`), by replica name */
  sessions(): Promise<Record<string, number>>;
  /** Answers with a 2xx status each replica gave through HAProxy so far (stats `hrsp_2xx`), by replica name */
  answered2xx(): Promise<Record<string, number>>;
  /** HAProxy's own stderr, the last 20 KB */
  lbLog(): string;
  /** HAProxy's view of each replica: UP, DOWN, ... by replica name */
  states(): Promise<Record<string, string>>;
  /** Waits until HAProxy sees replica `i` as `state` (at most `timeoutMs`, default 20 s). */
  waitFor(i: number, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Sends `signal` to replica `i` and waits for the process to exit. */
  stopReplica(i: number, signal: NodeJS.Signals): Promise<void>;
  /** Starts replica `i` again on its port and waits until HAProxy sees it UP. */
  startReplica(i: number): Promise<void>;
  close(): Promise<void>;
}

async function startReplica(name: string, port: number, env: Record<string, string>): Promise<Replica> {
  const proc = spawn(process.execPath, [SERVER_JS, '--transport', 'http', '--port', String(port)], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err = (err + d).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    const onData = () => err.includes('listening on') && resolve();
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`replica ${name} exited ${code}: ${err}`)));
  });
  return { name, port, proc };
}

/** Starts the replicas and HAProxy in front of them; resolves once every replica is UP. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'runframe-scale-'));
  const ports = await Promise.all(Array.from({ length: options.replicas }, () => freePort()));
  const lbPort = await freePort();
  const statsPort = await freePort();
  const replicas = await Promise.all(ports.map((p, i) => startReplica(`mcp${i + 1}`, p, options.env)));
  const cfg = `global
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  # A refused connection (a replica gone) is retried, on another replica.
  retries 3
  option redispatch 1
frontend mcp
  bind 127.0.0.1:${lbPort}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  # The replicas bind loopback, so their Host check needs a loopback Host.
  http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
  default-server check inter 250ms fall 2 rise 2
${replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.port}`).join('\n')}
listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
  const cfgFile = join(dir, 'haproxy.cfg');
  writeFileSync(cfgFile, cfg);
  const check = spawnSync('haproxy', ['-c', '-f', cfgFile], { encoding: 'utf8' });
  if (check.status !== 0) {
    for (const r of replicas) r.proc.kill('SIGKILL');
    throw new Error(`haproxy config: ${check.stdout}${check.stderr}`);
  }
  const lb = spawn('haproxy', ['-db', '-f', cfgFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let lbErr = '';
  lb.stderr!.on('data', (d) => (lbErr = (lbErr + d).slice(-20_000)));

  // HAProxy's CSV stats, the replicas' rows: column name to value, by replica name.
  const stats = async (): Promise<Record<string, Record<string, string>>> => {
    const res = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`).catch(() => undefined);
    if (!res?.ok) return {};
    const lines = (await res.text()).split('\n');
    const header = lines[0].replace(/^# /, '').split(',');
    const out: Record<string, Record<string, string>> = {};
    for (const l of lines.slice(1)) {
      const row = Object.fromEntries(l.split(',').map((v, i) => [header[i], v]));
      if (row.pxname === 'replicas' && row.svname !== 'BACKEND') out[row.svname] = row;
    }
    return out;
  };
  const states = async () => Object.fromEntries(Object.entries(await stats()).map(([k, v]) => [k, v.status]));
  const waitFor = async (i: number, state: 'UP' | 'DOWN', timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if ((await states())[replicas[i].name]?.startsWith(state)) return;
      if (lb.exitCode !== null) throw new Error(`haproxy exited: ${lbErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`replica ${replicas[i].name} not ${state} within ${timeoutMs} ms: ${JSON.stringify(await states())}`);
  };
  const cluster: Cluster = {
    url: `http://127.0.0.1:${lbPort}/mcp`,
    lbPort,
    replicas,
    sessions: async () => Object.fromEntries(Object.entries(await stats()).map(([k, v]) => [k, Number(v.scur)])),
    answered2xx: async () => Object.fromEntries(Object.entries(await stats()).map(([k, v]) => [k, Number(v.hrsp_2xx)])),
    lbLog: () => lbErr,
    states,
    waitFor,
    async stopReplica(i, signal) {
      const { proc } = replicas[i];
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      await exited;
    },
    async startReplica(i) {
      replicas[i] = await startReplica(replicas[i].name, replicas[i].port, options.env);
      await waitFor(i, 'UP');
    },
    async close() {
      for (let i = 0; i < replicas.length; i++) await cluster.stopReplica(i, 'SIGKILL');
      if (lb.exitCode === null) {
        const exited = once(lb, 'exit');
        lb.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < replicas.length; i++) await waitFor(i, 'UP');
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}
