/**
 * CLI of the Runframe MCP server (bundled as dist/server.js), stdio transport:
 *   RUNFRAME_API_KEY=rf_... [RUNFRAME_API_URL=https://runframe.io] node dist/server.js
 * stdout carries only JSON-RPC; every log line goes to stderr. Start-up makes no network call.
 */
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { DEFAULT_API_URL, RunframeClient, RunframeInputError } from '../api/client';
import { checkApiKeyFormat } from '../api/validation';
import { buildRegistry, createMcpServer, drainToolCalls, SERVER_VERSION } from './server';
import { TOOLS } from './tools';

const HELP = `Runframe MCP server ${SERVER_VERSION}: incident tools for AI agents (stdio).

Usage: node dist/server.js [--help] [--version]

Environment:
  RUNFRAME_API_KEY      required; your Runframe API key (starts with rf_)
  RUNFRAME_API_URL      API base URL (default ${DEFAULT_API_URL})
  RUNFRAME_TIMEOUT_MS   per-request timeout in ms (default 15000)

Tools: ${TOOLS.map((t) => t.name).join(', ')}.
Logs go to stderr; stdout carries only MCP JSON-RPC.`;

function fail(message: string): never {
  process.stderr.write(`runframe-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } }, strict: true }));
  } catch (err) {
    fail(`${(err as Error).message}. Run with --help for usage.`);
  }
  if (values.help) return void process.stdout.write(HELP + '\n');
  if (values.version) return void process.stdout.write(SERVER_VERSION + '\n');

  const key = checkApiKeyFormat(process.env.RUNFRAME_API_KEY);
  if (!key.ok) fail(`RUNFRAME_API_KEY: ${key.message} Example: RUNFRAME_API_KEY=rf_... node dist/server.js`);
  const timeoutRaw = process.env.RUNFRAME_TIMEOUT_MS;
  const timeoutMs = timeoutRaw === undefined ? undefined : Number(timeoutRaw);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
    fail(`RUNFRAME_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 (got "${timeoutRaw}")`);
  }
  let client: RunframeClient;
  try {
    client = new RunframeClient({ apiKey: key.value, baseUrl: process.env.RUNFRAME_API_URL || undefined, timeoutMs, userAgent: `runframe-incident-cockpit-mcp/${SERVER_VERSION}` });
  } catch (err) {
    if (err instanceof RunframeInputError && err.field === 'baseUrl') fail(`RUNFRAME_API_URL: ${err.message.replace(/^baseUrl: /, '')}`);
    throw err;
  }
  const server = createMcpServer(client, buildRegistry(TOOLS));
  const transport = new StdioServerTransport();
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // Answer what was already asked before closing: a client may close stdin right after writing.
    await drainToolCalls(server, client.timeoutMs + 1000);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on('end', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  await server.connect(transport);
  process.stderr.write(`runframe-mcp ${SERVER_VERSION}: ready on stdio, ${TOOLS.length} tools, API ${client.baseUrl}\n`);
}

main().catch((err) => {
  process.stderr.write(`runframe-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
