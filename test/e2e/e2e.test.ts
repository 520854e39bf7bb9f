/**
 * End-to-end: the built .vsix installed into a real VS Code workbench (code-server), driven in
 * Debian's Chromium. Every step keeps a screenshot under .e2e/screenshots. Checks go to the
 * emulator's own state, not only to what the screen shows.
 * Run with `npm run test:e2e` (installs what it needs first).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OPEN_STATUSES } from '../../src/api/types';
import { SCOPES } from '../../src/api/types';
import { DEMO_READONLY_USER_EMAIL, DEMO_USER_EMAIL } from '../../src/emulator/seed';
import type { EmulatorState } from '../../src/emulator/model';
import { parseClockOffset } from '../../src/emulator/clockOffset';
import { formatUtc } from '../../src/domain/format';
import { TOOLS } from '../../src/mcp/tools';
import { startTestEmulator, type FaultSpec, type TestEmulator } from '../../src/emulator/testHarness';
import {
  clearNotifications, E2E_DIR, launchBrowser, notification, notificationMessage, openWorkbench, quickPickRows, runCommand, screenshot, SCREENSHOTS, startCodeServer, treeRows, waitUntil, type CodeServer,
} from './workbench';

const KEY = 'rf_e2e_full_scope_key_0123456789';
const COLLEAGUE_KEY = 'rf_e2e_colleague_key_0123456789';
const SECOND_KEY = 'rf_e2e_second_valid_key_987654321';
const STAGING_KEY = 'rf_e2e_staging_env_key_555555555';
/**
 * The emulators' clock runs this far from the real one (RUNFRAME_E2E_CLOCK_OFFSET, e.g. "+7h" or
 * "3d"), so the suite can be run as if on another day or at another time of day: on-call shifts,
 * SLA deadlines and demo-data ages all move with it. Default 0.
 */
/** A test-only extension with one command that calls a tool through vscode.lm.invokeTool (test/e2e/fixtures/tool-invoker). */
const INVOKER_VSIX = join(E2E_DIR, "tool-invoker.vsix");
const CLOCK_OFFSET_MS = parseClockOffset(process.env.RUNFRAME_E2E_CLOCK_OFFSET ?? '0');

