import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { MAX_LINE_BYTES } from '../../src/domain/messageLimits';
import { SERVER_JS, startTestEmulator } from '../helpers';

type Answer = { id: unknown; result?: unknown; error?: { code: number; message: string } };

/** Spawns dist/server.js over stdio; `next()` resolves with each answer line in order. */
function stdioServer(emu: TestEmulator) {
  const proc = spawn(process.execPath, [SERVER_JS], { env: { PATH: process.env.PATH, RUNFRAME_API_KEY: emu.keys[0].key, RUNFRAME_API_URL: emu.url }, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let stderr = '';
  const answers: Answer[] = [];
  const waiters: ((a: Answer) => void)[] = [];
  proc.stderr.on('data', (d) => (stderr += d));
  proc.stdout.on('data', (d) => {
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const a = JSON.parse(buffer.slice(0, nl)) as Answer;
      buffer = buffer.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(a);
      else answers.push(a);
    }
  });
  return {
    proc,
    stderr: () => stderr,
    write: (text: string | Buffer) => proc.stdin.write(text),
    next: () => (answers.length ? Promise.resolve(answers.shift()!) : new Promise<Answer>((r) => waiters.push(r))),
  };
}

describe('MCP over stdio: malformed input', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  let srv: ReturnType<typeof stdioServer>;
  before(async () => {
    emu = await startTestEmulator();
    srv = stdioServer(emu);
    srv.write(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) + '\n');
    assert.equal((await srv.next()).id, 0);
    srv.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  });
  after(async () => {
    srv.proc.stdin.end();
    await once(srv.proc, 'exit');
    await emu.close();
  });

  const cases: [string, string, { id: unknown; code: number }][] = [
    ['malformed JSON', '{"jsonrpc":"2.0","id":1,', { id: null, code: -32700 }],
    ['params null', '{"jsonrpc":"2.0","id":2,"method":"ping","params":null}', { id: 2, code: -32602 }],
    ['params a string', '{"jsonrpc":"2.0","id":3,"method":"tools/list","params":"x"}', { id: 3, code: -32602 }],
    ['params an array', '{"jsonrpc":"2.0","id":4,"method":"resources/list","params":[]}', { id: 4, code: -32602 }],
    ['_meta not an object', '{"jsonrpc":"2.0","id":5,"method":"ping","params":{"_meta":7}}', { id: 5, code: -32602 }],
    ['an extra top-level key', '{"jsonrpc":"2.0","id":6,"method":"ping","extra":true}', { id: 6, code: -32600 }],
    ['jsonrpc 1.0', '{"jsonrpc":"1.0","id":7,"method":"ping"}', { id: 7, code: -32600 }],
    ['jsonrpc missing', '{"id":8,"method":"ping"}', { id: 8, code: -32600 }],
    ['id an object', '{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}', { id: null, code: -32600 }],
    ['id null', '{"jsonrpc":"2.0","id":null,"method":"ping"}', { id: null, code: -32600 }],
    ['method a number', '{"jsonrpc":"2.0","id":9,"method":12}', { id: 9, code: -32600 }],
    ['a batch', '[{"jsonrpc":"2.0","id":10,"method":"ping"}]', { id: null, code: -32600 }],
    ['an empty batch', '[]', { id: null, code: -32600 }],
    ['a bare string', '"ping"', { id: null, code: -32600 }],
    ['nesting 100,000 deep', `{"jsonrpc":"2.0","id":11,"method":"ping","params":{"_meta":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`, { id: 11, code: -32602 }],
  ];
  for (const [name, line, want] of cases) {
    it(`answers ${name} with ${want.code} and id ${JSON.stringify(want.id)}`, async () => {
      srv.write(line + '\n');
      const a = await srv.next();
      assert.equal(a.id, want.id);
      assert.equal(a.error?.code, want.code, JSON.stringify(a));
      // Still serving: the next request gets its result.
      srv.write('{"jsonrpc":"2.0","id":"after","method":"ping"}\n');
      assert.deepEqual(await srv.next(), { jsonrpc: '2.0', id: 'after', result: {} });
    });
  }

  it('tolerates a leading byte-order mark and CRLF line ends', async () => {
    srv.write('\ufeff{"jsonrpc":"2.0","id":"bom","method":"ping"}\r\n');
    assert.deepEqual(await srv.next(), { jsonrpc: '2.0', id: 'bom', result: {} });
  });

  it('a line over the limit is answered with an error naming the limit; the server stays up', async () => {
    const big = Buffer.alloc(MAX_LINE_BYTES + 1024, 0x61);
    srv.write('{"jsonrpc":"2.0","id":"big","method":"ping","params":{"_meta":{"x":"');
    srv.write(big);
    srv.write('"}}}\n');
    const a = await srv.next();
    assert.equal(a.id, null);
    assert.equal(a.error?.code, -32600);
    assert.match(a.error!.message, new RegExp(`over ${MAX_LINE_BYTES} bytes \\(10 MiB\\)`));
    srv.write('{"jsonrpc":"2.0","id":"alive","method":"ping"}\n');
    assert.deepEqual(await srv.next(), { jsonrpc: '2.0', id: 'alive', result: {} });
    assert.equal(srv.proc.exitCode, null);
    assert.match(srv.stderr(), /skipped a line over 10485760 bytes/);
  });
});
