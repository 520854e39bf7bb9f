import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPEN_STATUSES, SEVERITIES, STATUSES, type RunframeClient } from '../../src/api';
import type { EmulatorState } from '../../src/emulator/model';
import { LIMITS } from '../../src/domain/contract';
import { allowedTransitions } from '../../src/domain/order';
import { parseClockOffset } from '../../src/emulator/clockOffset';
import { generateSeedState } from '../../src/emulator/seed';
import { nextStatuses } from '../../src/emulator/statusRules';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { clientFor, EMULATOR_JS, startTestEmulator } from '../helpers';

async function raw(emu: TestEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(emu.url + path, {
    method,
    headers: { authorization: `Bearer ${emu.keys[0].key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

const state = (emu: TestEmulator, number: string) => emu.store.state.incidents.find((i) => i.incident_number === number)!;

describe('emulator seed data', () => {
  const state = generateSeedState(1, new Date('2026-11-21T12:00:00Z'));
  it('looks like a mid-size organisation', () => {
    assert.ok(state.teams.length >= 4);
    assert.ok(state.services.length >= 10);
    assert.equal(state.users.length, 20);
    assert.equal(state.users.filter((u) => !u.is_active).length, 2);
    assert.equal(state.incidents.length, 40);
    assert.deepEqual(new Set(state.escalation_policies.map((p) => p.severity)), new Set(SEVERITIES));
  });
  it('has incidents in every status and severity within the last 90 days, with timelines', () => {
    assert.deepEqual(new Set(state.incidents.map((i) => i.status)), new Set(STATUSES));
    assert.deepEqual(new Set(state.incidents.map((i) => i.severity)), new Set(SEVERITIES));
    const from = Date.parse('2026-11-21T12:00:00Z') - 90 * 86_400_000;
    for (const i of state.incidents) {
      assert.ok(Date.parse(i.created_at!) >= from, i.incident_number);
      assert.ok((i.timeline?.length ?? 0) >= 1);
    }
  });
  it('is deterministic for a seed', () => {
    const a = generateSeedState(7, new Date('2026-11-21T12:00:00Z'));
    const b = generateSeedState(7, new Date('2026-11-21T12:00:00Z'));
    assert.deepEqual(a, b);
    assert.notDeepEqual(generateSeedState(8, new Date('2026-11-21T12:00:00Z')).services, a.services);
  });
});

describe('emulator semantics (real HTTP)', () => {
  let emu: TestEmulator;
  let client: RunframeClient;
  beforeEach(async () => {
    emu = await startTestEmulator();
    client = clientFor(emu);
  });
  afterEach(() => emu.close());

  it('filters by status, severity, team, assignee and dates, newest first', async () => {
    const open = await client.listAllIncidents({ status: [...OPEN_STATUSES] });
    assert.equal(open.items.length, 12);
    assert.ok(open.items.every((i) => OPEN_STATUSES.includes(i.status as never)));
    const created = open.items.map((i) => i.created_at!);
    assert.deepEqual(created, [...created].sort().reverse());
    const sev0 = await client.listIncidents({ severity: ['SEV0'], limit: 100 });
    assert.ok(sev0.items.length > 0 && sev0.items.every((i) => i.severity === 'SEV0'));
    const payments = await client.listIncidents({ team_name: 'Payments', limit: 100 });
    assert.ok(payments.items.length > 0 && payments.items.every((i) => i.team_name === 'Payments'));
    // Filters are checked against the stored incidents: exactly the matching ones, none missing.
    const numbers = (list: { incident_number: string }[]) => list.map((i) => i.incident_number).sort();
    const stored = emu.store.state.incidents;
    const someone = payments.items.find((i) => i.assigned_to)!.assigned_to!.email!;
    const mine = await client.listIncidents({ assigned_to: someone, limit: 100 });
    assert.ok(mine.items.length > 0, `${someone} has incidents`);
    assert.deepEqual(numbers(mine.items), numbers(stored.filter((i) => i.assigned_to?.email === someone)));
    const cutoff = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const recent = await client.listIncidents({ created_after: cutoff, limit: 100 });
    assert.ok(recent.items.length > 0 && recent.items.every((i) => i.created_at! >= cutoff));
    const resolvedRecently = await client.listIncidents({ resolved_after: cutoff, limit: 100 });
    assert.ok(resolvedRecently.items.length > 0, 'some incidents were resolved in the last 7 days');
    assert.deepEqual(numbers(resolvedRecently.items), numbers(stored.filter((i) => i.resolved_at && i.resolved_at >= cutoff)));
    assert.equal((await client.listIncidents({ team_name: 'payments' })).items.length, 0, 'team_name is exact');
  });

  it('paginates with limit/offset, total, has_more and next_offset; list items have no timeline', async () => {
    const p1 = await raw(emu, 'GET', '/api/v1/incidents?limit=15');
    assert.equal(p1.json.data.items.length, 15);
    assert.equal(p1.json.data.total, 40);
    assert.equal(p1.json.data.has_more, true);
    assert.equal(p1.json.data.next_offset, 15);
    assert.equal(p1.json.data.items[0].timeline, undefined);
    const p3 = await raw(emu, 'GET', '/api/v1/incidents?limit=15&offset=30');
    assert.equal(p3.json.data.items.length, 10);
    assert.equal(p3.json.data.has_more, false);
    assert.equal(p3.json.data.next_offset, null);
    const bad = await raw(emu, 'GET', '/api/v1/incidents?limit=0&offset=-1');
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.json.error.details.fields).sort(), ['limit', 'offset']);
  });

  it('checks keys and scopes: 401 unknown key, 403 names the missing scope', async () => {
    const unknown = await raw(emu, 'GET', '/api/v1/incidents', undefined, { authorization: 'Bearer rf_not_a_real_key' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.error.code, 'unauthorized');
    assert.ok(unknown.json.meta.request_id);
    const ro = await fetch(`${emu.url}/api/v1/postmortems`, { method: 'POST', headers: { authorization: `Bearer ${emu.keys[1].key}` }, body: '{}' });
    assert.equal(ro.status, 403);
    assert.equal(((await ro.json()) as any).error.details.required_scope, 'postmortems:write');
    const roRead = await fetch(`${emu.url}/api/v1/users`, { headers: { authorization: `Bearer ${emu.keys[1].key}` } });
    assert.equal(roRead.status, 200);
  });

  it('enforces status transitions and stamps resolution', async () => {
    const inc = (await client.listIncidents({ status: ['investigating'], limit: 1 })).items[0];
    await assert.rejects(client.changeIncidentStatus(inc.incident_number, 'investigating'), /already investigating/);
    await assert.rejects(client.changeIncidentStatus(inc.incident_number, 'new'), /investigating -> new is not allowed/);
    await assert.rejects(client.changeIncidentStatus(inc.incident_number, 'exploded'), /status: must be one of new, investigating, fixing, monitoring, resolved, closed/);
    const resolved = await client.changeIncidentStatus(inc.incident_number, 'resolved', 'Rolled back');
    assert.equal(resolved.status, 'resolved');
    assert.ok(resolved.resolved_at);
    assert.equal(resolved.resolved_by?.email, emu.keys[0].user_email);
    const reopened = await client.changeIncidentStatus(inc.incident_number, 'investigating', 'Came back');
    assert.equal(reopened.resolved_at, null);
    const closed = await client.changeIncidentStatus(inc.incident_number, 'closed');
    assert.ok(closed.closed_at);
    await assert.rejects(client.changeIncidentStatus(inc.incident_number, 'investigating'), /closed incident cannot change/);
    const full = await client.getIncident(inc.incident_number);
    const changes = full.timeline!.filter((e) => e.type === 'status_change').slice(-3).map((e) => e.comment);
    assert.match(changes[0]!, /to resolved: Rolled back/);
  });

  it('status rules: the emulator\'s own table agrees with the client\'s rule for every pair of statuses', () => {
    const disagree: string[] = [];
    for (const from of [...STATUSES, 'renamed-by-org']) {
      for (const to of STATUSES) {
        const emulator = nextStatuses(from).includes(to);
        const client = allowedTransitions(from).includes(to);
        if (emulator !== client) disagree.push(`${from} -> ${to}: emulator ${emulator}, client ${client}`);
      }
    }
    assert.deepEqual(disagree, []);
    // And the table is not empty by mistake: every open status may move on, closed may not.
    for (const s of OPEN_STATUSES) assert.ok(nextStatuses(s).length > 0, s);
    assert.deepEqual(nextStatuses('closed'), []);
  });

  it('checks bodies by the contract\'s shapes: the domain\'s limits, every field named, unknown fields refused', async () => {
    const svc = emu.store.state.services[0].service_key;
    const longest = await raw(emu, 'POST', '/api/v1/incidents', { title: 't'.repeat(LIMITS.title.max), service_ids: [svc] });
    assert.equal(longest.status, 201);
    const tooLong = await raw(emu, 'POST', '/api/v1/incidents', { title: 't'.repeat(LIMITS.title.max + 1), severity: 'sev9', service_ids: [], extra: 1 });
    assert.equal(tooLong.status, 422);
    assert.deepEqual(tooLong.json.error.details.fields, {
      title: `must be at most ${LIMITS.title.max} characters`,
      severity: 'must be one of SEV0, SEV1, SEV2, SEV3, SEV4',
      service_ids: `needs at least ${LIMITS.services.min} item`,
      extra: 'is not a field of a new incident',
    });
    const n = longest.json.data.incident_number;
    const page = await raw(emu, 'POST', `/api/v1/incidents/${n}/page`, { email: emu.store.state.users[1].email, channels: ['slack', 'pager'], urgent: true });
    assert.deepEqual(page.json.error.details.fields, { 'channels[1]': 'must be one of slack, email', urgent: 'is not a field of a page' });
    const blank = await raw(emu, 'POST', `/api/v1/incidents/${n}/events`, { comment: '   ' });
    assert.deepEqual(blank.json.error.details.fields, { comment: 'must not be empty' });
    assert.equal(state(emu, n).timeline!.length, 1, 'nothing was applied');
  });

  it('rejects fields named like Object.prototype members instead of skipping them', async () => {
    const inc = emu.store.state.incidents.find((i) => i.status === 'new')!;
    for (const field of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      const res = await raw(emu, 'PATCH', `/api/v1/incidents/${inc.incident_number}`, `{"${field}": "x", "title": "still valid"}`);
      assert.equal(res.status, 422, field);
      assert.match(res.json.error.message, new RegExp(`${field}: is not an updatable field`), field);
    }
    assert.notEqual(state(emu, inc.incident_number).title, 'still valid', 'nothing applied');
  });

  it('acknowledge assigns the key user, adds a timeline event, and a second one is 409', async () => {
    const inc = (await client.listIncidents({ status: ['new'], limit: 1 })).items[0];
    assert.equal(inc.acknowledged_at, null);
    const acked = await client.acknowledgeIncident(inc.incident_number.toLowerCase());
    assert.equal(acked.assigned_to?.email, emu.keys[0].user_email);
    assert.ok(acked.acknowledged_at);
    assert.equal(acked.timeline!.at(-1)!.type, 'acknowledged');
    const again = await raw(emu, 'POST', `/api/v1/incidents/${inc.incident_number}/acknowledge`, {});
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'already_acknowledged');
  });

  it('Idempotency-Key: same key and body replay; a different body is rejected', async () => {
    const svc = emu.store.state.services[0].service_key;
    const body = { title: 'Queue backlog', severity: 'SEV3', service_ids: [svc] };
    const first = await raw(emu, 'POST', '/api/v1/incidents', body, { 'idempotency-key': 'k-1' });
    assert.equal(first.status, 201);
    const replay = await raw(emu, 'POST', '/api/v1/incidents', body, { 'idempotency-key': 'k-1' });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.json.data.incident_number, first.json.data.incident_number);
    const other = await raw(emu, 'POST', '/api/v1/incidents', { ...body, title: 'Other' }, { 'idempotency-key': 'k-1' });
    assert.equal(other.status, 422);
    assert.equal(other.json.error.code, 'idempotency_key_reused');
    assert.equal(emu.store.state.incidents.length, 41);
  });

  it('create validates fields, rejects unknown services and severities without an SLA', async () => {
    const bad = await raw(emu, 'POST', '/api/v1/incidents', { title: '', severity: 'SEV9', service_ids: ['svc_AAAAAAAAAA', 'SER-1'], extra: 1 });
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.json.error.details.fields).sort(), ['extra', 'service_ids[0]', 'service_ids[1]', 'severity', 'title']);
    delete emu.store.state.organization.sla.SEV4;
    const noSla = await raw(emu, 'POST', '/api/v1/incidents', { title: 'x', severity: 'SEV4', service_ids: [emu.store.state.services[0].service_key] });
    assert.equal(noSla.status, 422);
    assert.equal(noSla.json.error.code, 'sla_not_configured');
    const notJson = await raw(emu, 'POST', '/api/v1/incidents', '{nope');
    assert.equal(notJson.status, 400);
    const arrayBody = await raw(emu, 'POST', '/api/v1/incidents', '[1]');
    assert.equal(arrayBody.status, 400);
  });

  it('escalates level by level and stops at the last level with 409', async () => {
    const inc = (await client.listIncidents({ status: ['new'], severity: ['SEV0'], limit: 1 })).items[0];
    const levels = emu.store.state.escalation_policies.find((p) => p.severity === 'SEV0')!.levels.length;
    let level = inc.escalation_level!;
    while (level < levels) level = (await client.escalateIncident(inc.incident_number)).escalation_level!;
    const err = await raw(emu, 'POST', `/api/v1/incidents/${inc.incident_number}/escalate`, {});
    assert.equal(err.status, 409);
    const full = await client.getIncident(inc.incident_number);
    assert.ok(full.timeline!.some((e) => e.type === 'escalated' && /no notification left this machine/.test(e.comment!)));
  });

  it('pages active users only and records the page on the timeline', async () => {
    const inc = (await client.listIncidents({ status: ['investigating'], limit: 1 })).items[0];
    const inactive = emu.store.state.users.find((u) => !u.is_active)!;
    const active = emu.store.state.users.find((u) => u.is_active && u.team_name === 'Data')!;
    assert.equal((await raw(emu, 'POST', `/api/v1/incidents/${inc.incident_number}/page`, { email: inactive.email, channels: ['slack'] })).status, 422);
    assert.equal((await raw(emu, 'POST', `/api/v1/incidents/${inc.incident_number}/page`, { email: 'ghost@northwind.example', channels: ['slack'] })).status, 404);
    assert.equal((await raw(emu, 'POST', `/api/v1/incidents/${inc.incident_number}/page`, { email: active.email, channels: [] })).status, 422);
    const ok = await client.pageSomeone(inc.incident_number, { email: active.email, channels: ['slack', 'email'], message: 'Need the ETL owner' });
    assert.equal(ok.paged, true);
    const full = await client.getIncident(inc.incident_number);
    assert.match(full.timeline!.at(-1)!.comment!, new RegExp(`Paged ${active.name} via slack and email`));
    assert.ok(full.participants!.some((p) => p.email === active.email));
  });

  it('on-call: every covered service has an engineer with a shift end; one service is uncovered', async () => {
    const oc = await client.getCurrentOnCall();
    const uncovered = oc.services.filter((s) => !s.has_coverage);
    assert.deepEqual(uncovered.map((s) => s.service_name), ['Legacy Reports']);
    for (const s of oc.services.filter((x) => x.has_coverage)) {
      assert.ok(s.on_call_engineers.length > 0);
      assert.ok(Date.parse(s.on_call_engineers[0].shift_ends_at!) > Date.now());
    }
    assert.equal(oc.summary?.services_without_coverage, 1);
    const platform = await client.getCurrentOnCall('Platform');
    assert.ok(platform.services.every((s) => s.team_name === 'Platform'));
    await assert.rejects(client.getCurrentOnCall('Nope'), /not found/i);
  });

  it('postmortems: resolved incidents only, required fields listed, one per incident', async () => {
    const open = (await client.listIncidents({ status: ['new'], limit: 1 })).items[0];
    await assert.rejects(client.createPostmortem({ incident_number: open.incident_number, summary: 's', root_cause: 'r', resolution: 'x' }), /once it is resolved/);
    const resolved = (await client.listIncidents({ status: ['resolved'], limit: 1 })).items[0];
    const partial = await raw(emu, 'POST', '/api/v1/postmortems', { incident_number: resolved.incident_number, summary: 'Outage' });
    assert.equal(partial.status, 422);
    assert.deepEqual(partial.json.error.details.missing_fields, ['root_cause', 'resolution']);
    const pm = await client.createPostmortem({ incident_number: resolved.incident_number, summary: 'Outage', root_cause: 'Bad deploy', resolution: 'Rollback', action_items: [{ text: 'Add canary', status: 'pending' }] });
    assert.equal(pm.incident_number, resolved.incident_number);
    assert.equal((await client.getPostmortem(resolved.incident_number)).root_cause, 'Bad deploy');
    await assert.rejects(client.createPostmortem({ incident_number: resolved.incident_number, summary: 'a', root_cause: 'b', resolution: 'c' }), (e: any) => e.status === 409);
  });

  it('users: search and is_active; teams and services: search; escalation policy by severity', async () => {
    const inactive = await client.listUsers({ is_active: false });
    assert.equal(inactive.items.length, 2);
    const sam = await client.listUsers({ search: 'rivera' });
    assert.equal(sam.items[0].name, 'Sam Rivera');
    assert.equal((await client.listTeams({ search: 'pay' })).items[0].name, 'Payments');
    const svc = await client.listServices({ search: 'checkout' });
    assert.equal(svc.items[0].name, 'Checkout API');
    assert.equal((await client.getService(svc.items[0].service_key.toLowerCase())).name, 'Checkout API');
    const policy = await client.getEscalationPolicy('SEV1');
    assert.equal(policy.levels.length, 3);
    assert.equal((await raw(emu, 'GET', '/api/v1/escalation-policies')).status, 422);
    assert.equal((await raw(emu, 'DELETE', '/api/v1/incidents')).status, 405);
  });
});

describe('emulator clock offset', () => {
  it('parses durations with a unit, and says the form when it cannot', () => {
    assert.equal(parseClockOffset('+7h'), 7 * 3_600_000);
    assert.equal(parseClockOffset('3d'), 3 * 86_400_000);
    assert.equal(parseClockOffset('-90m'), -90 * 60_000);
    assert.equal(parseClockOffset('0'), 0);
    for (const bad of ['7', 'soon', '7 hours', '4000d']) assert.throws(() => parseClockOffset(bad), /clock offset/, bad);
  });

  it('shifts demo data, on-call shifts and new timestamps by the offset', async () => {
    const fixed = Date.parse('2026-11-21T12:00:00Z');
    const offset = 3 * 86_400_000 + 7 * 3_600_000;
    const plain = await startTestEmulator({ now: () => fixed });
    const shifted = await startTestEmulator({ now: () => fixed, clockOffsetMs: offset });
    try {
      const a = plain.store.state.incidents.map((i) => Date.parse(i.created_at!));
      const b = shifted.store.state.incidents.map((i) => Date.parse(i.created_at!));
      assert.deepEqual(b, a.map((t) => t + offset), 'the demo data is the same data, later');
      const shift = (await clientFor(shifted).getCurrentOnCall()).timestamp;
      assert.equal(shift, new Date(fixed + offset).toISOString());
      const created = await clientFor(shifted).createIncident({ title: 'clock test', severity: 'SEV3', service_ids: [shifted.store.state.services[0].service_key] });
      assert.equal(created.created_at, new Date(fixed + offset).toISOString());
    } finally {
      await plain.close();
      await shifted.close();
    }
  });
});

describe('the extension bundle', () => {
  it('holds the sandbox emulator but none of its test machinery (faults, request log, /__emulator endpoints)', () => {
    const bundle = readFileSync(join(__dirname, '..', '..', 'dist', 'extension.js'), 'utf8');
    assert.match(bundle, /runframe-emulator\/1/, 'the sandbox emulator is there');
    for (const testOnly of ['__emulator', 'reset_mid_body', 'malformed_json']) assert.ok(!bundle.includes(testOnly), `${testOnly} in dist/extension.js`);
  });
});

describe('emulator persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-emu-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps changes across a restart', async () => {
    const file = join(dir, 'data.json');
    let emu = await startTestEmulator({ dataFile: file });
    const client = clientFor(emu);
    const inc = (await client.listIncidents({ status: ['new'], limit: 1 })).items[0];
    await client.acknowledgeIncident(inc.incident_number);
    await client.addIncidentEvent(inc.incident_number, 'Persist me');
    await emu.close();
    emu = await startTestEmulator({ dataFile: file });
    const again = await clientFor(emu).getIncident(inc.incident_number);
    assert.ok(again.acknowledged_at);
    assert.equal(again.timeline!.at(-1)!.comment, 'Persist me');
    await emu.close();
    assert.ok(!readFileSync(file, 'utf8').includes(emu.keys[0].key), 'API keys are never written to the data file');
  });

  it('refuses a data file that is not emulator data, with a message naming it', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"hello": 1}');
    await assert.rejects(startTestEmulator({ dataFile: file }), /not a Runframe emulator data file/);
  });

  // Rounds from RUNFRAME_KILL_ROUNDS: 3 in `npm test`, 50 in `npm run test:stress`.
  const rounds = Number(process.env.RUNFRAME_KILL_ROUNDS ?? 3);
  it(`kill -9 at random points during a stream of writes (${rounds} kills) keeps every acknowledged write`, async function () {
    this.timeout(30_000 + rounds * 3_000);
    const file = join(dir, 'data.json');
    const key = 'rf_durability_test_key';
    const start = (): Promise<{ proc: ChildProcess; url: string }> =>
      new Promise((resolve, reject) => {
        const proc = spawn(process.execPath, [EMULATOR_JS, '--port', '0', '--data', file, '--key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        proc.stdout!.on('data', (d) => {
          out += d;
          const m = /RUNFRAME_API_URL=(\S+)/.exec(out);
          if (m) resolve({ proc, url: m[1] });
        });
        proc.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
      });
    const acknowledged: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const { proc, url } = await start();
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const note = `round ${round} note ${i}`;
          try {
            const res = await fetch(`${url}/api/v1/incidents/INC-2026-001/events`, { method: 'POST', headers, body: JSON.stringify({ comment: note }) });
            if (res.status === 201) acknowledged.push(note);
          } catch {
            return; // killed mid-request: that write was never acknowledged
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 400)));
      proc.kill('SIGKILL');
      stop = true;
      await writer;
      if (proc.exitCode === null && proc.signalCode === null) await once(proc, 'exit');
      const state = JSON.parse(readFileSync(file, 'utf8')) as EmulatorState;
      const notes = new Set(state.incidents.find((i) => i.incident_number === 'INC-2026-001')!.timeline!.map((e) => e.comment));
      const lost = acknowledged.filter((n) => !notes.has(n));
      assert.deepEqual(lost, [], `round ${round}: acknowledged writes missing after kill -9`);
    }
    assert.ok(acknowledged.length > 10, `only ${acknowledged.length} writes were made`);
  });
});
