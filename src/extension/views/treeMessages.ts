/**
 * The rows the Incidents and On-call trees show instead of data: loading, empty, or why loading
 * failed with a click that fixes it.
 */
import * as vscode from 'vscode';
import { describeError, isAuthError } from '../errorMessages';

/** A row that explains an empty or failed view, optionally with an action. */
export class MessageItem extends vscode.TreeItem {
  constructor(label: string, icon: string, command?: vscode.Command, tooltip?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.command = command;
    this.tooltip = tooltip ?? label;
    this.contextValue = 'message';
  }
}

/**
 * The row a view shows when loading `what` failed: the reason in the tooltip, and a click that
 * retries, or asks for a new key after a 401.
 */
export function loadFailedItem(what: string, error: unknown): MessageItem {
  const auth = isAuthError(error);
  return new MessageItem(
    `Could not load ${what} — ${auth ? 'click to set a new API key' : 'click to retry'}`,
    'error',
    auth ? { command: 'runframe.setApiKey', title: 'Set API Key' } : { command: 'runframe.refresh', title: 'Retry' },
    describeError(error),
  );
}
