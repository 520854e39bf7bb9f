/**
 * CLI of the Runframe MCP server (bundled as dist/server.js).
 *   RUNFRAME_API_KEY=rf_... node dist/server.js                        stdio (default)
 *   MCP_ACCESS_TOKEN=... node dist/server.js --transport http --port 3100   Streamable HTTP
 * stdout carries only JSON-RPC in stdio mode; every log line goes to stderr. Start-up makes no
 * network call.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_API_URL, RunframeClient, RunframeInputError } from '../api/client';
import { checkApiKeyFormat } from '../domain/identifiers';
import { fileAuditSink, recordRequest, stderrAuditSink } from './audit';
import { trackInFlight, type InFlight } from './inFlight';
import { LineTransport } from './stdio';
import { buildRegistry, createMcpServer, SERVER_VERSION } from './server';
import { tierListing } from './toolDocs';
import { DEFAULT_TOOL_TIERS, TOOL_TIERS } from './tiers';
import { TOOLS } from './tools';
import { parseDisabledTools, parseToolsets, selectTools } from './toolsets';

const HELP = `Runframe MCP server ${SERVER_VERSION}: incident tools, resources and prompts for AI agents.

Usage: node dist/server.js [options]

Options:
  --transport stdio|http   stdio (default) or Streamable HTTP for teams
  --port N                 HTTP port (default 3100; 0 picks a free one)
  --host ADDR              HTTP bind address (default 127.0.0.1). On a loopback address,
                           Host and Origin must be loopback too.
  --toolsets LIST          access tiers to expose, comma-separated (default ${DEFAULT_TOOL_TIERS.join(',')});
                           read also offers the resources and prompts, page sends real
                           notifications to people; "all" selects every tier. Tools outside
                           them are not listed at all:
${tierListing(TOOLS, TOOL_TIERS, '                             ')}
  -h, --help               show this help
  -v, --version            show the version

Environment:
  RUNFRAME_API_KEY         required; your Runframe API key (starts with rf_)
  RUNFRAME_API_URL         API base URL (default ${DEFAULT_API_URL})
  RUNFRAME_TIMEOUT_MS      per-request timeout in ms (default 15000)
  RUNFRAME_TOOLSETS        same as --toolsets (the flag wins)
  RUNFRAME_DISABLED_TOOLS  tools to hide by name, comma-separated
  RUNFRAME_AUDIT_FILE      also append each audit line as JSON to this file
  MCP_ACCESS_TOKEN         HTTP only, required: bearer token(s) clients must send, at least
                           16 characters each; comma-separated (new,old) to rotate
  MCP_HTTP_MAX_CONCURRENT  HTTP: requests in progress at once, beyond that 503 + Retry-After
                           (default 64)
  MCP_HTTP_CLIENT_SHARE    HTTP: slots each client (bearer token) can always get; beyond it a
                           client gets a slot only while more than this many stay free for
                           others (default a quarter of MCP_HTTP_MAX_CONCURRENT, at least 1)
  MCP_HTTP_HEADERS_TIMEOUT_MS  HTTP: deadline for a client to send its headers (default 10000)
  MCP_HTTP_REQUEST_TIMEOUT_MS  HTTP: deadline for the whole request incl. body (default 30000)
  MCP_HTTP_RESPONSE_TIMEOUT_MS HTTP: deadline for our answer, then 504 (default 45000)

HTTP endpoints: POST /mcp (bearer token), GET /healthz (alive), GET /readyz (API reachable).
Every tool call writes one "audit {json}" line to stderr: time, tool, duration_ms, outcome,
http_status, request_id. Arguments and the key are never logged.`;

function fail(message: string): never {
  process.stderr.write(`runframe-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        transport: { type: 'string', default: 'stdio' },
        port: { type: 'string', default: '3100' },
        host: { type: 'string', default: '127.0.0.1' },
        toolsets: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}. Run with --help for usage.`);
  }
  if (values.help) return void process.stdout.write(HELP + '\n');
  if (values.version) return void process.stdout.write(SERVER_VERSION + '\n');
  if (values.transport !== 'stdio' && values.transport !== 'http') fail(`--transport must be stdio or http (got "${values.transport}")`);

  const key = checkApiKeyFormat(process.env.RUNFRAME_API_KEY);
  if (!key.ok) fail(`RUNFRAME_API_KEY: ${key.message} Example: RUNFRAME_API_KEY=rf_... node dist/server.js`);
  const toolsets = parseToolsets(values.toolsets ?? process.env.RUNFRAME_TOOLSETS);
  if (!toolsets.ok) fail(`${values.toolsets !== undefined ? '--toolsets' : 'RUNFRAME_TOOLSETS'}: ${toolsets.message}`);
  const disabled = parseDisabledTools(process.env.RUNFRAME_DISABLED_TOOLS);
  if (!disabled.ok) fail(`RUNFRAME_DISABLED_TOOLS: ${disabled.message}`);
  const timeoutRaw = process.env.RUNFRAME_TIMEOUT_MS;
  const timeoutMs = timeoutRaw === undefined ? undefined : Number(timeoutRaw);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
    fail(`RUNFRAME_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 (got "${timeoutRaw}")`);
  }
  let client: RunframeClient;
  try {
    client = new RunframeClient({
      apiKey: key.value,
      baseUrl: process.env.RUNFRAME_API_URL || undefined,
      timeoutMs,
      userAgent: `runframe-incident-cockpit-mcp/${SERVER_VERSION}`,
      onRequest: recordRequest,
    });
  } catch (err) {
    if (err instanceof RunframeInputError && err.field === 'baseUrl') fail(`RUNFRAME_API_URL: ${err.message.replace(/^baseUrl: /, '')}`);
    throw err;
  }
  const tools = selectTools(toolsets.value, disabled.value);
  const registry = buildRegistry(tools);
  const auditFile = process.env.RUNFRAME_AUDIT_FILE;
  const ctx = { audit: auditFile ? fileAuditSink(auditFile) : stderrAuditSink };
  const summary = `${tools.length} tools (${toolsets.value.join(', ')}${disabled.value.length ? `; ${disabled.value.length} disabled` : ''}), API ${client.baseUrl}`;

  if (values.transport === 'http') {
    // Loaded only for HTTP: the SDK's HTTP transport costs a stdio server start-up time and memory.
    const { parseAccessTokens, startHttpServer } = await import('./http');
    const tokens = parseAccessTokens(process.env.MCP_ACCESS_TOKEN);
    if (!tokens.ok) fail(tokens.message);
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535 (got "${values.port}")`);
    const limit = (name: string, min: number, max: number): number | undefined => {
      const raw = process.env[name];
      if (raw === undefined || raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return n;
    };
    let http;
    try {
      http = await startHttpServer({
        createServer: () => createMcpServer(client, registry, ctx), host: values.host, port, tokens: tokens.tokens,
        maxConcurrent: limit('MCP_HTTP_MAX_CONCURRENT', 1, 10_000),
        clientShare: limit('MCP_HTTP_CLIENT_SHARE', 1, 10_000),
        headersTimeoutMs: limit('MCP_HTTP_HEADERS_TIMEOUT_MS', 100, 600_000),
        requestTimeoutMs: limit('MCP_HTTP_REQUEST_TIMEOUT_MS', 100, 600_000),
        responseTimeoutMs: limit('MCP_HTTP_RESPONSE_TIMEOUT_MS', 100, 600_000),
        ready: () => client.verifyKey().then((a) => a.valid, () => false),
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      process.stderr.write(`runframe-mcp: ${e.code === 'EADDRINUSE' ? `port ${port} on ${values.host} is in use; pick another with --port` : e.code === 'EADDRNOTAVAIL' ? `cannot bind to ${values.host}: no such local address` : e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`runframe-mcp ${SERVER_VERSION}: listening on ${http.url}, ${summary}\n`);
    const shutdown = async () => {
      process.stderr.write('runframe-mcp: shutting down, finishing requests in flight\n');
      await http.close(client.timeoutMs + 1000);
      process.exit(0);
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    return;
  }

  const server = createMcpServer(client, registry, ctx);
  let stopping = false;
  let inFlight: InFlight | undefined;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // Answer every request already received before closing (tools, resources, prompts): a client
    // may close stdin right after writing.
    await inFlight?.drain(client.timeoutMs + 1000);
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Ends once stdin has ended and its last line was read, so that line is drained too.
  const transport = new LineTransport({ onEnd: () => void shutdown() });
  await server.connect(transport);
  inFlight = trackInFlight(transport);
  process.stderr.write(`runframe-mcp ${SERVER_VERSION}: ready on stdio, ${summary}\n`);
}

main().catch((err) => {
  process.stderr.write(`runframe-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
