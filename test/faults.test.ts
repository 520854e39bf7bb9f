/**
 * The fault matrix: each injected API fault against each kind of MCP consumer, over real stdio.
 * Every cell must end in a result or a tool error that says what happened and what to do, with
 * retries only where safe (reads, idempotent creates) and no write made twice or silently lost.
 * The observed matrix is printed at the end.
 */
import assert from 'node:assert/strict';
import { RunframeClient } from '../src/api/client';
import type { FaultSpec, TestEmulator } from '../src/emulator/testHarness';
import { loadOpenIncidents } from '../src/extension/state/cockpitQueries';
import { describeError } from '../src/extension/errorMessages';
import { Loadable } from '../src/extension/state/loadable';
import { call, connectMcp, startTestEmulator, type McpSession } from './helpers';

type Fault = { name: string; spec: (path: RegExp, method: string) => FaultSpec[] };
const FAULTS: Fault[] = [
  { name: 'latency 300 ms', spec: (path, method) => [{ type: 'delay', ms: 300, path, method }] },
  { name: 'stall past timeout', spec: (path, method) => [{ type: 'stall', path, method }] },
  { name: '429 Retry-After 1', spec: (path, method) => [{ type: 'status', status: 429, retryAfterSeconds: 1, path, method }] },
  { name: '500', spec: (path, method) => [{ type: 'status', status: 500, path, method }] },
  { name: '502', spec: (path, method) => [{ type: 'status', status: 502, path, method }] },
  { name: '503', spec: (path, method) => [{ type: 'status', status: 503, path, method }] },
  { name: 'malformed JSON', spec: (path, method) => [{ type: 'malformed_json', path, method }] },
  { name: 'empty body', spec: (path, method) => [{ type: 'empty_body', path, method }] },
  { name: 'reset mid-body', spec: (path, method) => [{ type: 'reset_mid_body', path, method }] },
  { name: 'reset after commit', spec: (path, method) => [{ type: 'reset', phase: 'after', path, method }] },
  { name: 'malformed after commit', spec: (path, method) => [{ type: 'malformed_json', phase: 'after', path, method }] },
];

interface Consumer {
  name: string;
  tool: string;
  method: string;
  path: RegExp;
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
    { name: 'read list', tool: 'runframe_list_incidents', method: 'GET', path: /^\/api\/v1\/incidents$/, safe: true, args: () => ({ limit: 5 }) },
    { name: 'read one', tool: 'runframe_get_incident', method: 'GET', path: /^\/api\/v1\/incidents\/INC-2026-030$/, safe: true, args: () => ({ id: inc }) },
    {
      name: 'timeline note', tool: 'runframe_add_incident_event', method: 'POST', path: /\/events$/, safe: false,
      args: (n) => ({ id: inc, comment: `fault-note-${n}` }),
      writes: (e, n) => e.store.state.incidents.find((i) => i.incident_number === inc)!.timeline!.filter((t) => t.comment === `fault-note-${n}`).length,
    },
    {
      name: 'create (idempotent)', tool: 'runframe_create_incident', method: 'POST', path: /^\/api\/v1\/incidents$/, safe: true,
      args: (n) => ({ title: `fault-create-${n}`, severity: 'SEV3', service_ids: [svc()] }),
      writes: (e, n) => e.store.state.incidents.filter((i) => i.title === `fault-create-${n}`).length,
    },
    {
      name: 'page someone', tool: 'runframe_page_someone', method: 'POST', path: /\/page$/, safe: false,
      args: (n) => ({ incident_id: inc, email: 'hana.sato@northwind.example', message: `fault-page-${n}` }),
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
        const r = await call(mcp, consumer.tool, consumer.args(id));
        const sent = emu.requestCount - before;
        const applied = consumer.writes?.(emu, id);
        const after = fault.name.endsWith('after commit');
        const transient = ['429 Retry-After 1', '500', '502', '503', 'reset mid-body', 'reset after commit'].includes(fault.name);
        matrix.push(`${consumer.name.padEnd(20)} ${fault.name.padEnd(24)} ${r.isError ? `error: ${r.text.replace(/^[a-z_]+ failed: /, '').slice(0, 150)}` : 'ok'} (${sent} request${sent === 1 ? '' : 's'}${applied !== undefined ? `, applied ${applied}x` : ''})`);

        if (fault.name === 'latency 300 ms') assert.equal(r.isError, false, r.text);
        else if (consumer.safe && transient) {
          // Safe to retry: it was, and it worked.
          assert.equal(r.isError, false, r.text);
          assert.ok(sent >= 2, `retried (${sent} requests)`);
        } else {
          assert.equal(r.isError, true, 'the failure is reported');
          assert.ok(r.text.length > 40, 'says what happened and what to do');
          if (!consumer.safe) assert.equal(sent, 1, 'a write that is not idempotent is never retried');
          if (fault.name === 'stall past timeout') assert.match(r.text, /No answer from the Runframe API within 0\.8 s/);
          if (!consumer.safe && (after || ['stall past timeout', 'malformed JSON', 'empty body', 'reset mid-body'].includes(fault.name))) {
            assert.match(r.text, /may or may not have been applied: check the incident/);
          }
          if (consumer.tool === 'runframe_create_incident') assert.match(r.text, /idempotency_key "mcp-[0-9a-f-]{36}"/);
          if (fault.name.startsWith('429')) assert.match(r.text, /retry after 1 s/);
        }
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
      const client = new RunframeClient({ apiKey: emu.keys[0].key, baseUrl: emu.url, timeoutMs: 800, retry: { minDelayMs: 10 } });
      const loadable = new Loadable(() => loadOpenIncidents(client));
      await loadable.refresh();
      const good = loadable.state.value!.length;
      assert.equal(good, 162);
      for (const spec of fault.spec(/^\/api\/v1\/incidents$/, 'GET')) emu.faults.add({ ...spec, times: 1 });
      await loadable.refresh();
      const { value, error } = loadable.state;
      assert.equal(value?.length, good, 'the last good list stays on screen');
      if (error) assert.ok(describeError(error).length > 30, describeError(error));
      else assert.ok(['latency 300 ms', '429 Retry-After 1', '500', '502', '503', 'reset mid-body', 'reset after commit'].includes(fault.name), `${fault.name} should have failed`);
      assert.equal(unhandled.length, 0, 'no unhandled rejection');
    });
  }
});
