/**
 * Fuzzing of whole JSON-RPC envelopes (not only tool arguments) on both transports (issue 19):
 * bad JSON, batches, wrong jsonrpc/id/method/params types, extra keys, odd `_meta`, deep nesting,
 * byte-order marks, real methods with random params. Every message that JSON-RPC says must be
 * answered is answered, with its id when it has a usable one; at the end the server is alive and
 * no HTTP concurrency slot is held. Messages per transport: RUNFRAME_FUZZ_RUNS (default 150 in
 * `npm test`, 10,000 in `npm run test:stress`), seeded like test/system/fuzz.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fc from 'fast-check';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { anyValue, HTTP_TOKEN, rawHttp, SERVER_JS, startHttpMcp, startTestEmulator, type HttpServerProcess } from '../helpers';

const RUNS = Number(process.env.RUNFRAME_FUZZ_RUNS ?? 150);
const SEED = process.env.RUNFRAME_FUZZ_SEED === 'random' ? undefined : Number(process.env.RUNFRAME_FUZZ_SEED ?? 20261130);

const METHODS = ['ping', 'initialize', 'tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel', 'notifications/initialized', 'notifications/cancelled', 'no/such', ''];
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 16 }), fc.constant(null), fc.double(), fc.boolean(), fc.constant({}), fc.constant([1]));
const params = fc.oneof(
  anyValue,
  fc.record({ _meta: anyValue }, { requiredKeys: [] }),
  fc.record({ _meta: fc.record({ progressToken: anyValue }) }),
  fc.record({ name: fc.constantFrom('runframe_list_teams', 'runframe_get_incident', 'triage_incident', 'handoff_summary', 'nope'), arguments: anyValue }, { requiredKeys: [] }),
  fc.record({ uri: fc.constantFrom('runframe://incidents/open', 'runframe://oncall/current', 'runframe://incidents/INC-2026-001', 'runframe://incidents/%', 'file:///etc/passwd') }),
  fc.record({ ref: fc.oneof(anyValue, fc.constant({ type: 'ref/prompt', name: 'triage_incident' })), argument: fc.oneof(anyValue, fc.constant({ name: 'incident_number', value: 'INC' })) }, { requiredKeys: [] }),
  fc.record({ requestId: id, reason: anyValue }, { requiredKeys: [] }),
  fc.integer({ min: 60, max: 3000 }).map((n) => JSON.parse(`{"_meta":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`)),
);
/** Mostly plausible envelopes (so real handlers run), some with every field wrong. */
const envelope = fc.oneof(
  { weight: 4, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.string({ minLength: 1, maxLength: 12 })), method: fc.constantFrom(...METHODS), params }, { requiredKeys: ['jsonrpc', 'id', 'method'] }) },
  { weight: 2, arbitrary: fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.integer()), id, method: fc.oneof(fc.constantFrom(...METHODS), fc.integer(), fc.constant(null)), params, result: anyValue, error: anyValue, extra: anyValue }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), method: fc.constantFrom(...METHODS), params }, { requiredKeys: ['jsonrpc', 'method'] }) },
);
const message: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: envelope.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.array(envelope, { maxLength: 3 }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v) ?? 'undefined') },
  { weight: 1, arbitrary: envelope.map((e) => '\ufeff' + JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).filter((s) => s.trim() !== '') },
).map((text) => text.replace(/[\r\n]/g, ' '));

/**
 * What JSON-RPC 2.0 requires of the server for `text`: `undefined` when no answer is due (a
 * notification or a response), else the id the answer must carry (null when none is usable).
 */
function answerDue(text: string): { id: unknown } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return { id: null };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { id: null };
  const m = v as Record<string, unknown>;
  const usableId = typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id)) ? m.id : null;
  if ('method' in m) {
    if ('id' in m) return { id: usableId };
    return typeof m.method === 'string' && m.method !== '' && m.jsonrpc === '2.0' ? undefined : { id: null };
  }
  if ('result' in m || 'error' in m) return undefined;
  return { id: usableId };
}

describe('fuzzed JSON-RPC envelopes: every request answered, server alive', function () {
  this.timeout(Math.max(120_000, RUNS * 60));
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it(`stdio: ${RUNS} messages`, async () => {
    const proc = spawn(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: emu.keys[0].key, RUNFRAME_API_URL: emu.url }, stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = '';
    const answers: { id?: unknown }[] = [];
    let wake: (() => void) | undefined;
    proc.stdout.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
      wake?.();
    });
    /** The next `n` answers (they come in any order: a ping overtakes a slow read). */
    const take = async (n: number, what: string) => {
      const deadline = Date.now() + 15_000;
      while (answers.length < n) {
        assert.ok(Date.now() < deadline && proc.exitCode === null, `no answer to ${what.slice(0, 300)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      return answers.splice(0, n);
    };
    let seq = 0;
    try {
      await fc.assert(
        fc.asyncProperty(message, async (text) => {
          const due = answerDue(text);
          proc.stdin.write(text + '\n');
          // A ping after each message, so a message that is (wrongly) not answered is noticed at once.
          const probe = `probe-${++seq}`;
          proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: probe, method: 'ping' }) + '\n');
          // The ping's answer, and the message's when one is due: nothing else (a stray answer shows up here next time).
          const got = (await take(due ? 2 : 1, text)).map((a) => a.id);
          const want = due ? [probe, due.id] : [probe];
          assert.deepEqual(new Set(got), new Set(want), `answers ${JSON.stringify(got)} to ${text.slice(0, 300)}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      assert.equal(proc.exitCode, null, 'alive');
    } finally {
      proc.stdin.end();
      if (proc.exitCode === null) await once(proc, 'exit');
    }
  });

  it(`HTTP: ${RUNS} messages, then no slot is held`, async () => {
    const srv: HttpServerProcess = await startHttpMcp(emu.url, emu.keys[0].key, { MCP_HTTP_MAX_CONCURRENT: '4' });
    const headers = { authorization: `Bearer ${HTTP_TOKEN}` };
    try {
      await fc.assert(
        fc.asyncProperty(message, async (text) => {
          const due = answerDue(text);
          const r = await rawHttp(srv.port, { headers, body: text });
          assert.ok(r.status < 500, `${r.status} for ${text.slice(0, 300)}: ${r.body.slice(0, 200)}`);
          if (due) assert.deepEqual(JSON.parse(r.body).id, due.id, `${text.slice(0, 300)} -> ${r.body.slice(0, 200)}`);
          else assert.ok(r.status === 202 || r.status === 400 || r.status === 200, `${r.status} for ${text.slice(0, 300)}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // Three slow calls at once from one client: all served only if no slot leaked (4 slots,
      // a client may take all but a quarter of them).
      emu.faults.add({ type: 'delay', ms: 300, path: '/teams', times: 3 });
      const calls = await Promise.all([1, 2, 3].map((i) => rawHttp(srv.port, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'runframe_list_teams', arguments: {} } }) })));
      assert.deepEqual(calls.map((c) => c.status), [200, 200, 200]);
      assert.equal((await rawHttp(srv.port, { method: 'GET', path: '/healthz' })).status, 200, 'alive');
    } finally {
      await srv.stop();
    }
  });
});
