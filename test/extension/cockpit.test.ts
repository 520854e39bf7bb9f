/**
 * The cockpit's pure parts: notification de-duplication, filters and grouping (and the view state
 * that keeps them), the status bar,
 * the detail document, postmortem drafts (submitted to the emulator over real HTTP), the MCP
 * config for other clients, and audit lines from a real server over stdio.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunframeApiError } from '../../src/api/errors';
import type { Incident, OnCallSnapshot } from '../../src/api/types';
import { DEMO_USER_EMAIL } from '../../src/emulator/seed';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { describeAuditLine } from '../../src/extension/mcp/auditLogFollower';
import { MAX_REMEMBERED, incidentsToAnnounce, type AnnouncementMemory } from '../../src/extension/notifications/announcementRules';
import { renderIncidentDetail, slaState } from '../../src/extension/views/incidentMarkdown';
import { filterIncidents, groupIncidents, isOnCallNow, teamsOf } from '../../src/extension/views/incidentFilters';
import { IncidentsViewState } from '../../src/extension/views/incidentsViewState';
import { loadIdentity } from '../../src/extension/state/cockpitQueries';
import { mcpClientConfig, serverNameFor } from '../../src/extension/mcp/clientConfigs';
import { parsePostmortemDraft, postmortemDraft, postmortemDraftTitle } from '../../src/extension/commands/postmortemDraft';
import { formatUtc } from '../../src/domain/format';
import { statusBarModel } from '../../src/extension/views/statusBarText';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { call, clientFor, connectMcp, SERVER_JS, startTestEmulator } from '../helpers';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();
const inc = (n: number, severity: string, extra: Partial<Incident> = {}): Incident => ({
  incident_number: `INC-2026-${String(n).padStart(3, '0')}`,
  title: `Incident ${n}`,
  severity,
  status: 'new',
  created_at: ago(n),
  acknowledged_at: null,
  services: [],
  ...extra,
});

describe('new-incident notifications', () => {
  it('the first look records silently; later only new SEV0/SEV1 are announced, once each', () => {
    const first = incidentsToAnnounce([inc(1, 'SEV1'), inc(2, 'SEV3')], 'SEV1', undefined);
    assert.deepEqual(first.announce, [], 'no burst of old incidents on first sight');
    const second = incidentsToAnnounce([inc(1, 'SEV1'), inc(2, 'SEV3'), inc(3, 'SEV0'), inc(4, 'SEV2')], 'SEV1', first.memory);
    assert.deepEqual(second.announce.map((i) => i.incident_number), ['INC-2026-003']);
    const third = incidentsToAnnounce([inc(1, 'SEV1'), inc(3, 'SEV0')], 'SEV1', second.memory);
    assert.deepEqual(third.announce, [], 'never twice for the same incident');
    // The memory survives a reload (it is plain JSON in global state).
    const reloaded = JSON.parse(JSON.stringify(third.memory)) as AnnouncementMemory;
    assert.deepEqual(incidentsToAnnounce([inc(1, 'SEV1'), inc(3, 'SEV0')], 'SEV1', reloaded).announce, []);
  });

  it('a raised severity counts as new; a resolved-then-reopened incident is announced again', () => {
    const m1 = incidentsToAnnounce([inc(5, 'SEV2')], 'SEV1', { seen: [] }).memory;
    const raised = incidentsToAnnounce([inc(5, 'SEV1')], 'SEV1', m1);
    assert.deepEqual(raised.announce.map((i) => i.incident_number), ['INC-2026-005']);
    const resolved = incidentsToAnnounce([], 'SEV1', raised.memory);
    assert.deepEqual(resolved.memory.seen, []);
    assert.equal(incidentsToAnnounce([inc(5, 'SEV1')], 'SEV1', resolved.memory).announce.length, 1);
  });

  it('the threshold is configurable; "off" announces nothing but keeps following, so turning it on does not flood', () => {
    const m = incidentsToAnnounce([inc(1, 'SEV2')], 'SEV2', { seen: [] });
    assert.equal(m.announce.length, 1);
    const off = incidentsToAnnounce([inc(1, 'SEV2'), inc(2, 'SEV0'), inc(3, 'SEV4')], 'off', m.memory);
    assert.deepEqual(off.announce, []);
    assert.deepEqual(incidentsToAnnounce([inc(1, 'SEV2'), inc(2, 'SEV0'), inc(3, 'SEV4')], 'SEV4', off.memory).announce, []);
    assert.equal(incidentsToAnnounce([inc(9, 'SEV0')], 'SEV0', { seen: [] }).announce.length, 1);
    assert.equal(incidentsToAnnounce([inc(9, 'SEV1')], 'SEV0', { seen: [] }).announce.length, 0);
  });

  it('announces only what others did; a raise of an open incident says so', () => {
    const m1 = incidentsToAnnounce([inc(5, 'SEV3')], 'SEV1', { seen: [] }).memory;
    // Someone else raised INC-005 to SEV1 and opened INC-006: a raise and a new one.
    const next = incidentsToAnnounce([inc(5, 'SEV1'), inc(6, 'SEV0')], 'SEV1', m1);
    assert.deepEqual(next.announce.map((i) => i.incident_number), ['INC-2026-005', 'INC-2026-006']);
    assert.deepEqual([...next.raised], ['INC-2026-005']);
    // I created INC-007 and raised INC-008 myself: remembered, not announced, not announced later either.
    const m2 = incidentsToAnnounce([inc(8, 'SEV4')], 'SEV1', { seen: [] }).memory;
    const own = incidentsToAnnounce([inc(7, 'SEV0'), inc(8, 'SEV1')], 'SEV1', m2, new Set(['INC-2026-007', 'INC-2026-008']));
    assert.deepEqual(own.announce, []);
    assert.deepEqual(incidentsToAnnounce([inc(7, 'SEV0'), inc(8, 'SEV1')], 'SEV1', own.memory).announce, []);
  });

  it('remembers at most MAX_REMEMBERED numbers', () => {
    const many = Array.from({ length: MAX_REMEMBERED + 50 }, (_, i) => inc(i + 1, 'SEV1'));
    assert.equal(incidentsToAnnounce(many, 'SEV1', { seen: [] }).memory.seen.length, MAX_REMEMBERED);
  });
});

describe('incident filters and grouping', () => {
  const list = [
    inc(1, 'SEV1', { team_name: 'Payments', assigned_to: { name: 'Sam Rivera', email: 'Sam.Rivera@northwind.example' } }),
    inc(2, 'SEV0', { team_name: 'Platform' }),
    inc(3, 'SEV2', { team_name: 'Payments' }),
    inc(4, 'SEV1'),
    inc(5, 'P9', { team_name: 'Data' }),
  ];
  const me = { name: 'Sam Rivera', email: 'sam.rivera@northwind.example', teams: ['payments'] };

  it('all / assigned to me (emails case-insensitive) / my teams; keeps the given order', () => {
    assert.equal(filterIncidents(list, 'all', undefined).incidents.length, 5);
    assert.deepEqual(filterIncidents(list, 'mine', me).incidents.map((i) => i.incident_number), ['INC-2026-001']);
    assert.deepEqual(filterIncidents(list, 'myTeams', me).incidents.map((i) => i.incident_number), ['INC-2026-001', 'INC-2026-003']);
  });

  it('says why a filter cannot apply instead of showing an empty list', () => {
    assert.match(filterIncidents(list, 'mine', undefined).problem ?? '', /whose API key/);
    assert.match(filterIncidents(list, 'myTeams', { email: 'x@y.z', teams: [] }).problem ?? '', /No team is known/);
  });

  it('groups by severity (SEV0 first, unknown last) and by team (alphabetical, No team last)', () => {
    assert.deepEqual(groupIncidents(list, 'severity').map((g) => [g.label, g.incidents.length]), [['SEV0', 1], ['SEV1', 2], ['SEV2', 1], ['Unknown severity', 1]]);
    // By team: the team with the most severe incident first, then by name ("No team" last among equals).
    assert.deepEqual(groupIncidents(list, 'team').map((g) => g.label), ['Platform', 'Payments', 'No team', 'Data']);
    assert.deepEqual(groupIncidents(list, 'none')[0].incidents.length, 5);
  });

  it('my teams: own team plus teams I am on call for; on call now', () => {
    const snap: OnCallSnapshot = {
      services: [
        { service_key: 'svc_A', service_name: 'A', team_name: 'Platform', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'Sam Rivera', email: 'SAM.RIVERA@northwind.example' }] },
        { service_key: 'svc_B', service_name: 'B', team_name: 'Data', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'Other', email: 'o@x' }] },
      ],
    } as OnCallSnapshot;
    assert.deepEqual(teamsOf('sam.rivera@northwind.example', 'Payments', snap), ['Payments', 'Platform']);
    assert.equal(isOnCallNow(me, snap), true);
    assert.equal(isOnCallNow({ email: 'o2@x', teams: [] }, snap), false);
  });

  it('over real HTTP: a deployment whose /auth/verify names no user falls back to runframe.userEmail', async () => {
    const emu = await startTestEmulator({ apiKeys: [{ key: 'rf_public_contract_only_key_01', scopes: ['users:read', 'incidents:read'], user_email: DEMO_USER_EMAIL, verify_without_user: true }] });
    try {
      const client = clientFor(emu);
      assert.equal((await client.verifyKey()).user, undefined, 'only the published fields');
      assert.deepEqual(await loadIdentity(client), { name: undefined, email: undefined }, 'unknown without the setting');
      const me = emu.store.state.users.find((u) => u.email === DEMO_USER_EMAIL)!;
      assert.deepEqual(await loadIdentity(client, ` ${DEMO_USER_EMAIL} `), { name: me.name, email: DEMO_USER_EMAIL, team: me.team_name });
      // Without users:read the email still counts; name and team stay unknown.
      const noUsers = await startTestEmulator({ apiKeys: [{ key: 'rf_public_contract_only_key_02', scopes: ['incidents:read'], user_email: DEMO_USER_EMAIL, verify_without_user: true }] });
      try {
        assert.deepEqual(await loadIdentity(clientFor(noUsers), DEMO_USER_EMAIL), { name: undefined, email: DEMO_USER_EMAIL });
      } finally {
        await noUsers.close();
      }
    } finally {
      await emu.close();
    }
  });

  it('over real HTTP: the emulator says whose key it is, and that user\'s team', async () => {
    const emu = await startTestEmulator();
    try {
      const id = await loadIdentity(clientFor(emu));
      assert.equal(id.email, DEMO_USER_EMAIL);
      assert.equal(id.name, 'Sam Rivera');
      assert.equal(id.team, emu.store.state.users.find((u) => u.email === DEMO_USER_EMAIL)!.team_name);
    } finally {
      await emu.close();
    }
  });
});

describe('Incidents view state', () => {
  /** A Memento-like store that records what was written. */
  const store = (initial: Record<string, unknown> = {}) => {
    const values = new Map(Object.entries(initial));
    const writes: [string, unknown][] = [];
    return {
      values,
      writes,
      get: <T>(key: string, defaultValue: T): T => (values.has(key) ? (values.get(key) as T) : defaultValue),
      update: async (key: string, value: unknown) => {
        writes.push([key, value]);
        values.set(key, value);
      },
    };
  };

  it('comes back as stored; unknown stored values fall back to all open, no grouping', () => {
    const kept = new IncidentsViewState(store({ 'runframe.filter': 'myTeams', 'runframe.grouping': 'team' }));
    assert.deepEqual([kept.filter, kept.grouping], ['myTeams', 'team']);
    const fresh = new IncidentsViewState(store());
    assert.deepEqual([fresh.filter, fresh.grouping], ['all', 'none']);
    const odd = new IncidentsViewState(store({ 'runframe.filter': 'assignedToMe', 'runframe.grouping': 42 }));
    assert.deepEqual([odd.filter, odd.grouping], ['all', 'none']);
  });

  it('stores a change before telling listeners, so a re-render reads the new value', async () => {
    const s = store();
    const view = new IncidentsViewState(s);
    const heard: string[] = [];
    view.onDidChange(() => heard.push(`${view.filter}/${view.grouping} after ${s.writes.length} writes`));
    await view.setFilter('mine');
    await view.setGrouping('severity');
    assert.deepEqual(s.writes, [['runframe.filter', 'mine'], ['runframe.grouping', 'severity']]);
    assert.deepEqual(heard, ['mine/none after 1 writes', 'mine/severity after 2 writes']);
    assert.deepEqual([new IncidentsViewState(s).filter, new IncidentsViewState(s).grouping], ['mine', 'severity']);
  });
});

