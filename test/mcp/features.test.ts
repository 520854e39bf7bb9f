import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CallToolResultSchema, type McpError } from '@modelcontextprotocol/sdk/types.js';
import { POSTMORTEM_TEXT_FIELDS } from '../../src/domain/contract';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { buildRegistry, callTool } from '../../src/mcp/server';
import { MAX_RESULT_BYTES, MAX_STRUCTURED_BYTES, TOOLS } from '../../src/mcp/tools';
import { call, clientFor, connectMcp, SERVER_JS, startTestEmulator, type McpSession } from '../helpers';

const inTier = (tier: string) => TOOLS.filter((t) => t.tier === tier).map((t) => t.name);
const READ_TOOLS = inTier('read');
const WRITE_TOOLS = inTier('write');
const PAGE_TOOLS = inTier('page');

describe('MCP access tiers', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  const names = async (env: Record<string, string>, args: string[] = []) => {
    const mcp = await connectMcp(emu, env, args);
    try {
      const tools = (await mcp.client.listTools()).tools.map((t) => t.name).sort();
      return { tools, caps: mcp.client.getServerCapabilities(), mcp };
    } finally {
      await mcp.close();
    }
  };

  it('default is every tier, as the reference: read, write and page', async () => {
    const { tools, caps } = await names({});
    assert.deepEqual(tools, [...READ_TOOLS, ...WRITE_TOOLS, ...PAGE_TOOLS].sort());
    assert.ok(caps?.resources && caps.prompts);
  });

  it('read only: no write tools, resources and prompts offered', async () => {
    assert.deepEqual((await names({ RUNFRAME_TOOLSETS: 'read' })).tools, [...READ_TOOLS].sort());
  });

  it('write only: no resources or prompts; page opt-in; --toolsets wins over the variable', async () => {
    const w = await names({ RUNFRAME_TOOLSETS: 'write' });
    assert.deepEqual(w.tools, [...WRITE_TOOLS].sort());
    assert.equal(w.caps?.resources, undefined);
    assert.deepEqual((await names({ RUNFRAME_TOOLSETS: 'read' }, ['--toolsets', 'page'])).tools, [...PAGE_TOOLS].sort());
  });

  it('RUNFRAME_DISABLED_TOOLS hides single tools; calling one is a tool error naming the setting', async () => {
    const mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all', RUNFRAME_DISABLED_TOOLS: 'runframe_page_someone, runframe_create_incident' });
    const tools = (await mcp.client.listTools()).tools.map((t) => t.name);
    assert.equal(tools.length, 15);
    assert.ok(!tools.includes('runframe_page_someone') && tools.includes('runframe_escalate_incident'));
    const before = emu.requestCount;
    const hidden = (await mcp.client.callTool({ name: 'runframe_page_someone', arguments: { incident_id: 'INC-2026-001', email: 'a@b.co', channels: ['email'] } })) as { isError?: boolean; content: { text: string }[] };
    assert.equal(hidden.isError, true);
    assert.match(hidden.content[0].text, /runframe_page_someone is switched off by RUNFRAME_DISABLED_TOOLS/);
    await assert.rejects(mcp.client.callTool({ name: 'runframe_no_such_tool', arguments: {} }), /Unknown tool "runframe_no_such_tool"/);
    assert.equal(emu.requestCount, before);
    await mcp.close();
  });

  it('unknown toolsets or tool names stop start-up with a clear message', () => {
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', ...env }, encoding: 'utf8', input: '' });
    const a = run({ RUNFRAME_TOOLSETS: 'read,admin' });
    assert.equal(a.status, 2);
    assert.match(a.stderr, /RUNFRAME_TOOLSETS: unknown toolset "admin"; use a comma-separated list of read, write, page/);
    const b = run({ RUNFRAME_DISABLED_TOOLS: 'runframe_delete' });
    assert.equal(b.status, 2);
    assert.match(b.stderr, /unknown tool "runframe_delete"/);
  });
});

