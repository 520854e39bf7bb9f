import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { CLIENT_KINDS, configPath, ConfigFileError, mergeClaudeSettings, mergeConfig, type Dirs } from '../../src/mcp/setup/clients';
import { runSetup, type SetupOptions } from '../../src/mcp/setup/wizard';
import { SERVER_JS } from '../helpers';

const entry = { name: 'runframe', launch: { command: 'npx', args: ['-y', '@runframe-cockpit/mcp-server'] }, apiUrl: 'https://runframe.io', toolsets: 'read,write,page' };

describe('--setup: client configs', () => {
  it('merges our server into each client file and keeps the other servers', () => {
    const other = { command: 'other-server', args: ['--x'] };
    const json = (table: string) => JSON.stringify({ [table]: { other }, theme: 'dark' });
    const cc = JSON.parse(mergeConfig('claude-code', json('mcpServers'), entry));
    assert.deepEqual(cc.mcpServers.other, other);
    assert.equal(cc.theme, 'dark');
    assert.equal(cc.mcpServers.runframe.env.RUNFRAME_API_KEY, '${RUNFRAME_API_KEY}');
    assert.deepEqual(cc.mcpServers.runframe.args, ['-y', '@runframe-cockpit/mcp-server']);
    assert.equal(JSON.parse(mergeConfig('cursor', json('mcpServers'), entry)).mcpServers.runframe.env.RUNFRAME_API_KEY, '${env:RUNFRAME_API_KEY}');
    const vs = JSON.parse(mergeConfig('vscode', JSON.stringify({ servers: { other }, inputs: [{ id: 'x', type: 'promptString' }, { id: 'runframe-api-key', type: 'old' }] }), entry));
    assert.deepEqual(vs.servers.other, other);
    assert.equal(vs.servers.runframe.env.RUNFRAME_API_KEY, '${input:runframe-api-key}');
    assert.deepEqual(vs.inputs.map((i: { id: string }) => i.id), ['x', 'runframe-api-key'], 'our input replaced, the other kept');
    assert.equal(vs.inputs[1].password, true);
    const desk = JSON.parse(mergeConfig('claude-desktop', json('mcpServers'), { ...entry, literalKey: 'rf_literal_key_1' }));
    assert.equal(desk.mcpServers.runframe.env.RUNFRAME_API_KEY, 'rf_literal_key_1', 'Claude Desktop cannot reference the environment');
    const codex = parseToml(mergeConfig('codex', '# mine\n[mcp_servers.other]\ncommand = "other-server"\n\n[model]\nname = "x"\n', entry)) as any;
    assert.equal(codex.mcp_servers.other.command, 'other-server');
    assert.equal(codex.model.name, 'x');
    assert.deepEqual(codex.mcp_servers.runframe.env_vars, ['RUNFRAME_API_KEY']);
    assert.equal(codex.mcp_servers.runframe.env.RUNFRAME_API_KEY, undefined, 'Codex forwards the key from the environment');
    for (const k of CLIENT_KINDS.filter((c) => c !== 'claude-desktop')) assert.doesNotMatch(mergeConfig(k, undefined, entry), /rf_/, k);
  });

  it('refuses a file it cannot parse instead of replacing it', () => {
    assert.throws(() => mergeConfig('cursor', '{ "mcpServers": {', entry), ConfigFileError);
    assert.throws(() => mergeConfig('codex', '[[[', entry), ConfigFileError);
    assert.throws(() => mergeConfig('vscode', '[1]', entry), /top level is not an object/);
  });

  it('.claude/settings.json allows exactly the read tools, keeping other permissions', () => {
    const merged = JSON.parse(mergeClaudeSettings(JSON.stringify({ permissions: { allow: ['Bash(ls)'], deny: ['x'] }, model: 'm' }), 'runframe', ['runframe_list_incidents', 'runframe_find_user']));
    assert.deepEqual(merged.permissions.allow, ['Bash(ls)', 'mcp__runframe__runframe_list_incidents', 'mcp__runframe__runframe_find_user']);
    assert.deepEqual(merged.permissions.deny, ['x']);
    assert.equal(merged.model, 'm');
  });

  it('config paths per client and platform', () => {
    const d: Dirs = { cwd: '/p', home: '/h', platform: 'linux' };
    assert.equal(configPath('claude-code', d), '/p/.mcp.json');
    assert.equal(configPath('vscode', d), '/p/.vscode/mcp.json');
    assert.equal(configPath('cursor', d), '/h/.cursor/mcp.json');
    assert.equal(configPath('codex', { ...d, codexHome: '/c' }), '/c/config.toml');
    assert.equal(configPath('claude-desktop', { ...d, platform: 'darwin' }), '/h/Library/Application Support/Claude/claude_desktop_config.json');
  });
});

