import assert from 'node:assert/strict';
import { FairSlots } from '../../src/mcp/fairShare';

describe('HTTP fairness between clients (#19.1)', () => {
  it('a client gets its share whenever a slot is free, and beyond it only while a share stays free for others', () => {
    const slots = new FairSlots(8); // share 2
    const hog = Array.from({ length: 8 }, () => slots.acquire('a'));
    assert.equal(hog.filter((r) => typeof r === 'function').length, 6, 'all but one share');
    assert.equal(hog[6], 'over_share');
    const other = [slots.acquire('b'), slots.acquire('b')];
    assert.ok(other.every((r) => typeof r === 'function'), 'the other client is served');
    assert.equal(slots.acquire('c'), 'full');
    for (const r of [...hog, ...other]) if (typeof r === 'function') r();
    assert.equal(slots.active, 0);
    assert.equal(slots.heldBy('a'), 0);
  });

  it('releasing twice frees one slot only', () => {
    const slots = new FairSlots(2, 2);
    const r = slots.acquire('a') as () => void;
    r();
    r();
    assert.equal(slots.active, 0);
    assert.equal(typeof slots.acquire('a'), 'function');
    assert.equal(slots.active, 1);
  });
});
