/**
 * The Incidents view: every open incident (all pages), most severe first then newest, filtered
 * (all / mine / my teams) and grouped (none / severity / team), with a badge counting the
 * unacknowledged ones and "updated <time>" in the title. When loading fails it shows why, with
 * a Retry action, instead of an empty tree. Clicking an incident opens its detail document.
 * With a .runframe.json in the workspace, the open incidents on its services come first, under
 * "This workspace".
 */
import * as vscode from 'vscode';
import type { Incident } from '../../api/types';
import type { ConnectionManager } from '../state/connection';
import { Loadable, type LoadableState } from '../state/loadable';
import { loadOpenIncidents } from '../state/cockpitQueries';
import { incidentRow } from './treeRows';
import { isUnacknowledged, unacknowledgedCount } from '../../domain/attention';
import { touchesServices } from '../../domain/workspaceServices';
import { loadFailedItem, MessageItem } from './treeMessages';
import { FILTER_LABELS, filterIncidents, groupIncidents, type CurrentUser, type IncidentFilter, type IncidentGrouping } from './incidentFilters';

/** A tree item for one incident; `incident` is what commands invoked on it receive. */
export class IncidentItem extends vscode.TreeItem {
  /** @param section ids are unique in a tree: a row shown twice (in "This workspace" too) is told apart by it */
  constructor(
    readonly incident: Incident,
    nowMs: number,
    section = '',
  ) {
    const row = incidentRow(incident, nowMs);
    super(row.label, vscode.TreeItemCollapsibleState.None);
    this.id = `${section}incident:${incident.incident_number}`;
    this.description = row.description;
    this.tooltip = new vscode.MarkdownString(row.tooltip);
    this.iconPath = new vscode.ThemeIcon(row.icon, new vscode.ThemeColor(row.color));
    this.contextValue = row.unacknowledged ? 'incident.unacknowledged' : 'incident.acknowledged';
    this.accessibilityInformation = { label: `${row.label.replace(' unacked', ' unacknowledged')}, ${row.description}` };
    this.command = { command: 'runframe.openIncident', title: 'Open Incident', arguments: [incident.incident_number] };
  }
}

