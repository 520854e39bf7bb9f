/**
 * "Who do I call?": Copy Email on a person in the On-call view, and Who Is On Call on an incident
 * (the people on call now for its services, GET /on-call/current) with Page and Copy Email on the
 * one chosen. Paging itself is runframe.pageSomeone (which confirms before notifying anyone).
 */
import * as vscode from 'vscode';
import type { Cockpit } from './cockpit';
import { requireClient } from './cockpit';
import { resolveIncident } from './pickers';
import { personOf } from '../views/onCallTree';
import { onCallForIncident } from '../views/onCallPeople';
import { sameEmail } from '../../domain/identifiers';

async function copyEmail(email: string): Promise<void> {
  await vscode.env.clipboard.writeText(email);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${email}`, 3000);
}

/** Copies the email of the person the command was invoked on (On-call view). */
async function copyPersonEmail(_deps: Cockpit, arg?: unknown): Promise<void> {
  const person = personOf(arg);
  if (!person) {
    void vscode.window.showInformationMessage('Choose a person in the On-call view (right-click, Copy Email).');
    return;
  }
  await copyEmail(person.email);
}

/** Lists who is on call for an incident's services; Page or Copy Email on the one picked. */
async function whoIsOnCall(deps: Cockpit, arg?: unknown): Promise<void> {
  const client = await requireClient(deps);
  if (!client) return;
  const incident = await resolveIncident(deps, arg, 'Runframe: Who Is On Call', client);
  if (!incident) return;
  if (!deps.oncall.state.value) await deps.oncall.refresh();
  const people = onCallForIncident(incident, deps.oncall.state.value);
  const services = incident.services.map((s) => s.name ?? s.service_key).join(', ') || 'its services';
  if (!people.length) {
    void vscode.window.showWarningMessage(`Nobody is on call now for ${services} (${incident.incident_number}).`);
    return;
  }
  const me = deps.currentUser()?.email;
  const picked = await vscode.window.showQuickPick(
    people.map((p) => ({ label: sameEmail(p.email, me) ? `${p.name} (you)` : p.name, description: p.email, detail: `${p.role ?? 'on call'} for ${p.services.join(', ')}`, person: p })),
    { title: `On call for ${services} (${incident.incident_number})`, placeHolder: 'Pick a person to page or to copy their email' },
  );
  if (!picked) return;
  const action = await vscode.window.showQuickPick([`Page ${picked.person.name}…`, 'Copy Email'], { title: picked.person.name });
  if (action === 'Copy Email') await copyEmail(picked.person.email);
  else if (action) await vscode.commands.executeCommand('runframe.pageSomeone', incident.incident_number, picked.person);
}

/** Registers Copy Email and Who Is On Call; returns their disposables. */
export function registerOnCallCommands(deps: Cockpit): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.copyEmail', (arg?: unknown) => copyPersonEmail(deps, arg)),
    vscode.commands.registerCommand('runframe.whoIsOnCall', (arg?: unknown) => whoIsOnCall(deps, arg)),
  ];
}
