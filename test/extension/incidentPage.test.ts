import assert from 'node:assert/strict';
import type { Incident } from '../../src/api';
import { escapeHtml, formatUtc } from '../../src/domain/format';
import { slaState } from '../../src/domain/attention';
import { actionState, incidentPageBody, incidentPageHtml, PAGE_ACTIONS, type IncidentPageModel } from '../../src/extension/views/incidentPage';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();
const ASSETS = { nonce: 'bm9uY2Utb2YtdGhlLXRlc3Q=', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', codiconsCss: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/codicon.css' };
const HOSTILE = `<img src=x onerror="alert(1)">&'"`;

const incident = (extra: Partial<Incident> = {}): Incident => ({
  incident_number: 'INC-2026-040',
  title: 'Checkout p99 above 4 s',
  severity: 'SEV1',
  status: 'investigating',
  created_at: ago(125),
  acknowledged_at: null,
  services: [{ service_key: 'svc_K7QW2M9XHP', name: 'Checkout API' }],
  assigned_to: { name: 'Sam Rivera', email: 'sam@northwind.example' },
  escalation_level: 2,
  team_name: 'Payments',
  sla: { acknowledge_due_at: ago(5), resolve_due_at: new Date(NOW + 90 * 60_000).toISOString() },
  participants: [{ name: 'Alex Kim', email: 'alex@northwind.example', role: 'incident_commander' }],
  timeline: [
    { type: 'created', comment: 'opened by the alert', created_at: ago(125), actor: { name: 'Alertmanager' } },
    { type: 'note', comment: 'rolled back the config', created_at: ago(3), actor: { name: 'Sam Rivera' } },
    { type: 'status_change', comment: 'looking', created_at: ago(60) },
  ],
  ...extra,
});
const model = (extra: Partial<IncidentPageModel> = {}): IncidentPageModel => ({ number: 'INC-2026-040', environment: 'Sandbox', incident: incident(), fetchedAt: NOW - 2_000, nowMs: NOW, ...extra });
/** The enabled/disabled state of each button in the HTML, by action id. */
const buttonStates = (html: string) =>
  Object.fromEntries([...html.matchAll(/<button type="button" data-action="([a-zA-Z]+)"([^>]*)>/g)].map((m) => [m[1], / disabled\b/.test(m[2]) ? 'off' : 'on']));

