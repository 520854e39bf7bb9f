/**
 * `npm run docs:tools`: rewrites the README's tool table (between the `tools:start` and
 * `tools:end` markers) from the tool catalog. test/mcp/tool-docs.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceToolTable } from '../src/mcp/toolDocs';
import { TOOLS } from '../src/mcp/tools';

const readme = join(__dirname, '..', 'README.md');
const before = readFileSync(readme, 'utf8');
const after = replaceToolTable(before, TOOLS);
if (after !== before) writeFileSync(readme, after);
process.stdout.write(after === before ? 'README tool table is up to date\n' : 'README tool table rewritten from the catalog\n');
