import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Browser, Frame, Page } from 'playwright-core';
import { sortIncidents } from '../../src/domain/order';
import type { TestEmulator } from '../../src/emulator/testHarness';
import { INCIDENT_CARD_URI } from '../../src/mcp/apps/incidentCard';
import { connectMcp, startTestEmulator, type McpSession } from '../helpers';
import { launchBrowser, SCREENSHOTS, waitUntil } from './workbench';

const HOST_PAGE = readFileSync(join(__dirname, 'fixtures', 'card-host.html'), 'utf8');

/** Theme variables as a host sends them (MCP Apps, Theming), VS Code-like. */
const THEMES = {
  light: {
    '--color-background-primary': '#ffffff', '--color-background-secondary': '#f3f3f3', '--color-text-primary': '#1f1f1f', '--color-text-secondary': '#616161',
    '--color-border-primary': '#e0e0e0', '--color-background-inverse': '#005fb8', '--color-text-inverse': '#ffffff', '--color-ring-primary': '#005fb8', '--font-sans': 'system-ui, sans-serif',
  },
  dark: {
    '--color-background-primary': '#1f1f1f', '--color-background-secondary': '#2b2b2b', '--color-text-primary': '#cccccc', '--color-text-secondary': '#9d9d9d',
    '--color-border-primary': '#3c3c3c', '--color-background-inverse': '#0078d4', '--color-text-inverse': '#ffffff', '--color-ring-primary': '#0078d4', '--font-sans': 'system-ui, sans-serif',
  },
} as const;

/**
 * The incident card (issue 21.3) in Debian's Chromium: a minimal MCP Apps host page
 * (fixtures/card-host.html) loads the HTML the server serves into a sandboxed iframe, answers
 * ui/initialize with a theme, sends the tool result, and proxies the card's tools/call to the real
 * MCP server over stdio against the emulator.
 */
