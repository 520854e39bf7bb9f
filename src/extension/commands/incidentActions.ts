/**
 * Every action on an incident from the palette, the tree's context menu and the detail document:
 * acknowledge, change status, add a note, change severity, reassign, escalate, page, create, open
 * in the browser, copy the number, ask Copilot. Each goes through the shared client (Runframe v1
 * endpoints named per function), confirms what notifies people, reports its outcome in words and
 * refreshes what it changed.
 */
import * as vscode from 'vscode';
import { DEFAULTS, LIMITS, textLength } from '../../domain/contract';
import { allowedTransitions } from '../../domain/order';
import { RunframeApiError } from '../../api/errors';
import { parsePerson } from '../../api/parse';
import { PAGE_CHANNELS, type Incident } from '../../api/types';
import { incidentWebUrl } from '../../domain/identifiers';
import { confirmThenRun, requireClient, runAction, type Cockpit } from './cockpit';
import { describeError } from '../errorMessages';
import { incidentNumberOf, pickSeverity, pickUser, resolveIncident } from './pickers';
import { createIncident } from './createIncident';
import { isUnacknowledged } from '../views/treeRows';
import { onCallForIncident } from '../views/onCallPeople';
import { personOf } from '../views/onCallTree';
import { detailUri } from '../views/incidentDocuments';

/** The extension that provides Copilot agent mode in VS Code. */
const COPILOT_CHAT_EXTENSION = 'GitHub.copilot-chat';

/** What each status means to the person choosing it. */
const STATUS_HINTS: Record<string, string> = {
  investigating: 'looking for the cause',
  fixing: 'cause known, fix under way',
  monitoring: 'fix applied, watching',
  resolved: 'impact over; stops the resolve SLA',
  closed: 'final: nothing changes a closed incident',
};

/** Runframe v1 acknowledge with progress and a clear outcome; 409 is reported as "already acknowledged". */
async function acknowledge(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const number =
    incidentNumberOf(arg) ??
    (await resolveIncident(deps, undefined, 'Runframe: Acknowledge Incident', client, isUnacknowledged, 'No unacknowledged open incidents.'))?.incident_number;
  if (!number) return;
  try {
    const incident = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Acknowledging ${number}…` }, () => client.acknowledgeIncident(number));
    const who = incident.assigned_to?.name ?? incident.assigned_to?.email;
    void vscode.window.showInformationMessage(`Acknowledged ${number}${who ? `; assigned to ${who}` : ''}.`);
  } catch (err) {
    if (err instanceof RunframeApiError && err.isConflict) {
      // Part B details (assumed): {assigned_to: {name}}; fall back to the API's own words.
      const by = parsePerson(err.details?.assigned_to);
      void vscode.window.showInformationMessage(
        by?.name || by?.email ? `${number} is already acknowledged by ${by.name ?? by.email}; nothing more to do.` : `${number} is already acknowledged. ${err.apiMessage}`,
      );
    } else {
      deps.log.warn(`Acknowledge ${number} failed: ${describeError(err)}`);
      const choice = await vscode.window.showErrorMessage(`Could not acknowledge ${number}: ${describeError(err)}`, 'Retry');
      if (choice === 'Retry') return acknowledge(deps, number);
    }
  } finally {
    // Views, status bar and open detail documents (refreshAll re-fetches those too).
    void deps.refreshAll();
  }
}

/** Runframe v1: POST /incidents/{number}/status, with a quick pick of the allowed next statuses and an optional comment. */
async function changeStatus(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Change Status', client);
  if (!incident) return;
  const next = allowedTransitions(incident.status ?? '');
  if (!next.length) {
    void vscode.window.showInformationMessage(`${incident.incident_number} is ${incident.status ?? 'in an unknown status'}; it cannot change status.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    next.map((s) => ({ label: s, description: STATUS_HINTS[s] ?? '' })),
    { title: `Change status of ${incident.incident_number} (now ${incident.status})`, placeHolder: 'Pick the new status' },
  );
  if (!picked) return;
  const comment = await vscode.window.showInputBox({
    title: `${incident.incident_number}: ${incident.status} → ${picked.label}`,
    prompt: 'Optional comment for the timeline',
    validateInput: (v) => (textLength(v) > LIMITS.statusComment.max ? `At most ${LIMITS.statusComment.max} characters (${textLength(v)} now).` : undefined),
  });
  if (comment === undefined) return;
  await runAction(deps, {
    title: `Changing ${incident.incident_number} to ${picked.label}…`,
    failure: `change the status of ${incident.incident_number}`,
    incidentNumber: incident.incident_number,
    run: (c) => c.changeIncidentStatus(incident.incident_number, picked.label, comment.trim() || undefined),
    success: (r) => `${incident.incident_number} is now ${r.status ?? picked.label}.`,
    successActions: picked.label === 'resolved' ? [{ label: 'Draft Postmortem', run: () => vscode.commands.executeCommand('runframe.draftPostmortem', incident.incident_number) }] : undefined,
  });
}

