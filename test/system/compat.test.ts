/**
 * Drop-in compatibility with Runframe's public MCP server (0.1.15): every example of its README
 * run as the MCP calls an agent makes, through our server started the documented way (only
 * RUNFRAME_API_KEY and RUNFRAME_API_URL) over real stdio, each checked in the emulator's state.
 * The demo data has no Alex and no backend team, so both are added first, as a customer's would be.
 */
import assert from 'node:assert/strict';
import { OPEN_STATUSES } from '../../src/domain/contract';
import { DEMO_USER_EMAIL } from '../../src/emulator/seed';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { call, connectMcp, startTestEmulator, type McpSession } from '../helpers';

describe('compatibility: the reference README\'s examples, with only the two documented variables', () => {
  let emu: TestEmulator;
  let mcp: McpSession;
  const ALEX = { id: 'u-alex', name: 'Alex Morgan', email: 'alex.morgan@northwind.example', is_active: true, team_name: 'Backend', title: 'Team Lead', slack_user_id: 'U0ALEX01' };
  const incident = (n: string) => emu.store.state.incidents.find((i) => i.incident_number === n)!;

  before(async () => {
    emu = await startTestEmulator();
    emu.store.state.teams.push({ id: 't-backend', name: 'Backend', description: 'Core backend services' });
    emu.store.state.users.push(ALEX);
    // INC-2026-001 as the README's example finds it: open and not yet acknowledged.
    Object.assign(incident('INC-2026-001'), { status: 'investigating', acknowledged_at: null, assigned_to: null, resolved_at: null, resolved_by: null, closed_at: null });
    emu.store.state.postmortems = emu.store.state.postmortems.filter((p) => p.incident_number !== 'INC-2026-002');
    // connectMcp sets exactly RUNFRAME_API_URL and RUNFRAME_API_KEY (plus PATH).
    mcp = await connectMcp(emu);
  });
  after(async () => {
    await mcp.close();
    await emu.close();
  });

  it('lists the same 17 tools as the reference', async () => {
    assert.equal((await mcp.client.listTools()).tools.length, 17);
  });

  it('"Acknowledge incident INC-2026-001"', async () => {
    const r = await call(mcp, 'runframe_acknowledge_incident', { id: 'INC-2026-001' });
    assert.equal(r.isError, false, r.text);
    const stored = incident('INC-2026-001');
    assert.ok(stored.acknowledged_at, 'acknowledged in the emulator');
    assert.equal(stored.assigned_to?.email, DEMO_USER_EMAIL, 'assigned to the key\'s user');
    assert.ok(r.text.includes(DEMO_USER_EMAIL));
  });

  it('"Who is on call right now?"', async () => {
    const r = await call(mcp, 'runframe_get_current_oncall');
    assert.equal(r.isError, false, r.text);
    const api = (await (await fetch(`${emu.url}/api/v1/on-call/current`, { headers: { authorization: `Bearer ${emu.keys[0].key}` } })).json()) as { data: { services: { on_call_engineers: { email: string }[] }[] } };
    const emails = new Set(api.data.services.flatMap((s) => s.on_call_engineers.map((e) => e.email)));
    assert.ok(emails.size > 0);
    for (const e of emails) assert.ok(r.text.includes(e), `${e} is on call and named`);
  });

  it('"Create a postmortem for INC-2026-002"', async () => {
    assert.ok(['resolved', 'closed'].includes(incident('INC-2026-002').status!));
    const r = await call(mcp, 'runframe_create_postmortem', { incident_number: 'INC-2026-002', summary: 'What happened', root_cause: 'Why it happened', resolution: 'How it was fixed' });
    assert.equal(r.isError, false, r.text);
    const pm = emu.store.state.postmortems.find((p) => p.incident_number === 'INC-2026-002');
    assert.equal((pm as { root_cause?: string } | undefined)?.root_cause, 'Why it happened');
  });

  it('"Page the backend team lead about the API latency spike"', async () => {
    const open = await call(mcp, 'runframe_list_incidents', { status: [...OPEN_STATUSES], limit: 100 });
    const spike = open.json.items.find((i: { title: string }) => /latency/i.test(i.title));
    assert.ok(spike, 'an open latency incident');
    const lead = await call(mcp, 'runframe_find_user', { search: 'Alex' });
    assert.ok(lead.text.includes(ALEX.email));
    const r = await call(mcp, 'runframe_page_someone', { incident_id: spike.number, email: ALEX.email, channels: ['slack'], message: 'API latency spike: please join' });
    assert.equal(r.isError, false, r.text);
    const events = incident(spike.number).timeline!.filter((e) => e.comment?.includes('API latency spike: please join'));
    assert.equal(events.length, 1, 'one page recorded on the incident');
  });

  it('"Show me all open SEV1 incidents"', async () => {
    const r = await call(mcp, 'runframe_list_incidents', { severity: ['SEV1'], status: [...OPEN_STATUSES], limit: 100 });
    const expected = emu.store.state.incidents.filter((i) => i.severity === 'SEV1' && (OPEN_STATUSES as readonly string[]).includes(i.status!)).map((i) => i.incident_number).sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(r.json.items.map((i: { number: string }) => i.number).sort(), expected);
    for (const n of expected) assert.ok(r.text.includes(n));
  });

  it('"Find Alex"', async () => {
    const r = await call(mcp, 'runframe_find_user', { search: 'Alex' });
    assert.equal(r.isError, false, r.text);
    assert.ok(r.text.includes(ALEX.email) && r.text.includes(ALEX.name));
  });

  it('an unknown argument is ignored and named, as the reference ignores it', async () => {
    const r = await call(mcp, 'runframe_list_incidents', { foo: 1, limit: 2 });
    assert.equal(r.isError, false, r.text);
    assert.equal(r.json.items.length, 2);
    assert.deepEqual(r.json.ignored_arguments, ['foo']);
    assert.match(r.text, /^Ignored unknown argument "foo" \(this tool takes: status, severity/);
  });
});
