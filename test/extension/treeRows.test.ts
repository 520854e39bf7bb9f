import assert from 'node:assert/strict';
import type { Incident, OnCallSnapshot } from '../../src/api';
import { escapeMarkdown, formatAge, formatUntil, formatUtc } from '../../src/domain/format';
import { groupOnCall, incidentRow, severityRank, sortIncidents } from '../../src/extension/views/treeRows';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const inc = (n: string, severity: string, createdAgoMin: number, extra: Partial<Incident> = {}): Incident => ({
  incident_number: n,
  title: `Title ${n}`,
  severity,
  status: 'new',
  created_at: new Date(NOW - createdAgoMin * 60_000).toISOString(),
  acknowledged_at: null,
  services: [],
  ...extra,
});

describe('incident view model', () => {
  it('sorts most severe first, then newest first; unknown severities last', () => {
    const sorted = sortIncidents([inc('INC-2026-001', 'SEV2', 5), inc('INC-2026-002', 'SEV0', 300), inc('INC-2026-003', 'SEV0', 10), inc('INC-2026-004', 'P1', 1), inc('INC-2026-005', 'SEV4', 1)]);
    assert.deepEqual(sorted.map((i) => i.incident_number), ['INC-2026-003', 'INC-2026-002', 'INC-2026-001', 'INC-2026-005', 'INC-2026-004']);
    assert.equal(severityRank('sev1'), 1);
  });

  it('formats ages and shift ends compactly', () => {
    assert.equal(formatAge(new Date(NOW - 20_000).toISOString(), NOW), 'just now');
    assert.equal(formatAge(new Date(NOW - 12 * 60_000).toISOString(), NOW), '12m');
    assert.equal(formatAge(new Date(NOW - 5 * 3_600_000).toISOString(), NOW), '5h');
    assert.equal(formatAge(new Date(NOW - 3 * 86_400_000).toISOString(), NOW), '3d');
    assert.equal(formatAge(undefined, NOW), '');
    assert.equal(formatUntil(new Date(NOW + 40 * 60_000).toISOString(), NOW), 'in 40m');
    assert.equal(formatUntil(new Date(NOW + 5 * 3_600_000).toISOString(), NOW), 'in 5h');
    assert.equal(formatUntil(new Date(NOW - 1).toISOString(), NOW), 'ended');
    assert.equal(formatUtc('2026-11-21T14:05:00Z'), 'Sat 21 Nov 14:05 UTC');
  });

  it('labels, describes and styles a row; unacknowledged ones say so', () => {
    const row = incidentRow(inc('INC-2026-040', 'SEV1', 125, { status: 'new', services: [{ service_key: 'svc_K7QW2M9XHP', name: 'Checkout API' }], team_name: 'Payments' }), NOW);
    // Severity and "unacked" lead, then the title; age, status, owner and number follow.
    assert.equal(row.label, 'SEV1 unacked · Title INC-2026-040');
    assert.equal(row.description, '2h · new · unassigned · INC-2026-040');
    assert.equal(row.icon, 'error');
    assert.equal(row.color, 'runframe.sev1');
    assert.equal(row.unacknowledged, true);
    assert.match(row.tooltip, /Services: Checkout API/);
    assert.match(row.tooltip, /Acknowledged: \*\*no\*\*/);
    const acked = incidentRow(inc('INC-2026-041', 'SEV0', 5, { acknowledged_at: new Date(NOW).toISOString(), assigned_to: { name: 'Sam Rivera' }, status: 'investigating' }), NOW);
    assert.equal(acked.label, 'SEV0 · Title INC-2026-041');
    assert.equal(acked.description, '5m · investigating · Sam Rivera · INC-2026-041');
    assert.equal(acked.unacknowledged, false);
    assert.equal(acked.icon, 'pass', 'acknowledged rows differ in shape, not only in colour');
    assert.equal(acked.color, 'runframe.sev0');
  });

  it('shows a missed SLA in the row, and the tooltip no longer says "due" once it is breached', () => {
    const at = (min: number) => new Date(NOW + min * 60_000).toISOString();
    const late = incidentRow(inc('INC-2026-042', 'SEV1', 400, { sla: { acknowledge_due_at: at(-385), resolve_due_at: at(80) } }), NOW);
    assert.equal(late.label, 'SEV1 unacked, late · Title INC-2026-042');
    assert.match(late.description, /^ack SLA missed 6h · /);
    assert.equal(late.slaMissed, true);
    assert.match(late.tooltip, /acknowledge SLA \*\*breached 6h ago \(was due /);
    assert.doesNotMatch(late.tooltip, /acknowledge SLA due/);
    const onTime = incidentRow(inc('INC-2026-043', 'SEV1', 5, { sla: { acknowledge_due_at: at(10), resolve_due_at: at(475) } }), NOW);
    assert.equal(onTime.slaMissed, false);
    assert.match(onTime.tooltip, /acknowledge SLA due in 10m/);
    const resolveLate = incidentRow(inc('INC-2026-044', 'SEV2', 2000, { acknowledged_at: at(-1990), sla: { acknowledge_due_at: at(-1970), resolve_due_at: at(-560) } }), NOW);
    assert.equal(resolveLate.label, 'SEV2 · Title INC-2026-044', 'a missed resolve SLA stays out of the label');
    assert.equal(resolveLate.slaMissed, true);
    assert.match(resolveLate.description, /^resolve SLA missed 9h · /);
  });

  it('escapes Markdown from API text in tooltips', () => {
    assert.equal(escapeMarkdown('[click](http://x) *bold*'), '\\[click\\](http://x) \\*bold\\*');
    assert.equal(escapeMarkdown('# a | b\n<i>~x~</i> `c`'), '\\# a \\| b \\<i\\>\\~x\\~\\</i\\> \\`c\\`');
    const row = incidentRow(inc('INC-2026-001', 'SEV3', 1, { title: '<img src=x> [a](b)' }), NOW);
    assert.ok(!row.tooltip.includes('[a](b)'));
  });
});

describe('on-call view model', () => {
  const snapshot: OnCallSnapshot = {
    services: [
      { service_key: 'svc_B', service_name: 'Checkout API', team_name: 'Payments', has_coverage: true, schedule_names: [], on_call_engineers: [
        { name: 'Tom', role: 'secondary', shift_ends_at: new Date(NOW + 86_400_000 * 3).toISOString() },
        { name: 'Aisha', role: 'primary', email: 'aisha@x.io', shift_ends_at: new Date(NOW + 3_600_000 * 5).toISOString() },
      ] },
      { service_key: 'svc_A', service_name: 'Billing Webhooks', team_name: 'Payments', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'Aisha', role: 'primary' }] },
      { service_key: 'svc_C', service_name: 'Legacy Reports', team_name: 'Data', has_coverage: false, schedule_names: [], on_call_engineers: [] },
      { service_key: 'svc_D', service_name: 'Orphan', team_name: null, has_coverage: false, schedule_names: [], on_call_engineers: [] },
    ],
  };

  it('groups by team alphabetically with "No team" last, services alphabetical, primary first', () => {
    const groups = groupOnCall(snapshot, NOW);
    assert.deepEqual(groups.map((g) => g.team), ['Data', 'Payments', 'No team']);
    const payments = groups[1];
    assert.deepEqual(payments.services.map((s) => s.name), ['Billing Webhooks', 'Checkout API']);
    assert.deepEqual(payments.services[1].engineers.map((e) => e.name), ['Aisha', 'Tom']);
    const local = new Date(NOW + 3_600_000 * 5);
    const hm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    assert.equal(payments.services[1].description, `Aisha · until ${hm} (in 5h)`);
    assert.equal(payments.services[1].engineers[0].description, `primary · until ${hm} (in 5h)`);
    assert.equal(payments.description, '2 of 2 services covered');
  });

  it('marks the key\'s user "(you)" (email case-insensitive) in rows and tooltips', () => {
    const groups = groupOnCall(snapshot, NOW, 'AISHA@x.io');
    assert.deepEqual(groups.map((g) => g.team), ['Payments', 'Data', 'No team'], 'the team I am on call in first');
    const payments = groups[0];
    const checkout = payments.services[1];
    assert.match(checkout.description, /^You · until /);
    assert.deepEqual(checkout.engineers.map((e) => [e.label, e.isMe]), [['Aisha (you)', true], ['Tom', false]]);
    assert.equal(checkout.engineers[0].name, 'Aisha');
    assert.match(checkout.tooltip, /Aisha \(you\)/);
    assert.ok(groupOnCall(snapshot, NOW).every((g) => g.services.every((s) => s.engineers.every((e) => !e.isMe))));
  });

  it('flags services without coverage', () => {
    const data = groupOnCall(snapshot, NOW)[0];
    assert.equal(data.uncovered, 1);
    assert.equal(data.services[0].covered, false);
    assert.equal(data.services[0].description, 'No on-call coverage');
    assert.match(data.services[0].tooltip, /Nobody is on call/);
    assert.equal(data.description, '0 of 1 service covered');
  });
});
