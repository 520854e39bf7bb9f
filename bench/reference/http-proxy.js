/**
 * Reference for `npm run bench`: the least a Node HTTP MCP proxy can do per request. Every POST
 * body is parsed as JSON-RPC and answered with GET /api/v1/escalation-policies?severity=SEV1's
 * `data` as text and structuredContent. No SDK, no auth, no validation, no audit: its figures
 * are this machine's floor for our Streamable HTTP transport. Binds 127.0.0.1 on a free port and
 * prints "listening on http://127.0.0.1:<port>/mcp" to stderr.
 * Env: RUNFRAME_API_URL (http://127.0.0.1:port), RUNFRAME_API_KEY.
 */
'use strict';
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true });
const url = `${process.env.RUNFRAME_API_URL}/api/v1/escalation-policies?severity=SEV1`;
const headers = { authorization: `Bearer ${process.env.RUNFRAME_API_KEY}`, accept: 'application/json' };

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    http
      .request(url, { agent, headers }, (upstream) => {
        const parts = [];
        upstream.on('data', (c) => parts.push(c));
        upstream.on('end', () => {
          const data = JSON.parse(Buffer.concat(parts).toString('utf8')).data;
          const body = JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data } });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        });
      })
      .on('error', () => res.writeHead(502).end())
      .end();
  });
});
server.listen(0, '127.0.0.1', () => process.stderr.write(`listening on http://127.0.0.1:${server.address().port}/mcp\n`));
process.on('SIGTERM', () => process.exit(0));
