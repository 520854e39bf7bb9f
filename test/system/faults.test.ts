/**
 * The fault matrix: each injected API fault against each kind of MCP consumer, over real stdio.
 * Every cell must end in a result or a tool error that says what happened and what to do, with
 * retries only where safe (reads, idempotent creates) and no write made twice or silently lost.
 * The observed matrix is printed at the end.
 */
import assert from 'node:assert/strict';
import { RunframeClient } from '../../src/api/client';
import { RunframeApiError } from '../../src/api/errors';
import type { FaultSpec, TestEmulator } from '../../src/emulator/testHarness';
import { loadOpenIncidents } from '../../src/extension/state/cockpitQueries';
import { describeError } from '../../src/extension/errorMessages';
import { Loadable } from '../../src/extension/state/loadable';
import { call, connectMcp, startTestEmulator, type McpSession } from '../helpers';

/**
 * A fault, with what it does to the one request it hits: the status the emulator logs for that
 * request ('answer' for the normal one, 0 when no complete answer went out), and what a failure
 * caused by it must say happened.
 */
type Fault = { name: string; spec: (path: RegExp, method: string) => FaultSpec[]; logged: number | 'answer'; said?: RegExp };
const rid = 'request id req_[0-9a-f]+';
const FAULTS: Fault[] = [
  { name: 'latency 300 ms', spec: (path, method) => [{ type: 'delay', ms: 300, path, method }], logged: 'answer' },
  { name: 'stall past timeout', spec: (path, method) => [{ type: 'stall', path, method }], logged: 0, said: /No answer from the Runframe API within 0\.8 s \(timeout\)\./ },
  { name: '429 Retry-After 1', spec: (path, method) => [{ type: 'status', status: 429, retryAfterSeconds: 1, path, method }], logged: 429, said: new RegExp(`Too many requests \\(HTTP 429, rate_limited, ${rid}\\)\\.`) },
  ...[500, 502, 503].map((status): Fault => ({
    name: String(status), spec: (path, method) => [{ type: 'status', status, path, method }], logged: status,
    said: new RegExp(`Injected fault: HTTP ${status} \\(HTTP ${status}, injected_fault, ${rid}\\)\\. Runframe had a server error \\(HTTP ${status}\\)\\.`),
  })),
  { name: 'malformed JSON', spec: (path, method) => [{ type: 'malformed_json', path, method }], logged: 200, said: new RegExp(`answered with something that is not JSON \\(HTTP 200, invalid_json, ${rid}\\)\\.`) },
  { name: 'empty body', spec: (path, method) => [{ type: 'empty_body', path, method }], logged: 200, said: new RegExp(`answered with an empty body \\(HTTP 200, empty_body, ${rid}\\)\\.`) },
  { name: 'reset mid-body', spec: (path, method) => [{ type: 'reset_mid_body', path, method }], logged: 0, said: new RegExp(`dropped while reading the answer \\(ECONNRESET\\) \\(HTTP 200, network_error, ${rid}\\)\\.`) },
  { name: 'reset after commit', spec: (path, method) => [{ type: 'reset', phase: 'after', path, method }], logged: 0, said: /dropped before it answered \(ECONNRESET\) \(network_error\)\./ },
  { name: 'malformed after commit', spec: (path, method) => [{ type: 'malformed_json', phase: 'after', path, method }], logged: 200, said: new RegExp(`answered with something that is not JSON \\(HTTP 200, invalid_json, ${rid}\\)\\.`) },
];
/** Faults a safe request retries past: 429, 5xx and dropped connections. */
const TRANSIENT = ['429 Retry-After 1', '500', '502', '503', 'reset mid-body', 'reset after commit'];
/** What to do next, for an error that is not about a write of unknown outcome. */
const NEXT_STEP: Record<string, RegExp> = {
  'stall past timeout': /Check the API URL \(http:\/\/127\.0\.0\.1:\d+\) and your network, then retry\./,
  '429 Retry-After 1': /Rate limited by Runframe: retry after 1 s\./,
  '500': /Retry in a moment; if it persists, check Runframe's status page\./,
  '502': /Retry in a moment; if it persists, check Runframe's status page\./,
  '503': /Retry in a moment; if it persists, check Runframe's status page\./,
  'malformed JSON': /Retry; if it persists, check that the API URL points at Runframe/,
  'empty body': /Retry; if it persists, check that the API URL points at Runframe/,
  'malformed after commit': /Retry; if it persists, check that the API URL points at Runframe/,
};

