import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockingIncidents, formatWorkspaceServices, LIMITS, parseWorkspaceServices, SERVICE_KEY_RE } from '../../src/domain';
import { ROOT } from '../helpers';

const A = 'svc_K7QW2M9XHP';
const B = 'svc_ABCDEFGHJK';

describe('workspace services (.runframe.json)', () => {
  it('reads service keys, normalised and without repeats; writes what it reads', () => {
    const parsed = parseWorkspaceServices(`\uFEFF{"services": [" svc_k7qw2m9xhp ", "${B}", "${A}"]}`);
    assert.deepEqual(parsed, { ok: true, value: { services: [A, B] } });
    assert.deepEqual(parseWorkspaceServices(formatWorkspaceServices([A, B])), { ok: true, value: { services: [A, B] } });
  });

  it('names what is wrong: not JSON, not an object, no list, a bad key (by index), too many', () => {
    const message = (text: string) => {
      const r = parseWorkspaceServices(text);
      assert.equal(r.ok, false, text);
      return (r as { message: string }).message;
    };
    assert.match(message('{services:'), /not valid JSON/);
    assert.match(message('["svc_K7QW2M9XHP"]'), /must hold an object/);
    assert.match(message('{"services": []}'), /services: a list of 1-50/);
    assert.match(message(`{"services": ["${A}", "SER-00012"]}`), /^services\[1\]: .*legacy service id/);
    assert.match(message(JSON.stringify({ services: Array.from({ length: LIMITS.services.max + 1 }, () => A) })), /1-50/);
  });

  it('the JSON schema the editor validates with says the same as the domain rule', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'runframe.schema.json'), 'utf8'));
    const services = schema.properties.services;
    assert.equal(services.items.pattern, SERVICE_KEY_RE.source);
    assert.equal(services.minItems, LIMITS.services.min);
    assert.equal(services.maxItems, LIMITS.services.max);
    const contributed = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.jsonValidation;
    assert.deepEqual(contributed, [{ fileMatch: '.runframe.json', url: './schemas/runframe.schema.json' }]);
  });

  it('blocks on open SEV0/SEV1 incidents on a listed service only', () => {
    const on = (key: string) => [{ service_key: key }];
    const incidents = [
      { incident_number: 'INC-2026-001', severity: 'SEV1', status: 'investigating', services: on(A) },
      { incident_number: 'INC-2026-002', severity: 'SEV0', status: 'resolved', services: on(A) },
      { incident_number: 'INC-2026-003', severity: 'SEV2', status: 'new', services: on(A) },
      { incident_number: 'INC-2026-004', severity: 'SEV0', status: 'new', services: on(B) },
      { incident_number: 'INC-2026-005', severity: 'SEV0', status: 'monitoring', services: [...on(B), ...on(A)] },
    ];
    assert.deepEqual(blockingIncidents(incidents, [A]).map((i) => i.incident_number), ['INC-2026-001', 'INC-2026-005']);
    assert.deepEqual(blockingIncidents(incidents, []), []);
  });
});
