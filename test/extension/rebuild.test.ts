/**
 * Connection rebuilds one at a time (src/extension/state/oneAtATime.ts). Four events and several
 * commands ask ConnectionManager to rebuild, often together; each rebuild reads the state (key,
 * settings, sandbox), then awaits VS Code before it sets the connection. Run side by side, the
 * rebuild that finished last won even when it had read the older state.
 */
import assert from 'node:assert/strict';
import { oneAtATime } from '../../src/extension/state/oneAtATime';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A stand-in for ConnectionManager's rebuild: reads `state` at once, waits at a gate the test
 * opens, then sets `connection` to what it read.
 */
function fakeConnection(initial: string) {
  const c = {
    state: initial,
    connection: 'none',
    started: 0,
    running: 0,
    maxRunning: 0,
    failNext: false,
    gates: [] as { open: () => void; opened: boolean }[],
    rebuild: async () => {
      const seen = c.state;
      const fail = c.failNext;
      c.failNext = false;
      c.started++;
      c.running++;
      c.maxRunning = Math.max(c.maxRunning, c.running);
      await new Promise<void>((resolve) => {
        const gate = { opened: false, open: () => ((gate.opened = true), resolve()) };
        c.gates.push(gate);
      });
      c.running--;
      if (fail) throw new Error('keychain unavailable');
      c.connection = seen;
    },
    /** Opens the gates newest first, as when a later rebuild's await returns sooner, until none is left. */
    async finishNewestFirst() {
      await settle();
      for (let gate = c.gates.findLast((g) => !g.opened); gate; gate = c.gates.findLast((g) => !g.opened)) {
        gate.open();
        await settle();
      }
    },
  };
  return c;
}

describe('connection rebuilds one at a time (oneAtATime)', () => {
  it('ends with the state of the latest call, not that of the rebuild that finished last', async () => {
    const c = fakeConnection('no key');
    const rebuild = oneAtATime(c.rebuild);
    const first = rebuild();
    c.state = 'key for staging';
    let connectionWhenSecondSettled = '';
    const second = rebuild().then(() => (connectionWhenSecondSettled = c.connection));
    await c.finishNewestFirst();
    await Promise.all([first, second]);
    assert.equal(c.connection, 'key for staging', 'the connection reflects the latest state');
    assert.equal(connectionWhenSecondSettled, 'key for staging', 'a caller resumes only after a rebuild that started after its call');
    assert.equal(c.maxRunning, 1, 'never two rebuilds at once');
  });

  it('calls made during a rebuild share one follow-up, which reads the state as it is then', async () => {
    const c = fakeConnection('A');
    const rebuild = oneAtATime(c.rebuild);
    const first = rebuild();
    const waiting: Promise<void>[] = [];
    for (const state of ['B', 'C', 'D']) {
      c.state = state;
      waiting.push(rebuild());
    }
    assert.equal(waiting[0], waiting[2], 'the same follow-up');
    await c.finishNewestFirst();
    await Promise.all([first, ...waiting]);
    assert.equal(c.started, 2);
    assert.equal(c.connection, 'D');
  });

  it('starts at once when idle; a failed rebuild fails its callers, and the follow-up still runs', async () => {
    const c = fakeConnection('A');
    const rebuild = oneAtATime(c.rebuild);
    c.failNext = true;
    const failing = rebuild();
    assert.equal(c.started, 1, 'an idle call starts the rebuild before it returns');
    c.state = 'B';
    const after = rebuild();
    await c.finishNewestFirst();
    await assert.rejects(failing, /keychain unavailable/);
    await after;
    assert.equal(c.connection, 'B');
    c.state = 'C';
    const later = rebuild();
    assert.equal(c.started, 3, 'idle again: starts at once');
    await c.finishNewestFirst();
    await later;
    assert.equal(c.connection, 'C');
  });
});
