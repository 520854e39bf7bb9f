/**
 * The `runframe.*` settings, read in this one module: one typed function per setting, and one way
 * to hear that some of them changed. Import it as a namespace (`settings.userEmail()`).
 * The defaults are written once, in package.json's contributes.configuration: VS Code fills them
 * in, so nothing here restates them (test/extension/settings.test.ts keeps README's table in step).
 */
import * as vscode from 'vscode';
import { TOOL_TIERS } from '../../mcp/tiers';
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
  | 'sandbox.startOnLaunch'
  | 'mcp.textFormat';


/** The package.json default of a setting (what VS Code falls back to). */
function defaultOf<T>(name: SettingName): T {
  return vscode.workspace.getConfiguration(SECTION).inspect<T>(name)?.defaultValue as T;
}

/** The setting's value; its package.json default when the user set none. */
function get<T>(name: SettingName): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(name) as T;
}

/** `runframe.apiUrl`: the Default environment's API base URL, trimmed; empty means the default (https://runframe.io). */
export function apiUrl(): string {
  return (get<string>('apiUrl') || DEFAULT_API_URL).trim();
}

/** `runframe.refreshIntervalSeconds`: refresh interval while the window has focus. */
export function refreshIntervalSeconds(): number {
  return get<number>('refreshIntervalSeconds');
}

/** `runframe.unfocusedRefreshIntervalSeconds`: refresh interval while it does not. */
export function unfocusedRefreshIntervalSeconds(): number {
  return get<number>('unfocusedRefreshIntervalSeconds');
}

/** `runframe.requestTimeoutSeconds`: how long to wait for the API per request. */
export function requestTimeoutSeconds(): number {
  return get<number>('requestTimeoutSeconds');
}

/** `runframe.userEmail`: your email in Runframe, when the API does not say whose key it is. */
export function userEmail(): string {
  return get<string>('userEmail') ?? '';
}

/** Sets `runframe.userEmail` in the user settings (empty clears it). */
export async function setUserEmail(email: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('userEmail', email, vscode.ConfigurationTarget.Global);
}

/** `runframe.notifications.minimumSeverity`: announce new incidents from this severity; "off" for none. An unknown value counts as the default. */
export function notificationsMinimumSeverity(): AnnouncementThreshold {
  const value = get<string>('notifications.minimumSeverity');
  return ANNOUNCEMENT_THRESHOLDS.find((t) => t === value) ?? defaultOf('notifications.minimumSeverity');
}

/** `runframe.mcp.toolsets`: the access tiers the MCP server gets; unknown ones are dropped, and none left means read only. */
export function mcpToolsets(): string[] {
  const value = get<string[]>('mcp.toolsets') ?? [];
  const valid = value.filter((t) => (TOOL_TIERS as readonly string[]).includes(t));
  return valid.length ? valid : ['read'];
}

/** `runframe.sandbox.startOnLaunch`: start the sandbox and show the Runframe views when VS Code starts (`npm start` sets it). */
export function sandboxStartOnLaunch(): boolean {
  return get<boolean>('sandbox.startOnLaunch') === true;
}

/** `runframe.mcp.textFormat`: the MCP server's result text, passed as RUNFRAME_TEXT_FORMAT; anything else counts as compact. */
export function mcpTextFormat(): 'compact' | 'json' {
  return get<string>('mcp.textFormat') === 'json' ? 'json' : 'compact';
}

/** Calls `listener` whenever one of `names` changes (in any scope). */
export function onDidChange(names: readonly SettingName[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (names.some((name) => e.affectsConfiguration(`${SECTION}.${name}`))) listener();
  });
}
