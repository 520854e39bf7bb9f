import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { TOOLS } from '../../src/mcp/tools';
import { HTTP_TOKEN as TOKEN, OLD_HTTP_TOKEN as OLD_TOKEN, rawHttp as raw, SERVER_JS, startHttpMcp as startServer, startTestEmulator, type HttpServerProcess } from '../helpers';

const auth = (t = TOKEN) => ({ authorization: `Bearer ${t}` });
const rpc = (id: number | string, method: string, params: unknown = {}) => JSON.stringify({ jsonrpc: '2.0', id, method, params });

describe('MCP over Streamable HTTP', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  let srv: HttpServerProcess;
  before(async () => {
    emu = await startTestEmulator();
    srv = await startServer(emu.url, emu.keys[0].key);
  });
  after(async () => {
    await srv?.stop();
    await emu?.close();
  });
  afterEach(() => emu.faults.clear());

  it('works end to end with the SDK client: initialize, tools/list, tools/call', async () => {
    const client = new Client({ name: 'http-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${srv.port}/mcp`), { requestInit: { headers: auth() } }));
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t: { name: string }) => t.name), TOOLS.map((t) => t.name));
    const r = (await client.callTool({ name: 'runframe_list_incidents', arguments: { status: ['new'], limit: 2 } })) as unknown as { structuredContent: { items: unknown[] } };
    assert.equal(r.structuredContent.items.length, 2);
    await client.close();
  });

  it('answers concurrent clients that reuse the same JSON-RPC id each with their own result', async () => {
    const [a, b] = await Promise.all([
      raw(srv.port, { headers: auth(), body: rpc(1, 'tools/call', { name: 'runframe_list_teams', arguments: {} }) }),
      raw(srv.port, { headers: auth(), body: rpc(1, 'tools/call', { name: 'runframe_find_user', arguments: { search: 'rivera' } }) }),
    ]);
    assert.equal(JSON.parse(a.body).id, 1);
    assert.equal(JSON.parse(a.body).result.structuredContent.items[0].name, 'Platform');
    assert.equal(JSON.parse(b.body).result.structuredContent.items[0].name, 'Sam Rivera');
  });

  it('a notification gets 202 with no body', async () => {
    const r = await raw(srv.port, { headers: auth(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    assert.equal(r.status, 202);
    assert.equal(r.body, '');
  });

  describe('method filtering', () => {
    for (const method of ['PUT', 'PATCH', 'OPTIONS', 'GET', 'DELETE']) {
      it(`rejects ${method} /mcp with 405`, async () => {
        assert.equal((await raw(srv.port, { method, headers: auth() })).status, 405);
      });
    }
  });

  describe('bearer auth', () => {
    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['wrong token of the same length', auth('x'.repeat(TOKEN.length))],
      ['short token', { authorization: 'Bearer short' }],
      ['Basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['empty Bearer', { authorization: 'Bearer ' }],
      ['invalid token', auth('invalid_token_xxxxxxx')],
    ];
    for (const [name, headers] of cases) {
      it(`rejects ${name} with 401, without echoing any token`, async () => {
        const r = await raw(srv.port, { headers, body: rpc(1, 'tools/list') });
        assert.equal(r.status, 401);
        assert.equal(r.headers['www-authenticate'], 'Bearer');
        assert.ok(!r.body.includes(TOKEN) && !r.body.includes(OLD_TOKEN));
        if (headers.authorization) assert.ok(!r.body.includes(headers.authorization.slice(7) || '\u0000'));
      });
    }
    it('accepts the new and the old token during rotation', async () => {
      for (const t of [TOKEN, OLD_TOKEN]) assert.equal((await raw(srv.port, { headers: auth(t), body: rpc(1, 'tools/list') })).status, 200);
    });
  });

  describe('paths', () => {
    for (const path of ['/api/v1/incidents', '/', '/mcp/extra']) {
      it(`rejects ${path} with 404`, async () => {
        assert.equal((await raw(srv.port, { path, headers: auth() })).status, 404);
      });
    }
  });

  describe('Host and Origin on a loopback bind', () => {
    it('rejects a foreign Host with 403', async () => {
      assert.equal((await raw(srv.port, { headers: { ...auth(), host: 'evil.com:1234' }, body: rpc(1, 'tools/list') })).status, 403);
    });
    for (const host of ['localhost', '127.0.0.1']) {
      it(`allows Host ${host}`, async () => {
        assert.equal((await raw(srv.port, { headers: { ...auth(), host: `${host}:${srv.port}` }, body: rpc(1, 'tools/list') })).status, 200);
      });
    }
    for (const origin of ['https://evil.com', 'not-a-url', 'http://localhost.evil.com']) {
      it(`rejects Origin ${origin} with 403`, async () => {
        assert.equal((await raw(srv.port, { headers: { ...auth(), origin }, body: rpc(1, 'tools/list') })).status, 403);
      });
    }
    it('allows a localhost Origin', async () => {
      assert.equal((await raw(srv.port, { headers: { ...auth(), origin: 'http://localhost:3000' }, body: rpc(1, 'tools/list') })).status, 200);
    });
  });

  describe('size limits and error safety', () => {
    it('rejects a declared Content-Length over 1 MB with 413', async () => {
      assert.equal((await raw(srv.port, { headers: { ...auth(), 'content-length': '2000000' }, body: '{}' }).catch(() => ({ status: 413 }))).status, 413);
    });
    it('rejects a streamed (chunked) body over 1 MB with 413', async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const r = await raw(srv.port, { headers: { ...auth(), 'transfer-encoding': 'chunked' }, chunks: [chunk, chunk, chunk, chunk, chunk] }).catch(() => ({ status: 413 }));
      assert.equal(r.status, 413);
    });
    it('rejects headers over 8 KB with 431', async () => {
      const r = await raw(srv.port, { headers: { ...auth(), 'x-big': 'a'.repeat(9000) }, body: rpc(1, 'tools/list') });
      assert.equal(r.status, 431);
    });
    it('malformed JSON gets a JSON-RPC parse error without a stack', async () => {
      const r = await raw(srv.port, { headers: auth(), body: 'not-json' });
      assert.equal(r.status, 400);
      assert.equal(JSON.parse(r.body).error.code, -32700);
      assert.ok(!r.body.includes('at ') && !r.body.includes('node_modules'));
    });
    it('a batch or a non-JSON-RPC body is rejected with 400', async () => {
      assert.equal((await raw(srv.port, { headers: auth(), body: '[]' })).status, 400);
      assert.equal((await raw(srv.port, { headers: auth(), body: '{"hello":1}' })).status, 400);
    });
  });

  describe('health', () => {
    it('/healthz answers without auth and without details', async () => {
      const r = await raw(srv.port, { method: 'GET', path: '/healthz' });
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.body), { status: 'ok' });
    });
    it('/readyz is 200 when the API answers our key, 503 (no details) when it does not', async () => {
      assert.equal((await raw(srv.port, { method: 'GET', path: '/readyz' })).status, 200);
      const dead = await startServer('http://127.0.0.1:1', 'rf_unreachable_key_1');
      const r = await raw(dead.port, { method: 'GET', path: '/readyz' });
      assert.equal(r.status, 503);
      assert.deepEqual(JSON.parse(r.body), { status: 'unavailable' });
      await dead.stop();
    });
  });

  it('writes audit lines for HTTP calls too, as JSON log lines with the request id', async () => {
    const r = await raw(srv.port, { headers: auth(), body: rpc(7, 'tools/call', { name: 'runframe_list_services', arguments: {} }) });
    const id = r.headers['x-request-id'];
    await new Promise((res) => setTimeout(res, 50));
    const line = srv.stderr().split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === 'tool call' && l.request_id === id);
    assert.ok(line, srv.stderr());
    assert.equal(line.tool, 'runframe_list_services');
    assert.equal(line.outcome, 'ok');
    assert.equal(line.http_status, 200);
    assert.match(line.api_request_id, /^req_/);
  });
});

