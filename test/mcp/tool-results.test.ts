/**
 * Tool results built from the API's answers (src/mcp/tools): they say what the answer shows,
 * never more.
 */
import assert from 'node:assert/strict';
import { TOOLS } from '../../src/mcp/tools';
import { noteResult } from '../../src/mcp/tools/incidents';

describe('tool results from API answers', () => {
  it('a timeline note is "added" when the answer carries the new event', () => {
    const answer = {
      incident_number: 'INC-2026-030',
      event: { id: 'b6f1c0de-0000-4000-8000-000000000001', type: 'note', comment: 'Error rate back to baseline', actor: { name: 'Sam Rivera', email: 'sam.rivera@northwind.example' }, created_at: '2026-11-21T12:00:00.000Z' },
    };
    assert.deepEqual(noteResult('INC-2026-030', answer), {
      incident: 'INC-2026-030',
      added: true,
      entry: { at: '2026-11-21T12:00:00.000Z', type: 'note', by: 'Sam Rivera', text: 'Error rate back to baseline' },
    });
  });

  it('a success without the event is not claimed as added, and says to check before adding it again', () => {
    for (const answer of [undefined, null, '', 'ok', {}, { incident_number: 'INC-2026-030' }, { incident_number: 'INC-2026-030', event: null }, { event: 'note' }, { event: [] }, { event: {} }]) {
      const r = noteResult('INC-2026-030', answer);
      const label = `answer: ${JSON.stringify(answer) ?? 'undefined'}`;
      assert.equal(r.added, false, label);
      assert.equal(r.entry, null, label);
      assert.equal(r.incident, 'INC-2026-030');
      assert.match((r as { note?: string }).note ?? '', /check the timeline \(runframe_get_incident\) before adding it again/, label);
    }
  });

  it('a value zod cannot even check is an issue on its field, not a throw', () => {
    // zod 4 runs length checks on non-strings; a prototype-less object makes them throw.
    const tool = TOOLS.find((t) => t.name === 'runframe_create_postmortem')!;
    const prepared = tool.prepare({ incident_number: 'INC-2026-001', detection_path: { length: Object.create(null) } });
    assert.ok('issues' in prepared);
    assert.deepEqual(prepared.issues.map((i) => i.path), [['detection_path']]);
  });
});
