/**
 * Entry point: wires the features together. They live in folders by what they hold: state/
 * (which Runframe, which key, the loaded data and when it refreshes), views/, commands/, mcp/ and
 * notifications/; the refresh scheduler drives the data they share.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { clockTime } from '../domain/format';
import { ApiKeyStore } from './state/apiKeys';
import { loadIdentity, loadOpenIncidentsCreatedSince, type Identity } from './state/cockpitQueries';
import { ConnectionManager } from './state/connection';
import { EnvironmentStore } from './state/environments';
import { Loadable } from './state/loadable';
import { refreshFor, type RefreshTargets } from './state/refreshOnce';
import { RefreshScheduler, refreshPolicyFor, type RefreshPolicy } from './state/refreshScheduler';
import { Sandbox } from './state/sandbox';
import { WorkspaceServicesWatcher } from './state/workspaceServices';
import * as settings from './state/settings';
import { DETAIL_SCHEME, IncidentDetailProvider } from './views/incidentDocuments';
import { IncidentPanels } from './views/incidentPanels';
import { teamsOf, type CurrentUser } from './views/incidentFilters';
import { IncidentsTreeProvider, openIncidentsLoadable } from './views/incidentsTree';
import { IncidentsViewState } from './views/incidentsViewState';
import { OnCallTreeProvider, onCallLoadable } from './views/onCallTree';
import { RunframeStatusBar } from './views/statusBarItems';
import type { Cockpit } from './commands/cockpit';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerEnvironmentCommands } from './commands/environmentCommands';
import { registerIncidentActions } from './commands/incidentActions';
import { incidentNumberOf, resolveIncident } from './commands/pickers';
import { requireClient } from './commands/cockpit';
import { registerIncidentsViewCommands } from './commands/incidentsViewCommands';
import { registerPostmortemCommands } from './commands/postmortemCommands';
import { registerWorkspaceCommands } from './commands/workspaceCommands';
import { registerOnCallCommands } from './commands/onCallCommands';
import { followAuditFile } from './mcp/auditLogFollower';
import { registerMcpProvider } from './mcp/serverDefinitionProvider';
import { IncidentAnnouncer } from './notifications/incidentAnnouncer';
import { describeError, summarizeError } from './errorMessages';

/** Refresh timings from the settings. */
function refreshPolicy(): RefreshPolicy {
  return refreshPolicyFor(settings.refreshIntervalSeconds(), settings.unfocusedRefreshIntervalSeconds());
}

/** Opens the incident page of the incident the command was invoked on, or of one picked from the palette. */
async function openIncidentPage(deps: Cockpit, pages: IncidentPanels, arg?: unknown): Promise<void> {
  let number = incidentNumberOf(arg);
  if (!number) {
    const client = await requireClient(deps);
    if (!client) return;
    number = (await resolveIncident(deps, arg, 'Runframe: Open Incident', client))?.incident_number;
  }
  if (number) await pages.open(number);
}

