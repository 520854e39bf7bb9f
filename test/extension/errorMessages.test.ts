/**
 * Failures in plain words (src/extension/errorMessages.ts), from errors the real client makes
 * against the emulator over real HTTP, and the log line of a request.
 */
import assert from 'node:assert/strict';
import { RunframeApiError, RunframeClient } from '../../src/api';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { requestLine, summarizeError } from '../../src/extension/errorMessages';
import { freePort } from '../../scripts/codeServer';
import { clientFor, startTestEmulator } from '../helpers';

describe('failures in plain words', function () {
  this.timeout(30_000);
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected a failure'), (e: unknown) => e as RunframeApiError);

  it('rejected key, missing scope, rate limit, server error, unreadable answer, nothing listening: short words and a short sentence', async () => {
    const wrong = await failure(new RunframeClient({ apiKey: 'rf_wrong_key_for_words_000000', baseUrl: emu.url }).verifyKey());
    assert.deepEqual([summarizeError(wrong).short, summarizeError(wrong).sentence], ['key rejected', 'Runframe rejected the key (HTTP 401): mistyped, revoked or expired.']);
    const scope = await failure(clientFor(emu, 1).createIncident({ title: 'x', severity: 'SEV3', service_ids: [emu.store.state.services[0].service_key] }));
    assert.equal(summarizeError(scope).short, 'missing scope');
    assert.equal(summarizeError(scope).sentence, 'The key lacks the "incidents:write" scope (HTTP 403).');
    emu.faults.add({ type: 'status', status: 429, retryAfterSeconds: 30, path: '/teams', times: 10 });
    const limited = await failure(clientFor(emu, 0, { retry: false }).listTeams());
    emu.faults.clear();
    assert.equal(summarizeError(limited).sentence, 'Rate limited by Runframe (HTTP 429): retry after 30 s.');
    emu.faults.add({ type: 'status', status: 503, path: '/teams', times: 10 });
    const down = await failure(clientFor(emu, 0, { retry: false }).listTeams());
    emu.faults.clear();
    assert.equal(summarizeError(down).short, 'server error');
    emu.faults.add({ type: 'malformed_json', path: '/teams' });
    const garbled = await failure(clientFor(emu, 0, { retry: false }).listTeams());
    emu.faults.clear();
    assert.equal(summarizeError(garbled).short, 'unreadable answer');
    const port = await freePort();
    const refused = await failure(new RunframeClient({ apiKey: emu.keys[0].key, baseUrl: `http://127.0.0.1:${port}`, retry: false }).verifyKey());
    assert.deepEqual(summarizeError(refused), { short: 'wrong URL', sentence: 'Nothing answers at this URL (connection refused): check the URL and port.' });
    for (const err of [wrong, scope, limited, down, garbled, refused]) {
      const { sentence } = summarizeError(err);
      // The whole toast ("API key not saved. " + sentence) must fit without being cut.
      assert.ok(sentence.length <= 90, `${sentence.length} characters: ${sentence}`);
      assert.doesNotMatch(sentence, /network_error|\(E[A-Z]+\) \(/);
    }
  });

  it('no such host: offline or wrong URL, in words instead of "(ENOTFOUND) (network_error)"', () => {
    const err = new RunframeApiError({ kind: 'network', status: 0, code: 'network_error', apiMessage: 'Could not reach the Runframe API at https://runframe.example (ENOTFOUND)', hint: 'h', method: 'GET', path: '/auth/verify' });
    assert.deepEqual(summarizeError(err), { short: 'offline or wrong URL', sentence: 'No such host (ENOTFOUND): you are offline, or the URL is wrong.' });
  });

  it('a request line: method, path, status, duration in ms, request id', () => {
    assert.equal(requestLine({ method: 'GET', path: '/incidents', status: 200, durationMs: 12.4, requestId: 'req_1' }), 'GET /incidents 200 12 ms request id req_1');
    assert.equal(requestLine({ method: 'GET', path: '/auth/verify', status: 0, durationMs: 3000, errorCode: 'timeout' }), 'GET /auth/verify no answer timeout 3000 ms');
  });
});
