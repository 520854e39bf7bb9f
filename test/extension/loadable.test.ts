import assert from 'node:assert/strict';
import { Loadable } from '../../src/extension/state/loadable';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('shared loadable value (Loadable)', () => {
  it('concurrent refreshes share one load', async () => {
    let loads = 0;
    const d = deferred<number>();
    const r = new Loadable(() => {
      loads++;
      return d.promise;
    });
    const a = r.refresh();
    const b = r.refresh();
    assert.equal(r.state.loading, true);
    d.resolve(7);
    await Promise.all([a, b]);
    assert.equal(loads, 1);
    assert.equal(r.state.value, 7);
    assert.equal(r.state.loading, false);
  });

  it('keeps the last good value when a refresh fails, and clears the error on success', async () => {
    let fail = false;
    const r = new Loadable(async () => {
      if (fail) throw new Error('boom');
      return 'ok';
    }, () => 1000);
    await r.refresh();
    fail = true;
    await r.refresh();
    assert.equal(r.state.value, 'ok');
    assert.equal((r.state.error as Error).message, 'boom');
    assert.equal(r.state.updatedAt, 1000);
    fail = false;
    await r.refresh();
    assert.equal(r.state.error, undefined);
  });

  it('reset drops the value and ignores a load that lands afterwards', async () => {
    const d = deferred<string>();
    const r = new Loadable(() => d.promise);
    const seen: unknown[] = [];
    r.onDidChange((s) => seen.push(s.value));
    const p = r.refresh();
    r.reset();
    d.resolve('stale');
    await p;
    assert.equal(r.state.value, undefined);
    assert.ok(!seen.includes('stale'));
  });
});
