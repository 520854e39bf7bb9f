/**
 * Postmortems: "Draft Postmortem" opens a Markdown draft prefilled from a resolved incident and
 * its timeline; "Submit Postmortem" sends the draft in the active editor with POST /postmortems
 * (Runframe v1) and, when the organization's postmortem level requires more, names the sections
 * still to fill.
 */
import * as vscode from 'vscode';
import { RunframeApiError } from '../../api/errors';
import type { Incident } from '../../api/types';
import { requireClient, type Cockpit } from './cockpit';
import { describeError } from '../errorMessages';
import { headingOf, parsePostmortemDraft, postmortemDraft, postmortemDraftTitle } from './postmortemDraft';
import { formatUtc } from '../../domain/format';
import { incidentNumberOf, pickIncident } from './pickers';

/** Recently resolved incidents (GET /incidents?status=resolved&status=closed, newest resolved first). */
async function pickResolved(deps: Cockpit): Promise<string | undefined> {
  const client = deps.connection.current.client!;
  let items: Incident[];
  try {
    items = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading resolved incidents…' }, () => client.listIncidents({ status: ['resolved', 'closed'], limit: 50 }))).items;
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not load resolved incidents: ${describeError(err)}`);
    return undefined;
  }
  if (!items.length) {
    void vscode.window.showInformationMessage('No resolved incidents yet: a postmortem is written once an incident is resolved.');
    return undefined;
  }
  items.sort((a, b) => (b.resolved_at ?? '').localeCompare(a.resolved_at ?? ''));
  const picked = await pickIncident(
    items.map((i) => ({ label: `${i.incident_number} ${i.title}`, description: `${i.severity ?? '?'} · ${i.status} · resolved ${formatUtc(i.resolved_at)}`, incident: i })),
    'Runframe: Draft Postmortem',
    'Pick the resolved incident (type its number, or search by title)',
  );
  return picked?.incident_number;
}

/** Opens a new untitled Markdown draft for a resolved incident (GET /incidents/{number} for the timeline). */
async function draftPostmortem(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const number = incidentNumberOf(arg) ?? (await pickResolved(deps));
  if (!number) return;
  let incident: Incident;
  try {
    incident = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loading ${number}…` }, () => client.getIncident(number));
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not load ${number}: ${describeError(err)}`);
    return;
  }
  if (incident.status !== 'resolved' && incident.status !== 'closed') {
    void vscode.window.showWarningMessage(`${number} is ${incident.status ?? 'not resolved'}; Runframe accepts a postmortem once the incident is resolved. The draft opens anyway so you can start.`);
  }
  // An untitled document named after the draft, so its tab reads "Postmortem INC-… (draft)" (an
  // anonymous one is titled by its first line, the draft's marker comment). Opening the draft
  // again shows the one already open, with whatever was written in it.
  const uri = vscode.Uri.from({ scheme: 'untitled', path: postmortemDraftTitle(number) });
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  const doc = open ?? (await vscode.workspace.openTextDocument(uri));
  if (!open) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), postmortemDraft(incident));
    await vscode.workspace.applyEdit(edit);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  }
  await vscode.window.showTextDocument(doc);
}

/** Submits the draft in the active editor. */
async function submitPostmortem(deps: Cockpit): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showWarningMessage('Open the postmortem draft first ("Runframe: Draft Postmortem"), then run Submit Postmortem from it.');
    return;
  }
  const parsed = parsePostmortemDraft(doc.getText());
  if ('error' in parsed) {
    void vscode.window.showWarningMessage(parsed.error);
    return;
  }
  const client = await requireClient(deps);
  if (!client) return;
  const { input } = parsed;
  try {
    const pm = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Submitting the postmortem for ${input.incident_number}…` }, () => client.createPostmortem(input));
    void vscode.window.showInformationMessage(`Postmortem for ${input.incident_number} submitted${pm.status ? ` (${pm.status})` : ''}.`);
    deps.refreshDetails();
  } catch (err) {
    const details = err instanceof RunframeApiError ? err.details : undefined;
    const missing = Array.isArray(details?.missing_fields) ? (details!.missing_fields as unknown[]).filter((f): f is string => typeof f === 'string') : [];
    const fields = details?.fields && typeof details.fields === 'object' ? Object.entries(details.fields as Record<string, unknown>) : [];
    if (missing.length) {
      void vscode.window.showWarningMessage(
        `Runframe needs more before it accepts this postmortem. Fill in: ${missing.map(headingOf).join(', ')}. Then submit again; the draft is unchanged.`,
      );
    } else if (err instanceof RunframeApiError && err.status === 422 && fields.length) {
      void vscode.window.showWarningMessage(`Runframe did not accept the postmortem: ${fields.map(([f, why]) => `${headingOf(f)} ${String(why)}`).join('; ')}. The draft is unchanged.`);
    } else {
      void vscode.window.showErrorMessage(`Could not submit the postmortem for ${input.incident_number}: ${describeError(err)} The draft is unchanged.`);
    }
  }
}

/** Registers Draft Postmortem and Submit Postmortem; returns their disposables. */
export function registerPostmortemCommands(deps: Cockpit): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.draftPostmortem', (arg?: unknown) => draftPostmortem(deps, arg)),
    vscode.commands.registerCommand('runframe.submitPostmortem', () => submitPostmortem(deps)),
  ];
}