/** VS Code entry point: builds the features and starts the sandbox if it was left on (or runframe.sandbox.startOnLaunch says so). */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Runframe', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const environments = new EnvironmentStore(context.globalState);
  const sandbox = new Sandbox(context);
  const connection = new ConnectionManager(context, keys, sandbox, environments, log);
  const incidents = openIncidentsLoadable(connection);
  const oncall = onCallLoadable(connection);
  const identity = new Loadable<Identity>(() => loadIdentity(connection.current.client, settings.userEmail()));
  const announcer = new IncidentAnnouncer(context.globalState, log);
  const statusBar = new RunframeStatusBar();

  const currentUser = (): CurrentUser | undefined => {
    const me = identity.state.value;
    if (!me?.email) return undefined;
    return { name: me.name, email: me.email, teams: teamsOf(me.email, me.team, oncall.state.value) };
  };
  const view = new IncidentsViewState(context.workspaceState);
  const workspace = new WorkspaceServicesWatcher();

  const incidentsProvider = new IncidentsTreeProvider(incidents, connection, { filter: () => view.filter, grouping: () => view.grouping, user: currentUser, workspaceServices: () => workspace.services });
  const incidentsView = vscode.window.createTreeView('runframe.incidents', { treeDataProvider: incidentsProvider, showCollapseAll: true });
  incidentsProvider.attach(incidentsView);
  const oncallProvider = new OnCallTreeProvider(oncall, connection, () => identity.state.value?.email);
  const oncallView = vscode.window.createTreeView('runframe.oncall', { treeDataProvider: oncallProvider, showCollapseAll: true });
  const details = new IncidentDetailProvider(() => deps);
  const pages = new IncidentPanels(() => deps, context.extensionUri);
  const refreshDetails = () => {
    details.refreshOpen();
    pages.refreshOpen();
  };

  const updateStatusBar = () => {
    const conn = connection.current;
    const error = incidents.state.error ?? oncall.state.error;
    statusBar.update({
      connected: conn.mode !== 'none',
      environment: conn.label,
      incidents: incidents.state.value,
      oncall: oncall.state.value,
      user: currentUser(),
      updatedAt: incidents.state.updatedAt,
      error: error ? describeError(error) : undefined,
      problem: error ? summarizeError(error).short : undefined,
      workspaceServices: workspace.services,
    });
  };

  const refreshTargets: RefreshTargets = {
    connection, incidents, oncall, identity,
    announce: (scope, open) => announcer.observe(scope, open),
    refreshDetails,
    createdSince: (since) => loadOpenIncidentsCreatedSince(connection.current.client, since),
  };
  const scheduler = new RefreshScheduler(refreshFor(refreshTargets), refreshPolicy());
  const showSchedule = () => {
    const s = scheduler.state;
    const updated = incidents.state.updatedAt;
    const retry = s.consecutiveFailures && s.nextDueAt ? `failed, retry ${clockTime(s.nextDueAt)}` : '';
    incidentsProvider.setStatus(s.running && !updated ? '' : [updated ? `updated ${clockTime(updated)}` : '', retry].filter(Boolean).join(' · '));
    updateStatusBar();
  };
  const refreshAll = () => scheduler.refreshNow();

  const deps: Cockpit = {
    context, connection, environments, keys, sandbox, incidents, oncall, identity, log, view, workspace, currentUser,
    refreshAll,
    refreshDetails,
    markOwn: (n) => announcer.markOwn(n),
  };

  const auditFile = join(context.logUri.fsPath, 'mcp-audit.jsonl');
  context.subscriptions.push(
    log, keys, environments, sandbox, connection, incidentsProvider, incidentsView, oncallProvider, oncallView, statusBar, details, pages, workspace,
    { dispose: () => scheduler.stop() },
    view.onDidChange(() => incidentsProvider.update()),
    workspace.onDidChange(() => {
      incidentsProvider.update();
      updateStatusBar();
    }),
    scheduler.onDidChange(showSchedule),
    incidents.onDidChange(updateStatusBar),
    oncall.onDidChange(() => {
      updateStatusBar();
      if (view.filter === 'myTeams') incidentsProvider.update();
    }),
    identity.onDidChange(() => {
      updateStatusBar();
      incidentsProvider.update();
      oncallProvider.update();
    }),
    vscode.window.onDidChangeWindowState((w) => scheduler.setFocused(w.focused)),
    settings.onDidChange(['refreshIntervalSeconds', 'unfocusedRefreshIntervalSeconds'], () => scheduler.setPolicy(refreshPolicy())),
    settings.onDidChange(['userEmail'], () => {
      identity.reset();
      void identity.refresh();
    }),
    connection.onDidChange(() => {
      incidents.reset();
      oncall.reset();
      identity.reset();
      updateStatusBar();
      incidentsProvider.update();
      // Pages of another connection (or of none) say at once that they can no longer be loaded.
      pages.refreshOpen();
      void refreshAll();
    }),
    vscode.workspace.registerTextDocumentContentProvider(DETAIL_SCHEME, details),
    vscode.commands.registerCommand('runframe.openIncident', (arg?: unknown) => openIncidentPage(deps, pages, arg)),
    registerMcpProvider(context, connection, keys, auditFile, workspace),
    ...registerConnectionCommands(deps),
    ...registerIncidentsViewCommands(deps),
    ...registerIncidentActions(deps),
    ...registerEnvironmentCommands(deps),
    ...registerPostmortemCommands(deps),
    ...registerWorkspaceCommands(deps),
    ...registerOnCallCommands(deps),
  );
  try {
    context.subscriptions.push(followAuditFile(auditFile, log));
  } catch (err) {
    log.warn(`MCP audit lines will not show here: ${describeError(err)}`);
  }

  scheduler.setFocused(vscode.window.state.focused);
  const startSandbox = settings.sandboxStartOnLaunch();
  if (sandbox.wanted || startSandbox) {
    try {
      await sandbox.start();
      if (startSandbox) void vscode.commands.executeCommand('workbench.view.extension.runframe');
    } catch (err) {
      log.error(`Sandbox failed to restart: ${describeError(err)}`);
    }
  }
  await connection.rebuild();
  updateStatusBar();
  void scheduler.start();
}

/** Nothing to do: the context's disposables stop the sandbox, timers and views. */
export function deactivate(): void {
  // Disposables registered on the context stop the sandbox and timers.
}
