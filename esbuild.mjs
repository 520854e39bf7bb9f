// Bundles each entry point into dist/ as one CommonJS file for Node 20 that runs with plain
// `node` and no node_modules. `--watch` rebuilds on change; `--minify` for release builds.
import { build, context } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const options = {
  entryPoints: {
    server: 'src/mcp/cli.ts',
    emulator: 'src/emulator/cli.ts',
  },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify,
  legalComments: 'linked',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.log('esbuild: watching');
} else {
  await build(options);
}
