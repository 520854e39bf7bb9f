/**
 * Drives a real VS Code workbench for the end-to-end suite: code-server (VS Code's workbench and
 * Node extension host, served on 127.0.0.1) in Debian's Chromium via playwright-core.
 * code-server itself is started by scripts/codeServer.ts (shared with `npm start`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { E2E_DIR, type CodeServer } from '../../scripts/codeServer';

export { CACHE, CODE_SERVER, E2E_DIR, freePort, NODE24, ROOT, startCodeServer, VSIX, type CodeServer } from '../../scripts/codeServer';
export const SCREENSHOTS = join(E2E_DIR, 'screenshots');

/** Launches Debian's Chromium headless with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the workbench on the workspace and waits until it is interactive. */
export async function openWorkbench(browser: Browser, server: CodeServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.part.activitybar').waitFor({ timeout: 60_000 });
  return page;
}

let shot = 0;
/** Saves a screenshot under .e2e/screenshots (kept as CI artefacts). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs a command from the palette by its title, e.g. "Runframe: Set API Key". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>' + title);
  await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${title}"]`).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** The visible quick-input widget's rows. */
export function quickPickRows(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

/** Waits for a notification toast whose message contains `text`; returns the toast and its message text. */
export async function notification(page: Page, text: string | RegExp, timeout = 20_000): Promise<{ toast: Locator; message: string }> {
  const toast = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  await toast.waitFor({ timeout });
  const message = (await toast.locator('.notification-list-item-message').first().textContent()) ?? '';
  return { toast, message };
}

/**
 * The message of a notification containing `text`, found as a toast or, when the workbench routed
 * it to the notification center instead (or the toast already went away: toasts hide after a
 * while, and newer ones push older ones out), in the center, which is opened every few seconds.
 * @throws when it is in neither within `timeout` ms
 */
export async function notificationMessage(page: Page, text: string | RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  const inToasts = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  const inCenter = page.locator('.notifications-center .notification-list-item-message', { hasText: text }).first();
  for (let round = 0; Date.now() < deadline; round++) {
    if (await inToasts.count()) return (await inToasts.textContent()) ?? '';
    if (round % 10 === 3) {
      await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
      const found = (await inCenter.count()) ? (await inCenter.textContent()) ?? '' : undefined;
      await page.keyboard.press('Escape');
      if (found !== undefined) return found;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no notification containing "${String(text)}" within ${timeout} ms (neither a toast nor in the notification center)`);
}

/** Closes every notification toast, and waits until none is visible (so a later wait cannot match an old one). */
export async function clearNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  for (let attempt = 0; attempt < 3; attempt++) {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    try {
      await waitUntil(async () => (await toasts.count()) === 0, 3000, 'toasts to close');
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('notification toasts would not close');
}

/**
 * Labels, descriptions, icons (the codicon's name, e.g. "flame") and icon colours (computed CSS
 * colour) of the rows of the sidebar view titled `viewTitle`.
 */
export async function treeRows(page: Page, viewTitle: string): Promise<{ label: string; description: string; icon: string; color: string }[]> {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: viewTitle }) });
  // Read every row in one go: the tree re-renders on refresh, so row-by-row reads could race it.
  return pane.locator('.monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
    rows.map((row) => {
      const icon = row.querySelector('.custom-view-tree-node-item-icon.codicon, .monaco-icon-label .codicon, .codicon');
      const name = icon ? (Array.from(icon.classList as unknown as ArrayLike<string>).find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin') ?? '').replace('codicon-', '') : '';
      return { label: row.querySelector('.label-name')?.textContent ?? '', description: row.querySelector('.label-description')?.textContent ?? '', icon: name, color: icon ? getComputedStyle(icon).color : '' };
    }),
  );
}

/** Polls `fn` until it returns a truthy value or the timeout (ms) passes. */
export async function waitUntil<T>(fn: () => Promise<T>, timeout = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