describe('MCP resources and prompts from emulator data', () => {
  let emu: TestEmulator;
  let mcp: McpSession;
  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu);
  });
  after(async () => {
    await mcp.close();
    await emu.close();
  });
  const text = (r: { contents: unknown[] }) => (r.contents[0] as { text: string }).text;

  it('lists the two resources, the incident card (MCP App) and the incident template', async () => {
    const { resources } = await mcp.client.listResources();
    assert.deepEqual(resources.map((r) => r.uri).sort(), ['runframe://incidents/open', 'runframe://oncall/current', 'ui://runframe/incident-card.html']);
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    assert.equal(resourceTemplates[0].uriTemplate, 'runframe://incidents/{incident_number}');
  });

  it('runframe://incidents/open: every open incident as a Markdown table, most severe first', async () => {
    const md = text(await mcp.client.readResource({ uri: 'runframe://incidents/open' }));
    const rows = md.split('\n').filter((l) => /^\| INC-/.test(l));
    assert.equal(rows.length, 12);
    assert.match(rows[0], /\| SEV0 \|/);
    assert.match(md, /\*\*unacknowledged\*\*/);
  });

  it('runframe://oncall/current names engineers and the uncovered service', async () => {
    const md = text(await mcp.client.readResource({ uri: 'runframe://oncall/current' }));
    assert.match(md, /\*\*No coverage:\*\* Legacy Reports/);
    assert.match(md, /## Payments\n\n- \*\*Billing Webhooks\*\* \(`svc_[A-Z0-9]{10}`\): [A-Z][a-z]+ [A-Z][a-z]+ \(primary\) until 20\d\d-/);
  });

  it('runframe://incidents/{number}: the incident with its timeline; bad or unknown numbers are errors', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'resolved')!;
    const md = text(await mcp.client.readResource({ uri: `runframe://incidents/${inc.incident_number}` }));
    assert.match(md, new RegExp(`^# ${inc.incident_number}: `));
    assert.equal(md.split('\n').filter((l) => /^- 20\d\d-.* \*\*[a-z_]+\*\*/.test(l)).length, inc.timeline!.length);
    await assert.rejects(mcp.client.readResource({ uri: 'runframe://incidents/INC-2026-999' }), /not found/i);
    await assert.rejects(mcp.client.readResource({ uri: 'runframe://incidents/nope' }), /INC-<year>-<sequence>/);
    await assert.rejects(mcp.client.readResource({ uri: 'runframe://teams' }), /Unknown resource/);
  });

  it('lists the three prompts with their arguments', async () => {
    const { prompts } = await mcp.client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name), ['triage_incident', 'handoff_summary', 'draft_postmortem']);
    assert.equal(prompts[0].arguments?.[0].required, true);
  });

  it('triage_incident: incident, on-call for its services and the escalation policy', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'new' && i.severity === 'SEV0')!;
    const r = await mcp.client.getPrompt({ name: 'triage_incident', arguments: { incident_number: inc.incident_number.toLowerCase() } });
    const t = (r.messages[0].content as { text: string }).text;
    assert.match(t, new RegExp(`Triage incident ${inc.incident_number}`));
    assert.match(t, /it is NOT: acknowledging is the first step/);
    assert.match(t, new RegExp(inc.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(t, /## On call for the affected services[\s\S]*\(primary\) until/);
    assert.match(t, /## Escalation policy for SEV0\n\n- Level 1 \(after 0 min\)/);
    await assert.rejects(mcp.client.getPrompt({ name: 'triage_incident', arguments: { incident_number: 'x' } }), /incident_number/);
  });

  it('handoff_summary: open incidents and coverage, optionally for one team', async () => {
    const all = (await mcp.client.getPrompt({ name: 'handoff_summary', arguments: {} })).messages[0].content as { text: string };
    assert.match(all.text, /## Open incidents \(12\)/);
    const team = (await mcp.client.getPrompt({ name: 'handoff_summary', arguments: { team_name: 'Data' } })).messages[0].content as { text: string };
    const dataOpen = emu.store.state.incidents.filter((i) => i.team_name === 'Data' && ['new', 'investigating', 'fixing', 'monitoring'].includes(i.status!)).length;
    assert.match(team.text, new RegExp(`for the Data team[\\s\\S]*## Open incidents \\(${dataOpen}\\)`));
    assert.match(team.text, /No coverage:\*\* Legacy Reports/);
  });

  it('draft_postmortem: the timeline and the fields create_postmortem accepts', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'resolved')!;
    const t = ((await mcp.client.getPrompt({ name: 'draft_postmortem', arguments: { incident_number: inc.incident_number } })).messages[0].content as { text: string }).text;
    // Every field of the contract is named, with the parts of the structured ones.
    const fields = /runframe_create_postmortem: (incident_number, [^\n]*)\./.exec(t)?.[1] ?? '';
    for (const f of [...POSTMORTEM_TEXT_FIELDS, 'impact {duration, users_affected, services_affected, revenue_impact}', 'timeline [{timestamp, description}]', 'action_items [{text, owner_email, due_date, status}]', 'response_timeline {time_to_acknowledge, time_to_identify, time_to_resolve}']) {
      assert.ok(fields.split(/, (?![^{]*\})/).includes(f), `${f} in "${fields}"`);
    }
    assert.match(t, /## Timeline/);
    const open = emu.store.state.incidents.find((i) => i.status === 'fixing')!;
    const t2 = ((await mcp.client.getPrompt({ name: 'draft_postmortem', arguments: { incident_number: open.incident_number } })).messages[0].content as { text: string }).text;
    assert.match(t2, /is still fixing; Runframe accepts a postmortem only once it is resolved/);
  });

  it('completions: incident numbers for the prompts and the incident template, team names for handoff_summary', async () => {
    assert.ok(mcp.client.getServerCapabilities()?.completions, 'completions declared');
    const number = emu.store.state.incidents[0].incident_number;
    const typed = number.slice(0, -1).toLowerCase();
    const forPrompt = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'triage_incident' }, argument: { name: 'incident_number', value: typed } });
    assert.ok(forPrompt.completion.values.includes(number), JSON.stringify(forPrompt));
    assert.ok(forPrompt.completion.values.every((v) => v.toLowerCase().startsWith(typed)));
    const forResource = await mcp.client.complete({ ref: { type: 'ref/resource', uri: 'runframe://incidents/{incident_number}' }, argument: { name: 'incident_number', value: number } });
    assert.deepEqual(forResource.completion.values, [number]);
    const team = emu.store.state.teams[0].name;
    const teams = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'handoff_summary' }, argument: { name: 'team_name', value: team.slice(0, 2) } });
    assert.ok(teams.completion.values.includes(team));
    const none = await mcp.client.complete({ ref: { type: 'ref/prompt', name: 'handoff_summary' }, argument: { name: 'nothing', value: '' } });
    assert.deepEqual(none.completion.values, []);
  });
});