/** A severity or team heading with its incidents. */
export class GroupItem extends vscode.TreeItem {
  constructor(
    readonly groupId: string,
    label: string,
    readonly incidents: Incident[],
  ) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${groupId}`;
    const unacked = incidents.filter(isUnacknowledged).length;
    this.description = `${incidents.length}${unacked ? ` · ${unacked} unacknowledged` : ''}`;
    this.contextValue = 'group';
  }
}

/** How the view is filtered and grouped, and for whom. */
export interface IncidentsViewOptions {
  filter(): IncidentFilter;
  grouping(): IncidentGrouping;
  user(): CurrentUser | undefined;
  /** Service keys of this workspace's .runframe.json: their open incidents come first, under "This workspace" */
  workspaceServices(): readonly string[];
}

/** The "This workspace" heading: every open incident on the workspace's services, whatever the filter. */
const WORKSPACE_GROUP = 'workspace';

/** All open incidents through the shared client (following next_offset, 100 per page). */
export function openIncidentsLoadable(connection: ConnectionManager): Loadable<Incident[]> {
  return new Loadable(() => loadOpenIncidents(connection.current.client));
}

/** The Incidents view's data: open incidents from the shared loadable, or why there are none. */
export class IncidentsTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.#emitter.event;
  #view?: vscode.TreeView<vscode.TreeItem>;
  readonly #subscription: { dispose(): void };

  #status = '';

  constructor(
    private readonly incidents: Loadable<Incident[]>,
    private readonly connection: ConnectionManager,
    private readonly options: IncidentsViewOptions,
  ) {
    this.#subscription = incidents.onDidChange((state) => {
      this.#updateBadge(state);
      this.#emitter.fire();
    });
  }

  /** Attaches the view so the provider can set its badge and description. */
  attach(view: vscode.TreeView<vscode.TreeItem>): void {
    this.#view = view;
    this.#updateBadge(this.incidents.state);
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  /** Re-renders (filter, grouping or user changed). */
  update(): void {
    this.#updateBadge(this.incidents.state);
    this.#emitter.fire();
  }

  /** Sets the refresh status shown in the view's title, e.g. "updated 14:05:09". */
  setStatus(text: string): void {
    this.#status = text;
    this.#updateBadge(this.incidents.state);
  }

  getChildren(element?: vscode.TreeItem): vscode.TreeItem[] {
    const now = Date.now();
    if (element instanceof GroupItem) return element.incidents.map((i) => new IncidentItem(i, now, element.groupId === WORKSPACE_GROUP ? 'workspace:' : ''));
    if (element) return [];
    const conn = this.connection.current;
    // No connection: return nothing so the welcome view (Set API Key / Try the Sandbox) shows.
    if (conn.mode === 'none') {
      return conn.problem ? [new MessageItem(conn.problem, 'error', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['runframe.apiUrl'] })] : [];
    }
    const { value, error, loading } = this.incidents.state;
    const items: vscode.TreeItem[] = [];
    if (error) items.push(loadFailedItem('incidents', error));
    if (value === undefined) {
      if (!error) items.push(new MessageItem(loading ? 'Loading incidents…' : 'Not loaded yet', loading ? 'loading~spin' : 'circle-outline'));
      return items;
    }
    const services = this.options.workspaceServices();
    if (services.length) {
      const here = value.filter((i) => touchesServices(i, services));
      items.push(
        here.length
          ? new GroupItem(WORKSPACE_GROUP, 'This workspace', here)
          : new MessageItem(`This workspace: no open incidents on its ${services.length === 1 ? 'service' : `${services.length} services`}`, 'pass', { command: 'runframe.setWorkspaceServices', title: 'Set Workspace Services' }),
      );
    }
    if (value.length === 0 && !error) return items.concat(new MessageItem('No open incidents. All quiet.', 'check'));
    const filter = this.options.filter();
    const { incidents, problem } = filterIncidents(value, filter, this.options.user());
    const showAll = { command: 'runframe.filterIncidents', title: 'Change Filter', arguments: ['all'] };
    if (problem) {
      const fix = this.options.user()?.email ? showAll : { command: 'runframe.setUserEmail', title: 'Set Your Email' };
      return items.concat(new MessageItem(problem, 'warning', fix));
    }
    if (!incidents.length) return items.concat(new MessageItem(`No open incidents match "${FILTER_LABELS[filter]}" (${value.length} open in all). Click to show all.`, 'filter', showAll));
    const grouping = this.options.grouping();
    if (grouping === 'none') return items.concat(incidents.map((i) => new IncidentItem(i, now)));
    return items.concat(groupIncidents(incidents, grouping).map((g) => new GroupItem(g.id, g.label, g.incidents)));
  }

  #updateBadge(state: Readonly<LoadableState<Incident[]>>): void {
    if (!this.#view) return;
    const unacked = unacknowledgedCount(state.value ?? []);
    this.#view.badge = unacked ? { value: unacked, tooltip: `${unacked} unacknowledged open incident${unacked === 1 ? '' : 's'}` } : undefined;
    const conn = this.connection.current;
    const filter = this.options.filter();
    const plainDefault = conn.mode === 'account' && conn.environment.isDefault && conn.label === 'Default';
    const parts = [conn.mode === 'none' || plainDefault ? undefined : conn.label, filter === 'all' ? undefined : FILTER_LABELS[filter], this.#status || undefined].filter(Boolean);
    this.#view.description = parts.join(' · ') || undefined;
    this.#view.message = conn.mode === 'sandbox' ? 'Sandbox: demo data from the local emulator. Run "Runframe: Stop Sandbox" to return to your account.' : undefined;
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#emitter.dispose();
  }
}
