/**
 * Runframe: Set Workspace Services: writes `.runframe.json` at a workspace folder's root from the
 * services picked in a list of Runframe's (the current ones preselected), so the editor, Copilot
 * and `runframe-mcp check` know which services this code belongs to.
 */
import * as vscode from 'vscode';
import { WORKSPACE_SERVICES_FILE } from '../../domain/workspaceServices';
import { describeError } from '../errorMessages';
import { requireClient, type Cockpit } from './cockpit';
import { loadAllServices } from './pickers';

async function setWorkspaceServices(deps: Cockpit): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    void vscode.window.showInformationMessage(`Open a folder first: ${WORKSPACE_SERVICES_FILE} is saved at the root of a workspace folder.`);
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder\'s code belongs to the services?' });
  if (!folder) return;
  const client = await requireClient(deps);
  if (!client) return;
  let all;
  try {
    all = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading Runframe services…' }, () => loadAllServices(client));
  } catch (err) {
    deps.log.error(`Set Workspace Services: could not load services: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`Could not load Runframe's services: ${describeError(err)}`);
    return;
  }
  if (!all.length) {
    void vscode.window.showWarningMessage('Runframe lists no services to pick from.');
    return;
  }
  const current = await deps.workspace.servicesOf(folder);
  const picked = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s.name, description: s.service_key, detail: [s.team_name, s.description].filter(Boolean).join(' · ') || undefined, picked: current.includes(s.service_key), key: s.service_key })),
    { title: `Runframe: Set Workspace Services (${folder.name})`, placeHolder: 'Check the services this code belongs to, then press Enter', canPickMany: true, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) return;
  if (!picked.length) {
    void vscode.window.showWarningMessage(`No service was checked, so ${WORKSPACE_SERVICES_FILE} was left as it was.`);
    return;
  }
  try {
    const uri = await deps.workspace.write(folder, picked.map((p) => p.key));
    const choice = await vscode.window.showInformationMessage(
      `Saved ${WORKSPACE_SERVICES_FILE} in ${folder.name}: ${picked.map((p) => p.label).join(', ')}. Commit it so your team's editors and the pre-push check use it.`,
      'Open File',
    );
    if (choice === 'Open File') await vscode.window.showTextDocument(uri);
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not write ${WORKSPACE_SERVICES_FILE} in ${folder.name}: ${describeError(err)}`);
  }
}

/** Registers runframe.setWorkspaceServices. */
export function registerWorkspaceCommands(deps: Cockpit): vscode.Disposable[] {
  return [vscode.commands.registerCommand('runframe.setWorkspaceServices', () => setWorkspaceServices(deps))];
}
