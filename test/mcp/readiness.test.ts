import assert from 'node:assert/strict';
import { cachedReadiness } from '../../src/mcp/readiness';

describe('readiness check (#19.9)', () => {
  it('30 concurrent probes make one check; its answer is reused until the TTL, then checked again', async () => {
    let now = 0;
    let calls = 0;
    let finish!: (ok: boolean) => void;
    const ready = cachedReadiness(() => {
      calls++;
      return new Promise<boolean>((r) => (finish = r));
    }, 5000, () => now);
    const probes = Array.from({ length: 30 }, () => ready());
    finish(true);
    assert.deepEqual(new Set(await Promise.all(probes)), new Set([true]));
    assert.equal(calls, 1);
    now = 5000;
    assert.equal(await ready(), true);
    assert.equal(calls, 1, 'cached for 5 s');
    now = 5001;
    const again = ready();
    finish(false);
    assert.equal(await again, false);
    assert.equal(calls, 2);
  });

  it('a failing check counts as not ready', async () => {
    const ready = cachedReadiness(() => Promise.reject(new Error('down')));
    assert.equal(await ready(), false);
  });
});