describe('status bar model', () => {
  it('counts open SEV0/SEV1, alarms while any is unacknowledged, says whether I am on call', () => {
    const snap = { services: [{ service_key: 's', service_name: 'S', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'Sam', email: 'sam@x' }] }] } as unknown as OnCallSnapshot;
    const m = statusBarModel({ incidents: [inc(1, 'SEV0'), inc(2, 'SEV1', { acknowledged_at: ago(1) }), inc(3, 'SEV2')], oncall: snap, user: { email: 'sam@x', teams: [] }, environment: 'production', updatedAt: NOW });
    // Unacked counts every severity (the SEV2 too), as the Incidents badge does.
    assert.equal(m.text, '$(flame) 2 SEV0/1 · 2 unacked  $(bell) On call');
    assert.equal(m.alarm, true);
    assert.equal(m.onCall, true);
    assert.match(m.tooltip, /SEV0 INC-2026-001 Incident 1 — \*\*unacknowledged\*\*/);
    assert.match(m.accessibilityLabel, /2 SEV0 or SEV1 incidents · 2 unacknowledged, you are on call/);
    const calm = statusBarModel({ incidents: [inc(2, 'SEV1', { acknowledged_at: ago(1) })], oncall: snap, user: { email: 'nobody@x', teams: [] }, environment: 'p' });
    assert.equal(calm.alarm, false);
    assert.equal(calm.text, '$(error) 1 SEV0/1  $(bell-slash) Off call');
    assert.equal(statusBarModel({ incidents: [], environment: 'p' }).text, '$(pass) No SEV0/1', 'unknown user: no on-call part');
    assert.equal(statusBarModel({ environment: 'p' }).text, '$(pass) …', 'before the first load');
    assert.match(statusBarModel({ incidents: [], environment: 'p', error: 'timeout' }).text, /^\$\(warning\)/);
  });

  it('names an open SEV0/SEV1 on a service of this workspace (.runframe.json) first', () => {
    const on = (key: string) => ({ services: [{ service_key: key, name: key }] });
    const incidents = [inc(1, 'SEV1', on('svc_AAAAAAAAAA')), inc(2, 'SEV0', on('svc_BBBBBBBBBB')), inc(3, 'SEV2', on('svc_AAAAAAAAAA'))];
    const mine = statusBarModel({ incidents, environment: 'p', workspaceServices: ['svc_AAAAAAAAAA'] });
    assert.equal(mine.text, '$(flame) INC-2026-001 SEV1 on this workspace · 2 SEV0/1 · 3 unacked');
    assert.match(mine.tooltip, /\*\*On this workspace's services\*\* \(\.runframe\.json\):\n- SEV1 INC-2026-001 Incident 1/);
    const section = mine.tooltip.split('\n\n')[1];
    assert.deepEqual(section.split('\n').slice(1).map((l) => l.split(' ')[2]), ['INC-2026-001'], 'only the workspace\'s SEV0/SEV1');
    const two = statusBarModel({ incidents, environment: 'p', workspaceServices: ['svc_AAAAAAAAAA', 'svc_BBBBBBBBBB'] });
    assert.match(two.text, /^\$\(flame\) 2 SEV0\/1 on this workspace · /);
    assert.doesNotMatch(statusBarModel({ incidents, environment: 'p', workspaceServices: ['svc_CCCCCCCCCC'] }).text, /this workspace/);
    assert.doesNotMatch(statusBarModel({ incidents, environment: 'p' }).text, /this workspace/);
  });
});

