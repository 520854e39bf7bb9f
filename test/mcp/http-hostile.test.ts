/**
 * Hostile clients of the HTTP transport (issue 19): every malformed request answered at once
 * with its id, no client taking the server from the others, cancellation scoped to the client,
 * readiness probes that cannot flood the API, and the Streamable HTTP details.
 */
import assert from 'node:assert/strict';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { HTTP_TOKEN, OLD_HTTP_TOKEN, rawHttp as raw, startHttpMcp, startTestEmulator, type HttpServerProcess } from '../helpers';

const bearer = (t = HTTP_TOKEN) => ({ authorization: `Bearer ${t}` });
const listTeams = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'runframe_list_teams', arguments: {} } });

/** Resolves once the emulator has received `n` requests on `path` (they may still be stalled). */
async function arrived(emu: TestEmulator, path: string, n: number): Promise<void> {
  while (emu.requests.filter((r) => r.path.endsWith(path)).length < n) await new Promise((r) => setTimeout(r, 10));
}

describe('MCP HTTP against hostile clients', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  let srv: HttpServerProcess;
  before(async () => {
    emu = await startTestEmulator();
    // Few slots, so a request that held one past its answer would show at once.
    srv = await startHttpMcp(emu.url, emu.keys[0].key, { MCP_HTTP_MAX_CONCURRENT: '4' });
  });
  after(async () => {
    await srv?.stop();
    await emu?.close();
  });
  afterEach(() => {
    emu.faults.clear();
    emu.requests.length = 0;
  });

  describe('#19.1 every malformed request is answered at once with its id', () => {
    const deep = `{"_meta":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    const cases: [string, string, number][] = [
      ['params null', '{"jsonrpc":"2.0","id":21,"method":"ping","params":null}', -32602],
      ['params a string', '{"jsonrpc":"2.0","id":22,"method":"tools/list","params":"x"}', -32602],
      ['params an array', '{"jsonrpc":"2.0","id":23,"method":"prompts/list","params":[1]}', -32602],
      ['an extra top-level key', '{"jsonrpc":"2.0","id":24,"method":"ping","extra":1}', -32600],
      ['_meta not an object', '{"jsonrpc":"2.0","id":25,"method":"resources/list","params":{"_meta":"x"}}', -32602],
      ['nesting 100,000 deep in _meta', `{"jsonrpc":"2.0","id":26,"method":"ping","params":${deep}}`, -32602],
      ['tools/call with params null', '{"jsonrpc":"2.0","id":"s","method":"tools/call","params":null}', -32602],
    ];
    for (const [name, body, code] of cases) {
      it(`${name}: 400 with ${code} and the request's id`, async () => {
        const r = await raw(srv.port, { headers: bearer(), body });
        assert.equal(r.status, 400, r.body);
        const answer = JSON.parse(r.body);
        assert.equal(answer.error.code, code, r.body);
        assert.equal(answer.id, JSON.parse(body.length > 1000 ? body.replace(deep, '{}') : body).id);
        assert.ok(!/at \w+ \(/.test(r.body), 'no stack trace');
      });
    }

    it('holds no slot: many malformed requests, then a call is still served', async () => {
      await Promise.all(Array.from({ length: 16 }, (_, i) => raw(srv.port, { headers: bearer(), body: `{"jsonrpc":"2.0","id":${i},"method":"ping","params":null}` })));
      const r = await raw(srv.port, { headers: bearer(), body: listTeams(99) });
      assert.equal(r.status, 200, r.body);
    });
  });

  it('#19.1 fairness: one client filling the slots leaves a share to another client', async () => {
    // Four calls of one token stall in the API: it gets three slots, the fourth is refused
    // (503), and the other token is served meanwhile.
    emu.faults.add({ type: 'stall', path: '/teams', times: 3 });
    const hog = [1, 2, 3].map((i) => raw(srv.port, { headers: bearer(), body: listTeams(i) }));
    await arrived(emu, '/teams', 3);
    const fourth = await raw(srv.port, { headers: bearer(), body: listTeams(4) });
    assert.equal(fourth.status, 503);
    assert.equal(fourth.headers['retry-after'], '1');
    const other = await raw(srv.port, { headers: bearer(OLD_HTTP_TOKEN), body: listTeams(5) });
    assert.equal(other.status, 200, other.body);
    assert.equal(JSON.parse(other.body).id, 5);
    // Cancel the stalled calls (their own client), so nothing is left holding a slot.
    for (const id of [1, 2, 3]) await raw(srv.port, { headers: bearer(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id } }) });
    assert.deepEqual((await Promise.all(hog)).map((r) => JSON.parse(r.body).error?.code), [-32800, -32800, -32800]);
  });

  it('#19.2 cancellation reaches the request it names from the client that sent it, never another client\'s', async () => {
    emu.faults.add({ type: 'delay', ms: 1500, path: '/teams', times: 1 });
    const a = raw(srv.port, { headers: bearer(), body: listTeams(7) });
    await arrived(emu, '/teams', 1);
    // Another client names the same id: A's call goes on and gets its result.
    const foreign = await raw(srv.port, { headers: bearer(OLD_HTTP_TOKEN), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }) });
    assert.equal(foreign.status, 202);
    const answered = JSON.parse((await a).body);
    assert.equal(answered.id, 7);
    assert.ok(answered.result, 'A got its result');

    // A cancels its own stalled call: answered at once with the cancellation, and its API request ends.
    emu.faults.add({ type: 'stall', path: '/teams', times: 1 });
    const own = raw(srv.port, { headers: bearer(), body: listTeams(8) });
    await arrived(emu, '/teams', 2);
    const cancel = await raw(srv.port, { headers: bearer(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 8, reason: 'user stopped' } }) });
    assert.equal(cancel.status, 202);
    const r = JSON.parse((await own).body);
    assert.deepEqual([r.id, r.error?.code], [8, -32800]);
  });

  it('#19.9 /readyz: 30 concurrent probes against a slow API make one verify call', async () => {
    emu.faults.add({ type: 'delay', ms: 500, path: '/auth/verify', times: 30 });
    const probes = await Promise.all(Array.from({ length: 30 }, () => raw(srv.port, { method: 'GET', path: '/readyz' })));
    assert.deepEqual([...new Set(probes.map((p) => p.status))], [200]);
    assert.equal(emu.requests.filter((r) => r.path.endsWith('/auth/verify')).length, 1);
  });

  describe('#19.11 Streamable HTTP details', () => {
    it('an unsupported MCP-Protocol-Version gets 400', async () => {
      const r = await raw(srv.port, { headers: { ...bearer(), 'mcp-protocol-version': '1999-01-01' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
      assert.equal(r.status, 400);
      assert.match(r.body, /Unsupported protocol version/);
    });
    it('the bearer scheme in any case is accepted', async () => {
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        const r = await raw(srv.port, { headers: { authorization: `${scheme} ${HTTP_TOKEN}` }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
        assert.equal(r.status, 200, scheme);
      }
    });
    it('HEAD /healthz answers 200 without a body', async () => {
      const r = await raw(srv.port, { method: 'HEAD', path: '/healthz' });
      assert.equal(r.status, 200);
      assert.equal(r.body, '');
    });
  });
});

describe('MCP HTTP deadline answers carry the request id', function () {
  this.timeout(30_000);
  it('#19.11 a 504 at the response deadline names the request', async () => {
    const emu = await startTestEmulator();
    const srv = await startHttpMcp(emu.url, emu.keys[0].key, { MCP_HTTP_RESPONSE_TIMEOUT_MS: '300' });
    try {
      emu.faults.add({ type: 'stall', path: '/teams', times: 1 });
      const r = await raw(srv.port, { headers: bearer(), body: listTeams('late-1') });
      assert.equal(r.status, 504);
      assert.equal(JSON.parse(r.body).id, 'late-1');
    } finally {
      await srv.stop();
      await emu.close();
    }
  });
});
