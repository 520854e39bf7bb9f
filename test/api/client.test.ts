import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunframeApiError, RunframeClient, RunframeInputError, UNKNOWN_OUTCOME_HINT, type RequestRecord } from '../../src/api';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { clientFor, startTestEmulator } from '../helpers';

async function rejects(p: Promise<unknown>): Promise<RunframeApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RunframeApiError, `expected RunframeApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('API client against the emulator (real HTTP)', () => {
  let emu: TestEmulator;
  let client: RunframeClient;
  const records: RequestRecord[] = [];
  before(async () => {
    emu = await startTestEmulator();
    // Retries are off here so each fault shows as the error it causes; see "retries" below.
    client = clientFor(emu, 0, { onRequest: (r) => records.push(r), retry: false });
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  it('unwraps the {data} envelope and verifies the key', async () => {
    const auth = await client.verifyKey();
    assert.equal(auth.valid, true);
    assert.equal(auth.organization_name, 'Northwind Cloud');
    assert.ok(auth.scopes.includes('incidents:write'));
    const page = await client.listIncidents({ limit: 5 });
    assert.equal(page.items.length, 5);
    assert.equal(page.total, 40);
    assert.equal(page.has_more, true);
    assert.equal(page.next_offset, 5);
    assert.ok(records.at(-1)?.requestId?.startsWith('req_'), 'records carry the API request id');
    assert.equal(records.at(-1)?.status, 200);
  });

  it('follows next_offset through every page', async () => {
    const all = await client.listAllIncidents({});
    assert.equal(all.items.length, 40);
    assert.equal(new Set(all.items.map((i) => i.incident_number)).size, 40);
    assert.equal(all.has_more, false);
  });

  it('401: wrong key, hint says set a new key, and the key is not echoed', async () => {
    const bad = new RunframeClient({ apiKey: 'rf_wrong_key_123456', baseUrl: emu.url });
    const err = await rejects(bad.listIncidents());
    assert.equal(err.status, 401);
    assert.equal(err.code, 'unauthorized');
    assert.match(err.message, /Set API Key|RUNFRAME_API_KEY/);
    assert.match(err.message, /request id req_/);
    assert.ok(!err.message.includes('rf_wrong_key_123456'));
    assert.ok(!JSON.stringify(bad).includes('rf_wrong_key_123456'));
  });

  it('403: names the missing scope', async () => {
    const readOnly = clientFor(emu, 1);
    const list = await readOnly.listIncidents({ limit: 1 });
    const err = await rejects(readOnly.acknowledgeIncident(list.items[0].incident_number));
    assert.equal(err.status, 403);
    assert.match(err.hint, /"incidents:write" scope/);
  });

  it('404: says what to check for the kind of thing asked for', async () => {
    const err = await rejects(client.getIncident('INC-2026-999'));
    assert.equal(err.status, 404);
    assert.match(err.message, /No incident INC-2026-999: check the incident number \(numbers look like INC-2026-001/);
    const svc = await rejects(client.getService('svc_ZZZZZZZZZZ'));
    assert.match(svc.message, /No service svc_ZZZZZZZZZZ: check the service keys/);
    assert.doesNotMatch(svc.message, /INC-2026/);
    const team = await rejects(client.getCurrentOnCall('No Such Team'));
    assert.match(team.message, /No team named "No Such Team": check the team name/);
    assert.doesNotMatch(team.message, /INC-2026/);
  });

  it('409: acknowledging twice says already acknowledged', async () => {
    const { items } = await client.listIncidents({ status: ['new'], limit: 1 });
    await client.acknowledgeIncident(items[0].incident_number);
    const err = await rejects(client.acknowledgeIncident(items[0].incident_number));
    assert.equal(err.status, 409);
    assert.equal(err.isConflict, true);
    assert.match(err.message, /already acknowledged/);
  });

  it('422: lists the fields the API rejected', async () => {
    const { items } = await client.listIncidents({ status: ['closed'], limit: 1 });
    const err = await rejects(client.changeIncidentStatus(items[0].incident_number, 'investigating'));
    assert.equal(err.status, 422);
    assert.equal(err.code, 'invalid_transition');
    const err2 = await rejects(client.listIncidents({ limit: 500 }));
    assert.equal(err2.status, 422);
    assert.match(err2.message, /Fields: limit: must be an integer from 1 to 100/);
  });

  it('429: carries Retry-After and says when to retry', async () => {
    emu.faults.add({ type: 'status', status: 429, retryAfterSeconds: 7 });
    const err = await rejects(client.listTeams());
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSeconds, 7);
    assert.match(err.hint, /retry after 7 s/);
  });

  for (const status of [500, 502, 503]) {
    it(`${status}: server error with a retry hint and the request id`, async () => {
      emu.faults.add({ type: 'status', status });
      const err = await rejects(client.listServices());
      assert.equal(err.status, status);
      assert.equal(err.kind, 'http');
      assert.match(err.hint, /server error.*Retry/);
      assert.ok(err.requestId?.startsWith('req_'));
    });
  }

  it('timeout: a stalled API fails after timeoutMs with a timeout error', async () => {
    emu.faults.add({ type: 'stall' });
    const quick = clientFor(emu, 0, { timeoutMs: 300 });
    const started = Date.now();
    const err = await rejects(quick.listTeams());
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /within 0.3 s/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('network: an unreachable API says so and names the URL', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const dead = new RunframeClient({ apiKey: 'rf_whatever_123', baseUrl: `http://127.0.0.1:${port}` });
    const err = await rejects(dead.listTeams());
    assert.equal(err.kind, 'network');
    assert.match(err.message, /ECONNREFUSED/);
    assert.match(err.message, new RegExp(`127.0.0.1:${port}`));
  });

  it('malformed JSON, empty body and a reset connection are typed errors', async () => {
    emu.faults.add({ type: 'malformed_json' });
    assert.equal((await rejects(client.listTeams())).code, 'invalid_json');
    emu.faults.add({ type: 'empty_body' });
    assert.equal((await rejects(client.listTeams())).code, 'empty_body');
    emu.faults.add({ type: 'reset' });
    assert.equal((await rejects(client.listTeams())).kind, 'network');
    emu.faults.add({ type: 'reset_mid_body' });
    const mid = await rejects(client.listTeams());
    assert.equal(mid.kind, 'network');
    assert.match(mid.message, /dropped while reading/);
  });

  it('outcomeUnknown: set where a write\'s answer is lost after sending, never read from the hint', async () => {
    const { items } = await client.listIncidents({ status: ['investigating'], limit: 1 });
    const number = items[0].incident_number;
    emu.faults.add({ type: 'reset', phase: 'after', method: 'POST', path: '/events' });
    const lost = await rejects(client.addIncidentEvent(number, 'lost answer'));
    assert.equal(lost.outcomeUnknown, true);
    assert.equal(lost.hint, UNKNOWN_OUTCOME_HINT);
    assert.equal(lost.withHint('More.').outcomeUnknown, true, 'withHint keeps the flag');
    emu.faults.add({ type: 'empty_body', method: 'POST', path: '/events' });
    assert.equal((await rejects(client.addIncidentEvent(number, 'empty'))).outcomeUnknown, true);
    // A read's lost answer changed nothing.
    emu.faults.add({ type: 'reset', phase: 'after', path: '/teams' });
    assert.equal((await rejects(client.listTeams())).outcomeUnknown, false);
    // The flag is not derived from the text: a hint that merely says the words does not set it.
    const worded = new RunframeApiError({ kind: 'http', status: 500, code: 'x', apiMessage: 'x', hint: UNKNOWN_OUTCOME_HINT, method: 'POST', path: '/x' });
    assert.equal(worded.outcomeUnknown, false);
  });

  it('refuses malformed identifiers before sending anything', async () => {
    const before = emu.requestCount;
    await assert.rejects(client.getIncident('SER-1'), RunframeInputError);
    await assert.rejects(client.createIncident({ title: 't', service_ids: ['SER-00001'] }), (e: Error) => e instanceof RunframeInputError && /service_ids\[0\].*legacy/.test(e.message));
    assert.equal(emu.requestCount, before);
    assert.throws(() => new RunframeClient({ apiKey: 'not-a-key' }), RunframeInputError);
    assert.throws(() => new RunframeClient({ apiKey: 'rf_goodkey_1', baseUrl: 'ftp://x' }), /https:\/\//);
  });
});

