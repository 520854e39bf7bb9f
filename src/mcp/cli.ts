/**
 * CLI of the Runframe MCP server (bundled as dist/server.js).
 *   RUNFRAME_API_KEY=rf_... node dist/server.js                        stdio (default)
 *   MCP_ACCESS_TOKEN=... node dist/server.js --transport http --port 3100   Streamable HTTP
 * stdout carries only JSON-RPC in stdio mode; every log line goes to stderr. Start-up makes no
 * network call.
 */
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_API_URL, DEFAULT_TIMEOUT_MS, parseBaseUrl, RunframeClient, RunframeInputError, type RequestRecord } from '../api/client';
import { redactUrl } from '../domain/format';
import { checkApiKeyFormat, checkServiceKey } from '../domain/identifiers';
import { fileAuditSink, recordRequest, stderrAuditSink, type AuditLine } from './audit';
import { trackInFlight, type InFlight } from './inFlight';
import { LineTransport } from './stdio';
import { buildRegistry, createMcpServer, SERVER_VERSION, TEXT_FORMATS, type TextFormat } from './server';
import { tierListing } from './toolDocs';
import { DEFAULT_TOOL_TIERS, TOOL_TIERS } from './tiers';
import { TOOLS } from './tools';
import { hiddenTools, parseDisabledTools, parseToolsets, selectTools } from './toolsets';

const HELP = `Runframe MCP server ${SERVER_VERSION}: incident tools, resources and prompts for AI agents.

Usage: node dist/server.js [options]
       node dist/server.js check [--service svc_...] [--file .runframe.json]   (see check --help)

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
  --auth shared|per-user   HTTP: shared (default) acts with RUNFRAME_API_KEY for clients that
                           send an MCP_ACCESS_TOKEN; per-user: each client sends its own
                           Runframe API key as its bearer token, the server holds none, and
                           the key's scopes decide the client's tools
  --metrics-port N         HTTP: serve GET /metrics (Prometheus) on this port of --host,
                           without auth (off unless set; 0 picks a free one)
  --setup                  configure MCP clients: asks for the key (checks it), the clients
                           (claude-code, cursor, vscode, claude-desktop, codex) and the tiers,
                           then merges each client's config (old file kept as <file>.bak)
    --client LIST          the clients, comma-separated (or all), instead of asking
    --print                print each config instead of writing it; asks nothing
    --yes                  write without asking (with --client); for scripts
  -h, --help               show this help
  -v, --version            show the version

Environment:
  RUNFRAME_API_KEY         required (not in per-user mode); your Runframe API key (rf_...)
  RUNFRAME_API_URL         API base URL (default ${DEFAULT_API_URL})
  RUNFRAME_TIMEOUT_MS      per-request timeout in ms (default 15000)
  RUNFRAME_TOOLSETS        same as --toolsets (the flag wins)
  RUNFRAME_DISABLED_TOOLS  tools to hide by name, comma-separated
  RUNFRAME_TEXT_FORMAT     compact (default): results as short text for a model, with every
                           fact; json: the text is the JSON of the structured result
  RUNFRAME_AUDIT_FILE      also append each audit line as JSON to this file
  RUNFRAME_WORKSPACE_SERVICES  service keys the user's code belongs to, comma-separated
                           (the extension passes its .runframe.json); named in the instructions
  MCP_ACCESS_TOKEN         HTTP shared mode, required: bearer token(s) clients must send, at
                           least 16 characters each; comma-separated (new,old) to rotate
  MCP_AUTH_MODE            same as --auth (the flag wins)
  MCP_AUTH_CACHE_SECONDS   per-user: how long a verified key is trusted before GET
                           /auth/verify again (default 60; refused keys 10; 0 = every request)
  MCP_METRICS_PORT         same as --metrics-port (the flag wins)
  MCP_HTTP_DRAIN_DELAY_MS  HTTP: on SIGTERM, /readyz answers 503 this long while requests are
                           still served, before draining (default 0; set it to the load
                           balancer's health-check interval x fall count)
  MCP_HTTP_MAX_CONCURRENT  HTTP: requests in progress at once, beyond that 503 + Retry-After
                           (default 64)
  MCP_HTTP_CLIENT_SHARE    HTTP: slots each client (bearer token) can always get; beyond it a
                           client gets a slot only while more than this many stay free for
                           others (default a quarter of MCP_HTTP_MAX_CONCURRENT, at least 1)
  MCP_HTTP_HEADERS_TIMEOUT_MS  HTTP: deadline for a client to send its headers (default 10000)
  MCP_HTTP_REQUEST_TIMEOUT_MS  HTTP: deadline for the whole request incl. body (default 30000)
  MCP_HTTP_RESPONSE_TIMEOUT_MS HTTP: deadline for our answer, then 504 (default 45000)

HTTP endpoints: POST /mcp (bearer token), GET /healthz (alive), GET /readyz (API reachable).
stdio: every tool call writes one "audit {json}" line to stderr: time, tool, duration_ms,
outcome, http_status, request_id. HTTP: every stderr line is one JSON object (time, level,
msg); each line about a request has its request_id (the answer's X-Request-ID), tool calls add
tool, duration_ms, outcome, http_status, api_request_id. Arguments, tokens and keys are never
logged.`;