describe('MCP results: structured, compact, bounded', () => {
  let emu: TestEmulator;
  let mcp: McpSession;
  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
    await mcp.client.listTools(); // the SDK client then checks every structuredContent against its outputSchema
  });
  after(async () => {
    await mcp.close();
    await emu.close();
  });

  it('every tool declares an outputSchema: its top-level fields and their JSON types', async () => {
    const { tools } = await mcp.client.listTools();
    const t = (type: string, nullable = false) => ({ type: nullable ? [type, 'null'] : type });
    const list = { items: t('array'), total: t('number', true), has_more: t('boolean'), next_offset: t('number', true), note: t('string') };
    const incident = {
      id: t('string', true), number: t('string'), title: t('string'), description: t('string', true), severity: t('string', true), status: t('string', true),
      created_at: t('string', true), updated_at: t('string', true), acknowledged_at: t('string', true), resolved_at: t('string', true), assignee: t('object', true),
      resolved_by: t('object', true), team: t('string', true), services: t('array'), escalation_level: t('number', true), sla: t('object', true), participants: t('array'),
      timeline: t('array'), timeline_total: t('number'), note: t('string'),
    };
    const expected: Record<string, Record<string, unknown>> = {
      runframe_list_incidents: list, runframe_list_services: list, runframe_list_teams: list, runframe_find_user: list,
      runframe_get_incident: incident, runframe_create_incident: incident, runframe_update_incident: incident,
      runframe_change_incident_status: incident, runframe_acknowledge_incident: incident, runframe_escalate_incident: incident,
      runframe_add_incident_event: { incident: t('string'), added: t('boolean'), entry: t('object', true), note: t('string') },
      runframe_page_someone: { paged: t('boolean'), incident: t('string', true), email: t('string', true), channels: t('array'), urgency: t('string', true) },
      runframe_get_current_oncall: { at: t('string', true), services_total: t('number'), coverage_percent: t('number', true), uncovered: t('array'), services: t('array'), note: t('string') },
      runframe_get_service: { key: t('string'), name: t('string'), team: t('string', true), description: t('string', true) },
      runframe_create_postmortem: { incident_number: t('string') },
      runframe_get_postmortem: { incident_number: t('string') },
      runframe_get_escalation_policy: { severity: t('string', true), levels: t('array') },
    };
    assert.deepEqual(tools.map((x) => x.name).sort(), Object.keys(expected).sort());
    for (const tool of tools) assert.deepEqual(tool.outputSchema, { type: 'object', properties: expected[tool.name] }, tool.name);
  });

  it('a 20-incident list text carries every fact an agent acts on, in at most 0.35x the reference server\'s text', async () => {
    const r = await call(mcp, 'runframe_list_incidents', { limit: 20 });
    const raw = await fetch(`${emu.url}/api/v1/incidents?limit=20&offset=0`, { headers: { authorization: `Bearer ${emu.keys[0].key}` } });
    // The reference's text for a tool result: the API payload as JSON.stringify(data, null, 2) (docs/runframe-api.md part C).
    const reference = Buffer.byteLength(JSON.stringify(((await raw.json()) as { data: unknown }).data, null, 2));
    const text = Buffer.byteLength(r.text);
    assert.ok(text <= 0.35 * reference, `${text} bytes of text vs ${reference} for the reference (${(text / reference).toFixed(3)}x)`);
    assert.equal(r.json.items.length, 20);
    const lines = r.text.split('\n').slice(2);
    assert.equal(lines.length, 20);
    const time = (iso: string | null | undefined) => new Date(iso!).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let facts = 0;
    for (const [n, item] of r.json.items.entries()) {
      const src = emu.store.state.incidents.find((i) => i.incident_number === item.number)!;
      const line = lines[n];
      const cells = line.split('|');
      const expect = (fact: string, cell: number, what: string) => {
        assert.ok(cells[cell].includes(fact), `${src.incident_number} ${what}: "${fact}" is not in column ${cell} of: ${line}`);
        facts++;
      };
      expect(src.incident_number, 0, 'number');
      expect(src.id!, 1, 'id');
      expect(src.severity!, 2, 'severity');
      expect(src.status!, 3, 'status');
      expect(src.title, 4, 'title');
      expect(src.team_name!, 5, 'team');
      for (const s of src.services) expect(s.service_key, 6, 'service key');
      expect(src.assigned_to?.email ?? 'unassigned', 7, 'assignee email');
      expect(String(src.escalation_level), 8, 'escalation level');
      expect(time(src.created_at), 9, 'created');
      expect(time(src.updated_at), 10, 'updated');
      expect(src.acknowledged_at ? time(src.acknowledged_at) : 'UNACKNOWLEDGED', 11, 'acknowledged');
      if (src.resolved_at) expect(time(src.resolved_at), 12, 'resolved');
      if (src.resolved_by?.email) expect(src.resolved_by.email, 12, 'resolver email');
      expect(time(src.sla!.acknowledge_due_at), 13, 'SLA acknowledge due');
      expect(time(src.sla!.resolve_due_at), 14, 'SLA resolve due');
      // The structured result carries the same facts, unshortened.
      assert.equal(item.id, src.id);
      assert.equal(item.updated_at, src.updated_at);
      assert.deepEqual(item.sla, src.sla);
      assert.deepEqual(item.services.map((s: { key: string }) => s.key), src.services.map((s) => s.service_key));
    }
    assert.ok(facts >= 20 * 14, `${facts} facts checked`);
    assert.ok(r.json.items.some((i: { resolved_by: unknown }) => i.resolved_by) || emu.store.state.incidents.slice(-20).every((i) => !i.resolved_by), 'resolvers are carried when there are some');
  });

  it('on-call text carries coverage %, schedule names, shift start and end, engineer emails and Slack ids', async () => {
    const r = await call(mcp, 'runframe_get_current_oncall');
    const raw = (await (await fetch(`${emu.url}/api/v1/on-call/current`, { headers: { authorization: `Bearer ${emu.keys[0].key}` } })).json()) as { data: any };
    const time = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.ok(r.text.includes(`(${raw.data.summary.coverage_percentage}%)`), r.text.split('\n')[0]);
    for (const s of raw.data.services.filter((x: any) => x.has_coverage)) {
      const line = r.text.split('\n').find((l) => l.startsWith(`${s.service_name} (${s.service_key},`))!;
      assert.ok(line, s.service_name);
      for (const name of s.schedule_names) assert.ok(line.includes(name), `${s.service_name}: schedule ${name}`);
      for (const e of s.on_call_engineers) {
        for (const fact of [e.email, e.slack_user_id, time(e.shift_starts_at), time(e.shift_ends_at), e.role]) assert.ok(line.includes(fact), `${s.service_name} ${e.name}: ${fact} in ${line}`);
      }
    }
  });

  it('no result exceeds 8 KB: long lists are cut at an item boundary with how to continue', async () => {
    const template = emu.store.state.incidents[0];
    for (let n = 0; n < 150; n++) emu.store.state.incidents.push({ ...template, id: `x${n}`, incident_number: `INC-2025-${String(n + 1).padStart(3, '0')}`, title: `Synthetic incident number ${n} with a reasonably long title for size` });
    const r = await call(mcp, 'runframe_list_incidents', { limit: 100 });
    assert.ok(Buffer.byteLength(r.text) <= MAX_RESULT_BYTES, `${Buffer.byteLength(r.text)} bytes of text`);
    assert.ok(Buffer.byteLength(JSON.stringify(r.json)) <= MAX_STRUCTURED_BYTES, `${Buffer.byteLength(JSON.stringify(r.json))} bytes of structured JSON`);
    const k = r.json.items.length;
    assert.ok(k > 10 && k < 100, `${k} items`);
    assert.equal(r.json.has_more, true);
    assert.equal(r.json.next_offset, k);
    assert.match(r.json.note, new RegExp(`continue with offset=${k}`));
    const next = await call(mcp, 'runframe_list_incidents', { limit: 100, offset: k });
    assert.notEqual(next.json.items[0].number, r.json.items[0].number);
  });

  it('what the stdio transport delivers is exactly the result made: plain, cut to 8 KB, odd characters, errors', async () => {
    const odd = emu.store.state.incidents[1];
    odd.title = 'Quotes " backslash \\ newline \n tab \t line sep \u2028 emoji \u{1F525} nul \u0000 é';
    const registry = buildRegistry(TOOLS);
    const client = clientFor(emu);
    const calls: [string, Record<string, unknown>][] = [
      ['runframe_list_incidents', { limit: 20 }],
      ['runframe_list_incidents', { limit: 100 }], // more than 8 KB here: cut with a note
      ['runframe_get_incident', { id: odd.incident_number }],
      ['runframe_list_services', {}],
      ['runframe_get_escalation_policy', { severity: 'SEV0' }],
      ['runframe_get_incident', { id: 'INC-1999-999' }], // a tool error
    ];
    for (const [name, args] of calls) {
      const made = await callTool(registry, client, name, args, new AbortController().signal);
      const sent = await mcp.client.callTool({ name, arguments: args });
      // Two calls: only the request id and the ages (a minute may turn between them) may differ.
      const same = (v: unknown) => JSON.stringify(v ?? null).replace(/request id req_\w+/g, 'request id …').replace(/"age":"\d+[mhd]"|\(\d+[mhd]\)/g, 'age');
      assert.equal(same(sent.content), same(made.content), name);
      assert.equal(same(sent.structuredContent), same(made.structuredContent), name);
      assert.equal(Boolean(sent.isError), name === 'runframe_get_incident' && args.id === 'INC-1999-999', name);
      if (args.limit === 100) assert.match(String(made.structuredContent?.note), /^Cut to \d+ of \d+ items/);
    }
    const r = await call(mcp, 'runframe_get_incident', { id: odd.incident_number });
    assert.equal(r.json.title, odd.title);
  });

  it('a huge timeline keeps the latest events under 8 KB, with a note', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'investigating')!;
    for (let n = 0; n < 300; n++) inc.timeline!.push({ id: `n${n}`, type: 'note', comment: `Observation ${n}: error rate still elevated on the canary pool`, actor: { name: 'Sam Rivera' }, created_at: new Date(Date.now() + n).toISOString() });
    const r = await call(mcp, 'runframe_get_incident', { id: inc.incident_number });
    assert.ok(Buffer.byteLength(r.text) <= MAX_RESULT_BYTES && Buffer.byteLength(JSON.stringify(r.json)) <= MAX_STRUCTURED_BYTES, `${r.bytes} bytes`);
    assert.equal(r.json.timeline_total, inc.timeline!.length);
    assert.ok(r.json.timeline.length < inc.timeline!.length);
    assert.match(r.json.timeline.at(-1).text, /Observation 299/);
    assert.match(r.json.note, /latest \d+ of \d+ events/);
  });
});

