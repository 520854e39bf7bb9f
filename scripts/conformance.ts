/**
 * Runs the MCP conformance suite's server scenarios against dist/server.js over Streamable HTTP,
 * backed by an in-process emulator. The suite sends no Authorization header, so a loopback
 * proxy adds our bearer token and forwards everything else untouched (Host and Origin too, which
 * the DNS-rebinding scenario checks).
 * Usage (from scripts/conformance.sh): tsx scripts/conformance.ts <node24> <suite index.js> <expected-failures.yml>
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server';

async function main(): Promise<number> {
  const [node24, suite, expected] = process.argv.slice(2);
  const emu = await startEmulator({ port: 0 });
  const token = randomBytes(24).toString('hex');
  const server = spawn(process.execPath, [join(__dirname, '..', 'dist', 'server.js'), '--transport', 'http', '--port', '0', '--toolsets', 'all'], {
    env: { PATH: process.env.PATH, RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, MCP_ACCESS_TOKEN: token },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    server.stderr!.on('data', (d) => {
      log += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`MCP server exited ${code}: ${log}`)));
  });
  const proxy = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${(proxy.address() as AddressInfo).port}/mcp`;
  const run = spawn(node24, [suite, 'server', '--url', url, '--suite', 'all', '--expected-failures', expected], { stdio: 'inherit' });
  const code = await new Promise<number | null>((r) => run.once('exit', (c) => r(c)));
  proxy.close();
  server.kill('SIGTERM');
  await emu.close();
  return code ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`conformance: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