/** Runframe v1: POST /incidents/{number}/events. */
async function addNote(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Add Timeline Note', client);
  if (!incident) return;
  const note = await vscode.window.showInputBox({
    title: `Add a timeline note to ${incident.incident_number}`,
    prompt: incident.title,
    placeHolder: 'What happened, what you found, what you are trying next',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? (textLength(v) > LIMITS.note.max ? `At most ${LIMITS.note.max.toLocaleString('en')} characters.` : undefined) : 'Write the note, or press Escape to cancel.'),
  });
  if (!note?.trim()) return;
  await runAction(deps, {
    title: `Adding a note to ${incident.incident_number}…`,
    failure: `add the note to ${incident.incident_number}`,
    incidentNumber: incident.incident_number,
    run: (c) => c.addIncidentEvent(incident.incident_number, note.trim()),
    success: () => `Note added to ${incident.incident_number}.`,
  });
}

/** Runframe v1: PATCH /incidents/{number} {severity}. */
async function changeSeverity(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Change Severity', client);
  if (!incident) return;
  const severity = await pickSeverity(`Severity of ${incident.incident_number} (now ${incident.severity ?? 'unknown'})`, incident.severity);
  if (!severity || severity === incident.severity) return;
  await runAction(deps, {
    title: `Changing ${incident.incident_number} to ${severity}…`,
    failure: `change the severity of ${incident.incident_number}`,
    incidentNumber: incident.incident_number,
    run: async (c) => {
      const r = await c.updateIncident(incident.incident_number, { severity });
      deps.markOwn(incident.incident_number); // your own raise is not news to you
      return r;
    },
    success: (r) => `${incident.incident_number} is now ${r.severity ?? severity}.`,
  });
}

/** Runframe v1: PATCH /incidents/{number} {assigned_to}, the assignee found by user search. */
async function reassign(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Reassign Incident', client);
  if (!incident) return;
  const now = incident.assigned_to?.name ?? incident.assigned_to?.email;
  const user = await pickUser(client, `Assign ${incident.incident_number} to…${now ? ` (now ${now})` : ''}`, 'Type a name or email to search Runframe users');
  if (!user) return;
  await runAction(deps, {
    title: `Assigning ${incident.incident_number} to ${user.name}…`,
    failure: `assign ${incident.incident_number} to ${user.name}`,
    incidentNumber: incident.incident_number,
    run: (c) => c.updateIncident(incident.incident_number, { assigned_to: user.email }),
    success: (r) => `${incident.incident_number} is assigned to ${r.assigned_to?.name ?? user.name}.`,
  });
}

/**
 * Who the next escalation level notifies, in words, from GET /escalation-policies?severity=.
 * @returns e.g. "level 2: Alex Kim, Platform on-call" or a sentence saying it is unknown
 */
