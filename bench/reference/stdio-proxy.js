/**
 * Reference for `npm run bench`: the least a Node stdio MCP proxy can do per call. It reads one
 * JSON-RPC line, answers initialize and tools/list with empty results, and turns every tools/call
 * into GET /api/v1/incidents?limit=20&offset=0 whose `data` goes back as one text block. No SDK,
 * no validation, no shaping, no audit: its figures are this machine's floor for our server.
 * Env: RUNFRAME_API_URL (http://127.0.0.1:port), RUNFRAME_API_KEY.
 */
'use strict';
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true });
const url = `${process.env.RUNFRAME_API_URL}/api/v1/incidents?limit=20&offset=0`;
const headers = { authorization: `Bearer ${process.env.RUNFRAME_API_KEY}`, accept: 'application/json' };
const answer = (id, result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\n');

function call(id) {
  http
    .request(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => answer(id, { content: [{ type: 'text', text: JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')).data) }] }));
    })
    .on('error', (err) => answer(id, { content: [{ type: 'text', text: err.message }], isError: true }))
    .end();
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (data) => {
  buffered += data;
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const message = JSON.parse(buffered.slice(0, nl));
    buffered = buffered.slice(nl + 1);
    if (message.id === undefined) continue;
    if (message.method === 'tools/call') call(message.id);
    else answer(message.id, message.method === 'tools/list' ? { tools: [] } : {});
  }
});
process.stdin.on('end', () => process.exit(0));