interface Consumer {
  name: string;
  tool: string;
  method: string;
  path: RegExp;
  /** the path of its request, and the status of a normal answer */
  at: string;
  ok: number;
  /** retried on 429/5xx/dropped connections */
  safe: boolean;
  args: (n: number) => Record<string, unknown>;
  /** how many times the write of call `n` landed in the emulator's state */
  writes?: (emu: TestEmulator, n: number) => number;
}

describe('fault matrix: every fault against every kind of MCP consumer', function () {
  this.timeout(120_000);
  let emu: TestEmulator;
  let mcp: McpSession;
  const matrix: string[] = [];
  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all', RUNFRAME_TIMEOUT_MS: '800' });
  });
  after(async () => {
    process.stderr.write(`\n      fault matrix (outcome, API requests sent):\n${matrix.map((l) => `      ${l}`).join('\n')}\n`);
    await mcp.close();
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  const inc = 'INC-2026-030';
  const svc = () => emu.store.state.services[0].service_key;
  const consumers: Consumer[] = [
    { name: 'read list', tool: 'runframe_list_incidents', method: 'GET', path: /^\/api\/v1\/incidents$/, at: '/api/v1/incidents', ok: 200, safe: true, args: () => ({ limit: 5 }) },
    { name: 'read one', tool: 'runframe_get_incident', method: 'GET', path: /^\/api\/v1\/incidents\/INC-2026-030$/, at: `/api/v1/incidents/${inc}`, ok: 200, safe: true, args: () => ({ id: inc }) },
    {
      name: 'timeline note', tool: 'runframe_add_incident_event', method: 'POST', path: /\/events$/, at: `/api/v1/incidents/${inc}/events`, ok: 201, safe: false,
      args: (n) => ({ id: inc, comment: `fault-note-${n}` }),
      writes: (e, n) => e.store.state.incidents.find((i) => i.incident_number === inc)!.timeline!.filter((t) => t.comment === `fault-note-${n}`).length,
    },
    {
      name: 'create (idempotent)', tool: 'runframe_create_incident', method: 'POST', path: /^\/api\/v1\/incidents$/, at: '/api/v1/incidents', ok: 201, safe: true,
      args: (n) => ({ title: `fault-create-${n}`, severity: 'SEV3', service_ids: [svc()] }),
      writes: (e, n) => e.store.state.incidents.filter((i) => i.title === `fault-create-${n}`).length,
    },
    {
      name: 'page someone', tool: 'runframe_page_someone', method: 'POST', path: /\/page$/, at: `/api/v1/incidents/${inc}/page`, ok: 201, safe: false,
      args: (n) => ({ incident_id: inc, email: 'hana.sato@northwind.example', channels: ['email'], message: `fault-page-${n}` }),
      writes: (e, n) => e.store.state.incidents.find((i) => i.incident_number === inc)!.timeline!.filter((t) => t.comment?.includes(`fault-page-${n}`)).length,
    },
  ];

  let n = 0;
  for (const consumer of consumers) {
    for (const fault of FAULTS) {
      it(`${consumer.name} x ${fault.name}`, async () => {
        const id = ++n;
        for (const spec of fault.spec(consumer.path, consumer.method)) emu.faults.add(spec);
        const before = emu.requestCount;
        const first = emu.requests.length;
        const r = await call(mcp, consumer.tool, consumer.args(id));
        const sent = emu.requestCount - before;
        const requests = emu.requests.slice(first).map((q) => `${q.method} ${q.path} ${q.status}`);
        const hit = `${consumer.method} ${consumer.at} ${fault.logged === 'answer' ? consumer.ok : fault.logged}`;
        const applied = consumer.writes?.(emu, id);
        const after = fault.name.endsWith('after commit');
        const transient = TRANSIENT.includes(fault.name);
        matrix.push(`${consumer.name.padEnd(20)} ${fault.name.padEnd(24)} ${r.isError ? `error: ${r.text.replace(/^[a-z_]+ failed: /, '').slice(0, 150)}` : 'ok'} (${sent} request${sent === 1 ? '' : 's'}${applied !== undefined ? `, applied ${applied}x` : ''})`);

        if (fault.name === 'latency 300 ms') {
          assert.equal(r.isError, false, r.text);
          assert.deepEqual(requests, [hit], 'one request, answered late');
        } else if (consumer.safe && transient) {
          // Safe to retry: it was, once, and the retry was answered.
          assert.equal(r.isError, false, r.text);
          assert.deepEqual(requests, [hit, `${consumer.method} ${consumer.at} ${consumer.ok}`], 'the faulted request, then one retry');
        } else {
          assert.equal(r.isError, true, 'the failure is reported');
          // Writes that are not idempotent are never retried; timeouts and unreadable answers are not retried at all.
          assert.deepEqual(requests, [hit], 'one request, not retried');
          assert.match(r.text, new RegExp(`^${consumer.tool} failed: `));
          assert.match(r.text, fault.said!, `says what happened: ${r.text}`);
          const unknownOutcome = !consumer.safe && (after || ['stall past timeout', 'malformed JSON', 'empty body', 'reset mid-body'].includes(fault.name));
          assert.match(r.text, unknownOutcome ? /The change may or may not have been applied: check the incident before trying again\./ : NEXT_STEP[fault.name], `says what to do: ${r.text}`);
          if (consumer.tool === 'runframe_create_incident') assert.match(r.text, /To retry without risk.*idempotency_key "mcp-[0-9a-f-]{36}"/);
          if (fault.name.startsWith('429')) assert.match(r.text, /retry after 1 s/);
        }
        assert.equal(sent, requests.length, 'the request log holds every request of the call');
        if (applied !== undefined) {
          assert.ok(applied <= 1, `applied ${applied} times: a duplicate write`);
          if (!r.isError || after) assert.equal(applied, 1, 'a write the API committed is not lost');
        }
      });
    }
  }

  it('the same key replays a create whose answer was lost, without a second incident', async () => {
    emu.faults.add({ type: 'malformed_json', phase: 'after', method: 'POST', path: /^\/api\/v1\/incidents$/ });
    const first = await call(mcp, 'runframe_create_incident', { title: 'lost answer', severity: 'SEV3', service_ids: [svc()] });
    assert.equal(first.isError, true);
    const key = /idempotency_key "([^"]+)"/.exec(first.text)![1];
    const again = await call(mcp, 'runframe_create_incident', { title: 'lost answer', severity: 'SEV3', service_ids: [svc()], idempotency_key: key });
    assert.equal(again.isError, false, again.text);
    assert.equal(emu.store.state.incidents.filter((i) => i.title === 'lost answer').length, 1);
  });
});

