/**
 * `npm start`: the whole product in a local browser-based VS Code. After test/e2e/setup.sh (the
 * cached Node 24 and code-server the end-to-end suite uses) and a freshly built .vsix (`npm run
 * package`), starts code-server on 127.0.0.1 with the extension installed into a fresh profile
 * whose runframe.sandbox.startOnLaunch starts the sandbox (demo data, no account) and shows the
 * Runframe views; prints the URL and stays up until Ctrl-C, which stops code-server and every
 * process under it and removes the profile.
 * Flags: --port N (default: a free port); --exit-when-ready (stop as soon as the workbench page
 * answers, exit 0; what test/e2e/start.test.ts runs).
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, type CodeServer } from './codeServer';

/** Settings of the demo profile. */
export const START_SETTINGS = {
  'runframe.sandbox.startOnLaunch': true,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  // The profile lives inside this repository's .e2e/: no "open the parent repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'exit-when-ready': { type: 'boolean', default: false } } });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`--port must be a TCP port number, not "${values.port}"`);
  const server: CodeServer = await startCodeServer('start', START_SETTINGS, port);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping code-server…');
    await server.stop();
    rmSync(dirname(server.userDataDir), { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const url = `${server.url}/?folder=${encodeURIComponent(server.workspace)}`;
  const res = await fetch(url);
  if (!res.ok) {
    console.error(`The workbench did not answer (HTTP ${res.status}):\n${server.log()}`);
    return stop(1);
  }
  console.log(`Runframe Incident Cockpit, with the sandbox's demo data, in VS Code:\n\n  ${url}\n\nOpen it in a browser. Ctrl-C stops it.`);
  if (values['exit-when-ready']) return stop(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
