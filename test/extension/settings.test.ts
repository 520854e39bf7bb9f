/**
 * The settings' defaults are written once, in package.json (src/extension/state/settings.ts does
 * not restate them); README's settings table must say the same, and list every setting.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers';

describe('settings: one set of defaults', () => {
  const properties = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties as Record<string, { default?: unknown }>;
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('README\'s settings table lists every setting with package.json\'s default', () => {
    const rows = new Map([...readme.matchAll(/^\| `(runframe\.[\w.]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]));
    for (const [name, { default: value }] of Object.entries(properties)) {
      assert.ok(rows.has(name), `${name} is in README's settings table`);
      const shown = rows.get(name)!;
      const expected = value === '' || value === undefined ? '(empty)' : typeof value === 'number' ? String(value) : typeof value === 'string' ? `\`${value}\`` : `\`${JSON.stringify(value).replace(/","/g, '", "')}\``;
      assert.equal(shown, expected, `${name}: README says ${shown}, package.json ${JSON.stringify(value)}`);
    }
  });

  it('settings.ts reads every setting without restating a default', () => {
    const source = readFileSync(join(ROOT, 'src', 'extension', 'state', 'settings.ts'), 'utf8');
    for (const name of Object.keys(properties)) assert.ok(source.includes(`'${name.replace(/^runframe\./, '')}'`), `${name} is read in settings.ts`);
    assert.doesNotMatch(source, /\?\? (\d+|'SEV\d'|\[')/, 'no literal default after ??');
  });
});