async function nextLevelTargets(deps: Cockpit, incident: Incident): Promise<string> {
  const client = deps.connection.current.client;
  if (!client || !incident.severity) return 'the next level of the escalation policy';
  try {
    const policy = await client.getEscalationPolicy(incident.severity);
    const next = (incident.escalation_level ?? DEFAULTS.escalationLevel) + 1;
    const level = policy.levels.find((l) => l.level === next);
    if (!level) return `no level ${next} in the ${incident.severity} policy (it has ${policy.levels.length}); Runframe decides who is notified`;
    const names = level.targets.map((t) => t.name ?? t.email ?? t.type ?? 'someone').join(', ');
    return `level ${next}: ${names || 'no targets listed'}`;
  } catch (err) {
    return `the next level of the ${incident.severity} policy (could not read it: ${describeError(err)})`;
  }
}

/** Runframe v1: POST /incidents/{number}/escalate, after a modal naming who will be notified. */
async function escalate(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Escalate Incident', client);
  if (!incident) return;
  const who = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the escalation policy…' }, () => nextLevelTargets(deps, incident));
  await confirmThenRun(deps, {
    question: `Escalate ${incident.incident_number}?`,
    detail: `${incident.severity ?? ''} ${incident.title}\n\nThis sends real notifications to ${who}.`,
    confirm: 'Escalate',
    title: `Escalating ${incident.incident_number}…`,
    failure: `escalate ${incident.incident_number}`,
    incidentNumber: incident.incident_number,
    run: (c) => c.escalateIncident(incident.incident_number),
    success: (r) => `${incident.incident_number} escalated to level ${r.escalation_level ?? '?'}.`,
  });
}

/**
 * Runframe v1: POST /incidents/{number}/page: a person (those on call for the incident's services
 * suggested first, never yourself first), channels, message, then a modal naming who is notified.
 * From the On-call view (`arg` a person) the incident is asked for instead; `preset` ({name, email},
 * from Who Is On Call) names the person for the incident in `arg`.
 */
async function pageSomeone(deps: Cockpit, arg?: unknown, preset?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const given = preset as { name?: unknown; email?: unknown } | undefined;
  const person = personOf(arg) ?? (typeof given?.email === 'string' && typeof given.name === 'string' ? { name: given.name, email: given.email } : undefined);
  const fromOnCallView = Boolean(personOf(arg));
  const incident = await resolveIncident(deps, fromOnCallView ? undefined : arg, person ? `Runframe: Page ${person.name} about…` : 'Runframe: Page Someone', client);
  if (!incident) return;
  const user = person ?? (await pickUser(client, `Page someone about ${incident.incident_number}`, 'Type a name or email to search Runframe users', {
    onCall: onCallForIncident(incident, deps.oncall.state.value),
    myEmail: deps.currentUser()?.email,
  }));
  if (!user) return;
  const channels = await vscode.window.showQuickPick(
    PAGE_CHANNELS.map((c) => ({ label: c === 'slack' ? 'Slack' : 'Email', channel: c, picked: true })),
    { title: `Page ${user.name} via…`, canPickMany: true, placeHolder: 'Channels (at least one)' },
  );
  if (!channels?.length) return;
  const message = await vscode.window.showInputBox({
    title: `Message to ${user.name} (optional)`,
    prompt: 'Optional: what they should know first',
    validateInput: (v) => (textLength(v) > LIMITS.pageMessage.max ? `At most ${LIMITS.pageMessage.max} characters (${textLength(v)} now).` : undefined),
  });
  if (message === undefined) return;
  const via = channels.map((c) => c.label).join(' and ');
  await confirmThenRun(deps, {
    question: `Page ${user.name} via ${via}?`,
    detail: `About ${incident.incident_number} (${incident.severity ?? 'unknown severity'}): ${incident.title}\nUrgency follows the severity. This sends a real notification to ${user.email}.`,
    confirm: 'Page',
    title: `Paging ${user.name}…`,
    failure: `page ${user.name}`,
    incidentNumber: incident.incident_number,
    run: (c) => c.pageSomeone(incident.incident_number, { email: user.email, channels: channels.map((c2) => c2.channel), message: message.trim() || undefined }),
    success: (r) => `Paged ${user.name} via ${via}${r.urgency ? ` (${r.urgency} urgency)` : ''} about ${incident.incident_number}.`,
  });
}

