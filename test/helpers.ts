/**
 * Test helpers: an in-process emulator on 127.0.0.1 (real HTTP), clients for its keys, and the
 * built MCP server spawned over real stdio with the SDK's client.
 */
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { RunframeClient, type RunframeClientOptions } from '../src/api';
import type { EmulatorOptions } from '../src/emulator/server';
import { startTestEmulator as startWithHarness, type TestEmulator } from '../src/emulator/testHarness';
import { TOOLS } from '../src/mcp/tools';

export const ROOT = join(__dirname, '..');
export const SERVER_JS = join(ROOT, 'dist', 'server.js');
export const EMULATOR_JS = join(ROOT, 'dist', 'emulator.js');

/** Starts an emulator on a free port with in-memory data unless told otherwise. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  return startWithHarness({ port: 0, ...options });
}

/** A client for the emulator's key `keyIndex` (0: full scope, 1: read-only). */
export function clientFor(emu: TestEmulator, keyIndex = 0, extra: Partial<RunframeClientOptions> = {}): RunframeClient {
  return new RunframeClient({ apiKey: emu.keys[keyIndex].key, baseUrl: emu.url, ...extra });
}

export interface McpSession {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * Spawns dist/server.js over stdio against `emu` and connects the SDK client.
 * @param clientOptions e.g. `{ capabilities: { elicitation: { form: {} } } }` (set the handler on `client` after)
 */
export async function connectMcp(emu: TestEmulator, env: Record<string, string> = {}, args: string[] = [], clientOptions: ClientOptions = {}): Promise<McpSession> {
  if (!existsSync(SERVER_JS)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER_JS, ...args],
    env: { PATH: process.env.PATH ?? '', RUNFRAME_API_URL: emu.url, RUNFRAME_API_KEY: emu.keys[0].key, ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'runframe-tests', version: '1.0.0' }, clientOptions);
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/**
 * Mocha hooks for the enclosing describe: an emulator, and the built server over stdio against
 * it. Read `.emu` and `.mcp` inside the tests (they are set by the `before` hook).
 */
export function mcpAgainstEmulator(env: Record<string, string> = { RUNFRAME_TOOLSETS: 'all' }): { emu: TestEmulator; mcp: McpSession } {
  const ctx = {} as { emu: TestEmulator; mcp: McpSession };
  before(async () => {
    ctx.emu = await startTestEmulator();
    ctx.mcp = await connectMcp(ctx.emu, env);
  });
  after(async () => {
    await ctx.mcp?.close();
    await ctx.emu?.close();
  });
  return ctx;
}

/**
 * Result of a tool call: its structuredContent as `json`, and its text. A successful result is
 * checked against the tool's full output schema (tools/list carries only a shallow one).
 */
export async function call(session: McpSession, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; text: string; json: any; bytes: number }> {
  const res = (await session.client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: unknown };
  const text = res.content.map((c) => c.text).join('\n');
  if (!res.isError) {
    const checked = TOOLS.find((t) => t.name === name)!.output.safeParse(res.structuredContent);
    if (!checked.success) throw new Error(`${name} returned structuredContent that does not match its output schema: ${checked.error.message}`);
  }
  return { isError: res.isError === true, text, json: res.structuredContent, bytes: Buffer.byteLength(JSON.stringify(res)) };
}

/** dist/server.js running with --transport http (see spawnHttpServer). */
export interface HttpServerProcess {
  proc: ChildProcess;
  port: number;
  /** The metrics port, when --metrics-port was given */
  metricsPort?: number;
  stderr: () => string;
  /** Its stderr lines that are JSON log lines, parsed */
  logLines: () => Record<string, any>[];
  /** SIGTERM (or `signal`), then waits for the exit (SIGKILL after 15 s so a failing test never hangs). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns dist/server.js --transport http --port 0 on 127.0.0.1 with exactly `env` (plus PATH)
 * and waits for its JSON "listening" log line.
 * @throws when the server exits first, with its stderr
 */
export async function spawnHttpServer(env: Record<string, string>, args: string[] = []): Promise<HttpServerProcess> {
  const proc = spawn(process.execPath, [SERVER_JS, '--transport', 'http', '--port', '0', ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const logLines = () => err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
  const started = await new Promise<Record<string, any>>((resolve, reject) => {
    const onData = () => {
      const line = logLines().find((l) => typeof l.msg === 'string' && l.msg.includes('listening on'));
      if (line) resolve(line);
    };
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    proc, port: started.port, metricsPort: started.metrics_port, stderr: () => err, logLines,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const [code] = await once(proc, 'exit');
      clearTimeout(kill);
      return code as number | null;
    },
  };
}


/** A JSON-RPC request body. */
export const rpcBody = (id: number | string, method: string, params: unknown = {}): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** Arguments each tool accepts against the seeded emulator (the call may still be refused by the API's rules, e.g. a status transition). */
export function validToolArgs(emu: TestEmulator): Record<string, Record<string, unknown>> {
  const svc = emu.store.state.services[0].service_key;
  return {
    runframe_list_incidents: { limit: 5 }, runframe_get_incident: { id: 'INC-2026-030' },
    runframe_create_incident: { title: 'Secret scan', service_ids: [svc] }, runframe_update_incident: { id: 'INC-2026-030', severity: 'SEV2' },
    runframe_change_incident_status: { id: 'INC-2026-030', status: 'resolved' }, runframe_acknowledge_incident: { id: 'INC-2026-040' },
    runframe_add_incident_event: { id: 'INC-2026-030', comment: 'note' }, runframe_escalate_incident: { id: 'INC-2026-040' },
    runframe_page_someone: { incident_id: 'INC-2026-040', email: 'priya.shah@northwind.example', channels: ['slack'] }, runframe_get_current_oncall: {},
    runframe_list_services: {}, runframe_get_service: { id: svc }, runframe_create_postmortem: { incident_number: 'INC-2026-030' },
    runframe_get_postmortem: { incident_number: 'INC-2026-030' }, runframe_list_teams: {}, runframe_get_escalation_policy: { severity: 'SEV1' },
    runframe_find_user: { search: 'a' },
  };
}

/** Bearer tokens the HTTP servers of the tests accept (MCP_ACCESS_TOKEN: new, old). */
export const HTTP_TOKEN = 'test_secure_token_abcdef123456';
export const OLD_HTTP_TOKEN = 'old_rotation_token_abcdef';

/** The MCP server over HTTP against an emulator in shared-key mode, every tier, accepting HTTP_TOKEN and OLD_HTTP_TOKEN (see spawnHttpServer). */
export function startHttpMcp(emuUrl: string, key: string, env: Record<string, string> = {}, args: string[] = []): Promise<HttpServerProcess> {
  return spawnHttpServer({ RUNFRAME_API_URL: emuUrl, RUNFRAME_API_KEY: key, MCP_ACCESS_TOKEN: `${HTTP_TOKEN},${OLD_HTTP_TOKEN}`, RUNFRAME_TOOLSETS: 'all', ...env }, args);
}

/** One HTTP request to 127.0.0.1:`port` (POST /mcp with JSON content and MCP's Accept header unless told otherwise); the whole answer. */
export function rawHttp(port: number, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port, method: o.method ?? 'POST', path: o.path ?? '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...o.headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (o.chunks) {
      for (const c of o.chunks) req.write(c);
    } else if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}


/** Strings people and models actually send, plus hostile ones. */
export const nasty = fc.constantFrom(
  '', ' ', 'INC-2026-001', 'inc-2026-040', 'INC-2026-999999999', 'svc_K7QW2M9XHP', 'SER-00001', 'sam.rivera@northwind.example', 'not-an-email',
  'SEV0', 'sev1', 'P1', 'resolved', 'closed', '2026-04-01T00:00:00Z', 'yesterday', "'; DROP TABLE incidents; --", '../../etc/passwd', '%2e%2e%2f',
  '<script>alert(1)</script>', '${process.env.RUNFRAME_API_KEY}', '{{constructor.constructor("x")()}}', '__proto__', 'null', 'undefined', '\u0000', '\u202e',
  '💥🔥'.repeat(50), 'x'.repeat(10_001), 'ä'.repeat(600),
);
/** Any JSON-like value, hostile strings included (fuzz tests). */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 60 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

