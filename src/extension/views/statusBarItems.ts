/**
 * Two status bar items: the incident signal (open SEV0/SEV1, error background while any is
 * unacknowledged, on call or not; click focuses the Incidents view) and the environment (click
 * switches environments). Wording comes from the pure statusBarText.
 */
import * as vscode from 'vscode';
import { statusBarModel } from './statusBarText';
import type { Incident, OnCallSnapshot } from '../../api/types';
import type { CurrentUser } from './incidentFilters';

/** Owns the two status bar items; `update` shows the latest state. */
export class RunframeStatusBar implements vscode.Disposable {
  readonly #incidents: vscode.StatusBarItem;
  readonly #environment: vscode.StatusBarItem;

  constructor() {
    this.#incidents = vscode.window.createStatusBarItem('runframe.incidents', vscode.StatusBarAlignment.Left, 100);
    this.#incidents.name = 'Runframe Incidents';
    this.#incidents.command = 'runframe.incidents.focus';
    this.#environment = vscode.window.createStatusBarItem('runframe.environment', vscode.StatusBarAlignment.Left, 99);
    this.#environment.name = 'Runframe Environment';
    this.#environment.command = 'runframe.switchEnvironment';
  }

  /**
   * Shows the state. With no connection only the environment item shows (as a way to connect).
   * @param args.updatedAt ms since epoch of the last successful refresh
   */
  update(args: { connected: boolean; environment: string; incidents?: readonly Incident[]; oncall?: OnCallSnapshot; user?: CurrentUser; updatedAt?: number; error?: string; problem?: string; workspaceServices?: readonly string[] }): void {
    this.#environment.text = `$(server-environment) ${args.environment}`;
    this.#environment.tooltip = `Runframe environment: ${args.environment}. Click to switch.`;
    this.#environment.accessibilityInformation = { label: `Runframe environment ${args.environment}, click to switch` };
    this.#environment.show();
    if (!args.connected) {
      this.#incidents.hide();
      return;
    }
    const model = statusBarModel(args);
    this.#incidents.text = model.text;
    this.#incidents.tooltip = new vscode.MarkdownString(model.tooltip);
    this.#incidents.accessibilityInformation = { label: model.accessibilityLabel };
    this.#incidents.backgroundColor = model.alarm ? new vscode.ThemeColor('statusBarItem.errorBackground') : args.error ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.#incidents.show();
  }

  dispose(): void {
    this.#incidents.dispose();
    this.#environment.dispose();
  }
}
