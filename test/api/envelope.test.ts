import assert from 'node:assert/strict';
import { exchangeFailure, parseRetryAfter, readAnswer, type CallContext } from '../../src/api/envelope';
import { UNKNOWN_OUTCOME_HINT } from '../../src/api/errors';
import { ExchangeError, type Exchange } from '../../src/api/transport';

const call = (unsafe: boolean): CallContext => ({ method: unsafe ? 'POST' : 'GET', path: '/incidents/INC-2026-001/events', unsafe, baseUrl: 'https://runframe.io', timeoutMs: 15_000 });
const answer = (status: number, text: string, headers: Record<string, string> = {}): Exchange => ({ status, statusText: '', header: (n) => headers[n], text });

describe('envelope: answers and failures become RunframeApiErrors', () => {
  it('outcomeUnknown is decided per failure, and the hint follows it', () => {
    // [phase, reason, unsafe write?, expected outcomeUnknown]
    const cases: ['connect' | 'sent' | 'read', 'timeout' | 'network', boolean, boolean][] = [
      ['connect', 'network', true, false], // never sent: nothing applied
      ['sent', 'network', true, true],
      ['read', 'network', true, true],
      ['sent', 'network', false, false], // a read, or a write with an Idempotency-Key
      ['read', 'timeout', true, true],
      ['connect', 'timeout', true, true], // as before the split: any timeout of such a write
      ['read', 'timeout', false, false],
    ];
    for (const [phase, reason, unsafe, expected] of cases) {
      const err = exchangeFailure(new ExchangeError(phase, reason, 0, undefined, new Error('ECONNRESET')), call(unsafe));
      assert.equal(err.outcomeUnknown, expected, `${phase} ${reason} unsafe=${unsafe}`);
      assert.equal(err.hint === UNKNOWN_OUTCOME_HINT, expected, `hint of ${phase} ${reason} unsafe=${unsafe}`);
    }
    for (const text of ['', '{"data": {"incident_n']) {
      assert.throws(() => readAnswer(answer(200, text), call(true)), (e: { outcomeUnknown?: boolean; hint?: string }) => e.outcomeUnknown === true && e.hint === UNKNOWN_OUTCOME_HINT);
      assert.throws(() => readAnswer(answer(200, text), call(false)), (e: { outcomeUnknown?: boolean }) => e.outcomeUnknown === false);
    }
  });

  it('reads {data} and {error, meta}, with the request id and Retry-After', () => {
    assert.deepEqual(readAnswer(answer(200, '{"data":{"a":1},"meta":{"request_id":"req_1"}}'), call(false)), { data: { a: 1 }, status: 200, requestId: 'req_1' });
    assert.deepEqual(readAnswer(answer(204, ''), call(true)), { data: undefined, status: 204, requestId: undefined });
    assert.throws(
      () => readAnswer(answer(429, '{"error":{"code":"rate_limited","message":"Too many"}}', { 'retry-after': '3', 'x-request-id': 'req_2' }), call(false)),
      (e: { status: number; code: string; retryAfterSeconds: number; requestId: string; outcomeUnknown: boolean }) =>
        e.status === 429 && e.code === 'rate_limited' && e.retryAfterSeconds === 3 && e.requestId === 'req_2' && !e.outcomeUnknown,
    );
    assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')), 5);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