describe('Runframe extension in a real VS Code (code-server + Chromium)', function () {
  this.timeout(120_000);
  let emu: TestEmulator;
  let staging: TestEmulator;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  // The documented order, derived here independently of the extension's code:
  // most severe first (SEV0..SEV4), then newest first.
  // most severe first (SEV0..SEV4), then newest first, then by number.
  const openIncidents = (state: EmulatorState = emu.store.state) =>
    state.incidents
      .filter((i) => (OPEN_STATUSES as readonly string[]).includes(i.status ?? ''))
      .sort((a, b) => Number(a.severity!.slice(3)) - Number(b.severity!.slice(3)) || Date.parse(b.created_at!) - Date.parse(a.created_at!) || a.incident_number.localeCompare(b.incident_number));

  /**
   * Whether a tree row shows `i` as documented, read independently of the extension's code: the
   * label leads with the severity and "unacked" (then ", late" past the acknowledge SLA), then " · " and
   * the title; the description ends with the incident number.
   */
  const rowMatches = (r: { label: string; description: string }, i: { incident_number: string; title: string; severity?: string; acknowledged_at?: string | null }) => {
    const head = r.label.split(' · ')[0].replace(', late', '');
    return head === `${i.severity}${i.acknowledged_at ? '' : ' unacked'}` && r.label.endsWith(` · ${i.title}`) && r.description.endsWith(` · ${i.incident_number}`);
  };
  /** The row of incident `number` among `rows` (its number ends the description). */
  const rowOf = <R extends { description: string }>(rows: R[], number: string) => rows.find((r) => r.description.endsWith(` · ${number}`));
  /** Calls the emulator's API as `key`; @throws when it does not answer 2xx. */
  const api = async <T = Record<string, unknown>>(method: string, path: string, key: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${emu.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { data: T }).data;
  };
  let made = 0;
  /**
   * An incident of this step's own, opened by a colleague (so not announced as one of ours and not
   * assigned by us), with a title no other step uses. Steps act on these, never on demo-data
   * positions, so no step depends on the date, the on-call rotation or the steps before it.
   * @returns its incident number
   */
  const ownIncident = async (what: string, opts: { severity?: string; status?: string; service?: string; assignTo?: string } = {}): Promise<string> => {
    const svc = emu.store.state.services.find((s) => s.name === (opts.service ?? 'Search Indexer'))!;
    const created = await api<{ incident_number: string }>('POST', '/incidents', COLLEAGUE_KEY, { title: `e2e ${++made}: ${what}`, severity: opts.severity ?? 'SEV3', service_ids: [svc.service_key] });
    const number = created.incident_number;
    if (opts.status) await api('POST', `/incidents/${number}/status`, COLLEAGUE_KEY, { status: opts.status });
    if (opts.assignTo) await api('PATCH', `/incidents/${number}`, COLLEAGUE_KEY, { assigned_to: opts.assignTo });
    return number;
  };
  /** The API requests the emulator logged since `mark` (its requestCount then). */
  const requestsSince = (mark: number) => emu.requests.slice(emu.requests.length - Math.min(emu.requests.length, emu.requestCount - mark));
  /** Incident numbers acknowledged in the emulator now. */
  const acknowledgedNumbers = () => new Set(emu.store.state.incidents.filter((i) => i.acknowledged_at).map((i) => i.incident_number));

  /** The incident signal in the status bar. */
  const incidentsStatus = () => page.locator('.part.statusbar .statusbar-item', { hasText: 'SEV0/1' }).first();
  const environmentStatus = () => page.locator('.part.statusbar .statusbar-item', { has: page.locator('.codicon-server-environment') }).first();
  /**
   * Runs `command`, whose incident picker is titled `title`, and picks `number` by typing `typed`
   * (the number itself unless given). An incident created just now may not be in the extension's
   * list yet: then the pick is closed, the view refreshed, and the command run again (bounded).
   */
  const commandOnIncident = async (command: string, title: string, number: string, typed = number, beforeEnter?: () => Promise<unknown>) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await runCommand(page, command);
      await waitTitle(title);
      await page.locator('.quick-input-widget input').fill(typed);
      const row = page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${number}"]:not([aria-label*="No incident here"])`);
      try {
        await row.waitFor({ timeout: 3000 });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${number} was never focused after typing "${typed}" in ${title}: ${(err as Error).message}`);
        await page.keyboard.press('Escape');
        await runCommand(page, 'Runframe: Refresh');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await beforeEnter?.();
    await page.keyboard.press('Enter');
  };
  /** Waits for a quick pick row whose label starts with `label`, focuses it by typing, and accepts it. */
  const acceptRow = async (label: string) => {
    await page.locator('.quick-input-widget input').fill(label);
    await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${label}"]`).waitFor();
    await page.keyboard.press('Enter');
  };
  /**
   * Creates an incident through Create Incident, as a person would (title, severity, services
   * picked by search, description, then "Create" on the review), from this window: an incident
   * of the key's user.
   * @param onServices runs while the services step shows the picked services
   */
  const createThroughWizard = async (title: string, severity: string, serviceNames: string[], description: string, onServices?: () => Promise<unknown>) => {
    await runCommand(page, 'Runframe: Create Incident…');
    await waitTitle('(1/5)');
    await page.locator('.quick-input-widget input').fill(title);
    await page.keyboard.press('Enter');
    await waitTitle('(2/5)');
    await acceptRow(severity);
    await waitTitle('(3/5)');
    await quickPickRows(page).first().waitFor();
    for (const name of serviceNames) {
      await page.locator('.quick-input-widget input').fill(name);
      const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first();
      await row.waitFor();
      await row.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox, .monaco-custom-toggle').first().click();
    }
    await page.locator('.quick-input-widget input').fill('');
    await onServices?.();
    await page.keyboard.press('Enter');
    await waitTitle('(4/5)');
    await page.locator('.quick-input-widget input').fill(description);
    await page.keyboard.press('Enter');
    // The review: nothing is sent before "Create".
    await waitTitle('(5/5)');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Create' }).waitFor();
    await page.keyboard.press('Enter');
  };
  /** Waits until the quick input shows the title containing `text` (the previous step has closed). */
  const waitTitle = (text: string) => page.locator('.quick-input-widget .quick-input-title', { hasText: text }).first().waitFor({ timeout: 20_000 });
  const state = (number: string) => emu.store.state.incidents.find((i) => i.incident_number === number)!;
  /**
   * The content of the visible incident page. VS Code nests a webview's content two frames deep:
   * `iframe.webview` (the host) > `iframe#active-frame` (the page). Steps close other editors first,
   * so only one webview is shown.
   */
  const incidentPage = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  /** Each page button's action and whether it is enabled, in order. */
  const pageButtons = () => incidentPage().locator('button[data-action]').evaluateAll((bs) => bs.map((b) => `${b.getAttribute('data-action')}:${(b as HTMLButtonElement).disabled ? 'off' : 'on'}`));
  /** Closes every editor (so the next incident page is the only webview) and every toast. */
  const closeEditors = async () => {
    await runCommand(page, 'View: Close All Editors');
    await clearNotifications(page);
  };
  /** Opens the page of `number` and waits for its heading. */
  const openPage = async (number: string) => {
    await closeEditors();
    await commandOnIncident('Runframe: Open Incident', 'Runframe: Open Incident', number);
    await incidentPage().locator('h1', { hasText: number }).waitFor({ timeout: 20_000 });
  };
  /** Status and timeline length of every incident, to prove that an action changed exactly one. */
  const fingerprint = () => new Map(emu.store.state.incidents.map((i) => [i.incident_number, `${i.status}|${i.severity}|${i.timeline?.length ?? 0}`]));
  const changedSince = (before: Map<string, string>) => [...fingerprint()].filter(([n, f]) => before.get(n) !== f).map(([n]) => n);

  before(async function () {
    this.timeout(240_000);
    emu = await startTestEmulator({
      port: 0,
      clockOffsetMs: CLOCK_OFFSET_MS,
      apiKeys: [
        { key: KEY, scopes: [...SCOPES], user_email: DEMO_USER_EMAIL },
        { key: COLLEAGUE_KEY, scopes: [...SCOPES], user_email: DEMO_READONLY_USER_EMAIL },
        { key: SECOND_KEY, scopes: [...SCOPES], user_email: DEMO_READONLY_USER_EMAIL },
      ],
    });
    // A second Runframe for the environments scenario, with different data (more open incidents).
    staging = await startTestEmulator({ port: 0, clockOffsetMs: CLOCK_OFFSET_MS, extraOpenIncidents: 7, apiKeys: [{ key: STAGING_KEY, scopes: [...SCOPES], user_email: DEMO_READONLY_USER_EMAIL }] });
    server = await startCodeServer('ui', {
      'runframe.apiUrl': emu.url,
      'runframe.mcp.toolsets': ['read', 'write', 'page'],
      'runframe.requestTimeoutSeconds': 3,
      'workbench.startupEditor': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
    }, undefined, [INVOKER_VSIX]);
    browser = await launchBrowser();
    page = await openWorkbench(browser, server);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await emu?.close();
    await staging?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `FAILED-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 40)}`);
  });

  it('1. with no key, the Runframe activity-bar entry opens the welcome view with its buttons', async () => {
    await page.locator('.part.activitybar a.action-label[aria-label^="Runframe"]').click();
    const welcome = page.locator('.part.sidebar .welcome-view-content').first();
    await welcome.waitFor({ timeout: 30_000 });
    await page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).first().waitFor();
    await page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: 'Try the Sandbox' }).first().waitFor();
    await screenshot(page, 'welcome-view');
  });

  it('5. a wrong API key: the error says so and nothing is stored', async () => {
    const before = emu.requestCount;
    await runCommand(page, 'Runframe: Set API Key');
    // The palette and the password box share one widget: type only once the box is up.
    await waitTitle('Runframe: Set API Key');
    const input = page.locator('.quick-input-widget input');
    await input.fill('rf_this_key_is_wrong_42');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'Not saved' }).first().waitFor({ timeout: 30_000 });
    const { message } = await notification(page, 'API key not saved');
    assert.match(message, /rejected the key \(HTTP 401\)/);
    await screenshot(page, 'wrong-key');
    await page.keyboard.press('Escape'); // the box stays open with the key as typed (17.5)
    assert.ok(emu.requests.slice(before).some((r) => r.path === '/api/v1/auth/verify' && r.status === 401), 'the key was checked with the API');
    // Nothing stored: still not connected, so the welcome view is still there.
    await page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).first().waitFor();
    await clearNotifications(page);
  });

  it('2. with the key set through Set API Key, the views list the emulator\'s incidents and on-call', async () => {
    await runCommand(page, 'Runframe: Set API Key');
    // The palette and the password box share one widget: type only once the box is up.
    await waitTitle('Runframe: Set API Key');
    const input = page.locator('.quick-input-widget input');
    await input.fill(KEY);
    await page.keyboard.press('Enter');
    await notificationMessage(page, /API key saved for Northwind Cloud/);
    const expected = openIncidents();
    const rows = await waitUntil(async () => {
      const r = await treeRows(page, 'Incidents');
      return r.length >= expected.length ? r : undefined;
    }, 30_000, 'the incidents view to fill');
    assert.deepEqual(rows.map((r) => r.description.split(' · ').at(-1)), expected.map((i) => i.incident_number), 'documented order: most severe first, then newest');
    for (const [i, row] of rows.entries()) {
      assert.ok(rowMatches(row, expected[i]), `${row.label} | ${row.description}`);
      assert.equal(row.description.split(' · ').at(-3), expected[i].status, row.description);
    }
    await screenshot(page, 'incidents-view');
    const oncall = await waitUntil(async () => {
      const r = await treeRows(page, 'On-call');
      return r.some((x) => x.label === 'Platform') ? r : undefined;
    }, 30_000, 'the on-call view');
    // Teams alphabetical, except that the teams I am on call in come first.
    const now = await api<{ services: { team_name: string; on_call_engineers: { email: string }[] }[] }>('GET', '/on-call/current', KEY);
    const myTeams = new Set(now.services.filter((s) => s.on_call_engineers.some((e) => e.email === DEMO_USER_EMAIL)).map((s) => s.team_name));
    const alphabetical = [...new Set(emu.store.state.services.map((s) => s.team_name))].sort();
    const teams = [...alphabetical.filter((t) => myTeams.has(t)), ...alphabetical.filter((t) => !myTeams.has(t))];
    assert.deepEqual(oncall.filter((r) => teams.includes(r.label)).map((r) => r.label), teams);
    const legacy = oncall.find((r) => r.label === 'Legacy Reports');
    assert.equal(legacy?.description, 'No on-call coverage');
    const covered = oncall.find((r) => r.label === 'Checkout API');
    assert.match(covered?.description ?? '', /^[A-Z][a-z]+ [A-Z][a-z]+ · until ([A-Z][a-z]{2} )?\d\d:\d\d \(in \d+[mhd]\)$/, 'an engineer and the shift end');
    await screenshot(page, 'oncall-view');
  });

  it('3. Acknowledge Incident from the palette: the typed number wins over a title that contains it; emulator state, tree; again says already acknowledged', async () => {
    // A decoy opened just before the target, whose title holds the target's sequence number (as
    // "Search results stale for 40 minutes", INC-2026-038, held 040): VS Code's fuzzy filter
    // matches both and lists the lower number first; typing the sequence must pick the target.
    const year = String(new Date(Date.now() + CLOCK_OFFSET_MS).getUTCFullYear());
    const sequence = String((emu.store.state.sequences[year] ?? 0) + 2);
    const decoy = await ownIncident(`consumer lag for ${sequence} minutes`, { severity: 'SEV2' });
    const number = await ownIncident('queue consumer stuck', { severity: 'SEV2' });
    assert.equal(Number(number.split('-')[2]), Number(sequence), 'the target got the predicted number');
    const before = acknowledgedNumbers();
    await commandOnIncident('Runframe: Acknowledge Incident', 'Runframe: Acknowledge Incident', number, sequence, () => screenshot(page, 'picker-typed-number'));
    // The emulator first: exactly the typed incident was acknowledged, by the key's user.
    await waitUntil(async () => state(number).acknowledged_at, 20_000, `${number} to be acknowledged in the emulator`);
    const now = acknowledgedNumbers();
    assert.deepEqual([...now].filter((n) => !before.has(n)), [number], 'only the typed incident was acknowledged');
    assert.equal(state(decoy).acknowledged_at, null, 'the decoy is untouched');
    assert.equal(state(number).assigned_to?.email, DEMO_USER_EMAIL, 'by the key\'s user');
    assert.match(await notificationMessage(page, `Acknowledged ${number}`), /assigned to Sam Rivera/);
    await waitUntil(async () => rowOf(await treeRows(page, 'Incidents'), number)?.description.includes(' · Sam Rivera · '), 20_000, 'the row to show the assignee');
    await screenshot(page, 'acknowledged');
    await clearNotifications(page);

    // The same number again: the target is acknowledged now, so no longer offered. The picker
    // says no incident has that number, and Enter does nothing; it must not fall back to the
    // decoy whose title holds the digits.
    await runCommand(page, 'Runframe: Acknowledge Incident');
    await waitTitle('Runframe: Acknowledge Incident');
    await page.locator('.quick-input-widget input').fill(sequence);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: `No incident here has the number "${sequence}"` }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'picker-no-such-number');
    await page.keyboard.press('Enter');
    await waitTitle('Runframe: Acknowledge Incident'); // still open
    await page.keyboard.press('Escape');

    // Again: a colleague acknowledges another incident while our view still shows it as open;
    // acknowledging it from the palette reports "already acknowledged", not a failure.
    const second = await ownIncident('acknowledged by a colleague meanwhile');
    // The colleague acknowledges it while our picker lists it as unacknowledged.
    await commandOnIncident('Runframe: Acknowledge Incident', 'Runframe: Acknowledge Incident', second, second, () => api('POST', `/incidents/${second}/acknowledge`, COLLEAGUE_KEY, {}));
    const message = await notificationMessage(page, `${second} is already acknowledged`);
    assert.match(message, /Priya Shah/);
    assert.equal(state(second).assigned_to?.email, DEMO_READONLY_USER_EMAIL, 'still the colleague\'s');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: `${second} is already acknowledged` });
    if (await toast.count()) assert.ok(!(await toast.locator('.codicon-error').count()), 'reported as information, not as an error');
    await screenshot(page, 'already-acknowledged');
    await clearNotifications(page);
    // Checked last, after the other steps' round trips: an Enter that fell through would have
    // acknowledged the decoy by now.
    assert.equal(state(decoy).acknowledged_at, null, 'Enter on a number that names nothing acknowledged nothing');
  });

  it(`4. MCP: List Servers shows Runframe; starting it discovers all ${TOOLS.length} tools`, async () => {
    await runCommand(page, 'MCP: List Servers');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Runframe' }).first();
    await row.waitFor({ timeout: 30_000 });
    await screenshot(page, 'mcp-list-servers');
    await row.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start Server' }).first().click();
    // Starting opens the server's output in the panel.
    const output = page.locator('.part.panel .view-lines');
    await waitUntil(async () => new RegExp(`Discovered\\s${TOOLS.length}\\stools`).test((await output.textContent()) ?? ''), 30_000, `"Discovered ${TOOLS.length} tools" in the server output`);
    await page.locator('.part.editor').click();
    await runCommand(page, 'MCP: List Servers');
    await waitUntil(async () => /Running/.test((await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Runframe' }).first().textContent()) ?? ''), 30_000, 'the server to be listed as running');
    await screenshot(page, 'mcp-server-running');
    await page.keyboard.press('Escape');
    const text = (await output.textContent()) ?? '';
    assert.ok(!text.includes(KEY), 'the key never shows in the server output');
    await screenshot(page, 'mcp-server-output');
  });

  it('6. Try the Sandbox: views switch to demo data and say so; Stop Sandbox returns to the account', async () => {
    await page.locator('.part.editor').click();
    await runCommand(page, 'Runframe: Try the Sandbox');
    await notificationMessage(page, /sandbox running/i, 30_000);
    await waitUntil(async () => ((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent()) ?? '').includes('Sandbox'), 20_000, 'the view to say Sandbox');
    // The sandbox keeps its data in the extension's global storage inside the profile: the view
    // must show exactly its open incidents (fresh demo data, none of the test emulator's changes).
    const dataFile = join(server.userDataDir, 'User', 'globalStorage', 'runframe-cockpit.runframe-incident-cockpit', 'sandbox-data.json');
    const sandboxState = await waitUntil(async () => (existsSync(dataFile) ? (JSON.parse(readFileSync(dataFile, 'utf8')) as EmulatorState) : undefined), 20_000, 'the sandbox data file');
    const expected = openIncidents(sandboxState).map((i) => `${i.incident_number} ${i.title} | ${i.severity} · ${i.status} · ${i.acknowledged_at ? 'acked' : 'unacknowledged'}`);
    const shown = (r: { label: string; description: string }) => {
      const d = r.description.split(' · ');
      return `${d.at(-1)} ${r.label.split(' · ').slice(1).join(' · ')} | ${r.label.split(' ')[0].replace(',', '')} · ${d.at(-3)} · ${/^SEV\d unacked/.test(r.label) ? 'unacknowledged' : 'acked'}`;
    };
    await waitUntil(async () => JSON.stringify((await treeRows(page, 'Incidents')).map(shown)) === JSON.stringify(expected), 30_000, 'the sandbox incidents in the view');
    assert.equal(expected.filter((e) => e.endsWith('unacknowledged')).length, 4, 'fresh demo data: none acknowledged by the earlier steps');
    // The demo user is on call for something and owns an incident (#17 item 10), on any day.
    const oncallRows = await waitUntil(async () => {
      const r = await treeRows(page, 'On-call');
      return r.some((x) => /^You · until /.test(x.description)) ? r : undefined;
    }, 30_000, 'the sandbox\'s on-call view to mark the demo user');
    assert.ok(oncallRows.some((x) => /^You · until .+ \(in \d+[mhd]\)$/.test(x.description)), oncallRows.map((x) => `${x.label}: ${x.description}`).join(' | '));
    assert.ok(openIncidents(sandboxState).some((i) => i.assigned_to?.email === DEMO_USER_EMAIL), 'the demo user owns an open incident');
    await screenshot(page, 'sandbox');
    await clearNotifications(page);
    await runCommand(page, 'Runframe: Stop Sandbox');
    await notificationMessage(page, /back on your Runframe account/);
    await waitUntil(async () => !((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent()) ?? '').includes('Sandbox'), 20_000, 'the Sandbox label to go');
    await screenshot(page, 'sandbox-stopped');
  });

  // Every fault against the two editor flows that talk to the API on a person's behalf.
  const EDITOR_FAULTS: { name: string; spec: (path: string | RegExp, method: string) => FaultSpec; ack: RegExp; key: RegExp; applied?: boolean }[] = [
    { name: 'latency', spec: (path, method) => ({ type: 'delay', ms: 400, path, method }), ack: /^Acknowledged /, key: /saved for Northwind Cloud/, applied: true },
    { name: 'stall', spec: (path, method) => ({ type: 'stall', path, method }), ack: /No answer from the Runframe API within 3 s.*may or may not have been applied/, key: /not saved\. No answer from Runframe within 3 s/ },
    { name: '429', spec: (path, method) => ({ type: 'status', status: 429, retryAfterSeconds: 30, path, method, times: 10 }), ack: /HTTP 429.*retry after 30 s/, key: /not saved\. Rate limited .*HTTP 429.*retry after 30 s/ },
    { name: '500', spec: (path, method) => ({ type: 'status', status: 500, path, method, times: 10 }), ack: /HTTP 500.*server error/, key: /not saved\. Runframe had a server error \(HTTP 500\)/ },
    { name: '502', spec: (path, method) => ({ type: 'status', status: 502, path, method, times: 10 }), ack: /HTTP 502.*server error/, key: /not saved\. .*HTTP 502/ },
    { name: '503', spec: (path, method) => ({ type: 'status', status: 503, path, method, times: 10 }), ack: /HTTP 503.*server error/, key: /not saved\. .*HTTP 503/ },
    { name: 'malformed JSON', spec: (path, method) => ({ type: 'malformed_json', path, method }), ack: /not JSON.*may or may not have been applied/, key: /not saved\. The answer is not a Runframe API's \(invalid_json\)/ },
    { name: 'empty body', spec: (path, method) => ({ type: 'empty_body', path, method }), ack: /empty body.*may or may not have been applied/, key: /not saved\. The answer is not a Runframe API's \(empty_body\)/ },
    { name: 'reset mid-body', spec: (path, method) => ({ type: 'reset_mid_body', path, method, times: 10 }), ack: /dropped while reading.*may or may not have been applied/, key: /not saved\. The connection to Runframe dropped/ },
    { name: 'reset after commit', spec: (path, method) => ({ type: 'reset', phase: 'after', path, method, times: 10 }), ack: /dropped before it answered.*may or may not have been applied/, key: /not saved\. The connection to Runframe dropped/, applied: true },
  ];

  it('7a. Acknowledge Incident under every fault: says what happened and what to do; never acknowledged twice', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    for (const fault of EDITOR_FAULTS) {
      // Each round acts on an unacknowledged incident of its own.
      const number = await ownIncident(`acknowledge under ${fault.name}`);
      const acks = () => state(number).timeline!.filter((e) => e.type === 'acknowledged').length;
      const mark = emu.requestCount;
      // Picked first, the fault set only then: the refreshes that bring the incident into the
      // picker must not take it.
      await commandOnIncident('Runframe: Acknowledge Incident', 'Runframe: Acknowledge Incident', number, number, async () => emu.faults.add(fault.spec(/\/acknowledge$/, 'POST')));
      const expected = fault.ack.source.startsWith('^Acknowledged') ? `Acknowledged ${number}` : `Could not acknowledge ${number}`;
      const message = await notificationMessage(page, expected, 30_000).catch(async (err: Error) => {
        await screenshot(page, `acknowledge-fault-${fault.name.replace(/\W+/g, '-')}`);
        const seen = requestsSince(mark).map((r) => `${r.method} ${r.path} ${r.status}`);
        throw new Error(`${fault.name}: ${err.message}\nrequests since the pick: ${seen.join('; ')}`);
      });
      // The emulator's state, then the words.
      assert.equal(acks(), fault.applied ? 1 : 0, `${fault.name}: acknowledged ${acks()} times`);
      assert.equal(requestsSince(mark).filter((r) => r.method === 'POST' && r.path.endsWith(`${number}/acknowledge`)).length, 1, `${fault.name}: sent once`);
      assert.match(message, fault.ack, `${fault.name}: ${message}`);
      emu.faults.clear();
      await clearNotifications(page);
    }
    await screenshot(page, 'acknowledge-faults');
  });

  it('7b. Set API Key under every fault: a key that could not be verified is never stored', async () => {
    for (const fault of EDITOR_FAULTS) {
      const mark = emu.requestCount;
      emu.faults.add(fault.spec('/auth/verify', 'GET'));
      await runCommand(page, 'Runframe: Set API Key');
      await waitTitle('Runframe: Set API Key');
      const input = page.locator('.quick-input-widget input');
      // A valid key that must not end up stored when it could not be verified.
      await input.fill(fault.name === 'latency' ? KEY : SECOND_KEY);
      await page.keyboard.press('Enter');
      // A key that was not saved keeps its box open (17.5), and notificationMessage's look into
      // the notification center would close it: wait for the box's message, then the toast.
      const wait = fault.name === 'latency'
        ? notificationMessage(page, 'API key saved', 30_000)
        : page.locator('.quick-input-widget .quick-input-message', { hasText: 'Not saved' }).first().waitFor({ timeout: 30_000 }).then(async () => (await notification(page, 'API key not saved', 10_000)).message);
      const message = await wait.catch(async (err: Error) => {
        await screenshot(page, `set-key-fault-${fault.name.replace(/\W+/g, '-')}`);
        const seen = requestsSince(mark).map((r) => `${r.method} ${r.path} ${r.status} ${r.userAgent ?? ''}`);
        throw new Error(`${fault.name}: ${err.message}\nrequests since the fault was set: ${seen.join('; ')}`);
      });
      assert.match(message, fault.key, `${fault.name}: ${message}`);
      emu.faults.clear();
      // A key that was not saved keeps its box open (17.5): close it.
      if (fault.name !== 'latency') await page.keyboard.press('Escape');
      await clearNotifications(page);
    }
    // The stored key is still the good one: the views load.
    await runCommand(page, 'Runframe: Refresh');
    await waitUntil(async () => (await treeRows(page, 'Incidents')).length >= 12, 20_000, 'the views to load with the stored key');
    await screenshot(page, 'set-key-faults');
  });

  it('9. status bar: open SEV0/SEV1 count and unacknowledged (error background), on call or not, click focuses Incidents', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    // An unacknowledged SEV1 of this step's own, so there is one whatever the steps before did.
    await ownIncident('status bar signal', { severity: 'SEV1', service: 'Checkout API' });
    await runCommand(page, 'Runframe: Refresh');
    const me = emu.store.state.users.find((u) => u.email === DEMO_USER_EMAIL)!;
    // What the status bar should read, from the emulator's state and on-call as they are now.
    const expectedNow = async () => {
      const major = openIncidents().filter((i) => i.severity === 'SEV0' || i.severity === 'SEV1');
      // Unacked: every open incident nobody acknowledged (the Incidents badge's count too).
      const unacked = openIncidents().filter((i) => !i.acknowledged_at).length;
      const oncall = await api<{ services: { on_call_engineers: { email: string }[] }[] }>('GET', '/on-call/current', KEY);
      const onCall = oncall.services.some((s) => s.on_call_engineers.some((e) => e.email === me.email));
      return `${major.length} SEV0/1 · ${unacked} unacked ${onCall ? 'On call' : 'Off call'}`;
    };
    const item = incidentsStatus();
    let shown = '';
    let expected = '';
    await waitUntil(async () => (shown = ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim()) === (expected = await expectedNow()), 30_000, 'the status bar to match the emulator').catch((err: Error) => {
      throw new Error(`${err.message}; it read "${shown}", expected "${expected}"`);
    });
    // The error background while any SEV0/SEV1 is unacknowledged.
    const background = await item.evaluate((el) => getComputedStyle(el).backgroundColor);
    const plain = await environmentStatus().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(background, plain, `error background (${background}) differs from a plain item (${plain})`);
    assert.match(await item.evaluate((el) => el.className), /error-kind/);
    await page.mouse.move(700, 300);
    await screenshot(page, 'cockpit-sidebar-and-status-bar');
    // Clicking it focuses the Incidents view (collapse the sidebar first to see it come back).
    await page.locator('.part.activitybar a.action-label[aria-label^="Explorer"]').click();
    await waitUntil(async () => !(await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).count()), 10_000, 'the Runframe views to go away');
    await item.click();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'status-bar-click-focuses-incidents');
  });

  it('10. Change Status from the palette: allowed next statuses, a comment, the emulator\'s state and timeline, the tree', async () => {
    const number = await ownIncident('status change', { severity: 'SEV2', status: 'investigating' });
    const target = { incident_number: number };
    await commandOnIncident('Runframe: Change Status…', 'Runframe: Change Status', number);
    // Only the allowed next statuses are offered.
    await waitTitle(`Change status of ${target.incident_number}`);
    await quickPickRows(page).first().waitFor();
    const offered = await quickPickRows(page).evaluateAll((rows) => rows.map((r) => r.querySelector('.label-name')?.textContent ?? ''));
    assert.deepEqual(offered, ['fixing', 'monitoring', 'resolved', 'closed']);
    await acceptRow('fixing');
    await waitTitle('investigating → fixing');
    const comment = page.locator('.quick-input-widget input');
    await comment.fill('e2e: rolling out the fix');
    await page.keyboard.press('Enter');
    await waitUntil(async () => state(number).status === 'fixing', 20_000, `${number} to be fixing in the emulator`);
    await notificationMessage(page, `${target.incident_number} is now fixing`);
    assert.ok(state(target.incident_number).timeline!.some((e) => e.type === 'status_change' && (e.comment ?? '').includes('e2e: rolling out the fix')), 'the comment is on the timeline');
    await waitUntil(async () => rowOf(await treeRows(page, 'Incidents'), target.incident_number)?.description.includes(' · fixing · '), 20_000, 'the row to show fixing');
    await screenshot(page, 'status-changed');
    await clearNotifications(page);
  });

  it('11. Add Timeline Note: the note lands on the incident\'s timeline; the incident page shows it', async () => {
    const number = await ownIncident('timeline note');
    const target = { incident_number: number };
    const note = `e2e note on ${number}`;
    await commandOnIncident('Runframe: Add Timeline Note…', 'Runframe: Add Timeline Note', number);
    await waitTitle(`Add a timeline note to ${number}`);
    await page.locator('.quick-input-widget input').fill(note);
    await page.keyboard.press('Enter');
    await waitUntil(async () => state(number).timeline!.some((e) => e.type === 'note' && e.comment === note), 20_000, `the note on ${number} in the emulator`);
    await notificationMessage(page, `Note added to ${number}`);
    const events = state(target.incident_number).timeline!.filter((e) => e.type === 'note' && e.comment === note);
    assert.equal(events.length, 1, 'exactly one note');
    assert.equal(events[0].actor?.email, DEMO_USER_EMAIL);
    // Open the incident's page and find the note there, first in the timeline (newest first).
    await commandOnIncident('Runframe: Open Incident', 'Runframe: Open Incident', number);
    await incidentPage().locator('h1', { hasText: target.incident_number }).waitFor({ timeout: 20_000 });
    await incidentPage().locator('.timeline .event').first().filter({ hasText: note }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'incident-detail');
    // Later steps start from the workbench as they found it: no page open, focus out of the webview.
    await closeEditors();
  });

  it('12. Create Incident: title, severity, services picked by search, description; one incident with exactly those', async () => {
    const before = emu.store.state.incidents.length;
    const title = `e2e: search results empty ${Date.now()}`;
    const services = emu.store.state.services.filter((s) => s.team_name === 'Platform').slice(0, 2);
    await createThroughWizard(title, 'SEV2', services.map((x) => x.name), 'Created from the e2e suite', () => screenshot(page, 'create-incident-services'));
    const created = await waitUntil(async () => emu.store.state.incidents.find((i) => i.title === title), 30_000, 'the incident in the emulator');
    assert.equal(emu.store.state.incidents.length, before + 1, 'exactly one incident created');
    const message = await notificationMessage(page, /^Created INC-/, 30_000);
    assert.ok(message.includes(created.incident_number));
    assert.equal(created.severity, 'SEV2');
    assert.equal(created.description, 'Created from the e2e suite');
    assert.deepEqual(created.services.map((s) => s.service_key).sort(), services.map((s) => s.service_key).sort());
    await waitUntil(async () => rowOf(await treeRows(page, 'Incidents'), created.incident_number), 20_000, 'the new incident in the tree');
    await screenshot(page, 'incident-created');
    await clearNotifications(page);
  });

  it('13. a new SEV1 (opened by a colleague) raises one notification; its Acknowledge button acknowledges it', async () => {
    const svc = emu.store.state.services.find((s) => s.name === 'Checkout API')!;
    const res = await fetch(`${emu.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${COLLEAGUE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'e2e: card payments failing', severity: 'SEV1', service_ids: [svc.service_key] }),
    });
    assert.equal(res.status, 201);
    const number = ((await res.json()) as { data: { incident_number: string } }).data.incident_number;
    // Refresh from the view's title button: the palette's Escape would hide the toast.
    const header = page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first();
    const refreshButton = header.locator('a.action-label[aria-label*="Refresh"]').first();
    await header.hover(); // title actions show on hover
    await refreshButton.click();
    const { toast, message } = await notification(page, `New SEV1 incident ${number}`, 30_000);
    assert.match(message, /card payments failing \(Checkout API\), unacknowledged/);
    await new Promise((r) => setTimeout(r, 500)); // let the toast finish sliding in
    await screenshot(page, 'sev1-notification');
    // A second refresh must not notify again.
    await header.hover();
    await refreshButton.click();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await page.locator('.notifications-toasts .notification-list-item-message', { hasText: `New SEV1 incident ${number}` }).count(), 1, 'one notification only');
    await toast.locator('a.monaco-button', { hasText: 'Acknowledge' }).click();
    await waitUntil(async () => state(number).acknowledged_at, 20_000, `${number} to be acknowledged in the emulator`);
    await notificationMessage(page, `Acknowledged ${number}`);
    assert.equal(state(number).assigned_to?.email, DEMO_USER_EMAIL);
    await clearNotifications(page);
  });

  it('14. environments: add "staging" (own URL and key), views and MCP follow it; switch back from the status bar', async () => {
    await runCommand(page, 'Runframe: Add Environment…');
    await waitTitle('(1/3)');
    await page.locator('.quick-input-widget input').fill('staging');
    await page.keyboard.press('Enter');
    await waitTitle('(2/3)');
    const url = page.locator('.quick-input-widget input');
    await url.fill(staging.url);
    await page.keyboard.press('Enter');
    await waitTitle('(3/3)');
    await url.fill(STAGING_KEY);
    await page.keyboard.press('Enter');
    await notificationMessage(page, /API key saved for Northwind Cloud in staging/);
    await notificationMessage(page, /now on staging/);
    const expected = openIncidents(staging.store.state);
    assert.notEqual(expected.length, openIncidents().length, 'staging has other data');
    // The tree renders only the rows in sight: compare those, in order.
    await waitUntil(async () => {
      const rows = await treeRows(page, 'Incidents');
      return rows.length >= Math.min(10, expected.length) && rows.every((r, i) => rowMatches(r, expected[i]));
    }, 30_000, 'the staging incidents in the view');
    await waitUntil(async () => ((await environmentStatus().textContent()) ?? '').includes('staging'), 10_000, 'the status bar to say staging');
    assert.ok(((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent()) ?? '').includes('staging'), 'the view title says staging');
    assert.ok(staging.requests.some((r) => r.path === '/api/v1/incidents'), 'staging was asked');
    await screenshot(page, 'environment-staging');
    await clearNotifications(page);
    await runCommand(page, 'MCP: List Servers');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Runframe (staging)' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'mcp-list-staging');
    await page.keyboard.press('Escape');
    // Back to Default from the status bar.
    await environmentStatus().click();
    await waitTitle('Switch Environment');
    await acceptRow('Default');
    await notificationMessage(page, /now on Default/);
    const back = openIncidents();
    await waitUntil(async () => {
      const rows = await treeRows(page, 'Incidents');
      return rows.length >= Math.min(10, back.length) && rows.every((r, i) => rowMatches(r, back[i]));
    }, 30_000, 'the default incidents again');
    await waitUntil(async () => ((await environmentStatus().textContent()) ?? '').includes('Default'), 10_000, 'the status bar to say Default');
    await screenshot(page, 'environment-default');
    await clearNotifications(page);
  });

  it('15. Ask Copilot without Copilot Chat installed: says so and copies the prompt (the chat view would ignore it)', async () => {
    const number = await ownIncident('ask copilot');
    const target = { incident_number: number };
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    await commandOnIncident('Runframe: Ask Copilot about This Incident', 'Runframe: Ask Copilot', number);
    const message = await notificationMessage(page, 'Copilot Chat is not installed');
    assert.match(message, new RegExp(`prompt about ${target.incident_number} was copied`));
    const copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => undefined);
    if (copied !== undefined) assert.match(copied, new RegExp(`^Help me work Runframe incident ${target.incident_number} `));
    await screenshot(page, 'ask-copilot-without-chat');
    await clearNotifications(page);
  });

  it('16. filters and grouping: "Assigned to me" shows exactly my open incidents; by severity shows the severities as headings', async () => {
    // Mine: one of this step's own, assigned to the key's user, besides whatever earlier steps left.
    const own = await ownIncident('assigned to me', { severity: 'SEV2', assignTo: DEMO_USER_EMAIL });
    await runCommand(page, 'Runframe: Refresh');
    await runCommand(page, 'Runframe: Filter Incidents…');
    await waitTitle('Runframe: Filter Incidents');
    await acceptRow('Assigned to me');
    // The tree renders only the rows in sight: those must be my open incidents, in order, and
    // the list must not stop short of them.
    let shown: string[] = [];
    let mine: string[] = [];
    await waitUntil(async () => {
      const rows = await treeRows(page, 'Incidents');
      shown = rows.map((r) => `${r.label} | ${r.description}`);
      const mineNow = openIncidents().filter((i) => i.assigned_to?.email === DEMO_USER_EMAIL);
      mine = mineNow.map((i) => `${i.incident_number} ${i.title}`);
      return rows.length >= Math.min(10, mine.length) && rows.every((r, i) => mineNow[i] && rowMatches(r, mineNow[i])) && rowOf(rows, own);
    }, 20_000, 'only my incidents').catch((err: Error) => {
      throw new Error(`${err.message}\nshown: ${shown.join(' | ')}\nmine: ${mine.join(' | ')}`);
    });
    assert.ok(((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent()) ?? '').includes('Assigned to me'), 'the view title names the filter');
    await screenshot(page, 'filter-mine');
    await runCommand(page, 'Runframe: Filter Incidents…');
    await waitTitle('Runframe: Filter Incidents');
    await acceptRow('All open');
    await runCommand(page, 'Runframe: Group Incidents…');
    await waitTitle('Runframe: Group Incidents');
    await acceptRow('By severity');
    const severities = [...new Set(openIncidents().map((i) => i.severity!))].sort();
    await waitUntil(async () => {
      const labels = (await treeRows(page, 'Incidents')).map((r) => r.label);
      const rows = await treeRows(page, 'Incidents');
      return labels[0] === severities[0] && rows[1] && rowMatches(rows[1], openIncidents()[0]);
    }, 20_000, 'a severity heading above the most severe incident');
    const first = (await treeRows(page, 'Incidents'))[0];
    const count = openIncidents().filter((i) => i.severity === severities[0]).length;
    assert.match(first.description, new RegExp(`^${count}( · \\d+ unacknowledged)?$`), first.description);
    await screenshot(page, 'group-by-severity');
    await runCommand(page, 'Runframe: Group Incidents…');
    await waitTitle('Runframe: Group Incidents');
    await acceptRow('No grouping');
    await waitUntil(async () => {
      const first = (await treeRows(page, 'Incidents'))[0];
      return first && rowMatches(first, openIncidents()[0]);
    }, 20_000, 'the flat list again');
  });

  // ---- #17: sidebar and notifications ----

  /** How many notifications (toasts, and the notification center when `center`) contain `text`. */
  const notificationCount = async (text: string, center = true) => {
    let n = await page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).count();
    if (center) {
      await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
      n += await page.locator('.notifications-center .notification-list-item-message', { hasText: text }).count();
      await page.keyboard.press('Escape');
    }
    return n;
  };
  /** Groups the Incidents view ("No grouping", "By severity", "By team") through Group Incidents. */
  const groupIncidentsBy = async (label: string) => {
    await runCommand(page, 'Runframe: Group Incidents…');
    await waitTitle('Runframe: Group Incidents');
    await acceptRow(label);
  };
  /** Clicks the Incidents view's Refresh title button (the palette's Escape would hide toasts). */
  const refreshFromView = async () => {
    const header = page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first();
    await header.hover(); // title actions show on hover
    await header.locator('a.action-label[aria-label*="Refresh"]').first().click();
  };
  /** "14:00" on this machine's clock (the extension host runs here too), as a person reads it. */
  const localHm = (iso: string) => {
    const d = new Date(iso);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  };
  type OnCallNow = { services: { service_key: string; service_name: string; on_call_engineers: { name: string; email: string; role: string; shift_ends_at: string }[] }[] };

  it('17.3 incident rows lead with severity and "unacked", then the title; acknowledged rows differ in icon too; a missed SLA shows in the row', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    // SEV1s opened now are the newest SEV1s: near the top, in sight.
    const unacked = await ownIncident('row shape: nobody on it yet', { severity: 'SEV1', service: 'Checkout API' });
    const acked = await ownIncident('row shape: acknowledged', { severity: 'SEV1', service: 'Checkout API' });
    await api('POST', `/incidents/${acked}/acknowledge`, COLLEAGUE_KEY, {});
    await refreshFromView();
    // Found by title (whatever the row's shape), then checked for the documented shape.
    const byTitle = <R extends { label: string }>(r: R[], n: string) => r.find((x) => x.label.includes(state(n).title));
    const rows = await waitUntil(async () => {
      const r = await treeRows(page, 'Incidents');
      return byTitle(r, unacked) && byTitle(r, acked) ? r : undefined;
    }, 30_000, 'both rows in the view');
    const u = byTitle(rows, unacked)!;
    const a = byTitle(rows, acked)!;
    assert.equal(u.label, `SEV1 unacked · ${state(unacked).title}`);
    assert.equal(a.label, `SEV1 · ${state(acked).title}`);
    assert.match(u.description, /^(just now|\d+m) · new · /);
    assert.match(a.description, / · Priya Shah · INC-/);
    assert.notEqual(u.icon, a.icon, `unacknowledged (${u.icon}) and acknowledged (${a.icon}) rows differ in shape, not only in colour`);
    // Every row in sight against the emulator: a missed acknowledge SLA shows as ", late"
    // (deadlines within two minutes of now are skipped: they may pass while this runs).
    const now = Date.now() + CLOCK_OFFSET_MS;
    let missed = 0;
    for (const r of rows.filter((x) => x.description.includes(' · INC-'))) {
      const i = state(r.description.split(' · ').at(-1)!);
      assert.ok(rowMatches(r, i), `${r.label} | ${r.description}`);
      const due = Date.parse(i.sla?.acknowledge_due_at ?? '');
      if (i.acknowledged_at || Number.isNaN(due) || Math.abs(due - now) < 120_000) continue;
      if (due < now) missed++;
      assert.equal(r.label.includes(', late'), due < now, `${r.label}: acknowledge due ${i.sla?.acknowledge_due_at}`);
      if (due < now) assert.match(r.description, /^ack SLA missed \d+[mhd] · /);
    }
    assert.ok(missed > 0, 'the demo data has an unacknowledged incident past its acknowledge SLA in sight');
    await page.locator('.part.sidebar').screenshot({ path: join(SCREENSHOTS, 'sidebar-rows.png') });
    await clearNotifications(page);
  });

  it('17.6 every severity and state reads clearly in Light Modern, Dark Modern and High Contrast: opaque icon colours with contrast; screenshots', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    await ownIncident('a SEV2 for the theme screenshots', { severity: 'SEV2', service: 'Checkout API' });
    await ownIncident('a SEV3 for the theme screenshots', { severity: 'SEV3', service: 'Checkout API' });
    await runCommand(page, 'Runframe: Refresh');
    await groupIncidentsBy('By severity');
    // Themes picked as a person does (Preferences: Color Theme); the workbench then carries the
    // theme file's name as a class.
    const themes: [string, string, string][] = [['Light Modern', 'light', 'light_modern'], ['Dark High Contrast', 'hc', 'hc_black'], ['Dark Modern', 'dark', 'dark_modern']];
    try {
      for (const [theme, short, file] of themes) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
        await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click({ timeout: 15_000 });
        await page.locator('.quick-input-widget input').fill(theme);
        await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${theme}"]`).waitFor({ timeout: 15_000 });
        await page.keyboard.press('Enter');
        await waitUntil(async () => page.locator('.monaco-workbench').first().evaluate((el, f) => el.className.includes(f), file), 20_000, `the ${theme} theme`);
        await page.mouse.move(700, 300);
        await new Promise((r) => setTimeout(r, 800)); // let the theme finish painting before the screenshot
        const background = await page.locator('.part.sidebar').evaluate((el) => getComputedStyle(el).backgroundColor);
        // Incident rows (not the severity headings), whatever their wording.
        const rows = (await treeRows(page, 'Incidents')).filter((r) => /SEV\d/.test(r.label + r.description) && !/^SEV\d$/.test(r.label));
        assert.ok(rows.length >= 3, 'incident rows in sight');
        for (const r of rows) {
          const rgba = (r.color.match(/[\d.]+/g) ?? []).map(Number);
          assert.ok(rgba.length === 3 || rgba[3] === 1, `${theme}: ${r.label} icon colour ${r.color} is not opaque`);
          const lum = (c: number[]) => {
            const [R, G, B] = c.slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
            return 0.2126 * R + 0.7152 * G + 0.0722 * B;
          };
          const bg = (background.match(/[\d.]+/g) ?? []).map(Number);
          const [hi, lo] = [lum(rgba), lum(bg)].sort((x, y) => y - x);
          const ratio = (hi + 0.05) / (lo + 0.05);
          assert.ok(ratio >= 3, `${theme}: ${r.label} icon ${r.color} on ${background} has contrast ${ratio.toFixed(2)} (at least 3 for icons)`);
        }
        await page.locator('.part.sidebar').screenshot({ path: join(SCREENSHOTS, `sidebar-${short}.png`) });
        await page.locator('.part.statusbar').screenshot({ path: join(SCREENSHOTS, `statusbar-${short}.png`) });
      }
    } finally {
      await groupIncidentsBy('No grouping');
    }
  });

  it('17.7a my own new SEV0 (Create Incident) gives no "new incident" toast; a colleague\'s SEV0 does, without a manual refresh', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const title = `e2e: my own SEV0 ${Date.now()}`;
    await createThroughWizard(title, 'SEV0', ['Search Indexer'], 'Opened by me from the e2e suite');
    const mine = await waitUntil(async () => emu.store.state.incidents.find((i) => i.title === title), 30_000, 'my incident in the emulator');
    await notificationMessage(page, `Created ${mine.incident_number}`);
    // The extension has refreshed after creating it (announcements look at every refreshed list).
    await waitUntil(async () => rowOf(await treeRows(page, 'Incidents'), mine.incident_number), 30_000, 'my incident in the view');
    // The control: a colleague's SEV0 is announced (found by the check between refreshes).
    const theirs = await ownIncident('a colleague\'s outage', { severity: 'SEV0', service: 'Checkout API' });
    await notification(page, `New SEV0 incident ${theirs}`, 45_000);
    await screenshot(page, 'colleague-sev0-announced');
    assert.equal(await notificationCount(`New SEV0 incident ${mine.incident_number}`), 0, 'my own incident is not announced to me');
    await clearNotifications(page);
  });

  it('17.7b a colleague raising an incident\'s severity is announced as "raised to SEV1"; raising my own says nothing more', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const mine = await ownIncident('raised by me', { severity: 'SEV3', service: 'Checkout API' });
    const theirs = await ownIncident('raised by a colleague', { severity: 'SEV3', service: 'Checkout API' });
    // Both are in the extension's list as SEV3 once the picker offers them.
    await commandOnIncident('Runframe: Change Severity…', 'Runframe: Change Severity', mine);
    await waitTitle(`Severity of ${mine}`);
    await acceptRow('SEV1');
    await notificationMessage(page, `${mine} is now SEV1`);
    assert.equal(state(mine).severity, 'SEV1');
    await clearNotifications(page);
    await api('PATCH', `/incidents/${theirs}`, COLLEAGUE_KEY, { severity: 'SEV1' });
    await refreshFromView();
    const { message } = await notification(page, `${theirs} raised to SEV1`, 30_000);
    assert.match(message, /raised by a colleague \(Checkout API\), unacknowledged/);
    assert.equal(await notificationCount(`New SEV1 incident ${theirs}`, false), 0, 'a raise is not called new');
    await screenshot(page, 'raised-to-sev1');
    assert.equal(await notificationCount(mine), 0, 'my own raise is not announced to me');
    await clearNotifications(page);
  });

  it('17.7c the activity-bar badge and the status bar count the same unacknowledged incidents', async () => {
    await page.locator('.part.editor').click();
    await ownIncident('an unacknowledged SEV3', { severity: 'SEV3' });
    await runCommand(page, 'Runframe: Refresh');
    const badge = page.locator('.part.activitybar .action-item', { has: page.locator('a.action-label[aria-label^="Runframe"]') }).locator('.badge-content').first();
    let read = '';
    await waitUntil(async () => {
      const expected = openIncidents().filter((i) => !i.acknowledged_at).length;
      const b = Number((await badge.textContent())?.trim());
      const s = Number(/(\d+) unacked/.exec((await incidentsStatus().textContent()) ?? '')?.[1]);
      read = `badge ${b}, status bar ${s}, emulator ${expected}`;
      return b === expected && s === expected;
    }, 30_000, 'badge and status bar to agree').catch((err: Error) => {
      throw new Error(`${err.message}: ${read}`);
    });
  });

  it('17.8 grouped by team, the team with the most severe open incident comes first', async () => {
    await page.locator('.part.editor').click();
    await groupIncidentsBy('By team');
    try {
      const expected = () => {
        const worst = new Map<string, number>();
        for (const i of openIncidents()) {
          const team = i.team_name || 'No team';
          worst.set(team, Math.min(worst.get(team) ?? 9, Number(i.severity!.slice(3))));
        }
        return [...worst.entries()].sort(([a, x], [b, y]) => x - y || (a === 'No team' ? 1 : b === 'No team' ? -1 : a.localeCompare(b))).map(([t]) => t);
      };
      assert.notDeepEqual(expected(), [...expected()].sort(), 'the demo data makes this differ from alphabetical');
      // Collapse the groups so every heading is in sight.
      const header = page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first();
      let shown: string[] = [];
      await waitUntil(async () => {
        await header.hover();
        await header.locator('a.action-label[aria-label*="Collapse All"]').first().click();
        shown = (await treeRows(page, 'Incidents')).map((r) => r.label);
        return JSON.stringify(shown) === JSON.stringify(expected());
      }, 20_000, 'team headings by most severe incident').catch((err: Error) => {
        throw new Error(`${err.message}: shown ${shown.join(', ')}; expected ${expected().join(', ')}`);
      });
      await screenshot(page, 'group-by-team');
    } finally {
      await groupIncidentsBy('No grouping');
    }
  });

  it('17.10 On-call answers "who do I call?": "until 14:00 (in 7h)", me marked "(you)", Page and Copy Email on a person', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const oncall = await api<OnCallNow>('GET', '/on-call/current', KEY);
    const obs = oncall.services.find((s) => s.on_call_engineers.some((e) => e.email === DEMO_USER_EMAIL))!;
    assert.ok(obs, 'the demo user is on call for a service');
    const me = obs.on_call_engineers.find((e) => e.email === DEMO_USER_EMAIL)!;
    const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'On-call' }) });
    const serviceRow = (name: string) => pane.locator('.monaco-list-row[role="treeitem"]', { has: page.locator('.label-name', { hasText: name }) }).first();
    await waitUntil(async () => (await treeRows(page, 'On-call')).find((r) => r.label === obs.service_name)?.description.startsWith('You · until '), 30_000, 'my service with "You"');
    const mine = (await treeRows(page, 'On-call')).find((r) => r.label === obs.service_name)!;
    assert.match(mine.description, new RegExp(`^You · until ([A-Z][a-z]{2} )?${localHm(me.shift_ends_at)} \\(in \\d+[mhd]\\)$`), mine.description);
    await serviceRow(obs.service_name).click();
    await waitUntil(async () => (await treeRows(page, 'On-call')).some((r) => r.label === 'Sam Rivera (you)' && r.description.startsWith(`${me.role} · until `)), 10_000, 'my row, marked (you)');
    // Page a colleague on call for API Gateway (my team's, so in sight) from their row, about an
    // incident of this step's.
    const gateway = oncall.services.find((s) => s.service_name === 'API Gateway')!;
    const person = gateway.on_call_engineers.find((e) => e.email !== DEMO_USER_EMAIL)!;
    const number = await ownIncident('page from the on-call view', { severity: 'SEV2', service: 'API Gateway' });
    await page.locator('.part.editor').click();
    await serviceRow('API Gateway').click();
    const personRow = pane.locator('.monaco-list-row[role="treeitem"]', { has: page.locator('.label-name', { hasText: person.name }) }).first();
    await personRow.waitFor();
    assert.match((await personRow.locator('.label-description').textContent()) ?? '', new RegExp(`^${person.role} · until ([A-Z][a-z]{2} )?${localHm(person.shift_ends_at)} \\(in \\d+[mhd]\\)$`));
    await screenshot(page, 'oncall-you-and-until');
    await personRow.hover();
    await personRow.locator('a.action-label[aria-label*="Page Someone"]').click();
    const deadline = Date.now() + 30_000;
    for (;;) {
      await waitTitle(`Page ${person.name} about`);
      await page.locator('.quick-input-widget input').fill(number);
      try {
        await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${number}"]:not([aria-label*="No incident here"])`).waitFor({ timeout: 3000 });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await page.keyboard.press('Escape');
        await runCommand(page, 'Runframe: Refresh');
        await page.locator('.part.editor').click();
        await personRow.hover();
        await personRow.locator('a.action-label[aria-label*="Page Someone"]').click();
      }
    }
    await page.keyboard.press('Enter');
    await waitTitle(`Page ${person.name} via`);
    await page.keyboard.press('Enter');
    await waitTitle(`Message to ${person.name}`);
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(`${person.email}`));
    await dialog.locator('a.monaco-button', { hasText: /^Page$/ }).click();
    await waitUntil(async () => state(number).timeline?.some((e) => e.type === 'paged' && e.comment?.startsWith(`Paged ${person.name} via`)), 20_000, 'the page in the emulator');
    // Copy Email on the same row.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    await personRow.hover();
    await personRow.locator('a.action-label[aria-label*="Copy Email"]').click();
    await page.locator('.part.statusbar', { hasText: `Copied ${person.email}` }).first().waitFor({ timeout: 10_000 });
    // The browser's clipboard may refuse a headless page; when it answers, it holds the email.
    const copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    if (copied) assert.equal(copied, person.email);
    await clearNotifications(page);
  });

  it('17.11 Page Someone suggests who is on call for the incident\'s services first, never me first', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const oncall = await api<OnCallNow>('GET', '/on-call/current', KEY);
    const services = ['Observability Stack', 'Checkout API'].map((n) => emu.store.state.services.find((s) => s.name === n)!);
    const created = await api<{ incident_number: string }>('POST', '/incidents', COLLEAGUE_KEY, { title: `e2e ${++made}: tracing and checkout`, severity: 'SEV2', service_ids: services.map((s) => s.service_key) });
    const number = created.incident_number;
    const onCallEmails = oncall.services.filter((s) => services.some((x) => x.service_key === s.service_key)).flatMap((s) => s.on_call_engineers.map((e) => e.email));
    assert.ok(onCallEmails.includes(DEMO_USER_EMAIL), 'I am on call for one of its services');
    const primary = oncall.services.find((s) => s.service_name === 'Checkout API')!.on_call_engineers.find((e) => e.role === 'primary')!;
    await commandOnIncident('Runframe: Page Someone…', 'Runframe: Page Someone', number);
    await waitTitle(`Page someone about ${number}`);
    let labels: string[] = [];
    await waitUntil(async () => {
      labels = (await quickPickRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).filter((l) => l.includes('@'));
      return labels.length > 3;
    }, 20_000, 'the people');
    await screenshot(page, 'page-someone-suggestions');
    assert.ok(labels[0].includes(primary.email), `first: ${labels[0]}; expected the Checkout API primary ${primary.email}`);
    assert.ok(!labels[0].includes(DEMO_USER_EMAIL), 'never me first');
    const firstOthers = labels.findIndex((l) => !onCallEmails.some((e) => e !== DEMO_USER_EMAIL && l.includes(e)));
    assert.ok(labels.slice(0, firstOthers).every((l) => onCallEmails.some((e) => l.includes(e))), `on-call people first: ${labels.slice(0, 4).join(' | ')}`);
    await page.keyboard.press('Escape');
  });

  // ---- #21: Copilot customizations ----
  it('21.2 chat: the Incident Commander agent, the Runframe prompt files and skills are listed in chat\'s pickers', async () => {
    const listed = async (command: string, expected: string[]) => {
      await runCommand(page, command);
      // VS Code 1.139 opens its Agent Customizations editor at the section: extensions' files are
      // listed under "Extensions" by the name or file name VS Code read from them.
      for (const name of expected) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
      await screenshot(page, `21-2-${command.replace(/\W+/g, '-')}`);
      await page.keyboard.press('Escape');
    };
    await listed('Chat: Configure Custom Agents', ['Incident Commander']);
    await listed('Chat: Configure Prompt Files', ['runframe-triage', 'runframe-handoff', 'runframe-postmortem']);
    await listed('Chat: Configure Skills', ['triage-incident', 'write-status-update', 'prepare-handoff']);
    // The customizations editor is modal: close it so later steps see the workbench.
    for (let i = 0; i < 3 && (await page.getByText('Agent Customizations').first().isVisible()); i++) await page.keyboard.press('Escape');
    await page.getByText('Agent Customizations').first().waitFor({ state: 'hidden' });
  });

  // ---- #17: inputs and errors ----
  /** The quick input's text box, its Back button, its message line and a modal dialog's button. */
  const inputBox = () => page.locator('.quick-input-widget input').first();
  const backButton = () => page.locator('.quick-input-widget .action-label[aria-label^="Back"]').first();
  const inputMessage = () => page.locator('.quick-input-widget .quick-input-message').first();
  const dialogButton = (label: string) => page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first();
  /** The visible quick pick rows' labels (icons dropped). */
  const rowLabels = () => quickPickRows(page).evaluateAll((rows) => rows.map((r) => (r.querySelector('.label-name')?.textContent ?? '').trim()));

  it('17.4 Create Incident: step counter, Back keeps the title, Enter with no service ticked stays, a review lists every field, nothing is sent before Create, Escape asks before discarding', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const title = `e2e 17.4: queue backlog ${Date.now()}`;
    const service = emu.store.state.services.find((s) => s.name === 'Checkout API')!;
    const before = emu.store.state.incidents.length;
    const posted = () => emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/incidents').length;
    const postsBefore = posted();
    await runCommand(page, 'Runframe: Create Incident…');
    await waitTitle('(1/5)');
    assert.equal(await backButton().count(), 0, 'no Back on the first step');
    await inputBox().fill(title);
    await page.keyboard.press('Enter');
    await waitTitle('(2/5)');
    // Back: the title is still there.
    await backButton().click();
    await waitTitle('(1/5)');
    assert.equal(await inputBox().inputValue(), title, 'Back keeps the title');
    await page.keyboard.press('Enter');
    await waitTitle('(2/5)');
    await acceptRow('SEV1');
    await waitTitle('(3/5)');
    await quickPickRows(page).first().waitFor();
    // Enter with nothing ticked: the step stays, and says what to do.
    await page.keyboard.press('Enter');
    await waitUntil(async () => /Tick at least one service/.test((await inputBox().getAttribute('placeholder')) ?? ''), 10_000, 'the services step to say what to do');
    await waitTitle('(3/5)');
    // Typing a name and Enter ticks the highlighted service; Enter on the empty filter goes on.
    await inputBox().fill(service.name);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${service.name}"]`).first().waitFor();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await inputBox().inputValue()) === '', 10_000, 'the filter to clear after ticking');
    await screenshot(page, 'create-incident-services-ticked');
    await page.keyboard.press('Enter');
    await waitTitle('(4/5)');
    await inputBox().fill('Orders pile up in the queue');
    await page.keyboard.press('Enter');
    await waitTitle('(5/5)');
    const review = await waitUntil(async () => {
      const rows = await rowLabels();
      return rows.length >= 5 ? rows : undefined;
    }, 10_000, 'the review rows');
    assert.deepEqual(review.slice(1), [`Title: ${title}`, 'Severity: SEV1', `Services: ${service.name}`, 'Description: Orders pile up in the queue'], review.join(' | '));
    assert.match(review[0], /Create$/);
    await screenshot(page, 'create-incident-review');
    assert.equal(posted(), postsBefore, 'nothing sent before Create');
    // Escape on the review: asked first; Keep Editing comes back to the review.
    await page.keyboard.press('Escape');
    await page.locator('.monaco-dialog-box', { hasText: 'Discard the new incident?' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'create-incident-discard-question');
    await dialogButton('Keep Editing').click();
    await waitTitle('(5/5)');
    // Edit a field from the review: its step with its value, then back to the review.
    await acceptRow(`Title: ${title}`);
    await waitTitle('(1/5)');
    assert.equal(await inputBox().inputValue(), title);
    await inputBox().fill(`${title} (edited)`);
    await page.keyboard.press('Enter');
    await waitTitle('(5/5)');
    await waitUntil(async () => (await rowLabels()).includes(`Title: ${title} (edited)`), 10_000, 'the edited title in the review');
    assert.equal(posted(), postsBefore, 'still nothing sent');
    assert.equal(emu.store.state.incidents.length, before, 'no incident yet');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Create' }).waitFor();
    await page.keyboard.press('Enter');
    const created = await waitUntil(async () => emu.store.state.incidents.find((i) => i.title === `${title} (edited)`), 30_000, 'the incident in the emulator');
    assert.equal(emu.store.state.incidents.length, before + 1, 'exactly one incident');
    assert.equal(created.severity, 'SEV1');
    assert.equal(created.description, 'Orders pile up in the queue');
    assert.deepEqual(created.services.map((s) => s.service_key), [service.service_key]);
    await notificationMessage(page, `Created ${created.incident_number}`);
    await clearNotifications(page);

    // Escape with a title typed, then Discard: closed, nothing sent.
    const mark = posted();
    await runCommand(page, 'Runframe: Create Incident…');
    await waitTitle('(1/5)');
    await inputBox().fill('e2e 17.4: to be discarded');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-dialog-box', { hasText: 'Discard the new incident?' }).waitFor({ timeout: 10_000 });
    await dialogButton('Discard').click();
    await waitUntil(async () => !(await page.locator('.quick-input-widget').isVisible()), 10_000, 'the input to close');
    assert.equal(posted(), mark, 'a discarded incident is never sent');

    // Runframe refuses it: the failure offers Edit, which comes back to the review as typed.
    emu.faults.add({ type: 'status', status: 422, path: '/incidents', method: 'POST', times: 1 });
    await runCommand(page, 'Runframe: Create Incident…');
    await waitTitle('(1/5)');
    await inputBox().fill('e2e 17.4: refused once');
    await page.keyboard.press('Enter');
    await waitTitle('(2/5)');
    await acceptRow('SEV3');
    await waitTitle('(3/5)');
    await inputBox().fill(service.name);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${service.name}"]`).first().waitFor();
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await inputBox().inputValue()) === '', 10_000, 'the filter to clear after ticking');
    await page.keyboard.press('Enter');
    await waitTitle('(4/5)');
    await page.keyboard.press('Enter');
    await waitTitle('(5/5)');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Create' }).waitFor();
    await page.keyboard.press('Enter');
    const refused = await notification(page, 'Could not create the incident', 30_000);
    emu.faults.clear();
    await refused.toast.locator('a.monaco-button', { hasText: 'Edit' }).click();
    await waitTitle('(5/5)');
    await waitUntil(async () => (await rowLabels()).includes('Title: e2e 17.4: refused once'), 10_000, 'the review again, as typed');
    await screenshot(page, 'create-incident-edit-after-failure');
    await page.keyboard.press('Escape');
    await dialogButton('Discard').click();
    await clearNotifications(page);
  });

  it('17.5 a rejected key keeps the box open with the key as typed, says why, and offers Retry and Show Log; Add Environment keeps name and URL', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    const wrong = 'rf_this_key_is_wrong_42';
    const rejected = () => emu.requests.filter((r) => r.path === '/api/v1/auth/verify' && r.status === 401).length;
    const first = rejected();
    await runCommand(page, 'Runframe: Set API Key');
    await waitTitle('Runframe: Set API Key');
    await inputBox().fill(wrong);
    await page.keyboard.press('Enter');
    const { toast, message } = await notification(page, 'API key not saved', 30_000);
    assert.equal(message, 'API key not saved. Runframe rejected the key (HTTP 401): mistyped, revoked or expired.');
    await toast.locator('a.monaco-button', { hasText: 'Retry' }).waitFor();
    await toast.locator('a.monaco-button', { hasText: 'Show Log' }).waitFor();
    // The box is still open, with what was typed and why it was not saved.
    await waitTitle('Runframe: Set API Key');
    assert.equal(await inputBox().inputValue(), wrong, 'the key as typed');
    assert.match((await inputMessage().textContent()) ?? '', /Not saved\. Runframe rejected the key/);
    assert.equal(rejected(), first + 1);
    await screenshot(page, 'rejected-key-kept');
    // Retry verifies the same key again.
    await toast.locator('a.monaco-button', { hasText: 'Retry' }).click();
    await waitUntil(async () => rejected() === first + 2, 20_000, 'a second check of the key');
    await page.keyboard.press('Escape');
    await clearNotifications(page);

    // Add Environment: a rejected key keeps the key, and Back finds the name and URL as typed.
    await runCommand(page, 'Runframe: Add Environment…');
    await waitTitle('(1/3)');
    await inputBox().fill('eu');
    await page.keyboard.press('Enter');
    await waitTitle('(2/3)');
    await inputBox().fill(emu.url);
    await page.keyboard.press('Enter');
    await waitTitle('(3/3)');
    await inputBox().fill(wrong);
    await page.keyboard.press('Enter');
    await inputMessage().filter({ hasText: 'Not saved' }).waitFor({ timeout: 30_000 });
    await notification(page, 'API key not saved');
    await waitTitle('(3/3)');
    assert.equal(await inputBox().inputValue(), wrong);
    await backButton().click();
    await waitTitle('(2/3)');
    assert.equal(await inputBox().inputValue(), emu.url, 'the URL as typed');
    await backButton().click();
    await waitTitle('(1/3)');
    assert.equal(await inputBox().inputValue(), 'eu', 'the name as typed');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-dialog-box', { hasText: 'Discard the new environment?' }).waitFor({ timeout: 10_000 });
    await dialogButton('Discard').click();
    await clearNotifications(page);
  });

  it('17.12 the Runframe log shows each API call (method, path, status, ms, request id) and why a key check failed', async () => {
    await page.locator('.part.editor').click();
    await clearNotifications(page);
    await runCommand(page, 'Runframe: Refresh');
    await runCommand(page, 'Runframe: Set API Key');
    await waitTitle('Runframe: Set API Key');
    await inputBox().fill('rf_this_key_is_wrong_42');
    await page.keyboard.press('Enter');
    // The box's message, or any "not saved" toast: this step is about the log, not the box.
    await inputMessage().filter({ hasText: 'Not saved' }).or(page.locator('.notifications-toasts .notification-list-item-message', { hasText: /not saved/i })).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await runCommand(page, 'Runframe: Show Log');
    const output = page.locator('.part.panel .view-lines');
    const text = async () => ((await output.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await waitUntil(async () => /GET \/auth\/verify 401 \S+ \d+ ms request id \S+/.test(await text()), 20_000, 'the failed key check request in the log');
    await waitUntil(async () => /the key was not saved: .*HTTP 401/.test(await text()), 20_000, "the failed key check's reason in the log");
    await runCommand(page, 'Runframe: Refresh');
    await runCommand(page, 'Runframe: Show Log');
    await waitUntil(async () => /\[info\] GET \/(incidents|on-call\/current|users)\S* 200 \d+ ms request id \S+/.test(await text()), 20_000, 'an API call line at info');
    await screenshot(page, 'runframe-log');
    assert.ok(!(await text()).includes(KEY), 'no key in the log');
    await page.locator('.part.editor').click();
  });

  it('17.14 "opened just now" (not "just now ago"); no duplicated Enter/Escape hints; the error status-bar item says what is wrong in words', async () => {
    await clearNotifications(page);
    const number = await ownIncident('just opened');
    // The incident page (#17.2) shows the age in its header.
    await openPage(number);
    const age = (await incidentPage().locator('.badge.age').textContent()) ?? '';
    assert.match(age, /^opened (just now|\d+m ago)$/);
    assert.doesNotMatch(age, /just now ago/);
    await screenshot(page, 'opened-just-now');
    await closeEditors();
    // Change Status's comment box: VS Code's own hint only.
    await commandOnIncident('Runframe: Change Status…', 'Runframe: Change Status', number);
    await waitTitle(`Change status of ${number}`);
    await acceptRow('investigating');
    await waitTitle('→ investigating');
    const hint = (await inputMessage().textContent()) ?? '';
    assert.doesNotMatch(hint, /Enter to skip|Escape to cancel/, hint);
    await page.keyboard.press('Escape');
    // A refresh that fails with a rejected key: the status bar says so in words.
    emu.faults.add({ type: 'status', status: 401, path: '/incidents', times: 1000 });
    try {
      await runCommand(page, 'Runframe: Set API Key');
      await waitTitle('Runframe: Set API Key');
      await inputBox().fill(SECOND_KEY); // a new key: the connection is rebuilt and the lists reloaded
      await page.keyboard.press('Enter');
      await notificationMessage(page, 'API key saved');
      const item = page.locator('.part.statusbar .statusbar-item', { hasText: 'Runframe: key rejected' }).first();
      await item.waitFor({ timeout: 30_000 });
      await screenshot(page, 'status-bar-key-rejected');
    } finally {
      emu.faults.clear();
      await clearNotifications(page);
      await runCommand(page, 'Runframe: Set API Key');
      await waitTitle('Runframe: Set API Key');
      await inputBox().fill(KEY);
      await page.keyboard.press('Enter');
      await notificationMessage(page, 'API key saved');
      await clearNotifications(page);
    }
    await waitUntil(async () => ((await incidentsStatus().textContent()) ?? '').includes('SEV0/1'), 30_000, 'the status bar to recover');
  });

  it('21.4 workspace services: Set Workspace Services writes .runframe.json; "This workspace" leads the Incidents view, the status bar names its SEV1, Create Incident preselects its service', async () => {
    // A service no other open SEV0/SEV1 is on, so the status bar names exactly this step's incident.
    const busy = new Set(openIncidents().filter((i) => ['SEV0', 'SEV1'].includes(i.severity ?? '')).flatMap((i) => i.services.map((x) => x.service_key)));
    const service = emu.store.state.services.find((x) => !busy.has(x.service_key) && x.name !== 'Search Indexer')!;
    const number = await ownIncident('workspace service down', { severity: 'SEV1', service: service.name });
    const file = join(server.workspace, '.runframe.json');
    try {
      await runCommand(page, 'Runframe: Set Workspace Services');
      await waitTitle('Runframe: Set Workspace Services');
      await page.locator('.quick-input-widget input').fill(service.name);
      const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${service.name}"]`).first();
      await row.waitFor();
      await row.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox, .monaco-custom-toggle').first().click();
      await page.locator('.quick-input-widget input').fill('');
      await page.keyboard.press('Enter');
      await waitUntil(async () => existsSync(file) && readFileSync(file, 'utf8').includes(service.service_key), 20_000, '.runframe.json with the picked service');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { services: [service.service_key] });
      await clearNotifications(page);

      // The section comes first, with the incident under it (a refresh picks up the colleague's incident).
      await runCommand(page, 'Runframe: Refresh');
      const rows = await waitUntil(async () => {
        const r = await treeRows(page, 'Incidents');
        return r[0]?.label === 'This workspace' && rowOf(r.slice(1), number) ? r : undefined;
      }, 30_000, '"This workspace" first, with the incident');
      assert.match(rowOf(rows.slice(1), number)!.label, /^SEV1 unacked · /);
      await waitUntil(async () => ((await incidentsStatus().textContent()) ?? '').includes(`${number} SEV1 on this workspace`), 20_000, 'the status bar naming the incident');
      await screenshot(page, '21-4-this-workspace');

      // Create Incident ticks the workspace's service: Enter on the services step goes on, and the review lists it.
      await runCommand(page, 'Runframe: Create Incident…');
      await waitTitle('(1/5)');
      await page.locator('.quick-input-widget input').fill(`e2e 21.4 ${Date.now()}`);
      await page.keyboard.press('Enter');
      await waitTitle('(2/5)');
      await acceptRow('SEV3');
      await waitTitle('(3/5)');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'this workspace' }).first().waitFor();
      await page.keyboard.press('Enter');
      await waitTitle('(4/5)');
      await page.keyboard.press('Enter');
      await waitTitle('(5/5)');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: `Services: ${service.name}` }).first().waitFor();
      await screenshot(page, '21-4-create-preselected');
      await page.keyboard.press('Escape');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Discard' }).first().click();
    } finally {
      if (existsSync(file)) unlinkSync(file);
      await api('POST', `/incidents/${number}/status`, COLLEAGUE_KEY, { status: 'resolved' }).catch(() => undefined);
    }
    // Without the file the section goes away.
    await waitUntil(async () => (await treeRows(page, 'Incidents'))[0]?.label !== 'This workspace', 20_000, 'the section gone with the file');
  });

  // ---- #17: incident page ----
  it('17.1 the incident page\'s Change Status and Add Note act on its own incident (not the top of the list) without asking; the page updates in place', async () => {
    const number = await ownIncident('incident page actions', { severity: 'SEV3', status: 'investigating' });
    assert.notEqual(openIncidents()[0].incident_number, number, 'the page is not for the top incident');
    await openPage(number);
    await incidentPage().locator('#status', { hasText: 'investigating' }).waitFor();
    // A mark in the page's window: it survives only if the page is updated in place, not reloaded.
    await incidentPage().locator('body').evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'kept'));
    const before = fingerprint();
    await incidentPage().getByRole('button', { name: 'Change Status' }).click();
    // The first question is the new status of this incident: no incident picker came first.
    await waitTitle(`Change status of ${number} (now investigating)`);
    assert.equal(await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Runframe: Change Status' }).count(), 0, 'no incident picker');
    await acceptRow('fixing');
    await waitTitle('investigating → fixing');
    await page.locator('.quick-input-widget input').fill('e2e: from the incident page');
    await page.keyboard.press('Enter');
    await waitUntil(async () => state(number).status === 'fixing', 20_000, `${number} to be fixing in the emulator`);
    assert.deepEqual(changedSince(before), [number], 'exactly this incident changed');
    await incidentPage().locator('#status', { hasText: 'fixing' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'incident-page-status-changed');
    const note = `e2e note from the page of ${number}`;
    const beforeNote = fingerprint();
    await incidentPage().getByRole('button', { name: 'Add Note' }).click();
    await waitTitle(`Add a timeline note to ${number}`);
    await page.locator('.quick-input-widget input').fill(note);
    await page.keyboard.press('Enter');
    await waitUntil(async () => state(number).timeline!.some((e) => e.type === 'note' && e.comment === note), 20_000, `the note on ${number} in the emulator`);
    assert.deepEqual(changedSince(beforeNote), [number], 'exactly this incident got the note');
    await incidentPage().locator('.timeline .event').first().filter({ hasText: note }).waitFor({ timeout: 20_000 });
    assert.equal(await incidentPage().locator('body').evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark), 'kept', 'updated in place, not reloaded');
    await closeEditors();
  });

  it('17.2 the incident page reads in light, dark and high-contrast themes, with the bundled codicons', async () => {
    const number = await ownIncident('incident page themes', { severity: 'SEV1' });
    await api('POST', `/incidents/${number}/events`, COLLEAGUE_KEY, { comment: 'Error rate back under 1% after the rollback; watching.' });
    await openPage(number);
    // The whole page in the screenshots: no panel (earlier steps open the output) below it.
    // (the command is offered only while the panel shows).
    if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
    assert.ok(await incidentPage().locator('body').evaluate(async () => (await document.fonts.load('16px codicon')).length > 0), 'the codicon font loads under the CSP');
    const shots: string[] = [];
    // Preferences: Color Theme, as a person would (the palette ranks "Browse Color Themes in
    // Marketplace" first for this text, so the row is clicked).
    const setTheme = async (theme: string) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
      await page.locator('.quick-input-widget input').fill(theme);
      await page.locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${theme}"]`).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    };
    for (const [theme, name] of [['Light Modern', 'light'], ['Dark Modern', 'dark'], ['Dark High Contrast', 'hc']] as const) {
      await setTheme(theme);
      const themeClass = name === 'light' ? 'vs' : name === 'dark' ? 'vs-dark' : 'hc-black';
      await waitUntil(() => page.locator('.monaco-workbench').evaluate((w, c) => w.classList.contains(c), themeClass), 20_000, `the ${theme} theme`);
      // The page follows the theme through its CSS variables, without reloading.
      await waitUntil(async () => (await incidentPage().locator('body').evaluate((b, c) => b.classList.contains(c), `vscode-${name === 'light' ? 'light' : name === 'dark' ? 'dark' : 'high-contrast'}`)), 10_000, 'the page in the theme');
      await new Promise((r) => setTimeout(r, 500));
      shots.push(await screenshot(page, `incident-page-${name}`));
    }
    await setTheme('Light Modern');
    await waitUntil(() => page.locator('.monaco-workbench').evaluate((w) => w.classList.contains('vs')), 20_000, 'the Light Modern theme back');
    await closeEditors();
    assert.equal(shots.length, 3);
  });

  it('17.14 Stop Sandbox or Remove API Key: the open incident page says it can no longer be loaded and its buttons go off', async () => {
    await closeEditors();
    await runCommand(page, 'Runframe: Try the Sandbox');
    await notificationMessage(page, /sandbox running/i, 30_000);
    const dataFile = join(server.userDataDir, 'User', 'globalStorage', 'runframe-cockpit.runframe-incident-cockpit', 'sandbox-data.json');
    const sandboxState = await waitUntil(async () => (existsSync(dataFile) ? (JSON.parse(readFileSync(dataFile, 'utf8')) as EmulatorState) : undefined), 20_000, 'the sandbox data file');
    const number = openIncidents(sandboxState)[1].incident_number;
    await waitUntil(async () => (await treeRows(page, 'Incidents')).some((r) => r.label.includes(openIncidents(sandboxState)[0].title)) && ((await page.locator('.part.sidebar .pane-header', { hasText: 'Incidents' }).first().textContent()) ?? '').includes('Sandbox'), 30_000, 'the sandbox incidents');
    await openPage(number);
    assert.ok((await pageButtons()).includes('changeStatus:on'));
    await runCommand(page, 'Runframe: Stop Sandbox');
    await notificationMessage(page, /back on your Runframe account/);
    const banner = incidentPage().locator('.banner[role="alert"]');
    await banner.waitFor({ timeout: 20_000 });
    assert.match((await banner.textContent()) ?? '', new RegExp(`${number} can no longer be loaded: it is from the sandbox, which was stopped`));
    assert.deepEqual((await pageButtons()).filter((b) => b.endsWith(':on')), ['copyMarkdown:on'], 'every action is off');
    await screenshot(page, 'incident-page-sandbox-stopped');
    // On the account: an incident of this step's own, then its key removed.
    const own = await ownIncident('incident page key removed');
    await openPage(own);
    await runCommand(page, 'Runframe: Remove API Key');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).click();
    await notificationMessage(page, 'Runframe API key removed');
    await waitUntil(async () => ((await incidentPage().locator('.banner').textContent().catch(() => '')) ?? '').includes(`${own} can no longer be loaded: no API key is set`), 20_000, 'the page to say the key is gone');
    assert.deepEqual((await pageButtons()).filter((b) => b.endsWith(':on')), ['copyMarkdown:on'], 'every action is off');
    await screenshot(page, 'incident-page-key-removed');
    // The key back (as scenario 2 set it): the page loads again and its buttons come back.
    await runCommand(page, 'Runframe: Set API Key');
    await waitTitle('Runframe: Set API Key');
    await page.locator('.quick-input-widget input').fill(KEY);
    await page.keyboard.press('Enter');
    await notificationMessage(page, /API key saved/);
    await waitUntil(async () => (await pageButtons()).includes('changeStatus:on'), 30_000, 'the page to load again');
    assert.equal(await incidentPage().locator('.banner').count(), 0);
    await closeEditors();
  });

  it('17.13 Draft Postmortem: the tab reads "Postmortem INC-… (draft)" and the timeline shows readable times', async () => {
    const number = await ownIncident('postmortem title', { status: 'resolved' });
    await closeEditors();
    await commandOnIncident('Runframe: Draft Postmortem…', 'Runframe: Draft Postmortem', number);
    const tab = page.locator('.part.editor .tabs-container .tab', { hasText: `Postmortem ${number} (draft)` });
    await tab.waitFor({ timeout: 20_000 });
    const editor = page.locator('.part.editor .view-lines');
    const created = state(number).timeline!.find((e) => e.type === 'created')!.created_at!;
    const text = async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await page.keyboard.press('Control+End');
    await waitUntil(async () => (await text()).includes(`- ${formatUtc(created)} — `), 20_000, 'the readable time of the first event');
    assert.ok(!(await text()).includes(`- ${created}`), 'no raw ISO time');
    await screenshot(page, 'postmortem-draft-title');
    // The draft is an unsaved document: close it without the save prompt, and wait until VS Code
    // has deleted its backup (step 8 reads every file of the profile).
    await runCommand(page, 'View: Revert and Close Editor');
    await closeEditors();
    const backups = join(server.userDataDir, 'User', 'Backups');
    const untitledBackups = () => (existsSync(backups) ? readdirSync(backups, { recursive: true, encoding: 'utf8' }).filter((f) => /[\\/]untitled[\\/]./.test(f)) : []);
    await waitUntil(async () => untitledBackups().length === 0, 20_000, 'the draft\'s backup to go');
  });

  it('21.1 Page Someone called through VS Code\'s tool registry asks with a form naming who is notified, on-call people first; cancelling sends nothing, accepting pages exactly that person', async () => {
    const number = await ownIncident('elicitation form', { severity: 'SEV2' });
    const person = emu.store.state.users.find((u) => u.name === 'Jonas Becker')!;
    const pages = () => (state(number).timeline ?? []).filter((e) => (e.comment ?? '').includes('e2e 21.1 please look')).length;
    /** Calls runframe_page_someone as an agent would (the test-only invoker extension), confirms VS Code's own dialog and opens the server's form. */
    const invokeAndOpenForm = async () => {
      await clearNotifications(page);
      await runCommand(page, 'E2E: Invoke Tool');
      await page.locator('.quick-input-widget input').fill('runframe_page_someone');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget input').fill(JSON.stringify({ incident_id: number, email: person.email, channels: ['email'], message: 'e2e 21.1 please look' }));
      await page.keyboard.press('Enter');
      // VS Code's own confirmation for a tool marked destructive comes first.
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Yes' }).first().click();
      // Then the server's form (MCP elicitation), announced by VS Code outside a chat as a notification.
      const { toast, message } = await notification(page, `Page ${person.name} <${person.email}> about ${number}`);
      assert.match(message, /via email\?/);
      assert.match(message, /This sends a real notification/);
      await screenshot(page, '21-1-elicitation-message');
      await toast.locator('.monaco-button', { hasText: 'Respond' }).first().click();
      await waitTitle('Person to page (1/3)');
    };

    await invokeAndOpenForm();
    const rows = await quickPickRows(page).allTextContents();
    assert.ok(rows.length >= 2, rows.join(' | '));
    assert.match(rows[0], /on call/, 'the people on call for the incident\'s services come first');
    await screenshot(page, '21-1-elicitation-form');
    await page.keyboard.press('Escape');
    await notificationMessage(page, /^E2E result: /);
    assert.equal(pages(), 0, 'cancelling the form sends nothing');

    await invokeAndOpenForm();
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${person.email}"]`).first().click();
    await waitTitle('(2/3)');
    await screenshot(page, '21-1-elicitation-channels');
    // VS Code's form ticks nothing by itself: tick email (clicking the row ticks its box).
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /email/i }).first().locator('.label-name').first().click();
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await waitTitle('(3/3)');
    await page.locator('.quick-input-widget input').fill('e2e 21.1 please look');
    await page.keyboard.press('Enter');
    await waitUntil(async () => pages() === 1, 20_000, 'the page on the incident\'s timeline');
    const result = await notificationMessage(page, /^E2E result: /);
    assert.ok(result.includes(person.email) && /paged/.test(result), result);
    // Exactly that person, on the channel ticked in the form.
    const sent = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/incidents/${number}/page`));
    assert.equal(sent.length, 1, 'one page request, after the form');
    await clearNotifications(page);
  });

  it('8. no API key (good, colleague or rejected) is written anywhere in the profile: settings, state, MCP cache, logs, storage', async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && statSync(full).size < 64 * 1024 * 1024) files.push(full);
      }
    };
    walk(join(server.userDataDir, '..'));
    assert.ok(files.some((f) => f.includes(`${join('User', 'globalStorage')}`)), 'the profile has state to scan');
    assert.ok(files.some((f) => /[\\/]logs[\\/]/.test(f)), 'the profile has logs to scan');
    // The Runframe output channel's file, with its API call lines: a key written there fails below.
    const runframeLog = files.find((f) => /Runframe\.log$/.test(f) && /GET \/auth\/verify 401/.test(readFileSync(f, 'utf8')));
    assert.ok(runframeLog, `the Runframe log is among the scanned files: ${files.filter((f) => /\.log$/.test(f)).join(', ')}`);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const key of [KEY, COLLEAGUE_KEY, SECOND_KEY, STAGING_KEY, 'rf_this_key_is_wrong_42']) {
        assert.ok(!bytes.includes(Buffer.from(key)) && !bytes.includes(Buffer.from(key, 'utf16le')), `${key.slice(0, 8)}… found in ${file}`);
      }
    }
  });
});
