import assert from 'node:assert/strict';
import type { OnCallSnapshot } from '../../src/api';
import { onCallForIncident, pageSuggestions } from '../../src/extension/views/onCallPeople';
import { formatEndsAt } from '../../src/domain/format';

const NOW = Date.parse('2026-11-21T07:00:00Z');
const snapshot = {
  services: [
    { service_key: 'svc_A', service_name: 'Checkout API', has_coverage: true, schedule_names: [], on_call_engineers: [
      { name: 'Tom', email: 'tom@x', role: 'secondary' },
      { name: 'Aisha', email: 'aisha@x', role: 'primary' },
    ] },
    { service_key: 'svc_B', service_name: 'Payments Ledger', has_coverage: true, schedule_names: [], on_call_engineers: [
      { name: 'Tom', email: 'TOM@x', role: 'primary' },
      { name: 'Nomail', role: 'primary' },
    ] },
    { service_key: 'svc_C', service_name: 'Search', has_coverage: true, schedule_names: [], on_call_engineers: [{ name: 'Hana', email: 'hana@x', role: 'primary' }] },
  ],
} as unknown as OnCallSnapshot;

describe('who to call about an incident', () => {
  it('lists the people on call for its services, each once, primary first; nobody from other services', () => {
    const people = onCallForIncident({ services: [{ service_key: 'svc_A' }, { service_key: 'svc_B' }] }, snapshot);
    assert.deepEqual(people.map((p) => [p.name, p.role, p.services.join('+')]), [['Aisha', 'primary', 'Checkout API'], ['Tom', 'primary', 'Checkout API+Payments Ledger']]);
    assert.deepEqual(onCallForIncident({ services: [{ service_key: 'svc_Z' }] }, snapshot), []);
    assert.deepEqual(onCallForIncident({ services: [{ service_key: 'svc_A' }] }, undefined), []);
  });

  it('Page Someone suggests those on call first and never me first, even when I am on call', () => {
    const onCall = onCallForIncident({ services: [{ service_key: 'svc_A' }] }, snapshot);
    const users = [{ name: 'Aisha', email: 'aisha@x' }, { name: 'Zed', email: 'zed@x' }, { name: 'Tom', email: 'tom@x' }];
    const asMe = pageSuggestions(onCall, users, 'AISHA@x');
    assert.deepEqual(asMe.map((s) => [s.user.name, Boolean(s.onCall), s.isMe]), [['Tom', true, false], ['Zed', false, false], ['Aisha', true, true]]);
    const asOther = pageSuggestions(onCall, users, 'zed@x');
    assert.deepEqual(asOther.map((s) => s.user.name), ['Aisha', 'Tom', 'Zed']);
    // Someone on call but not in the user search still shows (from the on-call data).
    assert.deepEqual(pageSuggestions(onCall, [], undefined).map((s) => s.user.email), ['aisha@x', 'tom@x']);
  });

  it('says when a shift ends on the local clock and how long is left', () => {
    const at = (h: number) => new Date(NOW + h * 3_600_000);
    const hm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    assert.equal(formatEndsAt(at(7).toISOString(), NOW), `until ${hm(at(7))} (in 7h)`);
    assert.match(formatEndsAt(at(72).toISOString(), NOW), new RegExp(`^until (Sun|Mon|Tue|Wed|Thu|Fri|Sat) ${hm(at(72))} \\(in 3d\\)$`));
    assert.equal(formatEndsAt(at(-1).toISOString(), NOW), 'ended');
    assert.equal(formatEndsAt(undefined, NOW), '');
  });
});
