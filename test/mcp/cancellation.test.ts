import assert from 'node:assert/strict';
import { CancelScopes } from '../../src/mcp/cancellation';

describe('HTTP cancellation scopes (#19.2)', () => {
  it('a cancellation reaches the named request of the same client only', () => {
    const scopes = new CancelScopes();
    const cancelled: string[] = [];
    const doneA = scopes.register('token:0', 7, () => cancelled.push('A7'));
    scopes.register('token:1', 7, () => cancelled.push('B7'));
    scopes.register('token:0', '7', () => cancelled.push('A"7"'));
    assert.equal(scopes.cancel('token:1', 7), 1);
    assert.deepEqual(cancelled, ['B7']);
    assert.equal(scopes.cancel('token:0', 7), 1);
    assert.deepEqual(cancelled, ['B7', 'A7'], 'the number 7, not the string "7"');
    doneA();
    assert.equal(scopes.cancel('token:0', 7), 0, 'answered requests are forgotten');
    assert.equal(scopes.cancel('token:0', { x: 1 }), 0);
  });
});
