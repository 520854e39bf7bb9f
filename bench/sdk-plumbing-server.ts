/**
 * For the bench only: the same MCP server (createMcpServer, one shared client and tool registry,
 * every tier) behind the MCP SDK's own StreamableHTTPServerTransport in stateless JSON mode,
 * one transport and one server per request (an SDK Server serves one transport at a time): the
 * figure our own HTTP transport had to beat by 2x, and now the plain-SDK floor of the product's
 * HTTP server (README, Performance). Prints
 * "listening on http://127.0.0.1:PORT" on stderr like the product.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { RunframeClient } from '../src/api/client';
import { buildRegistry, createMcpServer } from '../src/mcp/server';
import { selectTools } from '../src/mcp/toolsets';

const client = new RunframeClient({ apiKey: process.env.RUNFRAME_API_KEY!, baseUrl: process.env.RUNFRAME_API_URL });
const registry = buildRegistry(selectTools(['read', 'write', 'page'], []));
const token = process.env.MCP_ACCESS_TOKEN ?? '';

const http = createServer((req, res) => {
  if (req.url !== '/mcp' || req.method !== 'POST') return void res.writeHead(404).end();
  if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      const server = createMcpServer(client, registry);
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
