/**
 * What every command needs: the connection and its shared client, the loaded data, and a way to
 * refresh it. Plus the helpers all actions use to find their client and to report outcomes.
 */
import * as vscode from 'vscode';
import type { RunframeClient } from '../../api/client';
import { RunframeApiError } from '../../api/errors';
import type { Incident, OnCallSnapshot } from '../../api/types';
import type { ApiKeyStore } from '../state/apiKeys';
import type { ConnectionManager } from '../state/connection';
import type { EnvironmentStore } from '../state/environments';
import type { CurrentUser } from '../views/incidentFilters';
import type { IncidentsViewState } from '../views/incidentsViewState';
import type { Identity } from '../state/cockpitQueries';
import { describeError } from '../errorMessages';
import type { Loadable } from '../state/loadable';
import type { Sandbox } from '../state/sandbox';
import type { WorkspaceServicesWatcher } from '../state/workspaceServices';

export interface Cockpit {
  context: vscode.ExtensionContext;
  connection: ConnectionManager;
  environments: EnvironmentStore;
  keys: ApiKeyStore;
  sandbox: Sandbox;
  incidents: Loadable<Incident[]>;
  oncall: Loadable<OnCallSnapshot>;
  identity: Loadable<Identity>;
  /** Refreshes views, status bar and announcements now (joins a refresh in flight); never rejects */
  refreshAll: () => Promise<void>;
  /** Re-fetches the open incident detail documents */
  refreshDetails: () => void;
  /** Records that the person created or re-rated this incident here: it is not announced back to them */
  markOwn: (incidentNumber: string) => void;
  currentUser: () => CurrentUser | undefined;
  /** The Incidents view's filter and grouping */
  view: IncidentsViewState;
  /** The services of this workspace's .runframe.json files */
  workspace: WorkspaceServicesWatcher;
  log: vscode.LogOutputChannel;
}

/** The client, or undefined after telling the user how to connect. */
export async function requireClient(deps: Cockpit): Promise<RunframeClient | undefined> {
  const client = deps.connection.current.client;
  if (client) return client;
  const choice = await vscode.window.showWarningMessage(
    deps.connection.current.problem ?? `No Runframe API key is set${deps.environments.list().length > 1 ? ` for ${deps.connection.current.environment.label}` : ''}.`,
    'Set API Key',
    'Try the Sandbox',
  );
  if (choice === 'Set API Key') await vscode.commands.executeCommand('runframe.setApiKey');
  if (choice === 'Try the Sandbox') await vscode.commands.executeCommand('runframe.startSandbox');
  return undefined;
}

/**
 * Runs one write against the API under a progress notification, reports the outcome in words,
 * logs failures, and refreshes what it changed. A failure whose outcome is known (nothing was
 * applied) offers Retry; one whose outcome is unknown offers to open the incident instead, so a
 * note or a page is never sent twice by accident.
 * @param title progress text, e.g. "Adding a note to INC-2026-040…"
 * @param failure what could not be done, e.g. "add the note to INC-2026-040"
 * @param success the message for the result
 * @param failureActions extra buttons on the failure message (e.g. "Edit" to go back to what was typed)
 * @returns the result, or undefined when it failed or was abandoned
 */
export async function runAction<T>(
  deps: Cockpit,
  opts: {
    title: string;
    failure: string;
    incidentNumber?: string;
    run: (client: RunframeClient) => Promise<T>;
    success: (result: T) => string;
    successActions?: { label: string; run: (result: T) => unknown }[];
    failureActions?: { label: string; run: () => unknown }[];
  },
): Promise<T | undefined> {
  const client = await requireClient(deps);
  if (!client) return undefined;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: opts.title }, () => opts.run(client));
    const labels = (opts.successActions ?? []).map((a) => a.label);
    void vscode.window.showInformationMessage(opts.success(result), ...labels).then((picked) => opts.successActions?.find((a) => a.label === picked)?.run(result));
    return result;
  } catch (err) {
    deps.log.warn(`Could not ${opts.failure}: ${describeError(err)}`);
    const api = err instanceof RunframeApiError ? err : undefined;
    // Retry only helps where the failure was passing (429, 5xx, network) and nothing was applied.
    const passing = api !== undefined && api.kind !== 'aborted' && (api.kind !== 'http' || api.status === 429 || api.status >= 500);
    const actions = api?.outcomeUnknown ? (opts.incidentNumber ? ['Open Incident'] : []) : passing ? ['Retry'] : opts.incidentNumber ? ['Open Incident'] : [];
    const extra = opts.failureActions ?? [];
    const choice = await vscode.window.showErrorMessage(`Could not ${opts.failure}: ${describeError(err)}`, ...actions, ...extra.map((a) => a.label));
    if (choice === 'Retry') return runAction(deps, opts);
    await extra.find((a) => a.label === choice)?.run();
    if (choice === 'Open Incident') await vscode.commands.executeCommand('runframe.openIncident', opts.incidentNumber);
    return undefined;
  } finally {
    // Views, status bar and open detail documents (refreshAll re-fetches those too).
    void deps.refreshAll();
  }
}

/**
 * For actions that notify people (escalate, page): a modal that says who is notified, and the
 * action only when the person confirms with `confirm`. @returns the result, or undefined when
 * declined or failed
 */
export async function confirmThenRun<T>(
  deps: Cockpit,
  opts: { question: string; detail: string; confirm: string } & Parameters<typeof runAction<T>>[1],
): Promise<T | undefined> {
  const { question, detail, confirm, ...action } = opts;
  const ok = await vscode.window.showWarningMessage(question, { modal: true, detail }, confirm);
  return ok === confirm ? runAction(deps, action) : undefined;
}
