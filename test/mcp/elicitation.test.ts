import assert from 'node:assert/strict';
import { ElicitRequestSchema, type ElicitRequestFormParams, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { call, clientFor, connectMcp, startTestEmulator, type McpSession } from '../helpers';

/**
 * Confirmations as forms (issue 21.1): page and escalate ask a client that declared form
 * elicitation, over real stdio, and send exactly what the person accepted, or nothing.
 */
describe('Confirmations as forms (MCP elicitation) over stdio against the emulator', function () {
  let emu: TestEmulator;
  let mcp: McpSession;
  let plain: McpSession;
  /** What the next form is answered with; every form asked is kept in `asked` */
  let answer: (form: ElicitRequestFormParams) => ElicitResult;
  const asked: ElicitRequestFormParams[] = [];

  const incident = (n: string) => emu.store.state.incidents.find((i) => i.incident_number === n)!;
  const posts = (suffix: string) => emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length;
  const pagedEvents = (n: string) => incident(n).timeline!.filter((e) => e.type === 'paged').map((e) => e.comment);
  let target: { number: string; onCall: { name: string; email: string }[] };
  let outsider: { name: string; email: string };

  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' }, [], { capabilities: { elicitation: { form: {} } } });
    mcp.client.setRequestHandler(ElicitRequestSchema, (req) => {
      const form = req.params as ElicitRequestFormParams;
      asked.push(form);
      return answer(form);
    });
    plain = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
    // An open incident whose services have people on call now, and an active person who is not among them.
    const snapshot = await clientFor(emu).getCurrentOnCall();
    const open = emu.store.state.incidents.filter((i) => ['new', 'investigating'].includes(i.status ?? '') && i.severity === 'SEV1');
    for (const i of open) {
      const keys = new Set(i.services.map((s) => s.service_key));
      const onCall = snapshot.services.filter((s) => keys.has(s.service_key)).flatMap((s) => s.on_call_engineers).filter((e) => e.email).map((e) => ({ name: e.name, email: e.email! }));
      if (onCall.length) {
        target = { number: i.incident_number, onCall };
        break;
      }
    }
    assert.ok(target, 'the seed has an open SEV1 incident with people on call for its services');
    const u = emu.store.state.users.find((x) => x.is_active && !target.onCall.some((p) => p.email === x.email))!;
    outsider = { name: u.name, email: u.email };
  });
  beforeEach(() => (asked.length = 0));
  after(async () => {
    await mcp?.close();
    await plain?.close();
    await emu?.close();
  });

  it('21.1 page, accepted as is: the form names the person and offers the people on call first; exactly that page is sent', async () => {
    answer = (form) => ({ action: 'accept', content: { email: outsider.email, channels: ['slack'], message: form.requestedSchema.properties.message.default as string } });
    const before = pagedEvents(target.number).length;
    const r = await call(mcp, 'runframe_page_someone', { incident_id: target.number, email: outsider.email, channels: ['slack'], message: 'Checkout errors are up' });
    assert.equal(r.isError, false, r.text);
    assert.equal(asked.length, 1);
    const form = asked[0];
    assert.match(form.message, new RegExp(`Page ${outsider.name} <${outsider.email}> about ${target.number}`));
    assert.match(form.message, /via slack/);
    const emailField = form.requestedSchema.properties.email as { oneOf: { const: string; title: string }[]; default: string };
    assert.deepEqual(emailField.oneOf.map((o) => o.const), [...new Set(target.onCall.map((p) => p.email))].concat(outsider.email), 'on call first, then the person asked for');
    assert.match(emailField.oneOf[0].title, new RegExp(`^${target.onCall[0].name} <${target.onCall[0].email}>, on call for `));
    assert.equal(emailField.default, outsider.email);
    assert.deepEqual(form.requestedSchema.properties.channels.default, ['slack']);
    assert.deepEqual(pagedEvents(target.number).slice(before), [`Paged ${outsider.name} via slack (high urgency): Checkout errors are up (emulator: no notification left this machine)`]);
    assert.equal(r.json.email, outsider.email);
  });

  it('21.1 page, accepted with edits: the edited person, channels and message are what is sent', async () => {
    const onCall = target.onCall[0];
    answer = () => ({ action: 'accept', content: { email: onCall.email, channels: ['email', 'slack'], message: 'Edited: please join the bridge' } });
    const before = pagedEvents(target.number).length;
    const r = await call(mcp, 'runframe_page_someone', { incident_id: target.number, email: outsider.email, channels: ['slack'], message: 'original' });
    assert.equal(r.isError, false, r.text);
    assert.deepEqual([r.json.email, r.json.channels], [onCall.email, ['email', 'slack']]);
    assert.deepEqual(pagedEvents(target.number).slice(before), [`Paged ${onCall.name} via email and slack (high urgency): Edited: please join the bridge (emulator: no notification left this machine)`]);
  });

  for (const action of ['decline', 'cancel'] as const) {
    it(`21.1 page, ${action}: nothing is sent and the result says so`, async () => {
      answer = () => ({ action });
      const [pages, events] = [posts('/page'), pagedEvents(target.number).length];
      const r = await call(mcp, 'runframe_page_someone', { incident_id: target.number, email: outsider.email, channels: ['slack'] });
      assert.equal(r.isError, true);
      assert.match(r.text, action === 'decline' ? /^Nothing was sent: the person declined in the confirmation form; nobody was paged\./ : /^Nothing was sent: the person cancelled the confirmation form; nobody was paged\.$/);
      assert.equal(posts('/page'), pages, 'no page request reached the API');
      assert.equal(pagedEvents(target.number).length, events);
    });
  }

  it('21.1 page: values from the form that break the contract send nothing and say which', async () => {
    answer = () => ({ action: 'accept', content: { email: outsider.email, channels: [], message: 'x' } });
    const pages = posts('/page');
    const r = await call(mcp, 'runframe_page_someone', { incident_id: target.number, email: outsider.email, channels: ['slack'] });
    assert.equal(r.isError, true);
    assert.match(r.text, /^Invalid values in the confirmation form for runframe_page_someone; nothing was sent to Runframe\.\n- channels: needs at least 1 item/);
    assert.equal(posts('/page'), pages);
  });

  it('21.1 escalate: the form names the next level\'s targets from the escalation policy; accept escalates once, decline not at all', async () => {
    const inc = incident(target.number);
    const level = inc.escalation_level ?? 1;
    const policy = emu.store.state.escalation_policies.find((p) => p.severity === inc.severity)!;
    const next = policy.levels[level];
    answer = () => ({ action: 'decline' });
    const escalations = posts('/escalate');
    const declined = await call(mcp, 'runframe_escalate_incident', { id: target.number });
    assert.equal(declined.isError, true);
    assert.match(declined.text, /^Nothing was sent: the person declined in the confirmation form; the incident was not escalated and nobody was notified\./);
    assert.equal(posts('/escalate'), escalations);
    assert.equal(incident(target.number).escalation_level ?? 1, level);
    const form = asked[0];
    assert.match(form.message, new RegExp(`^Escalate ${target.number} \\(SEV1\\) ".*" from level ${level} to level ${level + 1} of the SEV1 escalation policy\\?`));
    for (const t of next.targets) assert.ok(form.message.includes(t.name ?? t.type!), `names ${t.name ?? t.type}: ${form.message}`);
    assert.deepEqual(form.requestedSchema.properties, {}, 'nothing to edit: the API takes no body');

    answer = () => ({ action: 'accept', content: {} });
    const accepted = await call(mcp, 'runframe_escalate_incident', { id: target.number });
    assert.equal(accepted.isError, false, accepted.text);
    assert.equal(posts('/escalate'), escalations + 1);
    assert.equal(incident(target.number).escalation_level, level + 1);
  });

  it('21.1 escalate on a resolved incident: no form for a call the API refuses anyway; its words come back', async () => {
    answer = () => ({ action: 'accept', content: {} });
    const resolved = emu.store.state.incidents.find((i) => i.status === 'resolved')!;
    const r = await call(mcp, 'runframe_escalate_incident', { id: resolved.incident_number });
    assert.equal(asked.length, 0);
    assert.equal(r.isError, true);
    assert.match(r.text, /only open incidents can be escalated/);
  });

  it('21.1 a client without elicitation is not asked: it pages as before (its own confirmation)', async () => {
    const before = pagedEvents(target.number).length;
    const r = await call(plain, 'runframe_page_someone', { incident_id: target.number, email: outsider.email, channels: ['email'] });
    assert.equal(r.isError, false, r.text);
    assert.equal(asked.length, 0);
    assert.deepEqual(pagedEvents(target.number).slice(before), [`Paged ${outsider.name} via email (high urgency) (emulator: no notification left this machine)`]);
    const { tools } = await plain.client.listTools();
    assert.equal(tools.find((t) => t.name === 'runframe_page_someone')!.annotations?.destructiveHint, true);
  });
});
