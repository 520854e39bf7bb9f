import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceToolTable, serverInstructions, tierListing, toolTableMarkdown } from '../../src/mcp/toolDocs';
import { TOOL_TIERS } from '../../src/mcp/tiers';
import { TOOLS } from '../../src/mcp/tools';

describe('tool documentation generated from the catalog', () => {
  it('the README tool table is the catalog\'s (run `npm run docs:tools` after changing a tool)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    assert.equal(replaceToolTable(readme, TOOLS), readme, 'README.md tool table is stale: run npm run docs:tools');
    // One row per tool, with its tier.
    for (const t of TOOLS) assert.ok(readme.includes(`| \`${t.name}\` | ${t.tier} | ${t.summary} |`), t.name);
  });

  it('every tool has a one-line summary, and the table and help list each tool once', () => {
    for (const t of TOOLS) assert.ok(t.summary.trim().length > 3 && !t.summary.includes('\n'), t.name);
    const table = toolTableMarkdown(TOOLS);
    const help = tierListing(TOOLS, TOOL_TIERS, '  ');
    for (const t of TOOLS) {
      assert.equal(table.split(`\`${t.name}\``).length - 1, 1, `${t.name} in the table`);
      assert.equal(help.split(new RegExp(`\\b${t.name}\\b`)).length - 1, 1, `${t.name} in the help`);
    }
  });

  it('the server instructions name exactly the selected tools that notify people', () => {
    const notifying = TOOLS.filter((t) => t.annotations.destructiveHint).map((t) => t.name);
    assert.ok(notifying.length > 0);
    for (const n of notifying) assert.ok(serverInstructions(TOOLS).includes(n), n);
    const readOnly = TOOLS.filter((t) => t.tier === 'read');
    for (const n of notifying) assert.ok(!serverInstructions(readOnly).includes(n), `${n} is not selected`);
  });
});
