/**
 * The npm package packages/mcp-server as a user gets it: `npm pack`, installed from the tarball
 * into an empty folder with no network (`--offline`, an empty cache: it must need nothing else),
 * then run through its bin.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { TOOLS } from '../../src/mcp/tools';
import { ROOT, startTestEmulator } from '../helpers';

const PKG_DIR = join(ROOT, 'packages', 'mcp-server');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm package @runframe-cockpit/mcp-server: packed, installed offline, run through its bin', function () {
  this.timeout(120_000);
  let dir: string;
  let bin: string;
  let emu: TestEmulator;
  const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8'));
  // Nothing from the repository's own environment (npm config, PATH extras) but node and npm.
  const env = { PATH: process.env.PATH ?? '', HOME: '', npm_config_cache: '' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rf-pkg-'));
    env.HOME = join(dir, 'home');
    env.npm_config_cache = join(dir, 'empty-cache');
    execFileSync(npm, ['pack', '--pack-destination', dir, '--silent'], { cwd: PKG_DIR, env, stdio: 'pipe' });
    const app = join(dir, 'app');
    mkdirSync(app);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball)], { cwd: app, env, stdio: 'pipe' });
    bin = join(app, 'node_modules', '.bin', 'runframe-mcp');
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball holds only the bundled server, its notices, README, LICENSE and package.json; no dependencies', () => {
    const files = execFileSync('tar', ['tzf', join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, ['package/LICENSE', 'package/README.md', 'package/dist/THIRD-PARTY-NOTICES.txt', 'package/dist/server.js', 'package/package.json']);
    assert.equal(pkg.dependencies, undefined);
    assert.deepEqual(pkg.bin, { 'runframe-mcp': 'dist/server.js' });
  });

  it('--version and --help', () => {
    assert.equal(execFileSync(bin, ['--version'], { env, encoding: 'utf8' }).trim(), pkg.version);
    const help = execFileSync(bin, ['--help'], { env, encoding: 'utf8' });
    assert.match(help, /--setup/);
    assert.match(help, /RUNFRAME_TEXT_FORMAT/);
  });

  it('stdio: initialize and tools/list over real stdio with only the two documented variables, then a call', async () => {
    const transport = new StdioClientTransport({ command: bin, args: [], env: { PATH: env.PATH, RUNFRAME_API_KEY: emu.keys[0].key, RUNFRAME_API_URL: emu.url }, stderr: 'pipe' });
    const client = new Client({ name: 'package-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.version, pkg.version);
      const { tools } = await client.listTools();
      assert.equal(tools.length, TOOLS.length);
      const res = (await client.callTool({ name: 'runframe_list_teams', arguments: {} })) as { isError?: boolean };
      assert.notEqual(res.isError, true);
    } finally {
      await client.close();
    }
  });

  it('--setup --print prints every client config and writes nothing', () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    const r = spawnSync(bin, ['--setup', '--print'], { cwd: work, env, encoding: 'utf8', input: '', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    for (const s of ['.mcp.json', '.vscode/mcp.json', 'mcp_servers.runframe', 'claude_desktop_config.json', '"@runframe-cockpit/mcp-server"']) assert.ok(r.stdout.includes(s), s);
    assert.deepEqual(readdirSync(work), []);
  });
});
