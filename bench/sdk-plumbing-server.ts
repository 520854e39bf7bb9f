/**
 * For the bench only: the same MCP server behind the MCP SDK's own plumbing, to compare with
 * ours in one run (README, Performance). One shared client and tool registry (every tier).
 *   --transport http  the SDK's StreamableHTTPServerTransport in stateless JSON mode, one
 *                     transport and one SDK Server per request (an SDK Server serves one
 *                     transport at a time); prints "listening on http://127.0.0.1:PORT" on
 *                     stderr like the product
 *   --transport stdio the SDK's StdioServerTransport
 *   --router sdk      tools/call answered by the SDK's request handler (setRequestHandler)
 *   --router ours     tools/call answered by our router (createMcpServer, as the product does)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { RunframeClient } from '../src/api/client';
import { buildRegistry, callTool, createMcpServer, SERVER_VERSION } from '../src/mcp/server';
import { selectTools } from '../src/mcp/toolsets';

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const router = arg('--router', 'sdk');
const transportKind = arg('--transport', 'http');
const client = new RunframeClient({ apiKey: process.env.RUNFRAME_API_KEY!, baseUrl: process.env.RUNFRAME_API_URL });
const registry = buildRegistry(selectTools(['read', 'write', 'page'], []));
const token = process.env.MCP_ACCESS_TOKEN ?? '';

/** A server whose tools/call goes through the SDK's own request handling. */
function sdkRouted(): Server {
  // Like ours, no Ajv: the SDK validates JSON Schema only for elicitation, which neither uses.
  const jsonSchemaValidator = { getValidator: () => (input: unknown) => ({ valid: true, data: input, errorMessage: undefined }) as never };
  const server = new Server({ name: 'runframe', version: SERVER_VERSION }, { capabilities: { tools: {} }, instructions: registry.instructions, jsonSchemaValidator });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: registry.list }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => (await callTool(registry, client, req.params.name, req.params.arguments, extra.signal)).result);
  return server;
}

const serverFor = () => (router === 'ours' ? createMcpServer(client, registry) : sdkRouted());

if (transportKind === 'stdio') {
  void serverFor().connect(new StdioServerTransport());
} else {
  const http = createServer((req, res) => {
    if (req.url !== '/mcp' || req.method !== 'POST') return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        const server = serverFor();
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      })().catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
  });
  http.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`));
}
