import assert from 'node:assert/strict';
import * as FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.createClock>;
import type { Incident, OnCallSnapshot } from '../../src/api/types';
import type { Identity } from '../../src/extension/state/cockpitQueries';
import type { Connection } from '../../src/extension/state/connection';
import { Loadable } from '../../src/extension/state/loadable';
import { ONCALL_MAX_AGE_MS, onCallDue, refreshFor, refreshOnce, type RefreshTargets } from '../../src/extension/state/refreshOnce';
import { checkTimes, delayAfter, RefreshScheduler, refreshPolicyFor, type RefreshKind, type RefreshOutcome, type RefreshPolicy } from '../../src/extension/state/refreshScheduler';

const S = 1000;
const POLICY: RefreshPolicy = { intervalMs: 60 * S, unfocusedIntervalMs: 180 * S, focusStaleMs: 30 * S, backoffMaxMs: 600 * S };

/** A refresh whose outcome the test decides, which records when each run started and ended. */
function fakeRefresh(clock: InstalledClock, durationMs = 0) {
  const runs: { start: number; end?: number }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const outcomes: boolean[] = [];
  const fn = async () => {
    const run: { start: number; end?: number } = { start: clock.now };
    runs.push(run);
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    if (durationMs > 0) await new Promise((r) => clock.setTimeout(r, durationMs));
    else await Promise.resolve();
    concurrent--;
    run.end = clock.now;
    const ok = outcomes.length ? outcomes.shift()! : true;
    if (!ok) throw new Error('API down');
    return true;
  };
  return { fn, runs, outcomes, maxConcurrent: () => maxConcurrent };
}

function schedulerWith(clock: InstalledClock, refresh: () => Promise<boolean>, policy = POLICY) {
  return new RefreshScheduler(refresh, policy, { now: () => clock.now, setTimeout: (f, ms) => clock.setTimeout(f, ms), clearTimeout: (h) => clock.clearTimeout(h as Parameters<typeof clock.clearTimeout>[0]) });
}