describe('Incident card (MCP App) in Chromium against a minimal host', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let mcp: McpSession;
  let browser: Browser;
  let html: string;
  const requests: string[] = [];
  const problems: string[] = [];

  before(async () => {
    emu = await startTestEmulator();
    mcp = await connectMcp(emu, { RUNFRAME_TOOLSETS: 'all' });
    const read = await mcp.client.readResource({ uri: INCIDENT_CARD_URI });
    html = (read.contents[0] as { text: string }).text;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await mcp?.close();
    await emu?.close();
  });

  /** Opens the host page with the card showing `tool`'s result for `args`; resolves with the card's frame. */
  async function openCard(theme: keyof typeof THEMES, tool: string, args: Record<string, unknown>, variables: Record<string, string> = THEMES[theme]): Promise<{ page: Page; frame: Frame; toolResult: CallToolResult }> {
    const page = await browser.newPage({ viewport: { width: 680, height: 900 }, deviceScaleFactor: 2 });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.exposeFunction('callServerTool', (params: { name: string; arguments?: Record<string, unknown> }) => mcp.client.callTool(params));
    await page.setContent(HOST_PAGE);
    const toolResult = (await mcp.client.callTool({ name: tool, arguments: args })) as CallToolResult;
    await page.evaluate((init) => (window as unknown as { startHost(i: unknown): void }).startHost(init), { html, theme, variables, toolInput: args, toolResult });
    const frame = await waitUntil(async () => page.frames().find((f) => f !== page.mainFrame()), 10_000, 'the card frame');
    return { page, frame, toolResult };
  }

  /** Waits until the iframe has taken the card's height (size-changed) so a screenshot shows all of it. */
  async function settled(page: Page, frame: Frame): Promise<void> {
    await waitUntil(async () => {
      const inner = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
      const outer = await page.evaluate(() => document.getElementById('view')!.getBoundingClientRect().height);
      // The host sets the iframe to the reported height plus its 1px borders.
      return (outer >= inner && outer - inner <= 6) || undefined;
    }, 10_000, 'the card to take its height');
  }

  const store = (n: string) => emu.store.state.incidents.find((i) => i.incident_number === n)!;
  const OPEN = ['new', 'investigating', 'fixing', 'monitoring'];
  const unacknowledged = () => emu.store.state.incidents.filter((i) => !i.acknowledged_at && OPEN.includes(i.status ?? ''));

  it('21.3 renders the incident in the host\'s light theme; Acknowledge acknowledges exactly that incident and the card re-renders from the result; then Add Note and Change Status', async () => {
    const target = sortIncidents(unacknowledged())[0];
    const n = target.incident_number;
    const ackedBefore = new Map(emu.store.state.incidents.map((i) => [i.incident_number, i.acknowledged_at ?? null]));
    const { page, frame } = await openCard('light', 'runframe_get_incident', { id: n });
    await frame.getByRole('heading', { name: target.title }).waitFor();
    assert.equal(await frame.getByText('Not acknowledged').count(), 1);
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)', 'the host\'s --color-background-primary');
    await settled(page, frame);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('#host').screenshot({ path: join(SCREENSHOTS, 'incident-card-light.png') });

    const posts = () => emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/acknowledge')).map((r) => r.path);
    const postsBefore = posts().length;
    await frame.getByRole('button', { name: 'Acknowledge' }).click();
    await frame.getByRole('status').filter({ hasText: `${n} acknowledged` }).waitFor();
    assert.deepEqual(posts().slice(postsBefore), [`/api/v1/incidents/${n}/acknowledge`], 'one acknowledge, of this incident');
    assert.ok(store(n).acknowledged_at, 'acknowledged in the emulator');
    for (const i of emu.store.state.incidents) if (i.incident_number !== n) assert.equal(i.acknowledged_at ?? null, ackedBefore.get(i.incident_number), `${i.incident_number} untouched`);
    assert.equal(await frame.getByRole('button', { name: 'Acknowledge' }).count(), 0, 're-rendered: nothing left to acknowledge');
    assert.match(await frame.locator('.badge.acked').innerText(), /^Acknowledged/);

    await frame.getByRole('textbox', { name: 'Timeline note' }).fill('Rolled back deploy 4821; error rate falling');
    await frame.getByRole('button', { name: 'Add Note' }).click();
    await frame.getByRole('status').filter({ hasText: 'Note added to the timeline.' }).waitFor();
    assert.equal(store(n).timeline!.filter((e) => e.comment === 'Rolled back deploy 4821; error rate falling').length, 1);
    await frame.locator('.timeline').getByText('Rolled back deploy 4821; error rate falling').waitFor();

    await frame.getByRole('combobox', { name: 'New status' }).selectOption('monitoring');
    await frame.getByRole('button', { name: 'Change Status' }).click();
    await frame.getByRole('status').filter({ hasText: `${n} is now monitoring.` }).waitFor();
    assert.equal(store(n).status, 'monitoring');
    assert.equal(await frame.locator('.badge.status').innerText(), 'monitoring');
    await page.close();
  });

  it('21.3 errors are shown plainly: a refused call says what Runframe said and changes nothing', async () => {
    const target = unacknowledged()[0];
    const n = target.incident_number;
    const { page, frame } = await openCard('light', 'runframe_get_incident', { id: n });
    await frame.getByRole('heading', { name: target.title }).waitFor();
    emu.faults.add({ method: 'POST', path: `/incidents/${n}/acknowledge`, type: 'status', status: 403 });
    await frame.getByRole('button', { name: 'Acknowledge' }).click();
    const alert = await frame.getByRole('alert').innerText();
    assert.match(alert, /^runframe_acknowledge_incident failed: Injected fault: HTTP 403 \(HTTP 403, .*\)\. The API key lacks the "incidents:write" scope\./, 'the server\'s words, as they are');
    assert.equal(store(n).acknowledged_at ?? null, null);
    assert.equal(await frame.getByRole('button', { name: 'Acknowledge' }).isEnabled(), true, 'can try again');
    await page.close();
  });

  it('21.3 renders a list in the host\'s dark theme, acknowledges a row, and opens an incident through the host', async () => {
    const { page, frame, toolResult } = await openCard('dark', 'runframe_list_incidents', { status: OPEN, limit: 6 });
    const rows = (toolResult.structuredContent as { items: { number: string; title: string; acknowledged_at: string | null }[] }).items.filter((i) => !i.acknowledged_at);
    assert.ok(rows.length >= 2, 'two unacknowledged incidents in the list');
    await frame.getByRole('heading', { name: /^Incidents \(\d+/ }).waitFor();
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    await settled(page, frame);
    await page.locator('#host').screenshot({ path: join(SCREENSHOTS, 'incident-card-list-dark.png') });
    // The second row's button: acknowledging any other incident would show here.
    const n = rows[1].number;
    const ackedBefore = new Map(emu.store.state.incidents.map((i) => [i.incident_number, i.acknowledged_at ?? null]));
    await frame.locator('tr', { hasText: n }).getByRole('button', { name: 'Acknowledge' }).click();
    await frame.getByRole('status').filter({ hasText: `${n} acknowledged` }).waitFor();
    assert.ok(store(n).acknowledged_at);
    for (const i of emu.store.state.incidents) if (i.incident_number !== n) assert.equal(i.acknowledged_at ?? null, ackedBefore.get(i.incident_number), `${i.incident_number} untouched`);
    assert.equal(await frame.locator('tr', { hasText: n }).getByRole('button', { name: 'Acknowledge' }).count(), 0);
    assert.equal(await frame.locator('tr', { hasText: rows[0].number }).getByRole('button', { name: 'Acknowledge' }).count(), 1);

    const other = rows[0];
    await frame.getByRole('button', { name: other.number, exact: true }).click();
    await frame.getByRole('heading', { name: other.title }).waitFor();
    await settled(page, frame);
    await page.locator('#host').screenshot({ path: join(SCREENSHOTS, 'incident-card-dark.png') });
    await frame.getByRole('button', { name: '← All incidents' }).click();
    await frame.getByRole('heading', { name: /^Incidents \(/ }).waitFor();
    await page.close();
  });

  it('21.3 a host that sends a theme but no style variables gets the card\'s own light or dark colours', async () => {
    const n = emu.store.state.incidents[0].incident_number;
    const colours = async (theme: 'light' | 'dark') => {
      const { page, frame } = await openCard(theme, 'runframe_get_incident', { id: n }, {});
      await frame.getByRole('heading').first().waitFor();
      const c = await frame.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      await page.close();
      return c;
    };
    assert.deepEqual(await colours('light'), ['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
    assert.deepEqual(await colours('dark'), ['rgb(31, 31, 31)', 'rgb(232, 232, 232)']);
  });

  it('21.3 the card loads nothing from anywhere and breaks no CSP rule', () => {
    assert.deepEqual(requests, [], 'no network request from the host page or the card');
    assert.deepEqual(problems, []);
  });
});
