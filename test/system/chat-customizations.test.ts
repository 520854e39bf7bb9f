/**
 * The chat agent, prompt files and skills the extension contributes (package.json chatAgents,
 * chatPromptFiles, chatSkills): they parse as VS Code reads them, ship in the .vsix, and name only
 * what exists - the catalog's tools and the contract's statuses - so they work with only the
 * bundled MCP server.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { STATUSES } from '../../src/domain';
import { TOOLS } from '../../src/mcp/tools';
import { ROOT } from '../helpers';

type Contribution = { path: string };
const contributes = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes as Record<string, Contribution[] | undefined>;
const POINTS = ['chatAgents', 'chatPromptFiles', 'chatSkills'] as const;

/** A Markdown file with YAML front matter, split as VS Code's prompt parser does. */
function read(path: string): { meta: Record<string, unknown>; body: string } {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  assert.ok(m, `${path}: front matter between --- lines`);
  return { meta: parseYaml(m[1]) as Record<string, unknown>, body: m[2] };
}

const files = POINTS.flatMap((point) => (contributes[point] ?? []).map((c) => ({ point, path: c.path })));
const toolNames = new Set(TOOLS.map((t) => t.name));

describe('chat agent, prompt files and skills', () => {
  it('contributes an agent, three prompt files and three skills, each a file with a description', () => {
    assert.deepEqual(POINTS.map((p) => contributes[p]?.length ?? 0), [1, 3, 3]);
    for (const { path } of files) {
      assert.ok(existsSync(join(ROOT, path)), `${path} exists`);
      const { meta, body } = read(path);
      assert.equal(typeof meta.description, 'string', `${path}: description`);
      assert.ok((meta.description as string).length > 20 && body.trim().length > 100, `${path}: says something`);
    }
  });

  it('the agent may use every Runframe tool and nothing else', () => {
    const agent = read(contributes.chatAgents![0].path);
    assert.deepEqual([...(agent.meta.tools as string[])].sort(), [...toolNames].sort());
  });

  it('every tool and status the files name exists in the catalog and the contract', () => {
    for (const { path } of files) {
      const { body } = read(path);
      for (const [name] of body.matchAll(/\brunframe_[a-z_]+/g)) assert.ok(toolNames.has(name), `${path}: ${name} is a tool`);
      const statusList = /statuses? ([a-z]+(?:, [a-z]+)+)/.exec(body);
      if (statusList) for (const s of statusList[1].split(', ')) assert.ok((STATUSES as readonly string[]).includes(s), `${path}: ${s} is a status`);
    }
  });

  it('prompt files run in the contributed agent; skill names are their folders\' names', () => {
    const agentName = read(contributes.chatAgents![0].path).meta.name;
    for (const c of contributes.chatPromptFiles!) {
      assert.match(c.path, /\.prompt\.md$/);
      assert.equal(read(c.path).meta.agent, agentName, c.path);
    }
    for (const c of contributes.chatSkills!) {
      assert.equal(basename(c.path), 'SKILL.md');
      const name = read(c.path).meta.name as string;
      assert.equal(name, basename(dirname(c.path)));
      assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens (Agent Skills spec)');
    }
  });

  it('ships every contributed file in the .vsix', function () {
    this.timeout(60_000);
    const listed = execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').map((l) => l.trim());
    for (const { path } of files) assert.ok(listed.includes(path.replace(/^\.\//, '')), `${path} in the .vsix`);
  });
});
