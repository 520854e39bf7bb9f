/**
 * Team mode: per-person keys (--auth per-user), Prometheus metrics on their own port, JSON logs
 * with the request id, and the not-ready-then-drain shutdown. The real server over real HTTP
 * against the emulator.
 */
import assert from 'node:assert/strict';
import { SCOPES } from '../../src/domain/contract';
import { DEMO_USER_EMAIL } from '../../src/emulator/seed';
import { defaultApiKeys, generateApiKey } from '../../src/emulator/server';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { toolsForScopes } from '../../src/mcp/scopes';
import { TOOLS } from '../../src/mcp/tools';
import { rawHttp, rpcBody, spawnHttpServer, startTestEmulator, validToolArgs, type HttpServerProcess } from '../helpers';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const toolNames = async (srv: HttpServerProcess, key: string): Promise<string[]> => {
  const r = await rawHttp(srv.port, { headers: bearer(key), body: rpcBody(1, 'tools/list') });
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body).result.tools.map((t: { name: string }) => t.name);
};
const callTool = async (srv: HttpServerProcess, key: string, name: string, args: Record<string, unknown> = {}) => {
  const r = await rawHttp(srv.port, { headers: bearer(key), body: rpcBody(2, 'tools/call', { name, arguments: args }) });
  return { status: r.status, json: JSON.parse(r.body || '{}'), headers: r.headers, body: r.body };
};
const verifyCount = (emu: TestEmulator) => emu.requests.filter((r) => r.path.endsWith('/auth/verify')).length;

describe('tool scopes', () => {
  it('each tool works with a key holding only the scopes it is listed for (no 403 from the API)', async function () {
    this.timeout(30_000);
    // One key per scope; each tool is called with the key of its (single) scope.
    const keys = SCOPES.map((scope) => ({ key: generateApiKey(scope.replace(':', '_')), scopes: [scope], user_email: DEMO_USER_EMAIL }));
    const emu = await startTestEmulator({ apiKeys: keys });
    const srv = await spawnHttpServer({ RUNFRAME_API_URL: emu.url, RUNFRAME_TOOLSETS: 'all', MCP_AUTH_MODE: 'per-user' });
    try {
      const args = validToolArgs(emu);
      for (const tool of TOOLS) {
        const key = keys.find((k) => k.scopes[0] === tool.scope)!.key;
        assert.ok((await toolNames(srv, key)).includes(tool.name), tool.name);
        const before = emu.requestCount;
        const r = await callTool(srv, key, tool.name, args[tool.name]);
        assert.equal(r.status, 200, tool.name);
        const n = emu.requestCount - before;
        const sent = (n ? emu.requests.slice(-n) : []).filter((q) => !q.path.endsWith('/auth/verify'));
        assert.ok(sent.length > 0, `${tool.name} sent no API request`);
        assert.deepEqual(sent.filter((q) => q.status === 403).map((q) => q.path), [], `${tool.name} was refused for lack of a scope`);
      }
    } finally {
      await srv.stop();
      await emu.close();
    }
  });
});

