import assert from 'node:assert/strict';
import { parseIncident, parseOnCall, parseListPage, parseIncident as pi } from '../../src/api';

describe('tolerant parsing', () => {
  it('reads camelCase incidents like snake_case ones', () => {
    const inc = parseIncident({
      incidentNumber: 'INC-2026-007',
      title: 'DB down',
      severity: 'SEV1',
      createdAt: '2026-11-01T00:00:00Z',
      acknowledgedAt: null,
      assignedTo: { name: 'Sam', email: 'sam@x.io' },
      services: [{ serviceKey: 'svc_K7QW2M9XHP', name: 'API' }, 'svc_ABCDEFGH23', 17],
      escalationLevel: '2',
      timeline: [{ type: 'note', comment: 'hi', createdAt: '2026-11-01T00:01:00Z' }, 'junk', {}],
    });
    assert.ok(inc);
    assert.equal(inc.incident_number, 'INC-2026-007');
    assert.equal(inc.created_at, '2026-11-01T00:00:00Z');
    assert.equal(inc.acknowledged_at, null);
    assert.deepEqual(inc.assigned_to, { name: 'Sam', email: 'sam@x.io' });
    assert.deepEqual(inc.services.map((s) => s.service_key), ['svc_K7QW2M9XHP', 'svc_ABCDEFGH23']);
    assert.equal(inc.escalation_level, 2);
    assert.equal(inc.timeline?.length, 1);
  });

  it('skips odd list items instead of failing the list', () => {
    const page = parseListPage({ items: [{ incident_number: 'INC-2026-001', title: 'a' }, null, 'x', { title: 'no number' }, { incident_number: 'INC-2026-002' }], total: 9, has_more: true, next_offset: 5 }, pi);
    assert.equal(page.items.length, 2);
    assert.equal(page.skipped, 3);
    assert.equal(page.items[1].title, '(untitled)');
    assert.equal(page.next_offset, 5);
  });

  it('derives paging when the API omits has_more/next_offset', () => {
    const page = parseListPage({ items: [{ incident_number: 'INC-2026-001' }], total: 3 }, pi, 1);
    assert.equal(page.has_more, true);
    assert.equal(page.next_offset, 2);
    const bare = parseListPage([{ incident_number: 'INC-2026-001' }], pi);
    assert.equal(bare.has_more, false);
    assert.equal(bare.next_offset, null);
  });

  it('reads the older camelCase on-call payload', () => {
    const oc = parseOnCall({
      summary: { totalServices: 2, servicesWithCoverage: 1 },
      services: [
        { serviceKey: 'svc_K7QW2M9XHP', serviceName: 'API', teamName: 'Platform', hasCoverage: true, primaryOnCall: { name: 'Sam' }, onCallEngineers: [{ name: 'Sam', shiftEndsAt: '2026-11-22T09:00:00Z', role: 'primary' }] },
        { serviceName: 'Reports', onCallEngineers: [] },
        42,
      ],
    });
    assert.equal(oc.summary?.total_services, 2);
    assert.equal(oc.services.length, 2);
    assert.equal(oc.services[0].on_call_engineers[0].shift_ends_at, '2026-11-22T09:00:00Z');
    assert.equal(oc.services[0].primary_on_call?.name, 'Sam');
    assert.equal(oc.services[1].has_coverage, false);
  });
});
