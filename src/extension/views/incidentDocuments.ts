/**
 * Incident detail as a read-only Markdown document (`runframe-incident:/INC-2026-040.md`),
 * fetched with GET /incidents/{number} (Runframe v1) each time VS Code asks, and re-fetched in
 * place whenever the sidebar refreshes or an action changes the incident. Ask Copilot attaches it
 * to the chat; people read incidents on the incident page (incidentPanels.ts).
 */
import * as vscode from 'vscode';
import type { Cockpit } from '../commands/cockpit';
import { renderIncidentDetail } from './incidentMarkdown';
import { describeError } from '../errorMessages';

export const DETAIL_SCHEME = 'runframe-incident';

/** The document URI of an incident. */
export function detailUri(incidentNumber: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAIL_SCHEME, path: `/${incidentNumber}.md` });
}

/** The incident number of a detail document URI ("runframe-incident:/INC-2026-040.md"), or undefined for any other URI. */
export function incidentNumberOfUri(uri: vscode.Uri): string | undefined {
  return uri.scheme === DETAIL_SCHEME ? uri.path.replace(/^\//, '').replace(/\.md$/, '') || undefined : undefined;
}

/** Serves `runframe-incident:` documents through the shared client; fires onDidChange to re-fetch open ones. */
export class IncidentDetailProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.#emitter.event;

  constructor(private readonly deps: () => Cockpit) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const number = incidentNumberOfUri(uri) ?? '';
    const conn = this.deps().connection.current;
    if (!conn.client) return `# ${number}\n\nNot connected to Runframe: set an API key or start the sandbox, then this document refreshes.\n`;
    try {
      const incident = await conn.client.getIncident(number);
      return renderIncidentDetail(incident, Date.now(), conn.label);
    } catch (err) {
      return `# ${number}\n\nCould not load this incident: ${describeError(err)}\n\nIt is fetched again at the next refresh (Runframe: Refresh).\n`;
    }
  }

  /** Re-fetches one detail document. */
  refresh(uri: vscode.Uri): void {
    this.#emitter.fire(uri);
  }

  /** Re-fetches every open detail document. */
  refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === DETAIL_SCHEME && !doc.isClosed) this.#emitter.fire(doc.uri);
  }

  dispose(): void {
    this.#emitter.dispose();
  }
}
