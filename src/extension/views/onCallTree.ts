/**
 * The On-call view: teams, their services, and who is on call for each with the shift end
 * ("until 14:00 (in 7h)"), the key's user marked "(you)"; Page and Copy Email on a person.
 * Services without coverage carry a warning icon.
 */
import * as vscode from 'vscode';
import type { OnCallSnapshot } from '../../api/types';
import type { ConnectionManager } from '../state/connection';
import { loadFailedItem, MessageItem } from './treeMessages';
import { loadOnCall } from '../state/cockpitQueries';
import { Loadable } from '../state/loadable';
import { groupOnCall, type EngineerRow, type OnCallServiceRow, type OnCallTeamGroup } from './treeRows';

class TeamItem extends vscode.TreeItem {
  constructor(readonly group: OnCallTeamGroup) {
    super(group.team, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `team:${group.team}`;
    this.description = group.description;
    this.iconPath = new vscode.ThemeIcon(group.uncovered ? 'warning' : 'organization', group.uncovered ? new vscode.ThemeColor('list.warningForeground') : undefined);
    this.contextValue = 'team';
  }
}

class ServiceItem extends vscode.TreeItem {
  constructor(
    readonly service: OnCallServiceRow,
    team: string,
  ) {
    super(service.name, service.engineers.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `service:${team}:${service.serviceKey}`;
    this.description = service.description;
    this.tooltip = new vscode.MarkdownString(service.tooltip);
    this.iconPath = service.covered ? new vscode.ThemeIcon('server') : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    this.contextValue = service.covered ? 'service.covered' : 'service.uncovered';
  }
}

/** A person on shift; Page and Copy Email act on it (when the API gave an email). */
export class EngineerItem extends vscode.TreeItem {
  constructor(
    readonly engineer: EngineerRow,
    parentId: string,
  ) {
    super(engineer.label, vscode.TreeItemCollapsibleState.None);
    this.id = `${parentId}:${engineer.email ?? engineer.name}:${engineer.description}`;
    this.description = engineer.description;
    this.tooltip = engineer.email ? `${engineer.label} <${engineer.email}>` : engineer.label;
    this.iconPath = new vscode.ThemeIcon(engineer.isMe ? 'account' : 'person');
    this.contextValue = engineer.email ? 'engineer.reachable' : 'engineer';
  }
}

/** The person a command was invoked on in the On-call view, if it was (and has an email). */
export function personOf(arg: unknown): { name: string; email: string } | undefined {
  if (!(arg instanceof EngineerItem) || !arg.engineer.email) return undefined;
  return { name: arg.engineer.name, email: arg.engineer.email };
}

/** Loads the on-call snapshot through the shared client. */
export function onCallLoadable(connection: ConnectionManager): Loadable<OnCallSnapshot> {
  return new Loadable(() => loadOnCall(connection.current.client));
}

/** The On-call view's data: teams, then services, then engineers on shift. */
export class OnCallTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.#emitter.event;
  readonly #subscription: { dispose(): void };

  constructor(
    private readonly oncall: Loadable<OnCallSnapshot>,
    private readonly connection: ConnectionManager,
    private readonly myEmail: () => string | undefined,
  ) {
    // Re-render only when what the view shows changed, not on every load's start and end: a
    // re-render replaces the rows, and a row's action clicked meanwhile reaches its command with
    // no row at all (the command would then ask whom to page instead of paging that person).
    let shown = '';
    this.#subscription = oncall.onDidChange((state) => {
      const now = JSON.stringify([state.value ?? null, state.error ? String(state.error) : '', state.value === undefined && state.loading]);
      if (now === shown) return;
      shown = now;
      this.#emitter.fire();
    });
  }

  /** Re-renders (e.g. whose key it is became known). */
  update(): void {
    this.#emitter.fire();
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: vscode.TreeItem): vscode.TreeItem[] {
    if (element instanceof TeamItem) return element.group.services.map((s) => new ServiceItem(s, element.group.team));
    if (element instanceof ServiceItem) return element.service.engineers.map((e) => new EngineerItem(e, element.id as string));
    if (element) return [];
    if (this.connection.current.mode === 'none') return [];
    const { value, error, loading } = this.oncall.state;
    const items: vscode.TreeItem[] = [];
    if (error) items.push(loadFailedItem('on-call', error));
    if (!value) {
      if (!error) items.push(new MessageItem(loading ? 'Loading on-call…' : 'Not loaded yet', loading ? 'loading~spin' : 'circle-outline'));
      return items;
    }
    const groups = groupOnCall(value, Date.now(), this.myEmail());
    if (!groups.length && !error) return [new MessageItem('No services found.', 'info')];
    return items.concat(groups.map((g) => new TeamItem(g)));
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#emitter.dispose();
  }
}