describe('MCP talking to the API, and audit lines', () => {
  let emu: TestEmulator;
  let mcp: McpSession;
  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
  });
  after(async () => {
    await mcp.close();
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  it('create is retry-safe even without an idempotency_key: a reset after commit makes one incident', async () => {
    const count = emu.store.state.incidents.length;
    emu.faults.add({ type: 'reset', phase: 'after', method: 'POST', path: '/api/v1/incidents' });
    const r = await call(mcp, 'runframe_create_incident', { title: 'Edge 502s after deploy', severity: 'SEV2', service_ids: [emu.store.state.services[0].service_key] });
    assert.equal(r.isError, false, r.text);
    assert.equal(emu.store.state.incidents.length, count + 1);
    const posts = emu.requests.filter((q) => q.method === 'POST' && q.path === '/api/v1/incidents');
    assert.equal(posts.length, 2);
  });

  it('reads retry 5xx; every request carries our User-Agent and an X-Request-Id', async () => {
    emu.faults.add({ type: 'status', status: 503, path: '/teams' });
    const before = emu.requestCount;
    const r = await call(mcp, 'runframe_list_teams');
    assert.equal(r.isError, false);
    const reqs = emu.requests.slice(before);
    assert.deepEqual(reqs.map((q) => q.status), [503, 200]);
    for (const q of reqs) {
      assert.match(q.userAgent ?? '', /^runframe-incident-cockpit-mcp\/\d+\.\d+\.\d+$/);
      assert.match(q.clientRequestId ?? '', /^[0-9a-f-]{36}$/);
    }
    assert.notEqual(reqs[0].clientRequestId, reqs[1].clientRequestId);
  });

  it('writes one audit line per call with outcome, status and request id, never arguments or the key', async () => {
    const marker = 'secret-looking note text 8c1f';
    await call(mcp, 'runframe_add_incident_event', { id: 'INC-2026-001', comment: marker });
    await call(mcp, 'runframe_get_incident', { id: 'nope' });
    await call(mcp, 'runframe_get_incident', { id: 'INC-2026-999' });
    await new Promise((r) => setTimeout(r, 100));
    const lines = mcp.stderr().split('\n').filter((l) => l.startsWith('audit ')).map((l) => JSON.parse(l.slice(6)));
    const [note, invalid, missing] = lines.slice(-3);
    assert.deepEqual([note.tool, note.outcome, note.http_status], ['runframe_add_incident_event', 'ok', 201]);
    assert.match(note.request_id, /^req_/);
    assert.equal(typeof note.duration_ms, 'number');
    assert.deepEqual([invalid.outcome, invalid.http_status, invalid.requests], ['invalid_arguments', null, 0]);
    assert.deepEqual([missing.outcome, missing.http_status], ['api_error', 404]);
    assert.ok(!mcp.stderr().includes(marker), 'arguments are never logged');
    assert.ok(!mcp.stderr().includes(emu.keys[0].key), 'the key is never logged');
  });
});

