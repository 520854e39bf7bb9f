/**
 * Palette and view commands for the connection and the view: API key, sandbox, refresh,
 * acknowledge, filter and grouping. (Other incident actions: incidentActions.ts; environments:
 * environmentCommands.ts; postmortems: postmortemCommands.ts.) Every action goes through the
 * shared client, reports its outcome in plain words, and refreshes what it changed.
 */
import * as vscode from 'vscode';
import { RunframeApiError } from '../../api/errors';
import { parsePerson } from '../../api/parse';
import { checkEmail } from '../../domain/identifiers';
import { promptForApiKey } from '../state/apiKeys';
import { requireClient, type Cockpit } from './cockpit';
import { FILTER_LABELS, GROUPING_LABELS, type IncidentFilter, type IncidentGrouping } from '../views/incidentFilters';
import { IncidentItem } from '../views/incidentsTree';
import { describeError } from '../errorMessages';
import { resolveIncident } from './pickers';
import { isUnacknowledged } from '../views/treeRows';

type CommandDeps = Cockpit;

/** Runframe v1 acknowledge with progress and a clear outcome; 409 is reported as "already acknowledged". */
async function acknowledge(deps: CommandDeps, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const number =
    arg instanceof IncidentItem ? arg.incident.incident_number
    : typeof arg === 'string' ? arg
    : (await resolveIncident(deps, undefined, 'Runframe: Acknowledge Incident', client, isUnacknowledged, 'No unacknowledged open incidents.'))?.incident_number;
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

async function startSandbox(deps: CommandDeps): Promise<void> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the Runframe sandbox…' }, () => deps.sandbox.start());
    await deps.connection.rebuild();
    await vscode.commands.executeCommand('workbench.view.extension.runframe');
    void vscode.window.showInformationMessage('Runframe sandbox running: demo data from a local emulator, no account needed. Copilot can use the "Runframe (sandbox)" MCP server.', 'Stop Sandbox').then((c) => {
      if (c === 'Stop Sandbox') void vscode.commands.executeCommand('runframe.stopSandbox');
    });
  } catch (err) {
    deps.log.error(`Sandbox failed to start: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`The Runframe sandbox could not start: ${describeError(err)}`);
  }
}

async function stopSandbox(deps: CommandDeps): Promise<void> {
  await deps.sandbox.stop();
  await deps.connection.rebuild();
  const mode = deps.connection.current.mode;
  void vscode.window.showInformationMessage(mode === 'account' ? `Sandbox stopped; back on your Runframe account (${deps.connection.current.apiUrl}).` : 'Sandbox stopped. Set an API key to connect to your Runframe account.');
}

async function setApiKey(deps: CommandDeps): Promise<void> {
  const result = await promptForApiKey(deps.keys, deps.connection.current.environment, deps.connection.requestTimeoutMs());
  if (!result.stored) return;
  await deps.connection.rebuild();
  if (deps.sandbox.endpoint) {
    const c = await vscode.window.showInformationMessage('The sandbox is still running, so views and Copilot use demo data. Stop it to use your account.', 'Stop Sandbox');
    if (c === 'Stop Sandbox') await vscode.commands.executeCommand('runframe.stopSandbox');
  }
}

async function removeApiKey(deps: CommandDeps): Promise<void> {
  const env = deps.connection.current.environment;
  if (!(await deps.keys.get(env.id))) {
    void vscode.window.showInformationMessage(`No Runframe API key is stored for ${env.label}.`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(`Remove the Runframe API key of ${env.label} from this machine?`, { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  await deps.keys.delete(env.id);
  await deps.connection.rebuild();
  void vscode.window.showInformationMessage('Runframe API key removed.');
}

async function filterIncidents(deps: CommandDeps, arg?: unknown): Promise<void> {
  let filter = typeof arg === 'string' && arg in FILTER_LABELS ? (arg as IncidentFilter) : undefined;
  if (!filter) {
    const user = deps.currentUser();
    const picked = await vscode.window.showQuickPick(
      (Object.keys(FILTER_LABELS) as IncidentFilter[]).map((f) => ({
        label: `${f === deps.view.filter ? '$(check) ' : ''}${FILTER_LABELS[f]}`,
        description: f === 'mine' ? user?.email : f === 'myTeams' ? user?.teams.join(', ') || 'no team known' : undefined,
        filter: f,
      })),
      { title: 'Runframe: Filter Incidents' },
    );
    if (!picked) return;
    filter = picked.filter;
  }
  await deps.view.setFilter(filter);
}

async function groupIncidents(deps: CommandDeps, arg?: unknown): Promise<void> {
  let grouping = typeof arg === 'string' && arg in GROUPING_LABELS ? (arg as IncidentGrouping) : undefined;
  if (!grouping) {
    const picked = await vscode.window.showQuickPick(
      (Object.keys(GROUPING_LABELS) as IncidentGrouping[]).map((g) => ({ label: `${g === deps.view.grouping ? '$(check) ' : ''}${GROUPING_LABELS[g]}`, grouping: g })),
      { title: 'Runframe: Group Incidents' },
    );
    if (!picked) return;
    grouping = picked.grouping;
  }
  await deps.view.setGrouping(grouping);
}

/**
 * Sets runframe.userEmail, for deployments whose GET /auth/verify does not name the key's user.
 * Checks the form, then looks the email up (GET /users?search=) and says whom it found.
 */
async function setUserEmail(deps: CommandDeps): Promise<void> {
  const config = vscode.workspace.getConfiguration('runframe');
  const email = await vscode.window.showInputBox({
    title: 'Runframe: Set Your Email',
    prompt: 'Your email in Runframe: used for "Assigned to me", "My teams" and whether you are on call.',
    value: config.get<string>('userEmail') || deps.currentUser()?.email || '',
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (v.trim() === '') return undefined; // clears the setting
      const checked = checkEmail(v);
      return checked.ok ? undefined : checked.message;
    },
  });
  if (email === undefined) return;
  await config.update('userEmail', email.trim(), vscode.ConfigurationTarget.Global);
  const client = deps.connection.current.client;
  if (!email.trim() || !client) return;
  try {
    const found = (await client.listUsers({ search: email.trim(), limit: 5 })).items.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
    if (found) void vscode.window.showInformationMessage(`Runframe: you are ${found.name}${found.team_name ? ` (${found.team_name})` : ''}.`);
    else void vscode.window.showWarningMessage(`No Runframe user has the email ${email.trim()}; "Assigned to me" will match nothing until it is right.`);
  } catch (err) {
    deps.log.info(`Could not look up ${email.trim()}: ${describeError(err)}`);
  }
}

/** Registers the commands; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.filterIncidents', (arg?: unknown) => filterIncidents(deps, arg)),
    vscode.commands.registerCommand('runframe.groupIncidents', (arg?: unknown) => groupIncidents(deps, arg)),
    vscode.commands.registerCommand('runframe.showLog', () => deps.log.show()),
    vscode.commands.registerCommand('runframe.setUserEmail', () => setUserEmail(deps)),
    vscode.commands.registerCommand('runframe.setApiKey', () => setApiKey(deps)),
    vscode.commands.registerCommand('runframe.removeApiKey', () => removeApiKey(deps)),
    vscode.commands.registerCommand('runframe.startSandbox', () => startSandbox(deps)),
    vscode.commands.registerCommand('runframe.stopSandbox', () => stopSandbox(deps)),
    vscode.commands.registerCommand('runframe.refresh', () => deps.refreshAll()),
    vscode.commands.registerCommand('runframe.acknowledgeIncident', (arg?: unknown) => acknowledge(deps, arg)),
  ];
}
