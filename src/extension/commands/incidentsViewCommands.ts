/**
 * The Incidents view's Filter (all open, assigned to me, my teams) and Group (none, by severity,
 * by team) commands: from the view's title buttons, or with the choice as argument.
 */
import * as vscode from 'vscode';
import type { Cockpit } from './cockpit';
import { FILTER_LABELS, GROUPING_LABELS, type IncidentFilter, type IncidentGrouping } from '../views/incidentFilters';

/** Sets the filter given, or the one picked from a list that marks the current one. */
async function filterIncidents(deps: Cockpit, arg?: unknown): Promise<void> {
  let filter = typeof arg === 'string' && arg in FILTER_LABELS ? (arg as IncidentFilter) : undefined;
  if (!filter) {
    const user = deps.currentUser();
    const picked = await vscode.window.showQuickPick(
      (Object.keys(FILTER_LABELS) as IncidentFilter[]).map((f) => ({
        label: `${f === deps.view.filter ? '$(check) ' : ''}${FILTER_LABELS[f]}`,
        description: f === 'mine' ? user?.email : f === 'myTeams' ? user?.teams.join(', ') || 'no team known' : undefined,
        filter: f,
      })),
      { title: 'Runframe: Filter Incidents' },
    );
    if (!picked) return;
    filter = picked.filter;
  }
  await deps.view.setFilter(filter);
}

/** Sets the grouping given, or the one picked from a list that marks the current one. */
async function groupIncidents(deps: Cockpit, arg?: unknown): Promise<void> {
  let grouping = typeof arg === 'string' && arg in GROUPING_LABELS ? (arg as IncidentGrouping) : undefined;
  if (!grouping) {
    const picked = await vscode.window.showQuickPick(
      (Object.keys(GROUPING_LABELS) as IncidentGrouping[]).map((g) => ({ label: `${g === deps.view.grouping ? '$(check) ' : ''}${GROUPING_LABELS[g]}`, grouping: g })),
      { title: 'Runframe: Group Incidents' },
    );
    if (!picked) return;
    grouping = picked.grouping;
  }
  await deps.view.setGrouping(grouping);
}

/** Registers Filter Incidents and Group Incidents; returns their disposables. */
export function registerIncidentsViewCommands(deps: Cockpit): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.filterIncidents', (arg?: unknown) => filterIncidents(deps, arg)),
    vscode.commands.registerCommand('runframe.groupIncidents', (arg?: unknown) => groupIncidents(deps, arg)),
  ];
}
