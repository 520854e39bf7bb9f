/**
 * The incident page's HTML, built from a view model. Pure (no `vscode` import): unit-tested in
 * plain Node; src/extension/views/incidentPanels.ts puts it in a webview panel and runs the
 * actions its buttons ask for. Every piece of API text goes through escapeHtml; the page loads
 * nothing but the bundled codicon font and stylesheet, under a Content-Security-Policy that allows
 * only the webview's own resources and the one inline script and style carrying the nonce.
 * Fields follow docs/runframe-api.md (part B, assumed): any of them may be missing.
 */
import type { Incident, PersonRef } from '../../api/types';
import { escapeHtml as h, formatAgo, formatUtc, isoToMs } from '../../domain/format';
import { allowedTransitions } from '../../domain/order';
import { slaState, type SlaState } from '../../domain/attention';
import { isUnacknowledged, SEVERITY_STYLE, severityRank } from './treeRows';
import { PAGE_SCRIPT, PAGE_STYLE } from './incidentPageAssets';

/** A button of the page: what it says, its codicon, and the command the extension runs with the incident's number. */
export interface PageAction {
  id: string;
  label: string;
  icon: string;
  /** The command run with the incident number; undefined for what the panel does itself (Copy as Markdown) */
  command?: string;
  /** Shown in the button's tooltip */
  hint: string;
}

/** Every action of the page, in the order of the button bar. */
export const PAGE_ACTIONS: readonly PageAction[] = [
  { id: 'acknowledge', label: 'Acknowledge', icon: 'check', command: 'runframe.acknowledgeIncident', hint: 'Acknowledge this incident (assigns it to you)' },
  { id: 'changeStatus', label: 'Change Status', icon: 'arrow-swap', command: 'runframe.changeStatus', hint: 'Move it to the next status, with an optional comment' },
  { id: 'addNote', label: 'Add Note', icon: 'note', command: 'runframe.addNote', hint: 'Add a note to the timeline' },
  { id: 'changeSeverity', label: 'Change Severity', icon: 'warning', command: 'runframe.changeSeverity', hint: 'Raise or lower the severity' },
  { id: 'reassign', label: 'Reassign', icon: 'person', command: 'runframe.reassignIncident', hint: 'Assign it to someone else' },
  { id: 'escalate', label: 'Escalate', icon: 'arrow-up', command: 'runframe.escalateIncident', hint: 'Notify the next level of the escalation policy (asks first)' },
  { id: 'page', label: 'Page', icon: 'bell', command: 'runframe.pageSomeone', hint: 'Page a person about it (asks first)' },
  { id: 'whoIsOnCall', label: 'Who Is On Call', icon: 'organization', command: 'runframe.whoIsOnCall', hint: "Who is on call for this incident's services" },
  { id: 'askCopilot', label: 'Ask Copilot', icon: 'copilot', command: 'runframe.askCopilot', hint: 'Open Copilot chat about this incident' },
  { id: 'openInBrowser', label: 'Open in Browser', icon: 'link-external', command: 'runframe.openInBrowser', hint: 'Open it in Runframe' },
  { id: 'copyMarkdown', label: 'Copy as Markdown', icon: 'markdown', hint: 'Copy it as Markdown, for a status page or a chat' },
];

/** What the page shows. */
export interface IncidentPageModel {
  /** The incident number the page is for (also when it never loaded) */
  number: string;
  /** The environment it was opened in: "Sandbox", "Default", "staging", … */
  environment: string;
  /** The incident as last fetched, if it ever was */
  incident?: Incident;
  /** When `incident` was fetched, ms since epoch */
  fetchedAt?: number;
  /** Now, ms since epoch (ages and SLA states are relative to it) */
  nowMs: number;
  /** Set when the incident can no longer be loaded: why, in plain words ("the sandbox was stopped") */
  unavailable?: string;
}

/** What the webview needs from the extension to load its resources. */
export interface PageAssets {
  /** A fresh random token for this HTML (the CSP allows only the script and style carrying it) */
  nonce: string;
  /** webview.cspSource: the origin of the webview's local resources */
  cspSource: string;
  /** webview URI of the bundled codicon.css */
  codiconsCss: string;
}