describe('per-user keys (--auth per-user)', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  let srv: HttpServerProcess;
  // A second full-scope key that acts as another person, to see whose name actions carry.
  const jonasEmail = DEMO_USER_EMAIL.replace(/^[^@]+/, 'jonas.becker');
  const jonasKey = generateApiKey('jonas');
  const [full, readOnly] = defaultApiKeys();
  before(async () => {
    emu = await startTestEmulator({ apiKeys: [full, readOnly, { key: jonasKey, scopes: [...SCOPES], user_email: jonasEmail, label: 'jonas' }] });
    assert.ok(emu.store.state.users.some((u) => u.email === jonasEmail), 'the seed has Jonas Becker');
    srv = await spawnHttpServer({ RUNFRAME_API_URL: emu.url, RUNFRAME_TOOLSETS: 'all', MCP_AUTH_MODE: 'per-user' }, ['--metrics-port', '0']);
  });
  after(async () => {
    await srv?.stop();
    await emu?.close();
  });
  afterEach(() => emu.faults.clear());

  it('lists to each client the tools its own key\'s scopes allow', async () => {
    assert.deepEqual(await toolNames(srv, full.key), TOOLS.map((t) => t.name));
    const readOnlyTools = await toolNames(srv, readOnly.key);
    assert.deepEqual(readOnlyTools, toolsForScopes(TOOLS, readOnly.scopes).map((t) => t.name));
    assert.ok(!readOnlyTools.includes('runframe_acknowledge_incident'));
  });

  it('refuses a call to a tool the key\'s scopes do not allow, naming the scope, before any API request', async () => {
    const before = emu.requestCount;
    const r = await callTool(srv, readOnly.key, 'runframe_acknowledge_incident', { id: 'INC-2026-001' });
    assert.equal(r.status, 200);
    // A tool error that says which scope the key lacks (as a tool hidden by the settings does).
    assert.equal(r.json.result.isError, true, r.body);
    assert.match(r.json.result.content[0].text, /runframe_acknowledge_incident needs the incidents:write scope, which your Runframe API key does not have/);
    // At most the key's verification, never the acknowledgement.
    assert.ok(emu.requests.slice(before).every((q) => q.path.endsWith('/auth/verify')));
  });

  it('made-up keys cannot take the server from a known person: until verified they count as their sender\'s address', async () => {
    const fair = await spawnHttpServer({ RUNFRAME_API_URL: emu.url, RUNFRAME_TOOLSETS: 'all', MCP_AUTH_MODE: 'per-user', MCP_HTTP_MAX_CONCURRENT: '4', MCP_HTTP_CLIENT_SHARE: '1' });
    try {
      // Jonas is known (verified and cached) before the flood starts.
      assert.equal((await callTool(fair, jonasKey, 'runframe_list_teams')).json.result.isError, undefined);
      // Each made-up key's verification stalls, so each would hold a slot for the whole wait.
      emu.faults.add({ type: 'stall', path: '/auth/verify', times: 4 });
      const flood = [1, 2, 3, 4].map((n) => callTool(fair, generateApiKey(`fake${n}`), 'runframe_list_teams').catch(() => undefined));
      while (emu.requests.filter((r) => r.path.endsWith('/auth/verify')).length < 1 + 3) await new Promise((r) => setTimeout(r, 10));
      const jonas = await callTool(fair, jonasKey, 'runframe_list_teams');
      assert.equal(jonas.status, 200, `a known person still gets through: ${jonas.body}`);
      assert.equal(jonas.json.result.isError, undefined);
      emu.faults.clear();
      void flood;
    } finally {
      await fair.stop('SIGKILL');
    }
  });

  it('acts with each person\'s own key: the acknowledgement and the note carry their names', async () => {
    const incident = emu.store.state.incidents.find((i) => !i.acknowledged_at && (i.status === 'new' || i.status === 'investigating'))!;
    const number = incident.incident_number;
    const ack = await callTool(srv, jonasKey, 'runframe_acknowledge_incident', { id: number });
    assert.equal(ack.json.result.isError, undefined, ack.body);
    const note = await callTool(srv, full.key, 'runframe_add_incident_event', { id: number, comment: 'Rolled back the deploy' });
    assert.equal(note.json.result.isError, undefined, note.body);
    const stored = emu.store.state.incidents.find((i) => i.incident_number === number)!;
    assert.equal(stored.assigned_to?.email, jonasEmail);
    assert.equal(stored.timeline!.find((e) => e.type === 'acknowledged')!.actor?.email, jonasEmail);
    assert.equal(stored.timeline!.at(-1)!.actor?.email, DEMO_USER_EMAIL);
    // The tool-call log lines name whose key acted.
    assert.ok(srv.logLines().some((l) => l.msg === 'tool call' && l.tool === 'runframe_acknowledge_incident' && l.user === jonasEmail));
  });

  it('verifies a key once and answers from the cache within the cache time', async () => {
    await toolNames(srv, readOnly.key);
    const before = verifyCount(emu);
    for (let i = 0; i < 5; i++) await toolNames(srv, readOnly.key);
    assert.equal(verifyCount(emu), before);
  });

  it('refuses a key Runframe does not know, a non-key bearer and a missing one with 401, echoing none of them', async () => {
    const unknown = generateApiKey('revoked');
    for (const headers of [bearer(unknown), bearer('not-a-runframe-key-123456'), {}]) {
      const r = await rawHttp(srv.port, { headers, body: rpcBody(1, 'tools/list') });
      assert.equal(r.status, 401);
      assert.ok(!r.body.includes(unknown) && !r.body.includes('not-a-runframe-key'));
    }
  });

  it('answers 503 with Retry-After when Runframe cannot verify a new key, and does not cache that', async () => {
    const fresh = generateApiKey('fresh');
    emu.faults.add({ type: 'status', status: 503, path: '/auth/verify', times: 10 });
    const r = await rawHttp(srv.port, { headers: bearer(fresh), body: rpcBody(1, 'tools/list') });
    assert.equal(r.status, 503);
    assert.equal(r.headers['retry-after'], '5');
    emu.faults.clear();
    const again = await rawHttp(srv.port, { headers: bearer(full.key), body: rpcBody(1, 'tools/list') });
    assert.equal(again.status, 200);
  });

  it('never writes a key into its logs or its metrics', async () => {
    const metrics = await rawHttp(srv.metricsPort!, { method: 'GET', path: '/metrics' });
    for (const k of [full.key, readOnly.key, jonasKey]) {
      assert.ok(!srv.stderr().includes(k), 'key in the log');
      assert.ok(!metrics.body.includes(k), 'key in the metrics');
    }
  });

  it('is ready when the API answers, with no key of its own', async () => {
    const r = await rawHttp(srv.port, { method: 'GET', path: '/readyz' });
    assert.equal(r.status, 200);
  });

  it('refuses to start holding a key or an access token, or over stdio', async () => {
    for (const [env, args, message] of [
      [{ RUNFRAME_API_KEY: full.key }, [], /holds no Runframe key: unset RUNFRAME_API_KEY/],
      [{ MCP_ACCESS_TOKEN: 'a-shared-token-of-32-characters!' }, [], /takes no MCP_ACCESS_TOKEN/],
      [{}, ['--transport', 'stdio'], /--auth per-user needs --transport http/],
      [{ MCP_AUTH_MODE: 'per-person' }, [], /MCP_AUTH_MODE must be shared or per-user \(got "per-person"\)/],
    ] as [Record<string, string>, string[], RegExp][]) {
      const mode: Record<string, string> = env.MCP_AUTH_MODE ? {} : { MCP_AUTH_MODE: 'per-user' };
      await assert.rejects(spawnHttpServer({ RUNFRAME_API_URL: emu.url, ...mode, ...env }, args), (err: Error) => {
        assert.match(err.message, message);
        assert.ok(!err.message.includes(full.key));
        return true;
      });
    }
  });
});

