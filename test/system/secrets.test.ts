/**
 * The API key must appear in nothing the server or client produces: stderr (audit lines and
 * logs), tool results and errors, resources, prompts, HTTP answers, error objects, or a
 * serialised client, or the lines the extension's output channel gets for each request (its
 * profile as a whole is scanned by the end-to-end suite).
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { RunframeApiError, RunframeClient } from '../../src/api';
import { SCOPES } from '../../src/api/types';
import { DEMO_USER_EMAIL } from '../../src/emulator/seed';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { TOOLS } from '../../src/mcp/tools';
import { describeError, logRequests, summarizeError } from '../../src/extension/errorMessages';
import { connectMcp, startTestEmulator, validToolArgs } from '../helpers';

const KEY = 'rf_secret_scan_key_6f1d2c9a8b7e4d30';
const WRONG = 'rf_wrong_secret_key_a1b2c3d4e5f60718';

describe('secret hygiene: the key appears in nothing produced', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  const produced: string[] = [];
  before(async () => {
    emu = await startTestEmulator({ apiKeys: [{ key: KEY, scopes: [...SCOPES], user_email: DEMO_USER_EMAIL }] });
  });
  after(() => emu.close());

  it('MCP over stdio: every tool, invalid input, API errors, faults, resources, prompts, stderr', async () => {
    const mcp = await connectMcp(emu, { RUNFRAME_API_KEY: KEY, RUNFRAME_TOOLSETS: 'all' });
    const valid = validToolArgs(emu);
    for (const tool of TOOLS) {
      for (const args of [valid[tool.name], { ...valid[tool.name], bogus: 1 }, {}]) {
        produced.push(JSON.stringify(await mcp.client.callTool({ name: tool.name, arguments: args })));
      }
    }
    for (const status of [401, 403, 429, 500, 503] as const) {
      emu.faults.add({ type: 'status', status, path: '/teams', times: 5 });
      produced.push(JSON.stringify(await mcp.client.callTool({ name: 'runframe_list_teams', arguments: {} })));
      emu.faults.clear();
    }
    for (const type of ['malformed_json', 'empty_body', 'reset'] as const) {
      emu.faults.add({ type, path: '/teams', times: 5 });
      produced.push(JSON.stringify(await mcp.client.callTool({ name: 'runframe_list_teams', arguments: {} })));
      emu.faults.clear();
    }
    for (const uri of ['runframe://incidents/open', 'runframe://oncall/current', 'runframe://incidents/INC-2026-030']) produced.push(JSON.stringify(await mcp.client.readResource({ uri })));
    produced.push(JSON.stringify(await mcp.client.getPrompt({ name: 'triage_incident', arguments: { incident_number: 'INC-2026-040' } })));
    await mcp.close();
    produced.push(mcp.stderr());
    // A server whose key the API rejects.
    const wrong = await connectMcp(emu, { RUNFRAME_API_KEY: WRONG });
    produced.push(JSON.stringify(await wrong.client.callTool({ name: 'runframe_list_teams', arguments: {} })));
    await wrong.close();
    produced.push(wrong.stderr());
    for (const text of produced) {
      assert.ok(!text.includes(KEY), `the key leaked into: ${text.slice(0, 200)}`);
      assert.ok(!text.includes(WRONG), `the rejected key leaked into: ${text.slice(0, 200)}`);
    }
  });

  it('client errors, inspection and serialisation never show the key', async () => {
    const client = new RunframeClient({ apiKey: WRONG, baseUrl: emu.url });
    const err = await client.listTeams().catch((e: unknown) => e);
    assert.ok(err instanceof RunframeApiError);
    for (const text of [err.message, err.stack ?? '', inspect(err, { depth: 5 }), JSON.stringify(err), inspect(client, { depth: 5 }), JSON.stringify(client), String(client)]) {
      assert.ok(!text.includes(WRONG), text.slice(0, 200));
    }
  });

  it("the extension's log: one line per request (method, path, status, ms, request id) and each failure's reason, never the key", async () => {
    const lines: string[] = [];
    const log = { info: (l: string) => lines.push(`info ${l}`), warn: (l: string) => lines.push(`warn ${l}`) };
    const good = new RunframeClient({ apiKey: KEY, baseUrl: emu.url, onRequest: logRequests(log), retry: false });
    const wrong = new RunframeClient({ apiKey: WRONG, baseUrl: emu.url, onRequest: logRequests(log), retry: false });
    await good.verifyKey();
    await good.listTeams();
    // What the extension logs when a key check or an action fails (apiKeyPrompt.ts, runAction).
    for (const attempt of [() => wrong.verifyKey(), () => wrong.listTeams()]) {
      const err = await attempt().catch((e: unknown) => e);
      lines.push(`warn the key was not saved: ${describeError(err)}`, summarizeError(err).sentence);
    }
    emu.faults.add({ type: 'status', status: 500, path: '/teams', times: 1 });
    await good.listTeams().catch((err: unknown) => lines.push(`warn ${describeError(err)}`));
    emu.faults.clear();
    assert.match(lines[0], /^info GET \/auth\/verify 200 \d+ ms request id \S+$/);
    assert.ok(lines.some((l) => /^warn GET \/auth\/verify 401 \S+ \d+ ms request id \S+$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^warn GET \/teams 500 /.test(l)), lines.join('\n'));
    for (const line of lines) {
      assert.ok(!line.includes(KEY) && !line.includes(WRONG), `a key in the log: ${line}`);
      assert.ok(!line.includes(KEY.slice(3, 20)) && !line.includes(WRONG.slice(3, 20)), `part of a key in the log: ${line}`);
    }
  });
});
