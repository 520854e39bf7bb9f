/**
 * Incident detail as a read-only Markdown document (`runframe-incident:/INC-2026-040.md`),
 * fetched with GET /incidents/{number} (Runframe v1) each time VS Code asks, and re-fetched in
 * place whenever the sidebar refreshes or an action changes the incident.
 */
import * as vscode from 'vscode';
import { requireClient, type Cockpit } from '../commands/cockpit';
import { renderIncidentDetail } from './incidentMarkdown';
import { describeError } from '../errorMessages';
import { resolveIncident } from '../commands/pickers';

export const DETAIL_SCHEME = 'runframe-incident';

/** The document URI of an incident. */
export function detailUri(incidentNumber: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAIL_SCHEME, path: `/${incidentNumber}.md` });
}

/** Serves `runframe-incident:` documents through the shared client; fires onDidChange to re-fetch open ones. */
export class IncidentDetailProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.#emitter.event;

  constructor(private readonly deps: () => Cockpit) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const number = uri.path.replace(/^\//, '').replace(/\.md$/, '');
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

/** Opens (or re-fetches and shows) an incident's detail document beside nothing else: the main editor, as a preview tab. */
export async function openIncidentDetail(deps: Cockpit, provider: IncidentDetailProvider, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Open Incident', client);
  if (!incident) return;
  const uri = detailUri(incident.incident_number);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open) provider.refresh(uri);
  const doc = open ?? (await vscode.workspace.openTextDocument(uri));
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: false });
}