describe('incident detail document', () => {
  it('shows summary, services, assignee, SLA state, escalation level and the full timeline in order', () => {
    const doc = renderIncidentDetail(
      inc(40, 'SEV1', {
        title: 'Checkout | p99 <script>',
        status: 'investigating',
        team_name: 'Payments',
        services: [{ service_key: 'svc_K7QW2M9XHP', name: 'Checkout API' }],
        assigned_to: { name: 'Sam Rivera', email: 'sam@x' },
        escalation_level: 2,
        acknowledged_at: ago(30),
        sla: { acknowledge_due_at: ago(35), resolve_due_at: new Date(NOW + 90 * 60_000).toISOString() },
        timeline: [
          { type: 'note', comment: 'second', created_at: ago(10), actor: { name: 'Sam Rivera' } },
          { type: 'created', comment: 'first', created_at: ago(40) },
        ],
      }),
      NOW,
      'production',
    );
    assert.match(doc, /^# INC-2026-040: Checkout \\\| p99 \\<script\\>/);
    assert.match(doc, /\| Services \| Checkout API `svc_K7QW2M9XHP` \|/);
    assert.match(doc, /\| Assignee \| Sam Rivera \(sam@x\) \|/);
    assert.match(doc, /\| Escalation level \| 2 \|/);
    assert.match(doc, /\| Acknowledge SLA \| missed by 5m \|/);
    assert.match(doc, /\| Resolve SLA \| due in 2h/);
    assert.ok(doc.indexOf('first') < doc.indexOf('second'), 'timeline oldest first');
    assert.match(doc, /## Timeline \(2 events\)/);
    assert.equal(slaState(ago(-10), null, NOW).startsWith('due in 10m'), true);
    assert.match(slaState(ago(10), null, NOW), /\*\*breached\*\* 10m ago/);
    assert.equal(slaState(ago(10), ago(20), NOW), 'met (10m before due)');
  });
});

describe('postmortem drafts', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(() => emu.close());

  it('a draft prefilled from a resolved incident reads back; submitting names what the org still requires, then succeeds', async () => {
    const client = clientFor(emu);
    const resolved = emu.store.state.incidents.find((i) => i.status === 'resolved' && !emu.store.state.postmortems.some((p) => p.incident_number === i.incident_number))!;
    const incident = await client.getIncident(resolved.incident_number);
    const draft = postmortemDraft(incident);
    const parsed = parsePostmortemDraft(draft);
    assert.ok('input' in parsed);
    const input = parsed.input;
    assert.equal(input.incident_number, incident.incident_number);
    assert.equal(input.summary, undefined, 'guidance comments are never sent');
    assert.equal(input.timeline?.length, incident.timeline!.length, 'timeline prefilled from the incident');
    // Times read as people read them (the domain's UTC format), not raw ISO, and read back whole.
    const first = [...incident.timeline!].sort((a, b) => Date.parse(a.created_at!) - Date.parse(b.created_at!))[0];
    assert.ok(draft.includes(`\n- ${formatUtc(first.created_at)} — `), 'a timeline line starts with the readable time');
    assert.ok(!/^- \d{4}-\d\d-\d\dT/m.test(draft), 'no raw ISO time in the timeline');
    assert.equal(input.timeline?.[0].timestamp, formatUtc(first.created_at));
    assert.equal(postmortemDraftTitle(incident.incident_number), `Postmortem ${incident.incident_number} (draft)`);
    assert.deepEqual(input.impact?.services_affected, incident.services.map((s) => s.name));
    assert.ok(input.response_timeline?.time_to_resolve, 'time to resolve computed');
    // The emulator's org requires summary, root cause and resolution.
    const err = await client.createPostmortem(input).catch((e: unknown) => e);
    assert.ok(err instanceof RunframeApiError && err.status === 422);
    assert.deepEqual((err as RunframeApiError).details?.missing_fields, ['summary', 'root_cause', 'resolution']);
    const filled = draft
      .replace('## Summary\n\n<!-- What happened, in a paragraph. -->\n', '## Summary\n\nCheckout failed for 20 minutes.\n')
      .replace('## Root cause\n\n<!-- The underlying cause, not the trigger. -->\n', '## Root cause\n\nA bad config push.\n\nIt skipped canaries.\n')
      .replace('## Resolution\n\n<!-- What stopped the impact. -->\n', '## Resolution\n\nRolled back.\n')
      .concat('- [ ] Add a canary gate — sam.rivera@northwind.example — due 2026-12-31\n- [x] Roll back\n');
    const again = parsePostmortemDraft(filled);
    assert.ok('input' in again);
    assert.equal(again.input.root_cause, 'A bad config push.\n\nIt skipped canaries.');
    assert.deepEqual(again.input.action_items, [
      { text: 'Add a canary gate', status: 'pending', owner_email: 'sam.rivera@northwind.example', due_date: '2026-12-31' },
      { text: 'Roll back', status: 'completed' },
    ]);
    const pm = await client.createPostmortem(again.input);
    assert.equal(pm.incident_number, incident.incident_number);
    const stored = emu.store.state.postmortems.find((p) => p.incident_number === incident.incident_number) as unknown as Record<string, unknown>;
    assert.equal(stored.summary, 'Checkout failed for 20 minutes.');
    assert.equal((stored.action_items as unknown[]).length, 2);
  });

  it('a document without the marker is refused with a way forward', () => {
    const r = parsePostmortemDraft('# Notes\n\n## Summary\n\nhi');
    assert.ok('error' in r && /Draft Postmortem/.test(r.error));
  });
});

describe('MCP config for other clients', () => {
  const o = { serverPath: '/ext/dist/server.js', apiUrl: 'https://runframe.io', toolsets: 'read,write', name: serverNameFor('Staging EU', false) };
  it('references the key (input variable or environment), never contains it', () => {
    const vs = JSON.parse(mcpClientConfig('vscode', o));
    assert.equal(o.name, 'runframe-staging-eu');
    assert.deepEqual(vs.inputs[0], { type: 'promptString', id: 'runframe-staging-eu-api-key', description: 'Runframe API key for https://runframe.io', password: true });
    assert.equal(vs.servers['runframe-staging-eu'].env.RUNFRAME_API_KEY, '${input:runframe-staging-eu-api-key}');
    assert.deepEqual(vs.servers['runframe-staging-eu'].args, ['--max-semi-space-size=1', '/ext/dist/server.js']);
    assert.equal(JSON.parse(mcpClientConfig('claude-code', o)).mcpServers['runframe-staging-eu'].env.RUNFRAME_API_KEY, '${RUNFRAME_API_KEY}');
    assert.equal(JSON.parse(mcpClientConfig('cursor', o)).mcpServers['runframe-staging-eu'].env.RUNFRAME_API_KEY, '${env:RUNFRAME_API_KEY}');
    for (const k of ['vscode', 'claude-code', 'cursor'] as const) assert.doesNotMatch(mcpClientConfig(k, o), /rf_/);
    assert.equal(serverNameFor('Default', true), 'runframe');
  });

  it("each config's command line starts the bundled server, Node options included, and it answers a tool call", async () => {
    const emu = await startTestEmulator();
    try {
      for (const kind of ['vscode', 'claude-code', 'cursor'] as const) {
        const cfg = JSON.parse(mcpClientConfig(kind, { ...o, serverPath: SERVER_JS, apiUrl: emu.url }));
        const entry = (kind === 'vscode' ? cfg.servers : cfg.mcpServers)['runframe-staging-eu'];
        assert.equal(entry.command, 'node');
        // The configs name `node` from PATH; run the same arguments with the Node running the tests.
        const transport = new StdioClientTransport({ command: process.execPath, args: entry.args, env: { PATH: process.env.PATH ?? '', ...entry.env, RUNFRAME_API_KEY: emu.keys[0].key }, stderr: 'pipe' });
        const client = new Client({ name: `config-${kind}`, version: '1.0.0' });
        await client.connect(transport);
        try {
          const names = (await client.listTools()).tools.map((t) => t.name);
          assert.ok(names.includes('runframe_list_incidents') && !names.includes('runframe_page_someone'), `${kind}: ${names.join(', ')}`);
          const res = (await client.callTool({ name: 'runframe_list_incidents', arguments: { limit: 2 } })) as { isError?: boolean; structuredContent?: { items?: unknown[] } };
          assert.notEqual(res.isError, true, kind);
          assert.equal(res.structuredContent?.items?.length, 2, kind);
        } finally {
          await client.close();
        }
      }
    } finally {
      await emu.close();
    }
  });
});

describe('MCP audit lines for the output channel', () => {
  it('the server appends one JSON line per tool call to RUNFRAME_AUDIT_FILE, without arguments or key', async () => {
    const emu = await startTestEmulator();
    const file = join(mkdtempSync(join(tmpdir(), 'rf-audit-')), 'audit.jsonl');
    const session = await connectMcp(emu, { RUNFRAME_AUDIT_FILE: file });
    try {
      await call(session, 'runframe_list_incidents', { limit: 2 });
      await call(session, 'runframe_get_incident', { id: 'INC-2026-999' });
    } finally {
      await session.close();
      await emu.close();
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(describeAuditLine(lines[0]) ?? '', /^MCP runframe_list_incidents: ok in [\d.]+ ms \(HTTP 200, req_/);
    assert.match(describeAuditLine(lines[1]) ?? '', /^MCP runframe_get_incident: api_error in [\d.]+ ms \(HTTP 404/);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /INC-2026-999|rf_/);
    assert.equal(describeAuditLine('not json'), undefined);
  });
});