function fail(message: string): never {
  process.stderr.write(`runframe-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'check') {
    // A subcommand with its own options; loaded only when asked for.
    const { runDeployCheck } = await import('./deployCheck');
    const outcome = await runDeployCheck(process.argv.slice(3), process.env, process.cwd());
    (outcome.help ? process.stdout : process.stderr).write(outcome.lines.join('\n') + '\n');
    process.exit(outcome.exitCode);
  }
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        transport: { type: 'string', default: 'stdio' },
        port: { type: 'string', default: '3100' },
        host: { type: 'string', default: '127.0.0.1' },
        toolsets: { type: 'string' },
        auth: { type: 'string' },
        'metrics-port': { type: 'string' },
        setup: { type: 'boolean' },
        client: { type: 'string' },
        print: { type: 'boolean' },
        yes: { type: 'boolean' },
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
  if (values.setup) return setup(values);
  if (values.client !== undefined || values.print || values.yes) fail('--client, --print and --yes go with --setup. Run with --help for usage.');
  if (values.transport !== 'stdio' && values.transport !== 'http') fail(`--transport must be stdio or http (got "${values.transport}")`);

  const authMode = values.auth ?? (process.env.MCP_AUTH_MODE || 'shared');
  if (authMode !== 'shared' && authMode !== 'per-user') fail(`${values.auth !== undefined ? '--auth' : 'MCP_AUTH_MODE'} must be shared or per-user (got "${authMode}")`);
  const perUser = authMode === 'per-user';
  if (perUser) {
    // The point of per-user mode is that the server holds no key: a stray one would be a trap.
    if (values.transport !== 'http') fail('--auth per-user needs --transport http (over stdio the one client sets RUNFRAME_API_KEY)');
    if (process.env.RUNFRAME_API_KEY) fail('per-user mode holds no Runframe key: unset RUNFRAME_API_KEY; each client sends its own key as its bearer token');
    if (process.env.MCP_ACCESS_TOKEN) fail('per-user mode takes no MCP_ACCESS_TOKEN: each client\'s bearer token is its own Runframe API key; unset it');
  }
  const key = perUser ? undefined : checkApiKeyFormat(process.env.RUNFRAME_API_KEY);
  if (key && !key.ok) fail(`RUNFRAME_API_KEY: ${key.message} Example: RUNFRAME_API_KEY=rf_... node dist/server.js`);
  const toolsets = parseToolsets(values.toolsets ?? process.env.RUNFRAME_TOOLSETS);
  if (!toolsets.ok) fail(`${values.toolsets !== undefined ? '--toolsets' : 'RUNFRAME_TOOLSETS'}: ${toolsets.message}`);
  const disabled = parseDisabledTools(process.env.RUNFRAME_DISABLED_TOOLS);
  if (!disabled.ok) fail(`RUNFRAME_DISABLED_TOOLS: ${disabled.message}`);
  const timeoutRaw = process.env.RUNFRAME_TIMEOUT_MS;
  const timeoutMs = timeoutRaw === undefined ? undefined : Number(timeoutRaw);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000)) {
    fail(`RUNFRAME_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000 (got "${timeoutRaw}")`);
  }
  // Metrics (HTTP only) also watch every API request; set once the registry exists.
  let observeUpstream: ((record: RequestRecord) => void) | undefined;
  const clientOptions = {
    baseUrl: process.env.RUNFRAME_API_URL || undefined,
    timeoutMs,
    userAgent: `runframe-incident-cockpit-mcp/${SERVER_VERSION}`,
    onRequest: (record: RequestRecord, signal: AbortSignal | undefined) => {
      recordRequest(record, signal);
      observeUpstream?.(record);
    },
  };
  let baseUrl: string;
  let client: RunframeClient | undefined;
  try {
    baseUrl = parseBaseUrl(clientOptions.baseUrl);
    if (key?.ok) client = new RunframeClient({ ...clientOptions, apiKey: key.value });
  } catch (err) {
    if (err instanceof RunframeInputError && err.field === 'baseUrl') fail(`RUNFRAME_API_URL: ${err.message.replace(/^baseUrl: /, '')}`);
    throw err;
  }
  const tools = selectTools(toolsets.value, disabled.value);
  const workspaceServices: string[] = [];
  for (const raw of (process.env.RUNFRAME_WORKSPACE_SERVICES ?? '').split(',').filter((s) => s.trim())) {
    const service = checkServiceKey(raw);
    if (!service.ok) fail(`RUNFRAME_WORKSPACE_SERVICES: ${service.message}`);
    workspaceServices.push(service.value);
  }
  const registry = buildRegistry(tools, undefined, hiddenTools(toolsets.value, disabled.value), workspaceServices);
  const textFormat = process.env.RUNFRAME_TEXT_FORMAT?.trim().toLowerCase() || 'compact';
  if (!(TEXT_FORMATS as readonly string[]).includes(textFormat)) fail(`RUNFRAME_TEXT_FORMAT must be ${TEXT_FORMATS.join(' or ')} (got "${textFormat.slice(0, 40)}")`);
  const auditFile = process.env.RUNFRAME_AUDIT_FILE;
  const ctx = { audit: auditFile ? fileAuditSink(auditFile) : stderrAuditSink, textFormat: textFormat as TextFormat };
  const summary = `${tools.length} tools (${toolsets.value.join(', ')}${disabled.value.length ? `; ${disabled.value.length} disabled` : ''}), API ${redactUrl(baseUrl)}`;
  const apiTimeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;

  if (values.transport === 'http') {
    // Loaded only for HTTP: the SDK's HTTP transport costs a stdio server start-up time and memory.
    const { parseAccessTokens, startHttpServer } = await import('./http');
    const { apiReachable, perUserAuth, sharedAuth } = await import('./auth');
    const { auditToLog, jsonLogger } = await import('./log');
    const { McpMetrics, startMetricsServer } = await import('./metrics');
    const tokens = perUser ? undefined : parseAccessTokens(process.env.MCP_ACCESS_TOKEN);
    if (tokens && !tokens.ok) fail(tokens.message);
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535 (got "${values.port}")`);
    const limit = (name: string, min: number, max: number): number | undefined => {
      const raw = process.env[name];
      if (raw === undefined || raw === '') return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return n;
    };
    const metricsRaw = values['metrics-port'] ?? (process.env.MCP_METRICS_PORT || undefined);
    const metricsPort = metricsRaw === undefined ? undefined : Number(metricsRaw);
    if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) fail(`--metrics-port must be a whole number from 0 to 65535 (got "${metricsRaw}")`);
    const cacheSeconds = limit('MCP_AUTH_CACHE_SECONDS', 0, 3600);
    const log = jsonLogger();
    const metrics = metricsPort === undefined ? undefined : new McpMetrics();
    observeUpstream = metrics?.observeUpstream;
    const fileSink = auditFile ? fileAuditSink(auditFile, () => undefined) : undefined;
    // Each request's tool calls: a log line with its request id (and the key's user), a metric, the audit file.
    const ctxFor = (requestId: string, user?: string) => {
      const toLog = auditToLog(log.child({ request_id: requestId, ...(user ? { user } : {}) }));
      return { audit: (line: AuditLine) => (toLog(line), metrics?.observeToolCall(line), fileSink?.(line)) };
    };
    const authorize = perUser
      ? perUserAuth({ client: clientOptions, tools, hidden: hiddenTools(toolsets.value, disabled.value), workspaceServices, cacheTtlMs: cacheSeconds === undefined ? undefined : cacheSeconds * 1000, makeServer: (c, r, id, user) => createMcpServer(c, r, ctxFor(id, user)) })
      : sharedAuth(tokens!.ok ? tokens!.tokens : [], (id) => createMcpServer(client!, registry, ctxFor(id)));
    let http;
    let metricsServer: { port: number; close(): Promise<void> } | undefined;
    try {
      http = await startHttpServer({
        authorize, host: values.host, port, observer: metrics, log,
        maxConcurrent: limit('MCP_HTTP_MAX_CONCURRENT', 1, 10_000),
        clientShare: limit('MCP_HTTP_CLIENT_SHARE', 1, 10_000),
        headersTimeoutMs: limit('MCP_HTTP_HEADERS_TIMEOUT_MS', 100, 600_000),
        requestTimeoutMs: limit('MCP_HTTP_REQUEST_TIMEOUT_MS', 100, 600_000),
        responseTimeoutMs: limit('MCP_HTTP_RESPONSE_TIMEOUT_MS', 100, 600_000),
        drainDelayMs: limit('MCP_HTTP_DRAIN_DELAY_MS', 0, 600_000),
        // Per-user: no key to verify with, so ready means the API answers at all.
        ready: client ? () => client.verifyKey().then((a) => a.valid, () => false) : () => apiReachable(baseUrl, apiTimeoutMs),
      });
      if (metrics && metricsPort !== undefined) metricsServer = await startMetricsServer(metrics, values.host, metricsPort);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const which = http ? `metrics port ${metricsPort}` : `port ${port}`;
      process.stderr.write(`runframe-mcp: ${e.code === 'EADDRINUSE' ? `${which} on ${values.host} is in use; pick another with --${http ? 'metrics-port' : 'port'}` : e.code === 'EADDRNOTAVAIL' ? `cannot bind to ${values.host}: no such local address` : e.message}\n`);
      process.exit(1);
    }
    log.info(`runframe-mcp ${SERVER_VERSION}: listening on ${http.url}, ${summary}, auth ${authMode}${metricsServer ? `, metrics on port ${metricsServer.port}` : ''}`, {
      port: http.port, auth: authMode, metrics_port: metricsServer?.port,
    });
    const shutdown = async () => {
      log.info('shutting down: not ready, finishing requests in flight');
      await http.close(apiTimeoutMs + 1000);
      await metricsServer?.close();
      process.exit(0);
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    return;
  }

  if (!client) return fail('RUNFRAME_API_KEY is required');
  const server = createMcpServer(client, registry, ctx);
  let stopping = false;
  let inFlight: InFlight | undefined;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // Answer every request already received before closing (tools, resources, prompts): a client
    // may close stdin right after writing.
    await inFlight?.drain(apiTimeoutMs + 1000);
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