describe('incident page HTML', () => {
  it('shows the header, SLA state, assignee, services, escalation level, participants, the timeline newest first and when it was fetched', () => {
    const body = incidentPageBody(model());
    assert.match(body, /<span class="number">INC-2026-040<\/span> <span class="title">Checkout p99 above 4 s<\/span>/);
    assert.match(body, /<span class="badge severity sev-SEV1 urgent">[^]*?SEV1 <span class="muted">major<\/span>/);
    assert.match(body, /<span class="badge status" id="status">[^]*?investigating<\/span>/);
    assert.match(body, /Unacknowledged/);
    assert.match(body, /opened 2h ago/);
    assert.ok(body.includes(escapeHtml(slaState(ago(5), null, NOW).text)), 'the acknowledge SLA, breached');
    assert.match(body, /sla-missed[^]*?breached 5m ago/);
    assert.match(body, /sla-due[^]*?due in 1h 30m|sla-due[^]*?due in 2h/);
    assert.match(body, /Sam Rivera <span class="muted">sam@northwind\.example<\/span>/);
    assert.match(body, /Checkout API <code>svc_K7QW2M9XHP<\/code>/);
    assert.match(body, /<dt>Escalation level<\/dt><dd>2<\/dd>/);
    assert.match(body, /Alex Kim[^]*?incident commander/);
    const order = ['rolled back the config', 'looking', 'opened by the alert'].map((t) => body.indexOf(t));
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'timeline newest first');
    assert.ok(body.includes(formatUtc(ago(3))), 'event times in the domain format');
    assert.match(body, new RegExp(`fetched ${formatUtc(new Date(NOW - 2_000).toISOString())}`));
    assert.doesNotMatch(body, /just now ago/);
    assert.match(incidentPageBody(model({ incident: incident({ created_at: ago(0) }) })), /opened just now/);
  });

  it('escapes every piece of API text (title, names, services, comments, roles, the environment)', () => {
    const html = incidentPageHtml(
      model({
        environment: HOSTILE,
        incident: incident({
          title: HOSTILE,
          description: HOSTILE,
          team_name: HOSTILE,
          services: [{ service_key: HOSTILE, name: HOSTILE }],
          assigned_to: { name: HOSTILE, email: HOSTILE },
          participants: [{ name: HOSTILE, role: HOSTILE }],
          timeline: [{ type: HOSTILE, comment: HOSTILE, actor: { name: HOSTILE }, created_at: ago(1) }],
        }),
      }),
      ASSETS,
    );
    assert.ok(!html.includes('<img'), 'no markup from the API');
    assert.ok(!html.includes('onerror="'), 'no attribute from the API');
    assert.ok(html.includes('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;&#39;&#34;'), 'shown literally');
    assert.equal(escapeHtml(`a<b>"c"&'d'`), 'a&#60;b&#62;&#34;c&#34;&#38;&#39;d&#39;');
  });

  it('has a strict Content-Security-Policy: nothing by default, only the nonce for script and inline style, no remote source', () => {
    const html = incidentPageHtml(model(), ASSETS);
    // Attribute values are HTML-escaped: read the policy as the browser does.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    assert.ok(csp, 'a CSP meta tag');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${ASSETS.nonce}'`));
    assert.match(csp, new RegExp(`style-src ${ASSETS.cspSource.replace(/[.+]/g, '\\$&')} 'nonce-${ASSETS.nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http:/);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0][1], ` nonce="${ASSETS.nonce}"`, 'the one script carries the nonce and loads nothing');
    assert.doesNotMatch(html, / on[a-z]+=/i, 'no inline event handler');
    assert.doesNotMatch(html, / style="/, 'no style attribute (the CSP blocks them; severity colours are classes)');
    const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(urls, [ASSETS.codiconsCss], 'only the bundled codicon stylesheet is loaded');
  });

  it('has a real <button> for every action; they are off when the incident can no longer be loaded, except Copy as Markdown', () => {
    const live = buttonStates(incidentPageHtml(model(), ASSETS));
    assert.deepEqual(Object.keys(live), PAGE_ACTIONS.map((a) => a.id));
    assert.deepEqual(
      PAGE_ACTIONS.map((a) => a.label),
      ['Acknowledge', 'Change Status', 'Add Note', 'Change Severity', 'Reassign', 'Escalate', 'Page', 'Who Is On Call', 'Ask Copilot', 'Open in Browser', 'Copy as Markdown'],
    );
    assert.ok(Object.values(live).every((s) => s === 'on'), JSON.stringify(live));
    const gone = incidentPageBody(model({ unavailable: 'it is from the sandbox, which was stopped' }));
    assert.match(gone, /role="alert"[^]*INC-2026-040 can no longer be loaded:<\/strong> it is from the sandbox, which was stopped\./);
    const states = buttonStates(gone);
    assert.deepEqual(Object.entries(states).filter(([, s]) => s === 'on').map(([id]) => id), ['copyMarkdown']);
    assert.match(gone, /title="Off: the incident can no longer be loaded \(it is from the sandbox, which was stopped\)\."/);
    const never = buttonStates(incidentPageBody(model({ incident: undefined, unavailable: 'no API key is set for Default' })));
    assert.deepEqual(never, {}, 'nothing to act on before it ever loaded');
  });

  it('turns off what does not apply: Acknowledge once acknowledged, Change Status once closed', () => {
    const acked = model({ incident: incident({ acknowledged_at: ago(1) }) });
    assert.equal(actionState(PAGE_ACTIONS[0], acked).enabled, false);
    assert.equal(buttonStates(incidentPageBody(acked)).acknowledge, 'off');
    assert.match(incidentPageBody(acked), /Acknowledged 1m ago/);
    const closed = model({ incident: incident({ status: 'closed' }) });
    assert.equal(buttonStates(incidentPageBody(closed)).changeStatus, 'off');
    assert.equal(buttonStates(incidentPageBody(closed)).addNote, 'on');
  });
});
