/**
 * Incident pages: one webview panel per incident (revealed when already open), built by
 * incidentPage.ts and fetched with GET /incidents/{number} (Runframe v1, docs/runframe-api.md).
 * A page belongs to the connection it was opened in (an environment, or the sandbox): its buttons
 * run the incident commands with its own number, and only while that connection is current; when
 * the incident can no longer be loaded there (sandbox stopped, key removed, 404) the page says so
 * and its buttons go off.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { RunframeApiError } from '../../api/errors';
import type { Incident } from '../../api/types';
import type { Cockpit } from '../commands/cockpit';
import type { Connection } from '../state/connection';
import { describeError } from '../errorMessages';
import { renderIncidentDetail } from './incidentMarkdown';
import { actionState, incidentPageBody, incidentPageHtml, PAGE_ACTIONS, type IncidentPageModel } from './incidentPage';

/** The webview panel type of incident pages. */
export const INCIDENT_PAGE_TYPE = 'runframe.incidentPage';

/** The connection an incident page belongs to: "sandbox" or the environment's id. */
function scopeOf(conn: Pick<Connection, 'mode' | 'environment'>): string {
  return conn.mode === 'sandbox' ? 'sandbox' : conn.environment.id;
}

interface OpenPage {
  panel: vscode.WebviewPanel;
  number: string;
  scope: string;
  /** The connection's label when the page was opened ("Sandbox", "Default", …) */
  environment: string;
  incident?: Incident;
  fetchedAt?: number;
  unavailable?: string;
  /** The webview's script has said it is ready for in-place updates */
  ready: boolean;
  /** Fetches in flight for this page; only the newest one's answer is shown */
  generation: number;
}

/** Opens, refreshes and disposes incident pages; handles their buttons. */
export class IncidentPanels implements vscode.Disposable {
  readonly #pages = new Map<string, OpenPage>();
  readonly #media: vscode.Uri;

  constructor(private readonly deps: () => Cockpit, extensionUri: vscode.Uri) {
    this.#media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
  }

  /** Opens the page of `number` in the current connection, or reveals and refreshes it when open. */
  async open(number: string): Promise<void> {
    const conn = this.deps().connection.current;
    const key = `${scopeOf(conn)}:${number}`;
    const existing = this.#pages.get(key);
    if (existing) {
      existing.panel.reveal(undefined, false);
      await this.#refresh(existing);
      return;
    }
    const panel = vscode.window.createWebviewPanel(INCIDENT_PAGE_TYPE, number, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [this.#media],
    });
    panel.iconPath = vscode.Uri.joinPath(this.#media, '..', '..', 'media', 'runframe.svg');
    const page: OpenPage = { panel, number, scope: scopeOf(conn), environment: conn.label, ready: false, generation: 0 };
    this.#pages.set(key, page);
    panel.onDidDispose(() => this.#pages.delete(key));
    panel.webview.onDidReceiveMessage((m: unknown) => void this.#onMessage(page, m));
    // Hidden webviews are discarded and rebuilt from webview.html when shown again: until the
    // script says it is ready, updates go to webview.html instead of a message.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) page.ready = false;
    });
    this.#render(page);
    await this.#refresh(page);
  }

  /** Re-fetches every open page (after a refresh of the cockpit, an action, or a change of connection). */
  refreshOpen(): void {
    for (const page of this.#pages.values()) void this.#refresh(page);
  }

  dispose(): void {
    for (const page of [...this.#pages.values()]) page.panel.dispose();
  }

  /** Why the page's incident cannot be loaded in the current connection, or undefined when it can be asked for. */
  #notHere(page: OpenPage): string | undefined {
    const conn = this.deps().connection.current;
    if (scopeOf(conn) !== page.scope) {
      return page.scope === 'sandbox' ? 'it is from the sandbox, which was stopped' : `it is from ${page.environment}, and the cockpit is now on ${conn.label}`;
    }
    if (!conn.client) return conn.problem ?? `no API key is set for ${page.environment}`;
    return undefined;
  }

  async #refresh(page: OpenPage): Promise<void> {
    const mine = ++page.generation;
    const why = this.#notHere(page);
    if (why) {
      page.unavailable = why;
      this.#render(page);
      return;
    }
    try {
      const incident = await this.deps().connection.current.client!.getIncident(page.number);
      if (mine !== page.generation) return;
      Object.assign(page, { incident, fetchedAt: Date.now(), unavailable: undefined });
    } catch (err) {
      if (mine !== page.generation) return;
      page.unavailable = err instanceof RunframeApiError && err.status === 404 ? `Runframe has no incident ${page.number} (404)` : describeError(err).replace(/\.$/, '');
    }
    // The connection may have changed while the request was out.
    page.unavailable = this.#notHere(page) ?? page.unavailable;
    this.#render(page);
  }

  #model(page: OpenPage): IncidentPageModel {
    return { number: page.number, environment: page.environment, incident: page.incident, fetchedAt: page.fetchedAt, nowMs: Date.now(), unavailable: page.unavailable };
  }

  #render(page: OpenPage): void {
    const model = this.#model(page);
    const i = page.incident;
    page.panel.title = `${page.number}${i?.severity ? ` ${i.severity}` : ''}${page.unavailable ? ' (not loaded)' : ''}`;
    if (page.ready) {
      void page.panel.webview.postMessage({ type: 'render', html: incidentPageBody(model) });
      return;
    }
    const webview = page.panel.webview;
    webview.html = incidentPageHtml(model, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      codiconsCss: webview.asWebviewUri(vscode.Uri.joinPath(this.#media, 'codicon.css')).toString(),
    });
  }

  async #onMessage(page: OpenPage, message: unknown): Promise<void> {
    const m = message as { type?: unknown; action?: unknown };
    if (m?.type === 'ready') {
      page.ready = true;
      return;
    }
    if (m?.type !== 'action') return;
    const action = PAGE_ACTIONS.find((a) => a.id === m.action);
    if (!action) return;
    // The button may have been clicked just before the page learnt the connection changed.
    page.unavailable = this.#notHere(page) ?? page.unavailable;
    const { enabled, why } = actionState(action, this.#model(page));
    if (!enabled) {
      this.#render(page);
      void vscode.window.showWarningMessage(`${action.label} on ${page.number}: ${why ?? 'not available'}`);
      return;
    }
    if (action.id === 'copyMarkdown') {
      await vscode.env.clipboard.writeText(renderIncidentDetail(page.incident!, page.fetchedAt ?? Date.now(), page.environment));
      vscode.window.setStatusBarMessage(`$(copy) Copied ${page.number} as Markdown`, 3000);
      return;
    }
    await vscode.commands.executeCommand(action.command!, page.number);
  }
}