describe('MCP HTTP start-up and shutdown', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('SIGTERM finishes the request in flight, then exits 0', async () => {
    const srv = await startServer(emu.url, emu.keys[0].key);
    emu.faults.add({ type: 'delay', ms: 800, path: '/teams' });
    const pending = raw(srv.port, { headers: auth(), body: rpc(1, 'tools/call', { name: 'runframe_list_teams', arguments: {} }) });
    await new Promise((r) => setTimeout(r, 200));
    const code = srv.stop();
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).result.structuredContent.items.length, 5);
    assert.equal(await code, 0);
  });

  it('a port in use, a missing or short MCP_ACCESS_TOKEN: clear message, non-zero exit', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const run = (env: Record<string, string>, args: string[] = []) =>
      spawnSync(process.execPath, [SERVER_JS, '--transport', 'http', ...args], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', ...env }, encoding: 'utf8', timeout: 10_000 });
    const inUse = run({ MCP_ACCESS_TOKEN: TOKEN }, ['--port', String(port)]);
    assert.equal(inUse.status, 1);
    assert.match(inUse.stderr, new RegExp(`port ${port} on 127.0.0.1 is in use`));
    blocker.close();
    const missing = run({});
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /MCP_ACCESS_TOKEN is required/);
    const short = run({ MCP_ACCESS_TOKEN: `${TOKEN},tiny` });
    assert.equal(short.status, 2);
    assert.match(short.stderr, /at least 16 characters/);
    assert.ok(!short.stderr.includes(TOKEN) && !short.stderr.includes('tiny'));
  });
});

