/**
 * Property-based fuzzing (fast-check) of every tool's arguments and of the emulator's own
 * endpoints. Runs per tool come from RUNFRAME_FUZZ_RUNS (default 150 in `npm test`; 10,000 in
 * `npm run test:stress`).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { z } from 'zod';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { TOOLS } from '../../src/mcp/tools';
import { anyValue, connectMcp, nasty, startTestEmulator, type McpSession } from '../helpers';

const RUNS = Number(process.env.RUNFRAME_FUZZ_RUNS ?? 150);
// `npm test` replays the same cases every run (a test must not pass or fail by chance);
// `npm run test:stress` sets RUNFRAME_FUZZ_SEED=random to look for new ones (fast-check prints
// the seed of a failure, to replay it here).
const SEED = process.env.RUNFRAME_FUZZ_SEED === 'random' ? undefined : Number(process.env.RUNFRAME_FUZZ_SEED ?? 20261130);

/** Values that are often right for a field of that name, so many calls get past validation. */
function plausible(field: string): fc.Arbitrary<unknown> {
  const incident = fc.integer({ min: 1, max: 45 }).map((n) => `INC-2026-${String(n).padStart(3, '0')}`);
  const email = fc.constantFrom('sam.rivera@northwind.example', 'priya.shah@northwind.example', 'diego.alvarez@northwind.example', 'ghost@northwind.example');
  switch (field) {
    case 'id':
    case 'incident_id':
    case 'incident_number':
      return incident;
    case 'email':
    case 'assigned_to':
    case 'resolved_by':
      return email;
    case 'severity':
      return fc.oneof(fc.constantFrom('SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'), fc.array(fc.constantFrom('SEV0', 'SEV1', 'SEV4'), { maxLength: 3 }));
    case 'status':
      return fc.oneof(fc.constantFrom('new', 'investigating', 'fixing', 'monitoring', 'resolved', 'closed'), fc.array(fc.constantFrom('new', 'resolved'), { maxLength: 2 }));
    case 'limit':
      return fc.integer({ min: 1, max: 100 });
    case 'offset':
      return fc.integer({ min: 0, max: 60 });
    case 'channels':
      return fc.subarray(['slack', 'email'], { minLength: 1 });
    case 'title':
    case 'comment':
    case 'message':
    case 'summary':
    case 'search':
      return fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 });
    default:
      return anyValue;
  }
}

/** Arguments for a tool: its own fields with plausible or hostile values, sometimes missing, sometimes extra ones. */
function argsFor(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const own = fc.record(Object.fromEntries(fields.map((f) => [f, fc.oneof({ weight: 2, arbitrary: plausible(f) }, { weight: 1, arbitrary: anyValue })])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), anyValue, { maxKeys: 2 });
  return fc.tuple(own, extra, fc.integer({ min: 0, max: 4 })).map(([o, e, pick]) => (pick === 0 ? { ...e, ...o } : o));
}

/**
 * The field a line of an "Invalid arguments" error blames, when that field really is wrong in
 * `args`; undefined when the line names none, or names one that is fine. The per-field schemas
 * are the judge, so the server's wording (describeIssues) is checked, not assumed:
 *   - never a top-level key the tool does not have: those are ignored (and named in the result);
 *   - `"k": unknown field in f...`, `f: ...`, `f[0]...: ...`, `f.x: ...`: a field `f` of the tool
 *     whose value in `args` (or its absence) fails that field's schema;
 *   - `arguments: ...`: only for a rule across fields (every field passes on its own, and the
 *     line says which fields it is about).
 */
