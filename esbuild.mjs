// Bundles each entry point into dist/ as one CommonJS file for Node 20 that runs with plain
// `node` and no node_modules: the MCP server, the emulator CLI and the VS Code extension
// (`vscode` is provided by the editor). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
// --production: minified, no source maps (what goes into the .vsix).
const production = process.argv.includes('--production');

// Code the bundles would load at every start and never run. Keeping it out halves dist/server.js
// and shortens start-up (measured by npm run bench).
const trimUnusedDependencyCode = {
  name: 'trim-unused-dependency-code',
  setup(b) {
    // The MCP SDK builds an Ajv validator only when a server is given none; ours always passes
    // its own (src/mcp/server.ts), so Ajv, ajv-formats and fast-uri never run.
    b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol') ? { path: 'ajv-provider', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /^ajv-provider$/, namespace: 'stub' }, () => ({
      contents: 'export class AjvJsonSchemaValidator { constructor() { throw new Error("Ajv is not bundled: pass jsonSchemaValidator to the MCP Server/Client"); } }',
      loader: 'js',
    }));
    // zod re-exports ~50 locales as z.locales; only English (its default) is used.
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /zod[\\/]v4[\\/]classic/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path), loader: 'js' }));
  },
};

// The incident card (MCP App, src/mcp/apps): one self-contained HTML file, its view script and
// style inline and allowed by their hashes alone; the server bundle carries it as a string.
async function buildIncidentCard() {
  const view = await build({
    entryPoints: ['src/mcp/apps/view/card.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  // Inline script text must not close its element early.
  const script = view.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const style = readFileSync('src/mcp/apps/view/card.css', 'utf8');
  const sha = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha(script)}`,
    `style-src ${sha(style)}`,
    'img-src data:',
    "font-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const fill = { CSP: csp, STYLE: style, SCRIPT: script };
  const html = readFileSync('src/mcp/apps/view/card.html', 'utf8').replace(/\{\{(CSP|STYLE|SCRIPT)\}\}/g, (_, k) => fill[k]);
  return { html, metafile: view.metafile };
}

const card = await buildIncidentCard();

// In watch mode, one line per build start, problem and end: .vscode/tasks.json's problem matcher
// reads them, so F5 waits for the first build and the Problems view lists errors.
const watchReport = {
  name: 'watch-report',
  setup(b) {
    b.onStart(() => console.log('esbuild: build started'));
    b.onEnd((result) => {
      for (const [kind, list] of [['error', result.errors], ['warning', result.warnings]]) {
        for (const m of list) console.log(`esbuild ${kind}: ${m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : ''}${m.text}`);
      }
      console.log(`esbuild: build finished with ${result.errors.length} error(s)`);
    });
  },
};

const options = {
  plugins: watch ? [trimUnusedDependencyCode, watchReport] : [trimUnusedDependencyCode],
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
  define: { __VERSION__: JSON.stringify(pkg.version), __INCIDENT_CARD_HTML__: JSON.stringify(card.html) },
  logLevel: watch ? 'silent' : 'warning',
};

// Webview assets, served from dist/media (webviews load no remote content): the codicon font
// and its stylesheet for the incident page.
const CODICONS = 'node_modules/@vscode/codicons';
function copyMedia() {
  mkdirSync('dist/media', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(CODICONS, 'dist', f), join('dist/media', f));
}

if (production) rmSync('dist', { recursive: true, force: true });
copyMedia();
if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.log('esbuild: watching');
} else {
  const result = await build(options);
  writeNotices({ inputs: { ...result.metafile.inputs, ...card.metafile.inputs } });
  writeServerPackage();
}

// The npm package packages/mcp-server (bin runframe-mcp) ships the same dist/server.js: made
// executable by a shebang, without the source-map link (the map is not in the package).
function writeServerPackage() {
  const dir = 'packages/mcp-server/dist';
  mkdirSync(dir, { recursive: true });
  const code = readFileSync('dist/server.js', 'utf8').replace(/\n\/\/# sourceMappingURL=server\.js\.map\s*$/, '\n');
  writeFileSync(join(dir, 'server.js'), '#!/usr/bin/env node\n' + code, { mode: 0o755 });
  copyFileSync('dist/THIRD-PARTY-NOTICES.txt', join(dir, 'THIRD-PARTY-NOTICES.txt'));
}

// The bundles contain third-party code; their licences require shipping the notices.
function writeNotices(metafile) {
  const dirs = new Set([CODICONS]);
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(?:[a-z-]+:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(relative(process.cwd(), m[1]));
  }
  const sections = [...dirs].sort().map((dir) => {
    const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(dir).find((f) => /^(licen[sc]e|copying)/i.test(f));
    const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `License: ${meta.license ?? 'see package'}`;
    return `${meta.name}@${meta.version} (${meta.license ?? 'unknown'})\n\n${text}`;
  });
  const header = 'Third-party software bundled into dist/ (dist/*.js and dist/media), with its licence notices.\n';
  writeFileSync('dist/THIRD-PARTY-NOTICES.txt', [header, ...sections].join('\n\n' + '-'.repeat(72) + '\n\n') + '\n');
}
