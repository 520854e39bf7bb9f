/**
 * `runframe-mcp check` as a person or a git hook runs it: the built dist/server.js as a process,
 * against the emulator over real HTTP, and as a real git pre-push hook pushing to a real (local,
 * bare) repository.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatWorkspaceServices } from '../../src/domain';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { clientFor, connectMcp, SERVER_JS, startTestEmulator } from '../helpers';

describe('runframe-mcp check: the pre-push and deploy gate', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let dir: string;
  let quiet: string; // a service no open SEV0/SEV1 is on
  let busy: string; // a service with one, opened by this test

  /** Runs a process to its end without blocking this one (the emulator answers from here). */
  const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
      const p = spawn(command, args, { cwd, env });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('error', fail);
      p.on('close', (status) => done({ status, stdout, stderr }));
    });
  const check = async (args: string[], env: Record<string, string> = {}, cwd = dir) => {
    const r = await run(process.execPath, [SERVER_JS, 'check', ...args], cwd, { PATH: process.env.PATH ?? '', RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, ...env });
    return { code: r.status, out: r.stderr + r.stdout };
  };

  before(async () => {
    emu = await startTestEmulator();
    dir = mkdtempSync(join(tmpdir(), 'runframe-check-'));
    const major = new Set(emu.store.state.incidents.filter((i) => ['SEV0', 'SEV1'].includes(i.severity ?? '') && !['resolved', 'closed'].includes(i.status ?? '')).flatMap((i) => (i.services ?? []).map((s) => s.service_key)));
    const free = emu.store.state.services.filter((s) => !major.has(s.service_key));
    assert.ok(free.length >= 2, 'the demo data has services without SEV0/SEV1 incidents');
    [quiet, busy] = [free[0].service_key, free[1].service_key];
  });
  after(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 while no open SEV0/SEV1 incident is on the services', async () => {
    const r = await check(['--service', quiet]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`no open SEV0/SEV1 incident on ${quiet}`));
  });

  it('exits 1 naming the incident while one is open; an override lets it through and still names it', async () => {
    const created = await clientFor(emu).createIncident({ title: 'check: payments down', severity: 'SEV1', service_ids: [busy] });
    const blocked = await check(['--service', quiet, '--service', busy]);
    assert.equal(blocked.code, 1, blocked.out);
    assert.match(blocked.out, new RegExp(`${created.incident_number} SEV1 new, unacknowledged: "check: payments down"`));
    assert.match(blocked.out, /RUNFRAME_ALLOW_OPEN_INCIDENTS=1/);
    for (const [args, env] of [[['--allow-open-incidents'], {}], [[], { RUNFRAME_ALLOW_OPEN_INCIDENTS: '1' }]] as const) {
      const r = await check(['--service', busy, ...args], env);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, new RegExp(created.incident_number));
      assert.match(r.out, /Going ahead anyway/);
    }
    assert.equal((await check(['--service', busy], { RUNFRAME_ALLOW_OPEN_INCIDENTS: '0' })).code, 1, '0 does not override');
    await clientFor(emu).changeIncidentStatus(created.incident_number, 'resolved');
    assert.equal((await check(['--service', busy])).code, 0, 'clear once resolved');
  });

  it('exits 2 and says why when it cannot check: no key, rejected key, API down, no or bad file, bad key format', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--service', quiet], { RUNFRAME_API_KEY: '' }, /RUNFRAME_API_KEY/],
      [['--service', quiet], { RUNFRAME_API_KEY: 'rf_not_a_key_the_emulator_knows_1234' }, /rejected|invalid|401/i],
      [['--service', quiet], { RUNFRAME_API_URL: 'http://127.0.0.1:9', RUNFRAME_TIMEOUT_MS: '1000' }, /reach|connect|refused/i],
      [[], {}, /\.runframe\.json cannot be read/],
      [['--service', 'SER-0001'], {}, /legacy service id/],
      [['--service', quiet], { RUNFRAME_TIMEOUT_MS: 'soon' }, /RUNFRAME_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 \(got "soon"\)/],
    ];
    for (const [args, env, why] of cases) {
      const r = await check(args, env);
      assert.equal(r.code, 2, `${JSON.stringify(args)} ${JSON.stringify(env)}: ${r.out}`);
      assert.match(r.out, why);
      assert.match(r.out, /Could not check/);
      assert.ok(!r.out.includes(emu.keys[0].key), 'never prints the key');
    }
  });

  it('as a git pre-push hook in a real repository: the push is refused while the incident is open, and goes through once resolved', async () => {
    const git = (cwd: string, ...args: string[]) => run('git', args, cwd, { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key });
    const remote = join(dir, 'remote.git');
    const work = join(dir, 'work');
    assert.equal((await git(dir, 'init', '--bare', '-q', remote)).status, 0);
    assert.equal((await git(dir, 'init', '-q', '-b', 'main', work)).status, 0);
    writeFileSync(join(work, '.runframe.json'), formatWorkspaceServices([busy]));
    writeFileSync(join(work, '.git', 'hooks', 'pre-push'), `#!/bin/sh\nexec "${process.execPath}" "${SERVER_JS}" check\n`);
    chmodSync(join(work, '.git', 'hooks', 'pre-push'), 0o755);
    await git(work, 'add', '.runframe.json');
    assert.equal((await git(work, 'commit', '-q', '-m', 'services')).status, 0);
    await git(work, 'remote', 'add', 'origin', remote);

    const created = await clientFor(emu).createIncident({ title: 'check: hook', severity: 'SEV0', service_ids: [busy] });
    const refused = await git(work, 'push', '-q', 'origin', 'main');
    assert.notEqual(refused.status, 0, refused.stderr);
    assert.match(refused.stderr, new RegExp(`${created.incident_number} SEV0`));
    assert.equal((await git(remote, 'rev-parse', '--verify', '-q', 'refs/heads/main')).status, 1, 'nothing reached the remote');

    await clientFor(emu).changeIncidentStatus(created.incident_number, 'resolved');
    const pushed = await git(work, 'push', '-q', 'origin', 'main');
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.equal((await git(remote, 'rev-parse', '--verify', '-q', 'refs/heads/main')).status, 0);
  });

  it('the MCP server names the workspace\'s services in its instructions (RUNFRAME_WORKSPACE_SERVICES); a bad key stops it with the reason', async () => {
    const session = await connectMcp(emu, { RUNFRAME_WORKSPACE_SERVICES: `${quiet}, ${busy.toLowerCase()}` });
    try {
      const instructions = session.client.getInstructions() ?? '';
      assert.match(instructions, new RegExp(`belongs to the services ${quiet}, ${busy}:`));
    } finally {
      await session.close();
    }
    const plain = await connectMcp(emu);
    try {
      assert.doesNotMatch(plain.client.getInstructions() ?? '', /belongs to the services/);
    } finally {
      await plain.close();
    }
    const bad = await run(process.execPath, [SERVER_JS], dir, { PATH: process.env.PATH ?? '', RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, RUNFRAME_WORKSPACE_SERVICES: 'payments' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /RUNFRAME_WORKSPACE_SERVICES: "payments" is not a service key/);
  });
});