describe('fault matrix: the sidebar refresh (the views\' loader and shared resource)', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator({ extraOpenIncidents: 150 });
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));

  for (const fault of FAULTS) {
    it(`refresh x ${fault.name}: keeps the last good list and says what happened`, async () => {
      // A short timeout only where the timeout is the fault: a busy machine must not fail the others.
      const client = new RunframeClient({ apiKey: emu.keys[0].key, baseUrl: emu.url, timeoutMs: fault.name.startsWith('stall') ? 800 : 10_000, retry: { minDelayMs: 10 } });
      const loadable = new Loadable(() => loadOpenIncidents(client));
      await loadable.refresh();
      const good = loadable.state.value!.map((i) => i.incident_number);
      assert.equal(good.length, 162);
      for (const spec of fault.spec(/^\/api\/v1\/incidents$/, 'GET')) emu.faults.add({ ...spec, times: 1 });
      const first = emu.requests.length;
      await loadable.refresh();
      const requests = emu.requests.slice(first).map((q) => `${q.method} ${q.path} ${q.status}`);
      const { value, error } = loadable.state;
      assert.deepEqual(value?.map((i) => i.incident_number), good, 'the same list stays on screen');
      // 162 open incidents are two pages; the fault hits the first request.
      const page = 'GET /api/v1/incidents 200';
      const hit = `GET /api/v1/incidents ${fault.logged === 'answer' ? 200 : fault.logged}`;
      if (fault.name === 'latency 300 ms') {
        assert.equal(error, undefined, describeError(error));
        assert.deepEqual(requests, [hit, page], 'both pages, once each');
      } else if (TRANSIENT.includes(fault.name)) {
        assert.equal(error, undefined, `${fault.name} is retried past: ${describeError(error)}`);
        assert.deepEqual(requests, [hit, page, page], 'the faulted first page, its retry, then the second page');
      } else {
        assert.ok(error instanceof RunframeApiError, `${fault.name} fails the refresh: ${String(error)}`);
        assert.deepEqual(requests, [hit], 'stops at the failed first page, not retried');
        assert.match(describeError(error), fault.said!, `says what happened: ${describeError(error)}`);
        assert.match(describeError(error), NEXT_STEP[fault.name], `says what to do: ${describeError(error)}`);
      }
      assert.equal(unhandled.length, 0, 'no unhandled rejection');
    });
  }
});