describe('--setup: the wizard without a terminal', () => {
  let dir: string;
  let out: string;
  let err: string;
  const opts = (o: Partial<SetupOptions>): SetupOptions => ({
    print: false, yes: false, interactive: false, dirs: { cwd: join(dir, 'project'), home: join(dir, 'home'), platform: 'linux' },
    out: (t) => (out += t), err: (t) => (err += t), ...o,
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-setup-'));
    mkdirSync(join(dir, 'project'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--client --yes writes every chosen file, keeps the old one as .bak and the other servers', async () => {
    const mcp = join(dir, 'project', '.mcp.json');
    const old = JSON.stringify({ mcpServers: { other: { command: 'x' } } });
    writeFileSync(mcp, old);
    const code = await runSetup(opts({ yes: true, clients: ['claude-code', 'codex', 'claude-desktop'], apiKey: 'rf_not_checked_1' , apiUrl: 'http://127.0.0.1:1' }));
    assert.equal(code, 0, err);
    assert.equal(readFileSync(mcp + '.bak', 'utf8'), old);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(mcp, 'utf8')).mcpServers), ['other', 'runframe']);
    assert.ok(JSON.parse(readFileSync(join(dir, 'project', '.claude', 'settings.json'), 'utf8')).permissions.allow.every((r: string) => /^mcp__runframe__runframe_(list|get|find)_/.test(r)));
    assert.ok(existsSync(join(dir, 'home', '.codex', 'config.toml')));
    const desktop = readFileSync(join(dir, 'home', '.config', 'Claude', 'claude_desktop_config.json'), 'utf8');
    assert.match(desktop, /rf_not_checked_1/);
    assert.match(err, /Could not check the key/);
    assert.doesNotMatch(err + out, /rf_not_checked_1/, 'the key is never printed');
  });

  it('--print writes nothing and never prints the key', async () => {
    const code = await runSetup(opts({ print: true, apiKey: 'rf_secret_key_9' }));
    assert.equal(code, 0);
    for (const k of ['.mcp.json', '"servers"', 'mcp_servers.runframe', 'rf_REPLACE_WITH_YOUR_KEY']) assert.ok(out.includes(k), k);
    assert.doesNotMatch(out + err, /rf_secret_key_9/);
    assert.ok(!existsSync(join(dir, 'project', '.mcp.json')) && !existsSync(join(dir, 'home')));
  });

  it('a file it cannot parse is left as it is, and the exit code says so', async () => {
    const cursor = join(dir, 'home', '.cursor', 'mcp.json');
    mkdirSync(join(dir, 'home', '.cursor'), { recursive: true });
    writeFileSync(cursor, '{ broken');
    assert.equal(await runSetup(opts({ yes: true, clients: ['cursor'] })), 1);
    assert.equal(readFileSync(cursor, 'utf8'), '{ broken');
    assert.match(err, /left .*mcp\.json as it is: it is not valid JSON/);
  });

  it('the CLI: no terminal and no --print/--yes gives a clear message and exit 2 at once; bad client names too', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [SERVER_JS, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: join(dir, 'home') }, encoding: 'utf8', input: '', timeout: 20_000 });
    const a = run(['--setup']);
    assert.equal(a.status, 2, a.stderr);
    assert.match(a.stderr, /stdin is not a terminal.*\n.*--setup --print/);
    const b = run(['--setup', '--client', 'emacs', '--yes']);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /unknown client "emacs"; use a comma-separated list of claude-code, cursor, vscode, claude-desktop, codex/);
    assert.equal(run(['--setup', '--yes']).status, 2);
    assert.match(run(['--print']).stderr, /go with --setup/);
  });
});
