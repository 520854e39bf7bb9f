import assert from 'node:assert/strict';
import { formatAge, formatAgo } from '../../src/domain/format';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('format: ages as phrases', () => {
  it('"just now" under a minute, never "just now ago"; "12m ago", "5h ago", "3d ago" after', () => {
    assert.equal(formatAgo(ago(0), NOW), 'just now');
    assert.equal(formatAgo(ago(59_999), NOW), 'just now');
    assert.equal(formatAgo(ago(60_000), NOW), '1m ago');
    assert.equal(formatAgo(ago(12 * 60_000), NOW), '12m ago');
    assert.equal(formatAgo(ago(5 * 3_600_000), NOW), '5h ago');
    assert.equal(formatAgo(ago(3 * 86_400_000), NOW), '3d ago');
    assert.equal(formatAgo(undefined, NOW), '');
    assert.equal(formatAgo(ago(-5000), NOW), 'just now', 'a clock slightly ahead of ours');
    for (let s = 0; s < 200_000; s += 7_000) assert.doesNotMatch(formatAgo(ago(s), NOW), /just now ago|ago ago/);
    assert.equal(formatAge(ago(20_000), NOW), 'just now', 'the bare age is unchanged');
  });
});