/** Opens the incident's web page (see incidentWebUrl for the assumed address). */
async function openInBrowser(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Open Incident in Browser', client);
  if (!incident) return;
  await vscode.env.openExternal(vscode.Uri.parse(incidentWebUrl(deps.connection.current.apiUrl, incident.incident_number)));
}

async function copyNumber(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Copy Incident Number', client);
  if (!incident) return;
  await vscode.env.clipboard.writeText(incident.incident_number);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${incident.incident_number}`, 3000);
}

/** The chat prompt for an incident: enough context to start, and which tools to use for the rest. */
export function copilotPrompt(incident: Incident): string {
  const services = incident.services.map((s) => s.name ?? s.service_key).join(', ');
  return [
    `Help me work Runframe incident ${incident.incident_number} (${incident.severity ?? 'unknown severity'}, ${incident.status ?? 'unknown status'}${isUnacknowledged(incident) ? ', unacknowledged' : ''}): "${incident.title}"${services ? ` on ${services}` : ''}.`,
    `Use the runframe tools: read it with runframe_get_incident, check who is on call for its services, look for similar recent incidents, then suggest the next steps. Ask me before changing anything.`,
  ].join(' ');
}

/**
 * Opens Copilot chat in agent mode with the incident's prompt and its detail document attached.
 * Without chat (e.g. no Copilot), copies the prompt and says so.
 */
async function askCopilot(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Ask Copilot about This Incident', client);
  if (!incident) return;
  const query = copilotPrompt(incident);
  const copyInstead = async (why: string) => {
    await vscode.env.clipboard.writeText(query);
    void vscode.window.showInformationMessage(`${why} The prompt about ${incident.incident_number} was copied to the clipboard: paste it into any chat that has the Runframe MCP server.`);
  };
  // Without the Copilot Chat extension the chat view opens empty and ignores the query.
  if (!vscode.extensions.getExtension(COPILOT_CHAT_EXTENSION)) return copyInstead('Copilot Chat is not installed in this VS Code.');
  const attachment = detailUri(incident.incident_number);
  try {
    // Options of workbench.action.chat.open (VS Code 1.101): query, isPartialQuery (fill in, let
    // the person send), mode, attachFiles.
    await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: true, mode: 'agent', attachFiles: [attachment] });
  } catch (err) {
    deps.log.info(`Chat could not open (${describeError(err)}); prompt copied instead.`);
    await copyInstead('Copilot Chat could not open.');
  }
}

/** Registers the incident actions; returns their disposables. */
export function registerIncidentActions(deps: Cockpit): vscode.Disposable[] {
  const reg = (id: string, fn: (deps: Cockpit, arg?: unknown, arg2?: unknown) => Promise<void>) => vscode.commands.registerCommand(id, (arg?: unknown, arg2?: unknown) => fn(deps, arg, arg2));
  return [
    reg('runframe.acknowledgeIncident', acknowledge),
    reg('runframe.changeStatus', changeStatus),
    reg('runframe.addNote', addNote),
    reg('runframe.changeSeverity', changeSeverity),
    reg('runframe.reassignIncident', reassign),
    reg('runframe.escalateIncident', escalate),
    reg('runframe.pageSomeone', pageSomeone),
    reg('runframe.createIncident', (d) => createIncident(d)),
    reg('runframe.openInBrowser', openInBrowser),
    reg('runframe.copyIncidentNumber', copyNumber),
    reg('runframe.askCopilot', askCopilot),
  ];
}
