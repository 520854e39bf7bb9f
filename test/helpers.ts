/**
 * Test helpers: an in-process emulator on 127.0.0.1 (real HTTP), clients for its keys, and the
 * built MCP server spawned over real stdio with the SDK's client.
 */
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync } from 'node:fs';
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
