/**
 * The incident card (MCP Apps view, runs in the host's sandboxed iframe): renders the
 * structuredContent of runframe_get_incident (one incident) or runframe_list_incidents (a list)
 * and acts on the incident shown through the host's `tools/call` bridge, re-rendering from each
 * result. Follows the host's theme (hostContext.theme and styles.variables). Bundled into the
 * card's HTML at build time (esbuild.mjs); no network access of its own (CSP `connect-src 'none'`).
 *
 * MCP Apps 2026-01-26 (SEP-1865): ui/initialize, ui/notifications/tool-result,
 * ui/notifications/host-context-changed, tools/call through the host.
 */
import { App, applyDocumentTheme, applyHostStyleVariables, PostMessageTransport, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { formatAgo, formatUtc } from '../../../domain/format';
import { allowedTransitions } from '../../../domain/order';
import { LIMITS, OPEN_STATUSES } from '../../../domain/contract';
import type { IncidentDetail, IncidentSummary } from '../../tools/incidents';

type List = { items: IncidentSummary[]; total?: number | null; has_more?: boolean };
type Alert = { kind: 'error' | 'done'; text: string } | undefined;

const root = document.getElementById('card')!;
const app = new App({ name: 'Runframe incident card', version: '1' }, {});

let incident: IncidentDetail | undefined;
let list: List | undefined;
let alert: Alert;
let busy = false;

/** An element with text content only (API text is never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | undefined | false)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) e.append(c);
  return e;
}

const sevBadge = (sev: string | null) => el('span', { class: `badge sev-${sev && /^SEV[0-4]$/.test(sev) ? sev : 'unknown'}` }, sev ?? 'SEV?');
const statusBadge = (status: string | null) => el('span', { class: 'badge status' }, status ?? 'unknown');
/** "12m ago", "just now", or "?" when unknown. */
const ago = (iso: string | null, now: number): string => formatAgo(iso, now) || '?';
const isOpen = (status: string | null) => (OPEN_STATUSES as readonly string[]).includes(status ?? '');

function button(label: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = el('button', { type: 'button', ...(primary ? { class: 'primary' } : {}) }, label);
  b.disabled = busy;
  b.addEventListener('click', onClick);
  return b;
}

/** The text of a tool result (what the server says, e.g. the API's error and what to do). */
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n').trim();

/**
 * Calls a tool of this server through the host and hands its structured result to `done`;
 * a tool error or a refused call is shown as it is.
 */
async function act(name: string, args: Record<string, unknown>, doing: string, done: (s: Record<string, unknown>) => string | undefined): Promise<void> {
  busy = true;
  alert = undefined;
  render(doing);
  try {
    const r = await app.callServerTool({ name, arguments: args });
    if (r.isError || !r.structuredContent) alert = { kind: 'error', text: textOf(r) || `${name} failed without saying why.` };
    else {
      const said = done(r.structuredContent);
      if (said) alert = { kind: 'done', text: said };
    }
  } catch (err) {
    alert = { kind: 'error', text: `${name} could not be called: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    busy = false;
    render();
  }
}

const acknowledge = (number: string) =>
  act('runframe_acknowledge_incident', { id: number }, `Acknowledging ${number}…`, (s) => {
    const d = s as IncidentDetail;
    if (incident?.number === d.number || !list) incident = d;
    // In the list, the row of that incident takes the answer's values.
    if (list) list = { ...list, items: list.items.map((i) => (i.number === d.number ? { ...i, acknowledged_at: d.acknowledged_at, assignee: d.assignee ?? i.assignee, status: d.status } : i)) };
    return `${d.number} acknowledged${d.assignee?.name ? `; assigned to ${d.assignee.name}` : ''}.`;
  });

const changeStatus = (number: string, status: string) =>
  act('runframe_change_incident_status', { id: number, status }, `Moving ${number} to ${status}…`, (s) => {
    incident = s as IncidentDetail;
    return `${number} is now ${incident.status}.`;
  });

const addNote = (number: string, comment: string) =>
  act('runframe_add_incident_event', { id: number, comment }, `Adding the note to ${number}…`, (s) => {
    const r = s as { added: boolean; entry: IncidentDetail['timeline'][number] | null; note?: string };
    if (incident?.number === number && r.entry) incident = { ...incident, timeline: [...incident.timeline, r.entry], timeline_total: incident.timeline_total + 1 };
    return r.added ? 'Note added to the timeline.' : r.note;
  });

const open = (number: string) =>
  act('runframe_get_incident', { id: number }, `Opening ${number}…`, (s) => {
    incident = s as IncidentDetail;
    return undefined;
  });

function alertBox(status?: string): HTMLElement | undefined {
  if (status) return el('div', { class: 'alert muted', role: 'status' }, status);
  if (!alert) return undefined;
  return el('div', { class: `alert ${alert.kind}`, role: alert.kind === 'error' ? 'alert' : 'status' }, alert.text);
}

function incidentView(d: IncidentDetail, status?: string): HTMLElement {
  const now = Date.now();
  const acked = Boolean(d.acknowledged_at);
  const head = el('div', { class: 'row' },
    sevBadge(d.severity),
    statusBadge(d.status),
    el('span', { class: `badge ${acked ? 'acked' : 'unacked'}` }, acked ? `Acknowledged ${ago(d.acknowledged_at, now)}` : 'Not acknowledged'),
    el('span', { class: 'num' }, d.number),
  );
  const facts = el('dl', {},
    el('dt', {}, 'Assignee'), el('dd', {}, d.assignee ? (d.assignee.name ?? d.assignee.email ?? '?') : 'Nobody'),
    el('dt', {}, 'Services'), el('dd', {}, d.services.map((s) => s.name ?? s.key).join(', ') || '-'),
    el('dt', {}, 'Team'), el('dd', {}, d.team ?? '-'),
    el('dt', {}, 'Opened'), el('dd', {}, d.created_at ? `${ago(d.created_at, now)} (${formatUtc(d.created_at)})` : '-'),
    el('dt', {}, 'Escalation'), el('dd', {}, d.escalation_level ? `level ${d.escalation_level}` : '-'),
  );
  const actions = el('div', { class: 'actions' });
  const controls = el('div', { class: 'row' });
  if (!acked && isOpen(d.status)) controls.append(button('Acknowledge', () => acknowledge(d.number), true));
  const next = allowedTransitions(d.status ?? '');
  if (next.length) {
    const select = el('select', { 'aria-label': 'New status' }, ...next.map((s) => el('option', { value: s }, s)));
    select.disabled = busy;
    controls.append(el('label', {}, 'Move to'), select, button('Change Status', () => changeStatus(d.number, select.value)));
  }
  if (controls.childElementCount) actions.append(controls);
  const note = el('textarea', { 'aria-label': 'Timeline note', placeholder: 'What changed, what you tried, what is next…', maxlength: String(LIMITS.note.max) });
  note.disabled = busy;
  actions.append(el('div', { class: 'note' }, note, el('div', { class: 'row' }, button('Add Note', () => (note.value.trim() ? addNote(d.number, note.value.trim()) : note.focus())))));
  const latest = d.timeline.slice(-5).reverse();
  return el('section', { 'aria-label': `Incident ${d.number}` },
    list ? el('button', { type: 'button', class: 'link' }, '← All incidents') : undefined,
    head,
    el('h2', {}, d.title),
    d.description ? el('p', { class: 'desc muted' }, d.description.length > 400 ? `${d.description.slice(0, 400)}…` : d.description) : undefined,
    facts,
    actions,
    alertBox(status),
    latest.length ? el('h3', {}, `Latest activity (${latest.length} of ${d.timeline_total})`) : undefined,
    latest.length ? el('ul', { class: 'timeline' }, ...latest.map((e) => el('li', {}, el('span', { class: 'when' }, ago(e.at, now)), el('span', { class: 'what' }, `${e.type}${e.by ? ` by ${e.by}` : ''}${e.text ? `: ${e.text}` : ''}`)))) : undefined,
  );
}

function listView(l: List, status?: string): HTMLElement {
  const rows = l.items.map((i) =>
    el('tr', {},
      el('td', {}, sevBadge(i.severity)),
      el('td', { class: 'nowrap' }, el('button', { type: 'button', class: 'link', 'data-open': i.number, title: `Open ${i.number}` }, i.number)),
      el('td', { class: 'title' }, i.title, el('div', { class: 'muted' }, [i.status ?? '?', i.acknowledged_at ? (i.assignee?.name ?? i.assignee?.email ?? 'unassigned') : 'not acknowledged', i.age ? `${i.age} old` : ''].filter(Boolean).join(' · '))),
      el('td', { class: 'act' }, !i.acknowledged_at && isOpen(i.status) ? button('Acknowledge', () => acknowledge(i.number), true) : ''),
    ),
  );
  const section = el('section', { 'aria-label': 'Incidents' },
    el('div', { class: 'row' }, el('h2', {}, `Incidents (${l.items.length}${l.total != null && l.total !== l.items.length ? ` of ${l.total}` : ''})`)),
    l.items.length ? el('table', {}, el('tbody', {}, ...rows)) : el('p', { class: 'muted' }, 'No incidents match.'),
    alertBox(status),
  );
  section.querySelectorAll<HTMLButtonElement>('button[data-open]').forEach((b) => {
    b.disabled = busy;
    b.addEventListener('click', () => open(b.dataset.open!));
  });
  return section;
}

/** Draws the current state; `status` says what is under way. */
function render(status?: string): void {
  const view = incident ? incidentView(incident, status) : list ? listView(list, status) : (alertBox(status) ?? el('p', { class: 'muted' }, 'Waiting for the incident…'));
  const back = view.querySelector<HTMLButtonElement>(':scope > button.link');
  back?.addEventListener('click', () => {
    incident = undefined;
    alert = undefined;
    render();
  });
  if (back) back.disabled = busy;
  root.replaceChildren(view);
}

/** Takes a tool result the host sends (the call that opened the card). */
function show(r: CallToolResult): void {
  const s = r.structuredContent as Record<string, unknown> | undefined;
  alert = undefined;
  if (r.isError || !s) {
    incident = undefined;
    list = undefined;
    alert = { kind: 'error', text: textOf(r) || 'The tool failed without saying why.' };
  } else if (Array.isArray(s.items)) {
    list = s as unknown as List;
    incident = undefined;
  } else {
    incident = s as unknown as IncidentDetail;
    list = undefined;
  }
  render();
}

function applyContext(ctx: McpUiHostContext | undefined): void {
  if (ctx?.theme) applyDocumentTheme(ctx.theme);
  if (ctx?.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
}

app.ontoolresult = show;
app.onhostcontextchanged = applyContext;
app.ontoolcancelled = () => {
  alert = { kind: 'error', text: 'The tool call was cancelled.' };
  render();
};
app
  .connect(new PostMessageTransport(window.parent, window.parent))
  .then(() => applyContext(app.getHostContext()))
  .catch((err: unknown) => {
    root.replaceChildren(el('div', { class: 'alert error', role: 'alert' }, `Could not connect to the chat host: ${err instanceof Error ? err.message : String(err)}`));
  });