describe('refresh scheduling (fake clock)', () => {
  let clock: InstalledClock;
  beforeEach(() => {
    clock = FakeTimers.createClock(Date.parse('2026-11-21T12:00:00Z'));
  });

  it('refreshes at start, then every interval while focused', async () => {
    const r = fakeRefresh(clock);
    const s = schedulerWith(clock, r.fn);
    await s.start();
    assert.equal(r.runs.length, 1);
    await clock.tickAsync(59 * S);
    assert.equal(r.runs.length, 1, 'not before the interval');
    await clock.tickAsync(1 * S);
    assert.equal(r.runs.length, 2);
    await clock.tickAsync(120 * S);
    assert.equal(r.runs.length, 4);
    assert.deepEqual(r.runs.map((x) => (x.start - r.runs[0].start) / S), [0, 60, 120, 180]);
    assert.equal(s.state.lastSuccessAt, r.runs[3].end);
    s.stop();
  });

  it('refreshes more slowly while unfocused, and at once on regaining focus after a while', async () => {
    const r = fakeRefresh(clock);
    const s = schedulerWith(clock, r.fn);
    await s.start();
    s.setFocused(false);
    await clock.tickAsync(179 * S);
    assert.equal(r.runs.length, 1, 'the unfocused interval is 180 s');
    await clock.tickAsync(1 * S);
    assert.equal(r.runs.length, 2);
    await clock.tickAsync(40 * S); // last refresh 40 s ago: stale
    s.setFocused(true);
    await clock.tickAsync(0);
    assert.equal(r.runs.length, 3, 'regaining focus after 40 s refreshes now');
    // Focus flicker right after a refresh: nothing extra.
    s.setFocused(false);
    await clock.tickAsync(5 * S);
    s.setFocused(true);
    await clock.tickAsync(0);
    assert.equal(r.runs.length, 3, 'not stale after 5 s');
    // ...and the focused interval applies again from the last refresh.
    await clock.tickAsync(55 * S);
    assert.equal(r.runs.length, 4);
    s.stop();
  });

  it('backs off exponentially on errors (2x, 4x, 8x the interval, capped), and resets after a success', async () => {
    const r = fakeRefresh(clock);
    r.outcomes.push(false, false, false, false, false, true);
    const s = schedulerWith(clock, r.fn);
    await s.start();
    assert.equal(s.state.consecutiveFailures, 1);
    for (const wait of [120, 240, 480, 600, 600]) {
      const before = r.runs.length;
      await clock.tickAsync(wait * S - 1);
      assert.equal(r.runs.length, before, `not before ${wait} s`);
      await clock.tickAsync(1);
      assert.equal(r.runs.length, before + 1, `after ${wait} s`);
    }
    assert.equal(s.state.consecutiveFailures, 0, 'the sixth run succeeded');
    await clock.tickAsync(60 * S);
    assert.equal(r.runs.length, 7, 'back to the normal interval');
    assert.equal(delayAfter(POLICY, true, 0), 60 * S);
    assert.equal(delayAfter(POLICY, false, 0), 180 * S);
    assert.equal(delayAfter(POLICY, false, 1), 180 * S, 'backoff never refreshes faster than the unfocused interval');
    assert.equal(delayAfter(POLICY, true, 10), 600 * S);
    s.stop();
  });

  it('focus does not cut a backoff short', async () => {
    const r = fakeRefresh(clock);
    r.outcomes.push(false);
    const s = schedulerWith(clock, r.fn);
    await s.start();
    s.setFocused(false);
    await clock.tickAsync(100 * S);
    s.setFocused(true);
    await clock.tickAsync(0);
    assert.equal(r.runs.length, 1, 'still backing off (due at 180 s unfocused / 120 s focused)');
    await clock.tickAsync(20 * S);
    assert.equal(r.runs.length, 2, 'the focused backoff (120 s) applies from the failure');
    s.stop();
  });

  it('never runs two refreshes at once: requests during one fold into a single follow-up', async () => {
    const r = fakeRefresh(clock, 5 * S);
    const s = schedulerWith(clock, r.fn);
    const first = s.start();
    await clock.tickAsync(1 * S);
    const a = s.refreshNow();
    const b = s.refreshNow();
    const c = s.refreshNow();
    assert.equal(a, b);
    assert.equal(b, c);
    await clock.tickAsync(10 * S);
    await Promise.all([first, a, b, c]);
    assert.equal(r.runs.length, 2, 'one run plus one follow-up');
    assert.equal(r.maxConcurrent(), 1);
    assert.ok(r.runs[1].start >= r.runs[0].end!, 'the follow-up starts after the first ends');
    // Timer firing during a manual refresh does not overlap either.
    await clock.tickAsync(58 * S);
    const manual = s.refreshNow();
    await clock.tickAsync(10 * S);
    await manual;
    assert.equal(r.maxConcurrent(), 1);
    s.stop();
  });

  it('stop() cancels the schedule; setPolicy re-plans from the last refresh', async () => {
    const r = fakeRefresh(clock);
    const s = schedulerWith(clock, r.fn);
    await s.start();
    s.setPolicy({ ...POLICY, intervalMs: 20 * S });
    await clock.tickAsync(20 * S);
    assert.equal(r.runs.length, 2);
    s.stop();
    assert.equal(s.state.nextDueAt, undefined);
    await clock.tickAsync(3600 * S);
    assert.equal(r.runs.length, 2);
  });

  it('reads the interval settings into a policy: defaults, at least 10 s, never faster unfocused', () => {
    assert.deepEqual(refreshPolicyFor(60, 180), { ...POLICY, requestsPerMinute: 4 });
    assert.deepEqual(refreshPolicyFor(5, 5, 0), { intervalMs: 10 * S, unfocusedIntervalMs: 10 * S, focusStaleMs: 10 * S, backoffMaxMs: 600 * S, requestsPerMinute: 0 });
    assert.deepEqual(refreshPolicyFor(3600, 60, 0), { intervalMs: 3600 * S, unfocusedIntervalMs: 3600 * S, focusStaleMs: 30 * S, backoffMaxMs: 3600 * S, requestsPerMinute: 0 });
  });
});

