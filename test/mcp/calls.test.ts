/**
 * What a tools/call answers when it is not a plain success: a tool hidden by the settings,
 * unknown or wrongly typed arguments, bad idempotency keys, 404s of each kind, huge input echoed
 * in errors, the JSON text form, and a URL with a password in it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { buildRegistry, callTool } from '../../src/mcp/server';
import { MAX_RESULT_BYTES } from '../../src/mcp/tools';
import { hiddenTools, selectTools } from '../../src/mcp/toolsets';
import { call, clientFor, connectMcp, SERVER_JS, startTestEmulator } from '../helpers';

describe('tools/call: drop-in behaviour and wording', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());
  const run = async (name: string, args: unknown, registry = buildRegistry(selectTools(['read', 'write', 'page']))) => {
    const r = await callTool(registry, clientFor(emu), name, args, new AbortController().signal);
    return { isError: r.isError === true, text: (r.content as { text: string }[])[0].text, json: r.structuredContent as any };
  };

  it('a tool hidden by the tiers answers a tool error naming the setting, and sends nothing', async () => {
    const registry = buildRegistry(selectTools(['read', 'write']), undefined, hiddenTools(['read', 'write']));
    const before = emu.requestCount;
    const r = await run('runframe_escalate_incident', { id: 'INC-2026-030' }, registry);
    assert.equal(r.isError, true);
    assert.match(r.text, /runframe_escalate_incident is hidden: its tier "page" is not among the selected toolsets \(read, write\)\. Add page to --toolsets or RUNFRAME_TOOLSETS \(in VS Code: the runframe\.mcp\.toolsets setting\)/);
    assert.equal(emu.requestCount, before);
  });

  it('runframe_page_someone needs channels: nothing is sent on a default', async () => {
    const before = emu.requestCount;
    const r = await run('runframe_page_someone', { incident_id: 'INC-2026-030', email: 'hana.sato@northwind.example' });
    assert.equal(r.isError, true);
    assert.match(r.text, /channels: is required/);
    assert.equal(emu.requestCount, before);
  });

  it('unknown top-level arguments are ignored and named; wrong types stay errors', async () => {
    const ok = await run('runframe_get_service', { id: emu.store.state.services[0].service_key, verbose: true, extra: 'x' });
    assert.equal(ok.isError, false, ok.text);
    assert.deepEqual(ok.json.ignored_arguments, ['verbose', 'extra']);
    assert.match(ok.text, /^Ignored unknown arguments "verbose", "extra" \(this tool takes: id\)\.\n/);
    const bad = await run('runframe_list_incidents', { limit: 'ten', foo: 1 });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /limit: must be a number, got string/);
  });

  it('wording: "an integer", and no bogus length issue for a string where a list belongs', async () => {
    assert.match((await run('runframe_list_incidents', { limit: 2.5 })).text, /limit: must be an integer/);
    const r = await run('runframe_page_someone', { incident_id: 'INC-2026-030', email: 'a@b.co', channels: 'slack' });
    assert.match(r.text, /channels: must be a list, got string/);
    assert.doesNotMatch(r.text, /characters/);
  });

  it('an idempotency_key no header can carry is an input error naming the field, never a retried network error', async () => {
    for (const key of ['a\r\nb', 'nul\u0000', 'caf\u00e9-\u4e2d']) {
      const before = emu.requestCount;
      const r = await run('runframe_create_incident', { title: 'Header test', service_ids: [emu.store.state.services[0].service_key], idempotency_key: key });
      assert.equal(r.isError, true);
      assert.match(r.text, /^Invalid arguments for runframe_create_incident; nothing was sent to Runframe\.\n- idempotency_key: contains U\+/);
      assert.doesNotMatch(r.text, /reach|retry/i);
      assert.equal(emu.requestCount, before);
    }
    await assert.rejects(clientFor(emu).createIncident({ title: 'x', service_ids: [emu.store.state.services[0].service_key] }, { idempotencyKey: 'a\nb' }), /idempotency_key: contains U\+000A/);
  });

  it('404 hints name what to check for each kind', async () => {
    assert.match((await run('runframe_get_service', { id: 'svc_ZZZZZZZZZZ' })).text, /check the service keys/);
    assert.match((await run('runframe_get_current_oncall', { team_name: 'Nobody' })).text, /check the team name/);
    for (const kind of ['runframe_get_service', 'runframe_get_current_oncall']) {
      assert.doesNotMatch((await run(kind, kind === 'runframe_get_service' ? { id: 'svc_ZZZZZZZZZZ' } : { team_name: 'Nobody' })).text, /INC-2026/);
    }
  });

  it('error texts are capped like results: a 5 MB argument does not come back', async () => {
    const huge = 'x'.repeat(5_000_000);
    const calls: [string, Record<string, unknown>][] = [
      ['runframe_add_incident_event', { id: huge }],
      ['runframe_add_incident_event', { id: 'INC-2026-001', comment: huge }],
      ['runframe_add_incident_event', { [huge]: 1, id: 'nope' }],
      // An unknown field inside an object is still an error, and names the field: capped.
      ['runframe_create_postmortem', { incident_number: 'INC-2026-002', impact: { [huge]: 1 } }],
    ];
    for (const [name, args] of calls) {
      const r = await run(name, args);
      assert.equal(r.isError, true);
      assert.ok(Buffer.byteLength(r.text) <= MAX_RESULT_BYTES, `${name}: ${Buffer.byteLength(r.text)} bytes`);
    }
    // An ignored unknown argument is named, shortened.
    const ok = await run('runframe_list_teams', { [huge]: 1 });
    assert.equal(ok.isError, false);
    assert.ok(Buffer.byteLength(ok.text) <= MAX_RESULT_BYTES, `${Buffer.byteLength(ok.text)} bytes`);
  });

  it('RUNFRAME_TEXT_FORMAT=json: the text is the JSON of the structured result', async () => {
    const mcp = await connectMcp(emu, { RUNFRAME_TEXT_FORMAT: 'json' });
    try {
      for (const [name, args] of [['runframe_list_incidents', { limit: 3, foo: 1 }], ['runframe_get_current_oncall', {}]] as const) {
        const r = await call(mcp, name, args);
        assert.deepEqual(JSON.parse(r.text), r.json, name);
      }
    } finally {
      await mcp.close();
    }
    const bad = spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', RUNFRAME_TEXT_FORMAT: 'yaml' }, encoding: 'utf8', input: '' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /RUNFRAME_TEXT_FORMAT must be compact or json \(got "yaml"\)/);
  });

  it('a URL with user-info is redacted in the start-up line and in tool errors', async () => {
    const mcp = await connectMcp(emu, { RUNFRAME_API_URL: 'http://user:s3cret-pass@127.0.0.1:1' });
    try {
      const r = await call(mcp, 'runframe_list_teams');
      assert.equal(r.isError, true);
      assert.match(r.text, /http:\/\/\*\*\*@127\.0\.0\.1:1/);
      assert.match(mcp.stderr(), /API http:\/\/\*\*\*@127\.0\.0\.1:1/);
      assert.doesNotMatch(r.text + mcp.stderr(), /s3cret-pass/);
    } finally {
      await mcp.close();
    }
    const bad = spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', RUNFRAME_API_URL: 'ftp://u:s3cret-pass@host' }, encoding: 'utf8', input: '' });
    assert.equal(bad.status, 2);
    assert.doesNotMatch(bad.stderr, /s3cret-pass/);
  });
});