describe('API client retries (real HTTP)', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());
  const fast = { retry: { minDelayMs: 10 } };

  it('retries a GET after 503 and 502, then succeeds', async () => {
    emu.faults.add({ type: 'status', status: 503, path: '/teams' });
    emu.faults.add({ type: 'status', status: 502, path: '/teams' });
    const before = emu.requestCount;
    const teams = await clientFor(emu, 0, fast).listTeams();
    assert.equal(teams.items.length, 5);
    assert.deepEqual(emu.requests.slice(before).map((r) => r.status), [503, 502, 200]);
  });

  it('waits out a short Retry-After on 429', async () => {
    emu.faults.add({ type: 'status', status: 429, retryAfterSeconds: 1, path: '/teams' });
    const started = Date.now();
    await clientFor(emu, 0, fast).listTeams();
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
  });

  it('does not wait for a long Retry-After: the 429 comes back with its hint', async () => {
    emu.faults.add({ type: 'status', status: 429, retryAfterSeconds: 120, path: '/teams' });
    const before = emu.requestCount;
    const err = await rejects(clientFor(emu, 0, fast).listTeams());
    assert.equal(err.status, 429);
    assert.match(err.hint, /retry after 120 s/);
    assert.equal(emu.requestCount - before, 1);
  });

  it('gives up after the configured retries', async () => {
    emu.faults.add({ type: 'status', status: 500, path: '/teams', times: 10 });
    const before = emu.requestCount;
    const err = await rejects(clientFor(emu, 0, { retry: { minDelayMs: 10, retries: 2 } }).listTeams());
    assert.equal(err.status, 500);
    assert.equal(emu.requestCount - before, 3);
  });

  it('never retries a write without an Idempotency-Key, nor a 4xx', async () => {
    const client = clientFor(emu, 0, fast);
    const inc = (await client.listIncidents({ status: ['investigating'], limit: 1 })).items[0];
    emu.faults.add({ type: 'status', status: 503, path: '/events' });
    const before = emu.requestCount;
    await rejects(client.addIncidentEvent(inc.incident_number, 'once'));
    assert.equal(emu.requestCount - before, 1);
    const before404 = emu.requestCount;
    await rejects(client.getIncident('INC-2026-998'));
    assert.equal(emu.requestCount - before404, 1);
  });

  it('a create retried after the connection dropped post-commit makes exactly one incident', async () => {
    const client = clientFor(emu, 0, fast);
    const count = emu.store.state.incidents.length;
    emu.faults.add({ type: 'reset', phase: 'after', method: 'POST', path: '/api/v1/incidents' });
    const created = await client.createIncident({ title: 'Retry-safe create', severity: 'SEV3', service_ids: [emu.store.state.services[0].service_key] }, { idempotencyKey: 'retry-test-1' });
    assert.equal(emu.store.state.incidents.length, count + 1);
    assert.equal(created.title, 'Retry-safe create');
    const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/incidents');
    assert.equal(posts.length, 2, 'the first attempt committed, its answer was lost, the retry replayed');
  });
});