function offendingField(input: z.ZodObject, args: Record<string, unknown>, problem: string): string | undefined {
  const fields = Object.keys(input.shape);
  const wrong = (f: string) => {
    if (!fields.includes(f)) return false;
    try {
      return !(input.shape[f] as z.ZodType).safeParse(args[f]).success;
    } catch {
      return true; // a value zod throws on (the server reports it as a wrong type)
    }
  };
  if (problem.startsWith('"')) {
    return fields.find((f) => wrong(f) && new RegExp(`: unknown fields? in ${f}[.\\[;]`).test(problem));
  }
  const root = /^([A-Za-z_]+)[.[:]/.exec(problem)?.[1];
  if (root === 'arguments') return fields.every((f) => !wrong(f)) && fields.some((f) => problem.includes(f)) ? 'arguments' : undefined;
  return root && wrong(root) ? root : undefined;
}

describe('fuzzed tool arguments over stdio', function () {
  this.timeout(Math.max(120_000, RUNS * TOOLS.length * 20));
  let emu: TestEmulator;
  let mcp: McpSession;
  const counts = { calls: 0, invalid: 0, reachedApi: 0, ok: 0 };
  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
  });
  after(async () => {
    process.stderr.write(`      fuzz: ${JSON.stringify(counts)}\n`);
    await mcp.close();
    await emu.close();
  });

  for (const tool of TOOLS) {
    it(`${tool.name}: never crashes; invalid input names a field and sends no request`, async () => {
      const fields = Object.keys(tool.input.shape);
      await fc.assert(
        fc.asyncProperty(argsFor(fields), async (args) => {
          const before = emu.requestCount;
          const res = (await mcp.client.callTool({ name: tool.name, arguments: args })) as { isError?: boolean; content: { text: string }[] };
          counts.calls++;
          const text = res.content[0]?.text ?? '';
          const sent = emu.requestCount - before;
          if (res.isError && text.startsWith('Invalid arguments')) {
            counts.invalid++;
            assert.equal(sent, 0, `invalid input sent ${sent} request(s): ${text}`);
            const problems = text.split('\n- ').slice(1);
            assert.ok(problems.length > 0, `the error lists no problem: ${text}`);
            for (const problem of problems) {
              const offender = offendingField(tool.input, args, problem);
              assert.ok(offender, `"${problem}" names no field that is wrong in ${JSON.stringify(args).slice(0, 300)}`);
            }
          } else {
            counts.reachedApi += sent > 0 ? 1 : 0;
            if (res.isError) assert.match(text, new RegExp(`^${tool.name} failed: `), text);
            else {
              counts.ok++;
              const ignored = Object.keys(args).filter((k) => !fields.includes(k));
              if (ignored.length) assert.match(text, /^Ignored unknown arguments? "/, `unknown arguments ${JSON.stringify(ignored)} not named: ${text.slice(0, 200)}`);
            }
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      assert.ok(!emu.requests.some((r) => r.status >= 500), 'the emulator never answered 5xx');
    });
  }

  it('non-object arguments are a protocol error, not a crash', async () => {
    for (const bad of [[], 'text', 42]) {
      await assert.rejects(mcp.client.callTool({ name: 'runframe_list_incidents', arguments: bad as never }));
    }
    const alive = await mcp.client.listTools();
    assert.ok(alive.tools.length > 0);
  });
});

describe('fuzzed emulator endpoints: malformed bodies get 400/422, never 500', function () {
  this.timeout(Math.max(60_000, RUNS * 200));
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  const endpoints = fc.constantFrom(
    ['POST', '/api/v1/incidents'],
    ['PATCH', '/api/v1/incidents/INC-2026-030'],
    ['POST', '/api/v1/incidents/INC-2026-030/status'],
    ['POST', '/api/v1/incidents/INC-2026-030/events'],
    ['POST', '/api/v1/incidents/INC-2026-030/page'],
    ['POST', '/api/v1/incidents/INC-2026-030/acknowledge'],
    ['POST', '/api/v1/incidents/INC-2026-030/escalate'],
    ['POST', '/api/v1/postmortems'],
    ['GET', '/api/v1/incidents'],
    ['GET', '/api/v1/users'],
  );
  const body = fc.oneof(
    fc.dictionary(fc.constantFrom('title', 'description', 'severity', 'service_ids', 'assigned_to', 'status', 'comment', 'email', 'channels', 'message', 'incident_number', 'summary', 'root_cause', 'resolution', 'impact', 'timeline', 'action_items', 'x'), anyValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '[]', 'null', '"str"', '{"a":', '\u0000', '{"title": "x", "service_ids": [null]}'),
  );
  const query = fc.dictionary(fc.constantFrom('limit', 'offset', 'status', 'severity', 'assigned_to', 'created_after', 'is_active', 'search', 'team_name'), fc.oneof(nasty, fc.string({ maxLength: 20 })), { maxKeys: 4 });

  it('every answer is a proper error envelope or success', async () => {
    await fc.assert(
      fc.asyncProperty(endpoints, body, query, async ([method, path], b, q) => {
        const url = new URL(emu.url + path);
        for (const [k, v] of Object.entries(q)) url.searchParams.append(k, v);
        const res = await fetch(url, { method, headers: { authorization: `Bearer ${emu.keys[0].key}`, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : b });
        assert.ok(res.status < 500, `${method} ${url.pathname} answered ${res.status}`);
        const json = (await res.json()) as { data?: unknown; error?: { code: string; message: string } };
        if (res.status >= 400) assert.ok(json.error?.code && json.error.message, JSON.stringify(json));
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });
});
