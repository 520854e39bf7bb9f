/**
 * Commands about whom the cockpit talks to and as whom: set or remove the API key, start or stop
 * the sandbox, set your email, refresh now, show the log. (Incident actions: incidentActions.ts;
 * the Incidents view's filter and grouping: incidentsViewCommands.ts; environments:
 * environmentCommands.ts; postmortems: postmortemCommands.ts.)
 */
import * as vscode from 'vscode';
import { checkEmail } from '../../domain/identifiers';
import { promptForApiKey } from './apiKeyPrompt';
import * as settings from '../state/settings';
import type { Cockpit } from './cockpit';
import { describeError } from '../errorMessages';

type CommandDeps = Cockpit;

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
  const result = await promptForApiKey(deps.keys, deps.connection.current.environment, deps.connection.requestTimeoutMs(), deps.log);
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

/**
 * Sets runframe.userEmail, for deployments whose GET /auth/verify does not name the key's user.
 * Checks the form, then looks the email up (GET /users?search=) and says whom it found.
 */
async function setUserEmail(deps: CommandDeps): Promise<void> {
  const email = await vscode.window.showInputBox({
    title: 'Runframe: Set Your Email',
    prompt: 'Your email in Runframe: used for "Assigned to me", "My teams" and whether you are on call.',
    value: settings.userEmail() || deps.currentUser()?.email || '',
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (v.trim() === '') return undefined; // clears the setting
      const checked = checkEmail(v);
      return checked.ok ? undefined : checked.message;
    },
  });
  if (email === undefined) return;
  await settings.setUserEmail(email.trim());
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

/** Registers the connection commands; returns their disposables. */
export function registerConnectionCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.showLog', () => deps.log.show()),
    vscode.commands.registerCommand('runframe.setUserEmail', () => setUserEmail(deps)),
    vscode.commands.registerCommand('runframe.setApiKey', () => setApiKey(deps)),
    vscode.commands.registerCommand('runframe.removeApiKey', () => removeApiKey(deps)),
    vscode.commands.registerCommand('runframe.startSandbox', () => startSandbox(deps)),
    vscode.commands.registerCommand('runframe.stopSandbox', () => stopSandbox(deps)),
    vscode.commands.registerCommand('runframe.refresh', () => deps.refreshAll()),
  ];
}