describe('MCP tools/call routing: params, cancellation and per-call audit', () => {
  let emu: TestEmulator;
  let mcp: McpSession;
  const errors: Error[] = [];
  before(async () => {
    emu = await startTestEmulator();
    // A long client timeout: only a cancellation can end a stalled call early.
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all', RUNFRAME_TIMEOUT_MS: '600000' });
    mcp.client.onerror = (err) => errors.push(err);
  });
  after(async () => {
    await mcp.close();
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  const auditLines = () => mcp.stderr().split('\n').filter((l) => l.startsWith('audit ')).map((l) => JSON.parse(l.slice(6)));
  const until = async <T>(what: string, probe: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const v = probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  it('malformed tools/call params get JSON-RPC -32602 with what to send; the server keeps serving', async () => {
    const raw = (params: unknown) => mcp.client.request({ method: 'tools/call', params: params as never }, CallToolResultSchema);
    await assert.rejects(raw({ name: 5 }), (e: McpError) => e.code === -32602 && /params.name must be a tool name/.test(e.message));
    await assert.rejects(raw({ name: 'runframe_list_teams', arguments: ['x'] }), (e: McpError) => e.code === -32602 && /params.arguments must be an object/.test(e.message));
    await assert.rejects(raw({ name: 'runframe_nope' }), (e: McpError) => e.code === -32602 && /Unknown tool "runframe_nope"/.test(e.message));
    assert.equal((await call(mcp, 'runframe_list_teams')).isError, false);
  });

  it('concurrent calls each get their own audit line: requests and status are never mixed up', async () => {
    emu.faults.add({ type: 'status', status: 503, path: '/teams' });
    const before = auditLines().length;
    await Promise.all([call(mcp, 'runframe_list_teams'), call(mcp, 'runframe_get_incident', { id: 'INC-2026-999' }), call(mcp, 'runframe_list_services')]);
    const lines = await until('3 audit lines', () => (auditLines().length >= before + 3 ? auditLines().slice(before) : undefined));
    const byTool = Object.fromEntries(lines.map((l) => [l.tool, [l.outcome, l.http_status, l.requests]]));
    assert.deepEqual(byTool, {
      runframe_list_teams: ['ok', 200, 2],
      runframe_get_incident: ['api_error', 404, 1],
      runframe_list_services: ['ok', 200, 1],
    });
  });

  it('notifications/cancelled aborts the call\'s API request and nothing is answered for it', async () => {
    emu.faults.add({ type: 'stall', method: 'GET', path: /^\/api\/v1\/incidents$/ });
    const before = emu.requestCount;
    const abort = new AbortController();
    const cancelled = mcp.client.callTool({ name: 'runframe_list_incidents', arguments: {} }, undefined, { signal: abort.signal });
    await until('the stalled request to reach the API', () => (emu.requestCount > before ? true : undefined));
    abort.abort('user gave up');
    await assert.rejects(cancelled);
    const line = await until('the cancelled call\'s audit line', () => auditLines().find((l) => l.tool === 'runframe_list_incidents' && l.outcome === 'api_error'));
    assert.equal(line.requests, 1);
    // Later calls are served, and no answer to the cancelled id ever reached the client.
    assert.equal((await call(mcp, 'runframe_list_incidents', { limit: 1 })).isError, false);
    await mcp.client.ping();
    assert.deepEqual(errors.map((e) => e.message), []);
  });
});