describe('MCP HTTP sheds load instead of falling over', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  it('beyond MCP_HTTP_MAX_CONCURRENT requests in progress: 503 with Retry-After; health still answers', async () => {
    // A share of 2: this one client may use every slot (fairness between clients is tested below).
    const srv = await startServer(emu.url, emu.keys[0].key, { MCP_HTTP_MAX_CONCURRENT: '2', MCP_HTTP_CLIENT_SHARE: '2' });
    emu.faults.add({ type: 'delay', ms: 700, path: '/teams', times: 2 });
    const calls = Array.from({ length: 5 }, () => raw(srv.port, { headers: auth(), body: rpc(1, 'tools/call', { name: 'runframe_list_teams', arguments: {} }) }));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await raw(srv.port, { method: 'GET', path: '/healthz' })).status, 200);
    const results = await Promise.all(calls);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 503, 503, 503]);
    for (const r of results.filter((x) => x.status === 503)) assert.equal(r.headers['retry-after'], '1');
    assert.equal((await raw(srv.port, { headers: auth(), body: rpc(2, 'tools/list') })).status, 200, 'serves again once load drops');
    await srv.stop();
  });

  it('a slow-loris client trickling headers is cut off at the headers deadline', async () => {
    const srv = await startServer(emu.url, emu.keys[0].key, { MCP_HTTP_HEADERS_TIMEOUT_MS: '600' });
    const { connect } = await import('node:net');
    const socket = connect(srv.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const started = Date.now();
    const timer = setInterval(() => socket.writable && socket.write('X-Slow: a\r\n'), 100);
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await once(socket, 'close');
    clearInterval(timer);
    assert.ok(Date.now() - started < 5000, `closed after ${Date.now() - started} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
    await srv.stop();
  });

  it('a body that never finishes arriving is cut off at the request deadline', async () => {
    const srv = await startServer(emu.url, emu.keys[0].key, { MCP_HTTP_HEADERS_TIMEOUT_MS: '500', MCP_HTTP_REQUEST_TIMEOUT_MS: '1000' });
    const { connect } = await import('node:net');
    const socket = connect(srv.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"jsonrpc":`);
    const started = Date.now();
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await once(socket, 'close');
    assert.ok(Date.now() - started < 5000, `closed after ${Date.now() - started} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
    await srv.stop();
  });

  /** The audit line of `tool` with outcome `outcome`, once it appears on the server's stderr (5 s at most). */
  const auditLine = async (srv: HttpServerProcess, tool: string, outcome: string): Promise<{ requests: number }> => {
    for (let i = 0; i < 100; i++) {
      const line = srv.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.msg === 'tool call' && l.tool === tool && l.outcome === outcome);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${outcome} audit line for ${tool}:\n${srv.stderr()}`);
  };

  it('an answer that takes too long becomes a 504 at the response deadline, and the call stops', async () => {
    // A 10-minute API timeout: only the cancellation can end the stalled request within the test.
    const srv = await startServer(emu.url, emu.keys[0].key, { MCP_HTTP_RESPONSE_TIMEOUT_MS: '500', RUNFRAME_TIMEOUT_MS: '600000' });
    try {
      emu.faults.add({ type: 'stall', path: '/teams' });
      const r = await raw(srv.port, { headers: auth(), body: rpc(1, 'tools/call', { name: 'runframe_list_teams', arguments: {} }) });
      assert.equal(r.status, 504);
      assert.match(JSON.parse(r.body).error.message, /No answer within 0.5 s/);
      assert.equal((await auditLine(srv, 'runframe_list_teams', 'api_error')).requests, 1);
    } finally {
      await srv.stop();
    }
  });

  it('a client that hangs up mid-call cancels the call and its API request; the server keeps serving', async () => {
    const srv = await startServer(emu.url, emu.keys[0].key, { RUNFRAME_TIMEOUT_MS: '600000' });
    try {
      emu.faults.add({ type: 'stall', path: '/teams' });
      const before = emu.requestCount;
      const req = request({ hostname: '127.0.0.1', port: srv.port, method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth() } });
      req.on('error', () => undefined); // we hang up on purpose
      req.end(rpc(1, 'tools/call', { name: 'runframe_list_teams', arguments: {} }));
      for (let i = 0; i < 100 && emu.requestCount === before; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(emu.requestCount > before, 'the call reached the API');
      req.destroy();
      assert.equal((await auditLine(srv, 'runframe_list_teams', 'api_error')).requests, 1);
      emu.faults.clear();
      const next = await raw(srv.port, { headers: auth(), body: rpc(2, 'tools/call', { name: 'runframe_list_teams', arguments: {} }) });
      assert.equal(JSON.parse(next.body).result.structuredContent.items.length, 5);
    } finally {
      await srv.stop();
    }
  });

  it('rejects out-of-range limits at start-up', () => {
    const r = spawnSync(process.execPath, [SERVER_JS, '--transport', 'http'], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: 'rf_fine_key_1', MCP_ACCESS_TOKEN: TOKEN, MCP_HTTP_MAX_CONCURRENT: '0' }, encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /MCP_HTTP_MAX_CONCURRENT must be a whole number from 1 to 10000/);
  });
});
