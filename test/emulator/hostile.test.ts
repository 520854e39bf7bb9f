/**
 * The emulator (the sandbox's store) against hostile input and other local users (issue 19,
 * items 6-8): bounded bodies, nothing changed in memory that is not on disk, clean answers to
 * malformed paths and oversized bodies, and no exposure beyond 127.0.0.1 and the key.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { startTestEmulator } from '../helpers';

/** One request over node:http (fetch cannot set Host), with the full key unless `key` is null. */
function http(emu: TestEmulator, o: { method?: string; path: string; host?: string; key?: string | null; body?: string; chunks?: Buffer[] }): Promise<{ status: number; text: string; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.key !== null) headers.authorization = `Bearer ${o.key ?? emu.keys[0].key}`;
    if (o.host) headers.host = o.host;
    const req = request(`${emu.url}${o.path}`, { method: o.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    if (o.chunks) for (const c of o.chunks) req.write(c);
    else if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

const openIncident = (emu: TestEmulator) => emu.store.state.incidents.find((i) => i.status === 'new' && !i.acknowledged_at)!.incident_number;

describe('emulator against hostile input (#19.6-8)', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-hostile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('#19.6 a body nested deeper than the limit is refused before it is applied; later writes still work and persist', async () => {
    const file = join(dir, 'data.json');
    const emu = await startTestEmulator({ dataFile: file });
    try {
      const number = emu.store.state.incidents.find((i) => i.status === 'resolved')!.incident_number;
      const deep = `{"incident_number":"${number}","summary":"s","impact":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
      const r = await http(emu, { method: 'POST', path: '/api/v1/postmortems', body: deep });
      assert.equal(r.status, 400, r.text.slice(0, 200));
      assert.match(r.json.error.message, /nested deeper than 64 levels/);
      const ack = await http(emu, { method: 'POST', path: `/api/v1/incidents/${openIncident(emu)}/acknowledge`, body: '{}' });
      assert.equal(ack.status, 200, ack.text);
      assert.ok(JSON.parse(readFileSync(file, 'utf8')).incidents.some((i: { acknowledged_at?: string }) => i.acknowledged_at), 'on disk');
    } finally {
      await emu.close();
    }
  });

  it('#19.6 a write that cannot be persisted leaves memory unchanged: 500, then the retry succeeds', async () => {
    const data = join(dir, 'sub');
    mkdirSync(data);
    const file = join(data, 'data.json');
    const emu = await startTestEmulator({ dataFile: file });
    try {
      const number = openIncident(emu);
      renameSync(data, join(dir, 'moved')); // the data file's folder is gone: the write fails
      const failed = await http(emu, { method: 'POST', path: `/api/v1/incidents/${number}/acknowledge`, body: '{}' });
      assert.equal(failed.status, 500);
      assert.ok(!emu.store.state.incidents.find((i) => i.incident_number === number)!.acknowledged_at, 'rolled back in memory');
      renameSync(join(dir, 'moved'), data);
      const retried = await http(emu, { method: 'POST', path: `/api/v1/incidents/${number}/acknowledge`, body: '{}' });
      assert.equal(retried.status, 200, retried.text);
    } finally {
      await emu.close();
    }
  });

  it('#19.7 a malformed % in the path is 400 (no key needed to get it), never 500', async () => {
    const emu = await startTestEmulator();
    try {
      for (const path of ['/api/v1/incidents/%E0%A4%A', '/api/v1/%', '/incidents/%zz']) {
        const r = await http(emu, { path, key: path.startsWith('/incidents') ? null : undefined });
        assert.equal(r.status, 400, `${path}: ${r.text}`);
        assert.equal(r.json.error.code, 'bad_path');
        assert.ok(!r.text.includes(' at '), 'no stack trace');
      }
    } finally {
      await emu.close();
    }
  });

  it('#19.7 a chunked body over 1 MB gets 413, not a reset connection', async () => {
    const emu = await startTestEmulator();
    try {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const r = await http(emu, { method: 'POST', path: '/api/v1/incidents', chunks: Array.from({ length: 20 }, () => chunk) });
      assert.equal(r.status, 413);
      assert.equal(r.json.error.code, 'payload_too_large');
    } finally {
      await emu.close();
    }
  });

  it('#19.8 the incident page needs a loopback Host or the key (DNS rebinding)', async () => {
    const emu = await startTestEmulator();
    try {
      const path = `/incidents/${openIncident(emu)}`;
      assert.equal((await http(emu, { path, key: null, host: 'attacker.example:80' })).status, 403);
      assert.equal((await http(emu, { path: '/healthz', key: null, host: 'attacker.example' })).status, 403);
      assert.equal((await http(emu, { path, key: null, host: `localhost:${emu.port}` })).status, 200);
      assert.equal((await http(emu, { path, key: null })).status, 200, 'Host 127.0.0.1');
      assert.equal((await http(emu, { path, host: 'attacker.example' })).status, 200, 'with the key');
    } finally {
      await emu.close();
    }
  });

  it('#19.8 an idle connection is closed', async () => {
    const emu = await startTestEmulator({ idleTimeoutMs: 300 });
    try {
      const socket = connect(emu.port, '127.0.0.1');
      await once(socket, 'connect');
      await once(socket, 'close'); // sends nothing: the emulator closes it
    } finally {
      await emu.close();
    }
  });

  it('#19.8 the data file is 0600 and holds nothing derived from a key; stale temp files go at start', async () => {
    const file = join(dir, 'data.json');
    const stale = `${file}.123456789`;
    writeFileSync(stale, '{"partial":');
    const unrelated = `${file}.bak`;
    writeFileSync(unrelated, 'keep');
    const emu = await startTestEmulator({ dataFile: file });
    try {
      assert.equal(existsSync(stale), false, 'stale temp file removed');
      assert.equal(existsSync(unrelated), true, 'other files kept');
      const body = JSON.stringify({ title: 'Disk full on db-1', service_ids: [emu.store.state.services[0].service_key] });
      const created = await new Promise<number>((resolve, reject) => {
        const req = request(`${emu.url}/api/v1/incidents`, { method: 'POST', headers: { authorization: `Bearer ${emu.keys[0].key}`, 'content-type': 'application/json', 'idempotency-key': 'k-1' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(created, 201);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const text = readFileSync(file, 'utf8');
      for (const k of emu.keys) {
        assert.ok(!text.includes(k.key), 'no key');
        assert.ok(!text.includes(createHash('sha256').update(k.key).digest('hex')), 'no hash of a key');
      }
    } finally {
      await emu.close();
    }
  });

  it('#19.10 titles are counted in code points, as the MCP tools count them: 200 emoji fit, 201 do not', async () => {
    const emu = await startTestEmulator();
    try {
      const service = emu.store.state.services[0].service_key;
      const post = (title: string) => http(emu, { method: 'POST', path: '/api/v1/incidents', body: JSON.stringify({ title, service_ids: [service] }) });
      assert.equal((await post('🔥'.repeat(200))).status, 201);
      const over = await post('🔥'.repeat(201));
      assert.equal(over.status, 422, over.text);
      assert.match(over.text, /at most 200 characters/);
    } finally {
      await emu.close();
    }
  });
});