/** Whether an action's button is enabled, and if not, why (its tooltip says so). */
export function actionState(action: PageAction, model: IncidentPageModel): { enabled: boolean; why?: string } {
  const incident = model.incident;
  if (!incident) return { enabled: false, why: 'The incident has not loaded.' };
  // Copying what was fetched stays possible; it says when that was.
  if (action.id === 'copyMarkdown') return { enabled: true };
  if (model.unavailable) return { enabled: false, why: `Off: the incident can no longer be loaded (${model.unavailable}).` };
  if (action.id === 'acknowledge' && !isUnacknowledged(incident)) return { enabled: false, why: 'Already acknowledged.' };
  if (action.id === 'changeStatus' && !allowedTransitions(incident.status ?? '').length) return { enabled: false, why: `${incident.status ?? 'This status'} cannot change.` };
  return { enabled: true };
}

const person = (p: PersonRef | null | undefined): string =>
  p && (p.name || p.email) ? `${h(p.name ?? p.email)}${p.name && p.email ? ` <span class="muted">${h(p.email)}</span>` : ''}` : '<span class="muted">nobody</span>';

/** "opened 12m ago", "opened just now" */
function opened(iso: string | undefined, nowMs: number): string {
  const ago = formatAgo(iso, nowMs);
  return ago ? `opened ${ago}` : 'opened at an unknown time';
}

function slaCell(s: SlaState): string {
  const icon = { none: 'dash', met: 'pass', missed: 'error', due: 'clock' }[s.state];
  return `<span class="sla sla-${s.state}"><span class="codicon codicon-${icon}" aria-hidden="true"></span> ${h(s.text)}</span>`;
}

function row(label: string, valueHtml: string): string {
  return `<dt>${h(label)}</dt><dd>${valueHtml}</dd>`;
}

function header(model: IncidentPageModel, i: Incident): string {
  const sev = (i.severity ?? '').toUpperCase();
  const style = SEVERITY_STYLE[sev];
  const ack = isUnacknowledged(i)
    ? '<span class="badge unacked"><span class="codicon codicon-bell-dot" aria-hidden="true"></span> Unacknowledged</span>'
    : `<span class="badge acked"><span class="codicon codicon-check" aria-hidden="true"></span> Acknowledged${i.acknowledged_at ? ` ${h(formatAgo(i.acknowledged_at, model.nowMs))}` : ''}</span>`;
  return [
    `<h1><span class="number">${h(i.incident_number)}</span> <span class="title">${h(i.title)}</span></h1>`,
    '<div class="badges">',
    `<span class="badge severity${style ? ` sev-${sev}` : ''}${style && severityRank(sev) <= 1 ? ' urgent' : ''}"><span class="codicon codicon-${style?.icon ?? 'question'}" aria-hidden="true"></span> ${h(sev || 'Unknown severity')}${style ? ` <span class="muted">${h(style.word)}</span>` : ''}</span>`,
    `<span class="badge status" id="status"><span class="codicon codicon-pulse" aria-hidden="true"></span> ${h(i.status ?? 'unknown status')}</span>`,
    ack,
    `<span class="badge age">${h(opened(i.created_at, model.nowMs))}</span>`,
    '</div>',
  ].join('');
}

function buttons(model: IncidentPageModel): string {
  const items = PAGE_ACTIONS.map((a) => {
    const { enabled, why } = actionState(a, model);
    const title = enabled ? a.hint : why ?? a.hint;
    return `<button type="button" data-action="${h(a.id)}" title="${h(title)}"${enabled ? '' : ' disabled aria-disabled="true"'}><span class="codicon codicon-${h(a.icon)}" aria-hidden="true"></span>${h(a.label)}</button>`;
  });
  return `<div class="actions" role="toolbar" aria-label="Actions on ${h(model.number)}">${items.join('')}</div>`;
}

function details(model: IncidentPageModel, i: Incident): string {
  const services = i.services.length
    ? i.services.map((s) => `${h(s.name ?? s.service_key)} <code>${h(s.service_key)}</code>`).join(', ')
    : '<span class="muted">none listed</span>';
  const rows = [
    row('Assignee', person(i.assigned_to)),
    row('Team', i.team_name ? h(i.team_name) : '<span class="muted">none</span>'),
    row('Services', services),
    row('Escalation level', i.escalation_level !== undefined ? h(i.escalation_level) : '<span class="muted">unknown</span>'),
    row('Acknowledge SLA', slaCell(slaState(i.sla?.acknowledge_due_at, i.acknowledged_at, model.nowMs))),
    row('Resolve SLA', slaCell(slaState(i.sla?.resolve_due_at, i.resolved_at, model.nowMs))),
    row('Opened', h(formatUtc(i.created_at) || 'unknown')),
  ];
  if (i.acknowledged_at) rows.push(row('Acknowledged', h(formatUtc(i.acknowledged_at))));
  if (i.resolved_at) rows.push(row('Resolved', `${h(formatUtc(i.resolved_at))}${i.resolved_by ? ` by ${person(i.resolved_by)}` : ''}`));
  if (i.closed_at) rows.push(row('Closed', h(formatUtc(i.closed_at))));
  return `<dl class="details">${rows.join('')}</dl>`;
}

