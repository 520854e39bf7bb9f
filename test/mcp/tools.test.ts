import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { REFERENCE_TOOL_NAMES, TOOLS } from '../../src/mcp/tools';
import { call, connectMcp, SERVER_JS, startTestEmulator, type McpSession } from '../helpers';


describe('MCP server over stdio against the emulator', function () {
  let emu: TestEmulator;
  let mcp: McpSession;
  const incident = (n: string) => emu.store.state.incidents.find((i) => i.incident_number === n)!;
  const firstWith = (status: string, severity?: string) => emu.store.state.incidents.find((i) => i.status === status && (!severity || i.severity === severity))!;

  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
  });
  after(async () => {
    await mcp?.close();
    await emu?.close();
  });

  it(`lists every tool of the catalog (${TOOLS.length}), the reference's first in its order, with annotations and no API call`, async () => {
    const before = emu.requestCount;
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOLS.map((t) => t.name));
    assert.deepEqual(tools.slice(0, REFERENCE_TOOL_NAMES.length).map((t) => t.name), [...REFERENCE_TOOL_NAMES], 'every reference tool, in its order');
    for (const t of tools) {
      const def = TOOLS.find((d) => d.name === t.name)!;
      if (def.tier === 'read') assert.deepEqual([t.annotations?.readOnlyHint, t.annotations?.openWorldHint], [true, false], t.name);
    }
    for (const t of TOOLS.filter((d) => d.tier === 'page')) assert.equal(tools.find((x) => x.name === t.name)!.annotations?.destructiveHint, true, t.name);
    assert.equal(emu.requestCount, before, 'tools/list must not touch the API');
  });

  it('runframe_list_incidents: filters and paginates; trimmed rows and a compact text table', async () => {
    const r = await call(mcp, 'runframe_list_incidents', { status: ['new', 'investigating'], severity: ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'], limit: 3 });
    assert.equal(r.isError, false);
    assert.equal(r.json.items.length, 3);
    assert.equal(r.json.has_more, true);
    assert.equal(r.json.next_offset, 3);
    assert.equal(r.json.total, 8);
    assert.ok(r.json.items.every((i: any) => ['new', 'investigating'].includes(i.status)));
    assert.deepEqual(Object.keys(r.json.items[0]).sort(), ['acknowledged_at', 'age', 'assignee', 'created_at', 'escalation_level', 'id', 'number', 'resolved_at', 'resolved_by', 'services', 'severity', 'sla', 'status', 'team', 'title', 'updated_at']);
    const lines = r.text.split('\n');
    assert.match(lines[0], /^3 incidents of 8; more: call again with offset=3$/);
    assert.match(lines[1], /^number\|id\|severity\|status\|title\|/);
    assert.match(lines[2], /^INC-\d{4}-\d{3}\|[0-9a-f-]{36}\|SEV\d\|(new|investigating)\|/);
  });

  it('runframe_get_incident: full incident with timeline', async () => {
    const n = firstWith('resolved').incident_number;
    const r = await call(mcp, 'runframe_get_incident', { id: n.toLowerCase() });
    assert.equal(r.json.number, n);
    const stored = incident(n).timeline!;
    assert.ok(stored.length > 1, 'a resolved incident has several events');
    const expected = stored.map((e) => ({ at: e.created_at, type: e.type, by: e.actor?.name ?? e.actor?.email ?? null, text: e.comment ?? null }));
    assert.deepEqual(r.json.timeline, expected, 'every event, oldest first, with its time, type, author and text');
    assert.equal(r.json.timeline[0].type, 'created');
    assert.equal(r.json.timeline.at(-1).text, 'Status changed to resolved');
    assert.equal(r.json.timeline_total, r.json.timeline.length);
    assert.match(r.text, new RegExp(`^${n} `));
    assert.match(r.text, /timeline \(\d+ of \d+\):\n- 20/);
  });

  it('runframe_create_incident: creates one incident; idempotency_key replays', async () => {
    const svc = emu.store.state.services.find((s) => s.name === 'Search Indexer')!;
    const count = emu.store.state.incidents.length;
    const args = { title: 'Indexer stuck on partition 7', severity: 'SEV2', service_ids: [svc.service_key.toLowerCase()], idempotency_key: 'test-create-1' };
    const r1 = await call(mcp, 'runframe_create_incident', args);
    const r2 = await call(mcp, 'runframe_create_incident', args);
    assert.equal(r1.json.number, r2.json.number);
    assert.equal(emu.store.state.incidents.length, count + 1);
    const created = incident(r1.json.number);
    assert.equal(created.title, 'Indexer stuck on partition 7');
    assert.equal(created.services[0].service_key, svc.service_key);
    const posts = emu.requests.filter((q) => q.method === 'POST' && q.path === '/api/v1/incidents');
    assert.equal(posts.length, 2);
  });

  it('runframe_update_incident: changes severity and assignee', async () => {
    const inc = firstWith('investigating');
    const user = emu.store.state.users.find((u) => u.is_active && u.email !== inc.assigned_to?.email)!;
    const r = await call(mcp, 'runframe_update_incident', { id: inc.incident_number, severity: 'SEV1', assigned_to: user.email.toUpperCase() });
    assert.equal(r.isError, false, r.text);
    assert.equal(incident(inc.incident_number).severity, 'SEV1');
    assert.equal(incident(inc.incident_number).assigned_to?.email, user.email);
  });

  it('runframe_change_incident_status: moves the incident and records the comment', async () => {
    const inc = firstWith('fixing');
    const r = await call(mcp, 'runframe_change_incident_status', { id: inc.incident_number, status: 'monitoring', comment: 'Fix deployed' });
    assert.equal(r.isError, false, r.text);
    assert.equal(incident(inc.incident_number).status, 'monitoring');
    assert.match(incident(inc.incident_number).timeline!.at(-1)!.comment!, /fixing to monitoring: Fix deployed/);
    const bad = await call(mcp, 'runframe_change_incident_status', { id: inc.incident_number, status: 'new' });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /not allowed.*Allowed next: resolved, closed/);
  });

  it('runframe_acknowledge_incident: assigns the key user with an ack event; second time says already acknowledged', async () => {
    const inc = firstWith('new', 'SEV1');
    const r = await call(mcp, 'runframe_acknowledge_incident', { id: inc.incident_number });
    assert.equal(r.isError, false, r.text);
    const state = incident(inc.incident_number);
    assert.equal(state.assigned_to?.email, emu.keys[0].user_email);
    assert.ok(state.acknowledged_at);
    assert.equal(state.timeline!.at(-1)!.type, 'acknowledged');
    const again = await call(mcp, 'runframe_acknowledge_incident', { id: inc.incident_number });
    assert.equal(again.isError, true);
    assert.match(again.text, /already acknowledged.*HTTP 409/);
  });

  it('runframe_add_incident_event: adds a note to the timeline', async () => {
    const inc = firstWith('monitoring');
    const r = await call(mcp, 'runframe_add_incident_event', { id: inc.incident_number, comment: 'Error rate back to baseline' });
    assert.equal(r.isError, false, r.text);
    const last = incident(inc.incident_number).timeline!.at(-1)!;
    assert.deepEqual([last.type, last.comment], ['note', 'Error rate back to baseline']);
    assert.deepEqual(r.json, {
      incident: inc.incident_number,
      added: true,
      entry: { at: last.created_at, type: 'note', by: last.actor?.name, text: 'Error rate back to baseline' },
    }, 'the result shows the event the API stored');
  });

  it('runframe_escalate_incident: moves up one escalation level', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'new' && i.severity === 'SEV3')!;
    const level = inc.escalation_level!;
    const r = await call(mcp, 'runframe_escalate_incident', { id: inc.incident_number });
    assert.equal(r.isError, false, r.text);
    assert.equal(incident(inc.incident_number).escalation_level, level + 1);
    assert.equal(incident(inc.incident_number).timeline!.at(-1)!.type, 'escalated');
  });

  it('runframe_page_someone: records the page for the chosen channels', async () => {
    const inc = firstWith('investigating');
    const user = emu.store.state.users.find((u) => u.is_active && u.team_name === 'Mobile')!;
    const r = await call(mcp, 'runframe_page_someone', { incident_id: inc.incident_number, email: user.email, channels: ['email'], message: 'Can you look at the BFF?' });
    assert.equal(r.isError, false, r.text);
    assert.deepEqual(r.json.channels, ['email']);
    const last = incident(inc.incident_number).timeline!.at(-1)!;
    assert.equal(last.type, 'paged');
    assert.match(last.comment!, new RegExp(`${user.name} via email`));
  });

  it('runframe_get_current_oncall: per-service engineers, one uncovered service, team filter', async () => {
    const all = await call(mcp, 'runframe_get_current_oncall');
    assert.deepEqual(all.json.uncovered.map((s: any) => s.name), ['Legacy Reports']);
    assert.equal(all.json.services_total, all.json.services.length + 1);
    assert.ok(all.json.services.every((s: any) => s.on_call.length > 0 && s.on_call[0].until));
    assert.match(all.text, /NO COVERAGE: Legacy Reports/);
    const team = await call(mcp, 'runframe_get_current_oncall', { team_name: 'Identity' });
    assert.ok(team.json.services.length > 0 && team.json.services.every((s: any) => s.team === 'Identity'));
  });

  it('runframe_list_services and runframe_get_service', async () => {
    const list = await call(mcp, 'runframe_list_services', { search: 'push' });
    assert.equal(list.json.items[0].name, 'Mobile Push');
    const one = await call(mcp, 'runframe_get_service', { id: list.json.items[0].key });
    assert.equal(one.json.team, 'Mobile');
  });

  it('runframe_create_postmortem and runframe_get_postmortem', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'resolved' && !emu.store.state.postmortems.some((p) => p.incident_number === i.incident_number))!;
    const missing = await call(mcp, 'runframe_create_postmortem', { incident_number: inc.incident_number });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /requires: summary, root_cause, resolution/);
    const r = await call(mcp, 'runframe_create_postmortem', {
      incident_number: inc.incident_number, summary: 'What happened', root_cause: 'Why', resolution: 'Fix',
      impact: { duration: '20 minutes', users_affected: '500', services_affected: ['Checkout API'] },
      action_items: [{ text: 'Add alert', owner_email: 'sam.rivera@northwind.example', due_date: '2026-12-01' }],
      response_timeline: { time_to_acknowledge: '2m' },
    });
    assert.equal(r.isError, false, r.text);
    assert.equal(emu.store.state.postmortems.find((p) => p.incident_number === inc.incident_number)?.root_cause, 'Why');
    const got = await call(mcp, 'runframe_get_postmortem', { incident_number: inc.incident_number });
    assert.equal(got.json.action_items[0].status, 'pending');
  });

  it('runframe_list_teams and runframe_get_escalation_policy', async () => {
    const teams = await call(mcp, 'runframe_list_teams', { limit: 2 });
    assert.equal(teams.json.items.length, 2);
    assert.equal(teams.json.has_more, true);
    const policy = await call(mcp, 'runframe_get_escalation_policy', { severity: 'SEV0' });
    assert.equal(policy.json.levels.length, 3);
    assert.equal(policy.json.levels[2].after_minutes, 15);
  });

  it('runframe_find_user: active by default, include_inactive and is_active', async () => {
    const inactiveUsers = emu.store.state.users.filter((u) => !u.is_active);
    assert.equal(inactiveUsers.length, 2, 'the demo data has two inactive users');
    const inactive = inactiveUsers[0];
    const lastName = inactive.name.split(' ')[1];
    const start = emu.requests.length;
    const def = await call(mcp, 'runframe_find_user', { search: lastName });
    assert.deepEqual(def.json.items, [], 'inactive users are left out by default');
    const incl = await call(mcp, 'runframe_find_user', { search: lastName, include_inactive: true });
    assert.deepEqual(incl.json.items, [{ name: inactive.name, email: inactive.email, active: false }]);
    const only = await call(mcp, 'runframe_find_user', { search: 'northwind', is_active: false, limit: 100 });
    const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
    assert.deepEqual(
      [...only.json.items].sort(byEmail),
      inactiveUsers.map((u) => ({ name: u.name, email: u.email, active: false })).sort(byEmail),
      'exactly the inactive users',
    );
    assert.deepEqual(
      emu.requests.slice(start).map((q) => `${q.method} ${q.path} ${q.status}`),
      ['GET /api/v1/users 200', 'GET /api/v1/users 200', 'GET /api/v1/users 200'],
      'one users request per call',
    );
  });

  describe('invalid input answers with a tool error naming the field and sends no request', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['runframe_get_incident', { id: 'INC-42' }, /id: .*INC-<year>-<sequence>/],
      ['runframe_get_incident', {}, /id: is required/],
      ['runframe_create_incident', { title: 'x'.repeat(201), service_ids: ['svc_K7QW2M9XHP'] }, /title: must be at most 200 characters/],
      ['runframe_create_incident', { title: 'ok', service_ids: [] }, /service_ids: needs at least 1 item/],
      ['runframe_create_incident', { title: 'ok', service_ids: Array.from({ length: 51 }, () => 'svc_K7QW2M9XHP') }, /service_ids: takes at most 50 items/],
      ['runframe_create_incident', { title: 'ok', service_ids: ['SER-00001'] }, /service_ids\[0\]: .*legacy/],
      ['runframe_create_incident', { title: 'ok', description: 'd'.repeat(10_001), service_ids: ['svc_K7QW2M9XHP'] }, /description: must be at most 10000/],
      ['runframe_create_incident', { title: 'ok', severity: 'P1', service_ids: ['svc_K7QW2M9XHP'] }, /severity: must be one of "SEV0"/],
      ['runframe_update_incident', { id: 'INC-2026-001' }, /At least one field must be provided/],
      ['runframe_update_incident', { id: 'INC-2026-001', assigned_to: 'not-an-email' }, /assigned_to: .*not an email/],
      ['runframe_change_incident_status', { id: 'INC-2026-001', status: 'resolved', comment: 'c'.repeat(501) }, /comment: must be at most 500/],
      ['runframe_add_incident_event', { id: 'INC-2026-001', message: 'old field name' }, /comment: is required/],
      ['runframe_page_someone', { incident_id: 'INC-2026-001', email: 'x@northwind.example', channels: ['sms'] }, /channels\[0\]: must be one of "slack", "email"/],
      ['runframe_page_someone', { incident_id: 'INC-2026-001', email: 'x@northwind.example', message: 'm'.repeat(501) }, /message: must be at most 500/],
      ['runframe_list_incidents', { limit: 101 }, /limit: must be at most 100/],
      ['runframe_list_incidents', { limit: '20' }, /limit: must be a number, got string/],
      ['runframe_list_incidents', { created_after: 'last week' }, /created_after: must be an ISO 8601/],
      ['runframe_get_service', { id: 'payments' }, /id: .*not a service key/],
      ['runframe_get_escalation_policy', { severity: 'sev1' }, /severity: must be one of/],
      ['runframe_find_user', { search: '' }, /search: must not be empty/],
      ['runframe_create_postmortem', { incident_number: 'INC-2026-001', action_items: [{ text: 'x', status: 'done' }] }, /action_items\[0\]\.status: must be one of/],
    ];
    for (const [name, args, expected] of cases) {
      it(`${name} ${JSON.stringify(args).slice(0, 70)}`, async () => {
        const before = emu.requestCount;
        const r = await call(mcp, name, args);
        assert.equal(r.isError, true);
        assert.match(r.text, /nothing was sent to Runframe/);
        assert.match(r.text, expected);
        assert.equal(emu.requestCount, before, 'no HTTP request for invalid input');
      });
    }
  });

  it('an unknown tool is a protocol error', async () => {
    await assert.rejects(mcp.client.callTool({ name: 'runframe_delete_everything', arguments: {} }), /Unknown tool/);
  });

  it('API failures become tool errors with the hint and request id', async () => {
    emu.faults.add({ type: 'status', status: 404, path: '/teams' });
    const r = await call(mcp, 'runframe_list_teams');
    assert.equal(r.isError, true);
    assert.match(r.text, /runframe_list_teams failed: .*HTTP 404.*request id req_.*check the identifier/);
  });

  it('logs go to stderr and never contain the key', () => {
    assert.match(mcp.stderr(), /ready on stdio, 17 tools \(read, write, page\)/);
    assert.ok(!mcp.stderr().includes(emu.keys[0].key));
  });
});

