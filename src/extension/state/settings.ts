/**
 * The `runframe.*` settings, read in this one module: one typed function per setting, and one way
 * to hear that some of them changed. Import it as a namespace (`settings.userEmail()`).
 * The defaults are those of package.json's contributes.configuration; VS Code fills those in
 * itself, so the ones here only matter where the contribution is missing.
 */
import * as vscode from 'vscode';
import { DEFAULT_TOOL_TIERS, TOOL_TIERS } from '../../mcp/tiers';
import { DEFAULT_API_URL } from '../../api/client';
import { ANNOUNCEMENT_THRESHOLDS, type AnnouncementThreshold } from '../notifications/announcementRules';

const SECTION = 'runframe';

/** The settings this extension contributes, without the `runframe.` prefix. */
export type SettingName =
  | 'apiUrl'
  | 'refreshIntervalSeconds'
  | 'unfocusedRefreshIntervalSeconds'
  | 'requestTimeoutSeconds'
  | 'userEmail'
  | 'notifications.minimumSeverity'
  | 'mcp.toolsets'
  | 'mcp.textFormat';


function get<T>(name: SettingName): T | undefined {
  return vscode.workspace.getConfiguration(SECTION).get<T>(name);
}

/** `runframe.apiUrl`: the Default environment's API base URL, trimmed; empty means the default (https://runframe.io). */
export function apiUrl(): string {
  return (get<string>('apiUrl') || DEFAULT_API_URL).trim();
}

/** `runframe.refreshIntervalSeconds` (default 60): refresh interval while the window has focus. */
export function refreshIntervalSeconds(): number {
  return get<number>('refreshIntervalSeconds') ?? 60;
}

/** `runframe.unfocusedRefreshIntervalSeconds` (default 180): refresh interval while it does not. */
export function unfocusedRefreshIntervalSeconds(): number {
  return get<number>('unfocusedRefreshIntervalSeconds') ?? 180;
}

/** `runframe.requestTimeoutSeconds` (default 15): how long to wait for the API per request. */
export function requestTimeoutSeconds(): number {
  return get<number>('requestTimeoutSeconds') ?? 15;
}

/** `runframe.userEmail` (default empty): your email in Runframe, when the API does not say whose key it is. */
export function userEmail(): string {
  return get<string>('userEmail') ?? '';
}

/** Sets `runframe.userEmail` in the user settings (empty clears it). */
export async function setUserEmail(email: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('userEmail', email, vscode.ConfigurationTarget.Global);
}

/** `runframe.notifications.minimumSeverity` (default SEV1): announce new incidents from this severity; "off" for none. An unknown value counts as the default. */
export function notificationsMinimumSeverity(): AnnouncementThreshold {
  const value = get<string>('notifications.minimumSeverity') ?? 'SEV1';
  return ANNOUNCEMENT_THRESHOLDS.find((t) => t === value) ?? 'SEV1';
}

/** `runframe.mcp.toolsets` (default read, write, page): the access tiers the MCP server gets; unknown ones are dropped, and none left means read only. */
export function mcpToolsets(): string[] {
  const value = get<string[]>('mcp.toolsets') ?? [...DEFAULT_TOOL_TIERS];
  const valid = value.filter((t) => (TOOL_TIERS as readonly string[]).includes(t));
  return valid.length ? valid : ['read'];
}

/** `runframe.mcp.textFormat` (default compact): the MCP server's result text, passed as RUNFRAME_TEXT_FORMAT; anything else counts as compact. */
export function mcpTextFormat(): 'compact' | 'json' {
  return get<string>('mcp.textFormat') === 'json' ? 'json' : 'compact';
}

/** Calls `listener` whenever one of `names` changes (in any scope). */
export function onDidChange(names: readonly SettingName[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (names.some((name) => e.affectsConfiguration(`${SECTION}.${name}`))) listener();
  });
}