function participants(i: Incident): string {
  const list = i.participants ?? [];
  const items = list.length ? list.map((p) => `<li>${person(p)}${p.role ? ` <span class="muted">· ${h(p.role.replace(/_/g, ' '))}</span>` : ''}</li>`).join('') : '<li class="muted">Nobody yet.</li>';
  return `<section aria-labelledby="participants-h"><h2 id="participants-h">Participants (${list.length})</h2><ul class="people">${items}</ul></section>`;
}

function timeline(i: Incident): string {
  const events = [...(i.timeline ?? [])].sort((a, b) => isoToMs(b.created_at) - isoToMs(a.created_at));
  const items = events.map((e) => {
    const who = e.actor?.name ?? e.actor?.email;
    return [
      '<li class="event">',
      `<div class="event-head"><time datetime="${h(e.created_at)}">${h(formatUtc(e.created_at) || 'unknown time')}</time>`,
      ` <span class="event-type">${h(e.type.replace(/_/g, ' '))}</span>${who ? ` <span class="muted">· ${h(who)}</span>` : ''}</div>`,
      e.comment ? `<div class="comment">${h(e.comment)}</div>` : '',
      '</li>',
    ].join('');
  });
  return `<section aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline <span class="muted">(${events.length} event${events.length === 1 ? '' : 's'}, newest first)</span></h2>${
    items.length ? `<ol class="timeline">${items.join('')}</ol>` : '<p class="muted">No timeline events.</p>'
  }</section>`;
}

/**
 * The page's changing content (everything inside `<main id="page">`): sent to the webview on each
 * refresh so the page updates in place, keeping scroll position and focus.
 */
export function incidentPageBody(model: IncidentPageModel): string {
  const i = model.incident;
  const banner = model.unavailable
    ? `<div class="banner" role="alert"><span class="codicon codicon-debug-disconnect" aria-hidden="true"></span><div><strong>${h(model.number)} can no longer be loaded:</strong> ${h(model.unavailable)}.${
        i ? ` What is shown was fetched ${h(formatUtc(new Date(model.fetchedAt ?? 0).toISOString()))}; the actions are off until it loads again.` : ''
      }</div></div>`
    : '';
  if (!i) return `${banner}<h1><span class="number">${h(model.number)}</span></h1>${model.unavailable ? '' : '<p class="muted">Loading…</p>'}`;
  const description = i.description?.trim() ? `<div class="description">${h(i.description.trim())}</div>` : '<p class="muted">No description.</p>';
  const fetched = model.fetchedAt ? formatUtc(new Date(model.fetchedAt).toISOString()) : '';
  return [
    banner,
    header(model, i),
    buttons(model),
    details(model, i),
    `<section aria-labelledby="description-h"><h2 id="description-h">Description</h2>${description}</section>`,
    participants(i),
    timeline(i),
    `<footer class="muted">${h(model.environment)}${fetched ? ` · fetched ${h(fetched)}` : ''} · refreshes with the sidebar and after every action</footer>`,
  ].join('\n');
}

/** The whole webview document: CSP, theme-aware style, codicons, the body and the script that sends button clicks to the extension. */
export function incidentPageHtml(model: IncidentPageModel, assets: PageAssets): string {
  const csp = [
    "default-src 'none'",
    `style-src ${assets.cspSource} 'nonce-${assets.nonce}'`,
    `font-src ${assets.cspSource}`,
    `img-src ${assets.cspSource}`,
    `script-src 'nonce-${assets.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${h(assets.codiconsCss)}">
<style nonce="${h(assets.nonce)}">${PAGE_STYLE}</style>
<title>${h(model.number)}</title>
</head>
<body>
<main id="page">${incidentPageBody(model)}</main>
<script nonce="${h(assets.nonce)}">${PAGE_SCRIPT}</script>
</body>
</html>`;
}