describe('checks for new incidents between refreshes (fake clock)', () => {
  const BUDGET: RefreshPolicy = { ...POLICY, requestsPerMinute: 4 };
  let clock: InstalledClock;
  beforeEach(() => {
    clock = FakeTimers.createClock(Date.parse('2026-11-21T12:00:00Z'));
  });

  /**
   * A refresh that logs every call with its kind and time; checks find something when an
   * incident was "created" (createdAt) after the last full refresh started.
   */
  function recorder(fullRequests = 1) {
    const calls: { kind: RefreshKind; at: number }[] = [];
    let createdAt: number | undefined;
    let lastFullAt = -Infinity;
    let announcedAt: number | undefined;
    const fn = async (kind: RefreshKind): Promise<RefreshOutcome> => {
      calls.push({ kind, at: clock.now });
      await Promise.resolve();
      if (kind === 'check') return { ok: true, requests: 1, found: createdAt !== undefined && createdAt >= lastFullAt && createdAt <= clock.now };
      if (createdAt !== undefined && createdAt <= clock.now && announcedAt === undefined) announcedAt = clock.now;
      lastFullAt = clock.now;
      return { ok: true, requests: fullRequests };
    };
    return { fn, calls, create: () => { createdAt = clock.now; announcedAt = undefined; }, latency: () => (announcedAt === undefined || createdAt === undefined ? undefined : announcedAt - createdAt) };
  }
  const schedulerOf = (fn: (kind: RefreshKind) => Promise<RefreshOutcome>, policy = BUDGET) =>
    new RefreshScheduler(fn, policy, { now: () => clock.now, setTimeout: (f, ms) => clock.setTimeout(f, ms), clearTimeout: (h) => clock.clearTimeout(h as Parameters<typeof clock.clearTimeout>[0]) });

  it('spends the budget left after each full refresh on evenly spaced checks', () => {
    assert.deepEqual(checkTimes(60 * S, 4, 1), [15 * S, 30 * S, 45 * S]);
    assert.deepEqual(checkTimes(60 * S, 4, 2), [20 * S, 40 * S], 'a full refresh that also read on-call leaves two');
    assert.deepEqual(checkTimes(60 * S, 4, 4), []);
    assert.deepEqual(checkTimes(10 * S, 4, 1), [], 'a short interval leaves no room');
    assert.deepEqual(checkTimes(60 * S, 0, 1), []);
  });

  it('focused: a full refresh a minute and three checks, at most 4 requests in any minute', async () => {
    const r = recorder();
    const s = schedulerOf(r.fn);
    await s.start();
    await clock.tickAsync(600 * S);
    s.stop();
    const t0 = r.calls[0].at;
    assert.deepEqual(r.calls.slice(0, 5).map((c) => [c.kind, (c.at - t0) / S]), [['now', 0], ['check', 15], ['check', 30], ['check', 45], ['scheduled', 60]]);
    for (let from = t0; from <= t0 + 540 * S; from += 5 * S) {
      assert.ok(r.calls.filter((c) => c.at >= from && c.at < from + 60 * S).length <= 4, `at most 4 requests in the minute from ${(from - t0) / S} s`);
    }
  });

  it('a new incident created at any moment is announced within 15 s, by a refresh right after the check that found it', async () => {
    const r = recorder();
    const s = schedulerOf(r.fn);
    await s.start();
    await clock.tickAsync(7 * S);
    const latencies: number[] = [];
    // 60 creation moments spread over more than a cycle, 1.3 s apart (never on a tick).
    for (let i = 0; i < 60; i++) {
      await clock.tickAsync(1.3 * S);
      r.create();
      await clock.tickAsync(20 * S);
      latencies.push(r.latency()!);
    }
    s.stop();
    assert.ok(latencies.every((l) => l !== undefined && l <= 15 * S), `latencies ${latencies.map((l) => l / S).join(', ')}`);
  });

  it('a full refresh that used two requests leaves two checks (20 s apart)', async () => {
    const r = recorder(2);
    const s = schedulerOf(r.fn);
    await s.start();
    await clock.tickAsync(60 * S);
    s.stop();
    assert.deepEqual(r.calls.map((c) => [c.kind, (c.at - r.calls[0].at) / S]), [['now', 0], ['check', 20], ['check', 40], ['scheduled', 60]]);
  });

  it('no checks while unfocused or backing off after a failure', async () => {
    const r = recorder();
    const s = schedulerOf(r.fn);
    await s.start();
    s.setFocused(false);
    await clock.tickAsync(360 * S);
    assert.deepEqual([...new Set(r.calls.map((c) => c.kind))], ['now', 'scheduled']);
    s.stop();
    const kinds: RefreshKind[] = [];
    const spy = schedulerOf(async (kind) => {
      kinds.push(kind);
      return { ok: kind === 'check' };
    });
    await spy.start();
    await clock.tickAsync(300 * S);
    spy.stop();
    assert.ok(!kinds.includes('check'), kinds.join(','));
  });
});

