/**
 * Entry point: wires the features together. Each feature lives in its own module
 * (auth, connection, sandbox, MCP provider, incidents view, on-call view, commands).
 */
import * as vscode from 'vscode';
import { ApiKeyStore } from './auth';
import { registerCommands } from './commands';
import { ConnectionManager } from './connection';
import { IncidentsTreeProvider, openIncidentsResource } from './incidentsView';
import { registerMcpProvider } from './mcpProvider';
import { describeError } from './messages';
import { OnCallTreeProvider, onCallResource } from './oncallView';
import { Sandbox } from './sandbox';

/** VS Code entry point: builds the features and restores the sandbox if it was left on. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Runframe', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const sandbox = new Sandbox(context);
  const connection = new ConnectionManager(context, keys, sandbox, log);
  const incidents = openIncidentsResource(connection);
  const oncall = onCallResource(connection);
  const refreshAll = async () => {
    if (connection.current.mode === 'none') return;
    await Promise.all([incidents.refresh(), oncall.refresh()]);
  };

  const incidentsProvider = new IncidentsTreeProvider(incidents, connection);
  const incidentsView = vscode.window.createTreeView('runframe.incidents', { treeDataProvider: incidentsProvider, showCollapseAll: false });
  incidentsProvider.attach(incidentsView);
  const oncallProvider = new OnCallTreeProvider(oncall, connection);
  const oncallView = vscode.window.createTreeView('runframe.oncall', { treeDataProvider: oncallProvider, showCollapseAll: true });

  // Periodic refresh; the interval follows the setting.
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearInterval(timer);
    const seconds = Math.max(10, vscode.workspace.getConfiguration('runframe').get<number>('refreshIntervalSeconds') ?? 60);
    timer = setInterval(() => void refreshAll(), seconds * 1000);
  };
  arm();

  context.subscriptions.push(
    log, keys, sandbox, connection, incidentsProvider, incidentsView, oncallProvider, oncallView,
    { dispose: () => clearInterval(timer) },
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('runframe.refreshIntervalSeconds') && arm()),
    connection.onDidChange(() => {
      incidents.reset();
      oncall.reset();
      void refreshAll();
    }),
    registerMcpProvider(context, connection, keys),
    ...registerCommands({ connection, keys, sandbox, incidents, refreshAll, log }),
  );

  await vscode.commands.executeCommand('setContext', 'runframe.hasApiKey', Boolean(await keys.get()));
  if (sandbox.wanted) {
    try {
      await sandbox.start();
    } catch (err) {
      log.error(`Sandbox failed to restart: ${describeError(err)}`);
    }
  }
  await connection.rebuild();
  void refreshAll();
}

/** Nothing to do: the context's disposables stop the sandbox, timers and views. */
export function deactivate(): void {
  // Disposables registered on the context stop the sandbox and timers.
}