describe('API client tolerant parsing over HTTP', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  before(async () => {
    // A stand-in for an older deployment that answers in camelCase, with odd items mixed in.
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const payloads: Record<string, unknown> = {
        '/api/v1/incidents': { data: { items: [{ incidentNumber: 'INC-2026-001', title: 'A', severity: 'SEV1', assignedTo: 'sam@x.io' }, { nope: true }], total: 2, hasMore: false } },
        '/api/v1/on-call/current': { data: { services: [{ serviceKey: 'svc_K7QW2M9XHP', serviceName: 'API', hasCoverage: true, onCallEngineers: [{ name: 'Sam', shiftEndsAt: '2026-11-22T09:00:00Z' }] }] } },
        '/api/v1/teams': [{ name: 'Platform' }, { id: 'no-name' }],
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payloads[path] ?? { data: {} }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads camelCase lists, skips odd items, accepts a bare array without envelope', async () => {
    const client = new RunframeClient({ apiKey: 'rf_test_key_1', baseUrl: url });
    const page = await client.listIncidents();
    assert.equal(page.items.length, 1);
    assert.equal(page.skipped, 1);
    assert.deepEqual(page.items[0].assigned_to, { email: 'sam@x.io' });
    const oc = await client.getCurrentOnCall();
    assert.equal(oc.services[0].on_call_engineers[0].shift_ends_at, '2026-11-22T09:00:00Z');
    const teams = await client.listTeams();
    assert.deepEqual(teams.items.map((t) => t.name), ['Platform']);
  });

  it('sends the path under the base URL\'s own prefix with every filter encoded', async () => {
    const client = new RunframeClient({ apiKey: 'rf_test_key_1', baseUrl: `${url}/gateway/` });
    await client.listIncidents({ status: ['new', 'investigating'], team_name: 'Data & ML', limit: 2, offset: undefined });
    assert.equal(seen.at(-1), '/gateway/api/v1/incidents?status=new&status=investigating&team_name=Data+%26+ML&limit=2');
  });

  it('an unreadable single object is a typed error, not a crash', async () => {
    const client = new RunframeClient({ apiKey: 'rf_test_key_1', baseUrl: url });
    const err = await rejects(client.getIncident('INC-2026-001'));
    assert.equal(err.code, 'unreadable_payload');
  });
});