describe('what a scheduled refresh and a check load (refreshFor)', () => {
  const NOW = Date.parse('2026-11-21T12:00:00Z');
  const shift = (endMin: number) => ({ services: [{ service_key: 's', service_name: 'S', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'A', shift_ends_at: new Date(NOW + endMin * 60_000).toISOString() }] }] }) as unknown as OnCallSnapshot;

  it('re-reads on-call only when never loaded, older than 10 minutes, or a shift has ended', () => {
    assert.equal(onCallDue(undefined, undefined, NOW), true);
    assert.equal(onCallDue(shift(60), NOW - 60_000, NOW), false);
    assert.equal(onCallDue(shift(60), NOW - ONCALL_MAX_AGE_MS, NOW), true);
    assert.equal(onCallDue(shift(-1), NOW - 60_000, NOW), true);
  });

  it('scheduled: incidents, on-call when due; now: everything; check: one created_after query that tells new from known', async () => {
    const calls = { incidents: 0, oncall: 0, since: [] as string[] };
    const known = [{ incident_number: 'INC-2026-001', created_at: '2026-11-21T11:00:00.000Z', services: [] }, { incident_number: 'INC-2026-002', created_at: '2026-11-21T11:30:00.000Z', services: [] }] as unknown as Incident[];
    let fresh: Incident[] = [known[1]];
    const t: RefreshTargets = {
      connection: { current: { mode: 'account', revision: 'r', environment: { id: 'e', label: 'E', apiUrl: 'x', isDefault: true } } },
      incidents: new Loadable<Incident[]>(async () => (calls.incidents++, known)),
      oncall: new Loadable<OnCallSnapshot>(async () => (calls.oncall++, shift(60)), () => NOW),
      identity: new Loadable<Identity>(async () => ({ email: 'me@x' })),
      announce: async () => {},
      refreshDetails: () => {},
      createdSince: async (since) => (calls.since.push(since), fresh),
      now: () => NOW,
    };
    const run = refreshFor(t);
    assert.deepEqual(await run('scheduled'), { ok: true, requests: 4 }, 'first: incidents, on-call (never loaded) and identity (users search too)');
    assert.deepEqual(await run('scheduled'), { ok: true, requests: 1 });
    assert.deepEqual([calls.incidents, calls.oncall], [2, 1], 'on-call fresh: not re-read');
    assert.deepEqual(await run('now'), { ok: true, requests: 2 });
    assert.equal(calls.oncall, 2, 'a refresh someone asked for re-reads on-call');
    assert.deepEqual(await run('check'), { ok: true, requests: 1, found: false });
    assert.deepEqual(calls.since, ['2026-11-21T11:30:00.000Z'], 'asks from the newest creation time known');
    fresh = [known[1], { incident_number: 'INC-2026-003', created_at: '2026-11-21T11:59:00.000Z', services: [] } as unknown as Incident];
    assert.deepEqual(await run('check'), { ok: true, requests: 1, found: true });
  });
});

describe('one refresh of the cockpit (refreshOnce)', () => {
  const environment = { id: 'staging', label: 'Staging', apiUrl: 'https://staging.example', isDefault: false };
  const incident = { incident_number: 'INC-2026-040', title: 'Checkout down', severity: 'SEV1', status: 'new', services: [] } as Incident;

  /** Targets whose loads the test can fail, with a record of what was announced and refreshed. */
  function targets(mode: Connection['mode'] = 'account') {
    const current = { mode, revision: 'r1', environment };
    const calls = { incidents: 0, oncall: 0, identity: 0, announced: [] as string[], details: 0 };
    const fail = { incidents: false, oncall: false };
    let duringLoad = () => {};
    const t: RefreshTargets = {
      connection: { current },
      incidents: new Loadable<Incident[]>(async () => {
        calls.incidents++;
        duringLoad();
        if (fail.incidents) throw new Error('API down');
        return [incident];
      }),
      oncall: new Loadable<OnCallSnapshot>(async () => {
        calls.oncall++;
        if (fail.oncall) throw new Error('API down');
        return { services: [] };
      }),
      identity: new Loadable<Identity>(async () => {
        calls.identity++;
        return { email: 'sam@northwind.example' };
      }),
      announce: async (scope, open) => {
        calls.announced.push(`${scope}: ${open.map((i) => i.incident_number).join(', ')}`);
      },
      refreshDetails: () => calls.details++,
    };
    return { t, current, calls, fail, onLoad: (fn: () => void) => (duringLoad = fn) };
  }

  it('loads incidents, on-call and (once) the identity, announces for the environment, refreshes the documents', async () => {
    const { t, calls } = targets();
    assert.equal(await refreshOnce(t), true);
    assert.equal(await refreshOnce(t), true);
    assert.deepEqual(calls, { incidents: 2, oncall: 2, identity: 1, announced: ['staging: INC-2026-040', 'staging: INC-2026-040'], details: 2 });
    const sandbox = targets('sandbox');
    await refreshOnce(sandbox.t);
    assert.deepEqual(sandbox.calls.announced, ['sandbox: INC-2026-040']);
  });

  it('does nothing without a connection', async () => {
    const { t, calls } = targets('none');
    assert.equal(await refreshOnce(t), true);
    assert.deepEqual(calls, { incidents: 0, oncall: 0, identity: 0, announced: [], details: 0 });
  });

  it('reports a failed load, and announces nothing from incidents that failed', async () => {
    const a = targets();
    a.fail.oncall = true;
    assert.equal(await refreshOnce(a.t), false);
    assert.equal(a.calls.announced.length, 1, 'incidents loaded: announced');
    const b = targets();
    b.fail.incidents = true;
    assert.equal(await refreshOnce(b.t), false);
    assert.deepEqual(b.calls.announced, []);
  });

  it('leaves data of a connection that changed meanwhile unannounced', async () => {
    const { t, current, calls, onLoad } = targets();
    onLoad(() => (current.revision = 'r2'));
    assert.equal(await refreshOnce(t), true);
    assert.deepEqual([calls.announced, calls.details], [[], 0]);
  });
});

