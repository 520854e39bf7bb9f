/**
 * `npm start` (scripts/start.ts, after setup.sh and `npm run package` as npm start runs them):
 * it prints a URL whose workbench shows the Runframe views on the sandbox's demo data, and Ctrl-C
 * (SIGINT to its process group, as a terminal sends it) stops code-server and everything under
 * it and removes the profile.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser, ROOT, screenshot, waitUntil } from './workbench';

describe('npm start', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close().catch(() => undefined);
  });

  it('prints the URL of a workbench with the extension on the sandbox, and Ctrl-C stops it cleanly', async () => {
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', 'scripts/start.ts'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      const url = await waitUntil(async () => /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(out)?.[0], 120_000, `the URL in the output of npm start:\n${out}`);
      const folder = decodeURIComponent(new URL(url).searchParams.get('folder') ?? '');
      assert.ok(existsSync(folder), 'the workspace folder exists');
      browser = await launchBrowser();
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The sandbox started by itself and the Runframe views are showing it.
      await waitUntil(async () => ((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent().catch(() => '')) ?? '').includes('Sandbox'), 60_000, 'the Incidents view on the sandbox');
      // Rows read "SEV1 unacked · <title>", with the incident number at the end of the description.
      await waitUntil(async () => (await page.locator('.part.sidebar .monaco-list-row[role="treeitem"] .label-description', { hasText: / · INC-\d{4}-\d+$/ }).count()) > 0, 60_000, 'sandbox incidents listed');
      await screenshot(page, 'npm-start');
      await browser.close();
      browser = undefined;
      process.kill(-(proc.pid as number), 'SIGINT');
      assert.equal(await exited, 0, `npm start exits 0 on Ctrl-C:\n${out}`);
      assert.ok(!existsSync(folder), 'the throwaway profile is removed');
      const left = spawnSync('pgrep', ['-f', folder], { encoding: 'utf8' }).stdout.trim();
      assert.equal(left, '', 'no process of that code-server is left');
    } finally {
      try {
        process.kill(-(proc.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