describe('MCP server start-up', () => {
  it('answers initialize and tools/list with an unreachable API (no network at start)', async () => {
    const fakeEmu = { url: 'http://127.0.0.1:1', keys: [{ key: 'rf_unreachable_key', scopes: [], user_email: '' }] } as unknown as TestEmulator;
    const mcp = await connectMcp(fakeEmu);
    const { tools } = await mcp.client.listTools();
    assert.equal(tools.length, 17, 'default tiers: read, write and page, as the reference');
    const r = await call(mcp, 'runframe_list_teams');
    assert.equal(r.isError, true);
    assert.match(r.text, /Could not reach the Runframe API at http:\/\/127.0.0.1:1/);
    await mcp.close();
  });

  it('when its input ends, answers every request still in flight (tools, resources, prompts), then exits 0', async () => {
    const emu = await startTestEmulator();
    try {
      // Slow answers, so all three are still in flight when stdin closes.
      for (const path of ['/incidents', '/on-call/current', '/escalation-policies']) emu.faults.add({ type: 'delay', ms: 400, path, times: 10 });
      const incident = emu.store.state.incidents.find((i) => i.status === 'new')!.incident_number;
      const proc = spawn(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: emu.keys[0].key, RUNFRAME_API_URL: emu.url }, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      proc.stdout.on('data', (d) => (out += d));
      const send = (m: object) => proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
      send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/call', params: { name: 'runframe_list_incidents', arguments: { limit: 2 } } });
      send({ id: 3, method: 'resources/read', params: { uri: 'runframe://incidents/open' } });
      send({ id: 4, method: 'prompts/get', params: { name: 'triage_incident', arguments: { incident_number: incident } } });
      proc.stdin.end();
      const [code] = (await once(proc, 'exit')) as [number];
      const answers = out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result?: unknown; error?: unknown });
      assert.deepEqual(answers.map((a) => a.id).sort(), [1, 2, 3, 4], out.slice(0, 500));
      assert.ok(answers.every((a) => a.result && !a.error), 'each answered with a result');
      assert.equal(code, 0);
    } finally {
      await emu.close();
    }
  });

  it('exits non-zero with a fix when the key is missing or malformed, without echoing it', () => {
    const missing = spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH }, encoding: 'utf8', input: '' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /RUNFRAME_API_KEY: No Runframe API key is set/);
    assert.equal(missing.stdout, '', 'stdout stays clean');
    const bad = spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'sk_live_secret' }, encoding: 'utf8', input: '' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /keys start with rf_/);
    assert.ok(!bad.stderr.includes('sk_live_secret'));
    const badUrl = spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', RUNFRAME_API_URL: 'runframe' }, encoding: 'utf8', input: '' });
    assert.equal(badUrl.status, 2);
    assert.match(badUrl.stderr, /RUNFRAME_API_URL: "runframe" is not a URL/);
  });

  it('--help and --version', () => {
    const help = spawnSync(process.execPath, [SERVER_JS, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /RUNFRAME_API_KEY/);
    assert.match(help.stdout, /runframe_find_user/);
    const version = spawnSync(process.execPath, [SERVER_JS, '--version'], { encoding: 'utf8' });
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const unknown = spawnSync(process.execPath, [SERVER_JS, '--bogus'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--help/);
  });
});