/** --setup: loaded only then (its prompts library is not needed to serve). Exits with its code. */
async function setup(values: { client?: string; print?: boolean; yes?: boolean; toolsets?: string }): Promise<void> {
  const { parseClients, runSetup } = await import('./setup/wizard');
  const clients = values.client === undefined ? undefined : parseClients(values.client);
  if (clients && !clients.ok) fail(clients.message);
  const rawTiers = values.toolsets ?? process.env.RUNFRAME_TOOLSETS;
  const toolsets = rawTiers === undefined ? undefined : parseToolsets(rawTiers);
  if (toolsets && !toolsets.ok) fail(`${values.toolsets !== undefined ? '--toolsets' : 'RUNFRAME_TOOLSETS'}: ${toolsets.message}`);
  const code = await runSetup({
    clients: clients?.value,
    print: Boolean(values.print),
    yes: Boolean(values.yes),
    toolsets: toolsets?.value,
    apiUrl: process.env.RUNFRAME_API_URL || undefined,
    apiKey: process.env.RUNFRAME_API_KEY || undefined,
    dirs: { cwd: process.cwd(), home: homedir(), platform: process.platform, appData: process.env.APPDATA, codexHome: process.env.CODEX_HOME },
    interactive: Boolean(process.stdin.isTTY),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
  process.exit(code);
}

main().catch((err) => {
  process.stderr.write(`runframe-mcp: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