describe('per-user key cache time (MCP_AUTH_CACHE_SECONDS=0)', function () {
  this.timeout(30_000);
  it('verifies the key on every request when the cache is off', async () => {
    const emu = await startTestEmulator();
    const srv = await spawnHttpServer({ RUNFRAME_API_URL: emu.url, MCP_AUTH_MODE: 'per-user', MCP_AUTH_CACHE_SECONDS: '0' });
    try {
      const before = verifyCount(emu);
      for (let i = 0; i < 3; i++) await toolNames(srv, emu.keys[0].key);
      assert.equal(verifyCount(emu), before + 3);
    } finally {
      await srv.stop();
      await emu.close();
    }
  });
});

describe('metrics, JSON logs and draining (shared mode)', function () {
  this.timeout(30_000);
  const TOKEN = 'team_metrics_token_0123456789';
  let emu: TestEmulator;
  let srv: HttpServerProcess;
  const metric = async (name: string, labels = ''): Promise<number | undefined> => {
    const text = (await rawHttp(srv.metricsPort!, { method: 'GET', path: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  before(async () => {
    emu = await startTestEmulator();
    srv = await spawnHttpServer(
      { RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, MCP_ACCESS_TOKEN: TOKEN, MCP_HTTP_MAX_CONCURRENT: '1', MCP_HTTP_RESPONSE_TIMEOUT_MS: '3000' },
      ['--metrics-port', '0'],
    );
  });
  after(async () => {
    await srv?.stop();
    await emu?.close();
  });
  afterEach(() => emu.faults.clear());

  it('counts tool calls by tool and outcome, their duration, and API requests by route and status', async () => {
    const watched: [string, string][] = [
      ['runframe_mcp_tool_calls_total', 'tool="runframe_list_teams",outcome="ok"'],
      ['runframe_mcp_tool_call_duration_seconds_count', 'tool="runframe_list_teams"'],
      ['runframe_mcp_upstream_requests_total', 'method="GET",route="/teams",status="200"'],
      ['runframe_mcp_upstream_request_duration_seconds_count', 'method="GET",route="/incidents/:id"'],
      ['runframe_mcp_http_requests_total', 'status="200"'],
    ];
    const before = await Promise.all(watched.map(async ([n, l]) => (await metric(n, l)) ?? 0));
    assert.equal((await callTool(srv, TOKEN, 'runframe_list_teams')).status, 200);
    assert.equal((await callTool(srv, TOKEN, 'runframe_get_incident', { id: 'INC-2026-001' })).status, 200);
    const after = await Promise.all(watched.map(async ([n, l]) => (await metric(n, l)) ?? 0));
    assert.deepEqual(after.map((v, i) => v - before[i]), [1, 1, 1, 1, 2]);
    const text = (await rawHttp(srv.metricsPort!, { method: 'GET', path: '/metrics' })).body;
    assert.ok(!text.includes('INC-2026-001'), 'identifiers never become labels');
    assert.ok(!text.includes(emu.keys[0].key) && !text.includes(TOKEN));
  });

  it('counts requests in flight, shed (503) and timed out (504)', async () => {
    const shedBefore = (await metric('runframe_mcp_http_requests_shed_total', 'reason="overloaded"')) ?? 0;
    const timedOutBefore = (await metric('runframe_mcp_http_requests_timed_out_total', 'status="504"')) ?? 0;
    emu.faults.add({ type: 'stall', path: '/users' });
    const stalled = callTool(srv, TOKEN, 'runframe_find_user', { search: 'rivera' });
    await until('one request in flight', async () => ((await metric('runframe_mcp_http_requests_in_flight')) === 1 ? true : undefined));
    const shed = await callTool(srv, TOKEN, 'runframe_list_teams');
    assert.equal(shed.status, 503);
    assert.equal((await stalled).status, 504);
    assert.equal(await metric('runframe_mcp_http_requests_shed_total', 'reason="overloaded"'), shedBefore + 1);
    assert.equal(await metric('runframe_mcp_http_requests_timed_out_total', 'status="504"'), timedOutBefore + 1);
    await until('nothing in flight', async () => ((await metric('runframe_mcp_http_requests_in_flight')) === 0 ? true : undefined));
  });

  it('serves metrics only on their own port, and only GET /metrics there', async () => {
    assert.equal((await rawHttp(srv.port, { method: 'GET', path: '/metrics' })).status, 404);
    assert.equal((await rawHttp(srv.metricsPort!, { method: 'GET', path: '/mcp' })).status, 404);
    assert.equal((await rawHttp(srv.metricsPort!, { method: 'POST', path: '/metrics' })).status, 405);
  });

  it('writes JSON log lines, each about a request carrying its id; a caller\'s X-Request-ID is kept', async () => {
    const r = await rawHttp(srv.port, { headers: { ...bearer(TOKEN), 'x-request-id': 'lb-abc-123' }, body: rpcBody(1, 'tools/call', { name: 'runframe_list_services', arguments: {} }) });
    assert.equal(r.headers['x-request-id'], 'lb-abc-123');
    await rawHttp(srv.port, { headers: { 'x-request-id': 'bad id\twith spaces' }, body: rpcBody(1, 'tools/list') });
    const lines = await until('the request line', async () => {
      const all = srv.logLines();
      return all.some((l) => l.msg === 'request' && l.request_id === 'lb-abc-123') ? all : undefined;
    });
    assert.ok(lines.some((l) => l.msg === 'tool call' && l.request_id === 'lb-abc-123' && l.tool === 'runframe_list_services'));
    for (const l of lines.filter((x) => x.msg === 'request' || x.msg === 'tool call')) {
      assert.match(l.request_id, /^[A-Za-z0-9._:-]+$/, JSON.stringify(l));
      assert.ok(l.time && l.level);
    }
    assert.ok(!srv.stderr().includes('bad id'));
  });
});

describe('shutdown: not ready first, then drain', function () {
  this.timeout(40_000);
  it('answers /readyz 503 at SIGTERM while still serving /mcp for the drain delay, then exits 0', async () => {
    const emu = await startTestEmulator();
    const TOKEN = 'team_drain_token_0123456789';
    const srv = await spawnHttpServer({ RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, MCP_ACCESS_TOKEN: TOKEN, MCP_HTTP_DRAIN_DELAY_MS: '8000' });
    try {
      assert.equal((await rawHttp(srv.port, { method: 'GET', path: '/readyz' })).status, 200);
      const exited = srv.stop();
      let ready = 200;
      for (let i = 0; i < 100 && ready === 200; i++) {
        ready = (await rawHttp(srv.port, { method: 'GET', path: '/readyz' })).status;
        if (ready === 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(ready, 503);
      const served = await callTool(srv, TOKEN, 'runframe_list_teams');
      assert.equal(served.status, 200);
      assert.equal(await exited, 0);
    } finally {
      await srv.stop();
      await emu.close();
    }
  });
});
