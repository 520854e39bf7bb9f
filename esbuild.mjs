// Bundles each entry point into dist/ as one CommonJS file for Node 20 that runs with plain
// `node` and no node_modules: the MCP server, the emulator CLI and the VS Code extension
// (`vscode` is provided by the editor). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
// --production: minified, no source maps (what goes into the .vsix).
const production = process.argv.includes('--production');

const options = {
  entryPoints: {
    server: 'src/mcp/cli.ts',
    emulator: 'src/emulator/cli.ts',
    extension: 'src/extension/extension.ts',
  },
  external: ['vscode'],
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  metafile: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

if (production) rmSync('dist', { recursive: true, force: true });
if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.log('esbuild: watching');
} else {
  const result = await build(options);
  writeNotices(result.metafile);
}

// The bundles contain third-party code; their licences require shipping the notices.
function writeNotices(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  const sections = [...dirs].sort().map((dir) => {
    const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(dir).find((f) => /^(licen[sc]e|copying)/i.test(f));
    const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `License: ${meta.license ?? 'see package'}`;
    return `${meta.name}@${meta.version} (${meta.license ?? 'unknown'})\n\n${text}`;
  });
  const header = 'Third-party software bundled into dist/*.js, with its licence notices.\n';
  writeFileSync('dist/THIRD-PARTY-NOTICES.txt', [header, ...sections].join('\n\n' + '-'.repeat(72) + '\n\n') + '\n');
}
