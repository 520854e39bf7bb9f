/**
 * Quick picks shared by the actions: an incident, a user found by search (never a typed email),
 * services (multi-select with search), a severity. All data comes through the shared client.
 */
import * as vscode from 'vscode';
import type { RunframeClient } from '../../api/client';
import { SEVERITIES, type Incident, type Service, type User } from '../../api/types';
import { DEFAULTS } from '../../domain/contract';
import { rankByIncidentNumber } from '../../domain/identifiers';
import type { Cockpit } from './cockpit';
import { IncidentItem } from '../views/incidentsTree';
import { incidentNumberOfUri } from '../views/incidentDocuments';
import { describeError } from '../errorMessages';
import { incidentRow, SEVERITY_STYLE } from '../views/treeRows';
import { pageSuggestions, type OnCallPerson } from '../views/onCallPeople';

/**
 * The number of the incident a command was invoked on, without asking: a tree row (IncidentItem),
 * a number passed by another command, a notification button or the incident page, or the URI of
 * an incident detail document (its editor title-bar buttons pass it). Undefined for anything else
 * (the palette passes nothing), and only then may a command ask which incident.
 */
export function incidentNumberOf(arg: unknown): string | undefined {
  if (arg instanceof IncidentItem) return arg.incident.incident_number;
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) return incidentNumberOfUri(arg);
  return undefined;
}

/**
 * The incident a command acts on: the one it was invoked on (see incidentNumberOf), or, from the
 * palette, one picked from the open incidents (narrowed by `candidates`).
 * @returns the incident (from the loaded list, or fetched when only a number is known)
 */
export async function resolveIncident(
  deps: Cockpit,
  arg: unknown,
  title: string,
  client: RunframeClient,
  candidates: (i: Incident) => boolean = () => true,
  noneMessage = 'No open incident fits this action.',
): Promise<Incident | undefined> {
  if (arg instanceof IncidentItem) return arg.incident;
  const number = incidentNumberOf(arg);
  if (number) {
    const known = deps.incidents.state.value?.find((i) => i.incident_number === number);
    if (known) return known;
    try {
      return await client.getIncident(number);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not load ${number}: ${describeError(err)}`);
      return undefined;
    }
  }
  if (!deps.incidents.state.value) await deps.incidents.refresh();
  const { value, error } = deps.incidents.state;
  if (!value) {
    void vscode.window.showErrorMessage(`Could not load incidents: ${describeError(error)}`);
    return undefined;
  }
  const list = value.filter(candidates);
  if (!list.length) {
    void vscode.window.showInformationMessage(noneMessage);
    return undefined;
  }
  const now = Date.now();
  return pickIncident(
    list.map((i) => {
      const row = incidentRow(i, now);
      return { label: `$(${SEVERITY_STYLE[i.severity ?? '']?.icon ?? 'question'}) ${row.label}`, description: row.description, incident: i };
    }),
    title,
    'Pick an incident (type its number, or search by title, severity or status)',
  );
}

type IncidentPickItem = vscode.QuickPickItem & { incident: Incident };
/** The row shown when a typed number names no incident in the list; Enter on it does nothing. */
type NoMatchItem = vscode.QuickPickItem & { incident?: undefined };

/**
 * A quick pick of incidents in which a typed incident number wins over fuzzy matching: while the
 * filter text reads as a number ("INC-2026-040", "2026-040", "040", "40", any case), only the
 * incidents whose number matches are listed, the exact matches first, then the prefixes; a
 * number that names none lists none (never a title that merely contains the digits). VS Code's
 * fuzzy filter alone ranked "Search results stale for 40 minutes" (INC-2026-038) above
 * INC-2026-040 for "040", and Enter acted on it. Enter is checked again against the text as it
 * is then, because the list shown can lag the last keystroke by one update.
 * @returns the chosen incident, or undefined when the pick was dismissed
 */
export async function pickIncident<T extends IncidentPickItem>(items: T[], title: string, placeHolder: string): Promise<Incident | undefined> {
  const qp = vscode.window.createQuickPick<T | NoMatchItem>();
  qp.title = title;
  qp.placeholder = placeHolder;
  qp.matchOnDescription = true;
  qp.items = items;
  const numberOf = (item: T) => item.incident.incident_number;
  let narrowed = false;
  /**
   * Lists only the number matches while the text is a number, and the whole list otherwise.
   * @returns the exact and prefix matches, or undefined when the text is not a number
   */
  const apply = (value: string): { exact: T[]; prefix: T[] } | undefined => {
    const ranked = rankByIncidentNumber(value, items, numberOf);
    if (!ranked) {
      if (narrowed) qp.items = items;
      narrowed = false;
      return undefined;
    }
    narrowed = true;
    const matches = [...ranked.exact, ...ranked.prefix];
    // alwaysShow: a number typed as "40" need not fuzzy-match "INC-2026-040" to be listed.
    qp.items = matches.length
      ? matches.map((m) => ({ ...m, alwaysShow: true }))
      : [{ label: `$(circle-slash) No incident here has the number "${value.trim()}"`, description: 'acknowledged, resolved or not loaded yet? Refresh', alwaysShow: true }];
    qp.activeItems = [qp.items[0]];
    return ranked;
  };
  return new Promise<Incident | undefined>((resolve) => {
    let done = false;
    qp.onDidChangeValue((value) => void apply(value));
    qp.onDidAccept(() => {
      const chosen = (qp.selectedItems[0] ?? qp.activeItems[0])?.incident;
      const ranked = apply(qp.value);
      let incident = chosen;
      if (ranked) {
        const matches = [...ranked.exact, ...ranked.prefix];
        if (!chosen || !matches.some((m) => m.incident === chosen)) {
          // Enter landed on a row the typed number does not name (the list lagged a keystroke):
          // act on the number if it names one incident, else show the matches and wait.
          const only = ranked.exact.length === 1 ? ranked.exact[0] : matches.length === 1 ? matches[0] : undefined;
          incident = only?.incident;
        }
      }
      if (!incident) return;
      done = true;
      resolve(incident);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/**
 * Picks a user by searching Runframe (GET /users?search=, active users only), 250 ms after the
 * last keystroke. People in `suggest.onCall` (on call for the incident's services) are listed
 * first, under their own heading; the key's user (`suggest.myEmail`) is never first.
 * @returns the user, or undefined when cancelled
 */
export async function pickUser(client: RunframeClient, title: string, placeHolder: string, suggest: { onCall?: OnCallPerson[]; myEmail?: string } = {}): Promise<User | undefined> {
  type Item = vscode.QuickPickItem & { user?: User };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = placeHolder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  const itemsFor = (users: User[], text: string): Item[] => {
    const needle = text.trim().toLowerCase();
    const onCall = (suggest.onCall ?? []).filter((p) => !needle || `${p.name} ${p.email}`.toLowerCase().includes(needle));
    const ordered = pageSuggestions(onCall, users, suggest.myEmail);
    const items: Item[] = [];
    let heading = '';
    for (const s of ordered) {
      const next = s.onCall ? 'On call for this incident\'s services' : 'Everyone';
      if (next !== heading && (onCall.length || next !== 'Everyone')) items.push({ label: next, kind: vscode.QuickPickItemKind.Separator });
      heading = next;
      items.push({
        label: s.isMe ? `${s.user.name} (you)` : s.user.name,
        description: s.user.email,
        detail: s.onCall ? `${s.onCall.role ?? 'on call'} for ${s.onCall.services.join(', ')}` : s.user.team_name,
        user: s.user,
        alwaysShow: true,
      });
    }
    return items;
  };
  const search = async (text: string) => {
    const mine = ++generation;
    qp.busy = true;
    try {
      const users = await client.listUsers({ search: text.trim() || undefined, limit: 25, is_active: true });
      if (mine !== generation) return;
      const items = itemsFor(users.items, text);
      qp.items = items.length ? items : [{ label: `No active user matches "${text}"`, alwaysShow: true }];
    } catch (err) {
      if (mine === generation) qp.items = [{ label: '$(error) Could not search users', detail: describeError(err), alwaysShow: true }];
    } finally {
      if (mine === generation) qp.busy = false;
    }
  };
  return new Promise<User | undefined>((resolve) => {
    qp.onDidChangeValue((v) => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(v), 250);
    });
    qp.onDidAccept(() => {
      const user = qp.selectedItems[0]?.user;
      if (!user) return;
      resolve(user);
      qp.hide();
    });
    qp.onDidHide(() => {
      clearTimeout(timer);
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
    void search('');
  });
}

/** Every service (all pages of GET /services, 100 per request). */
export async function loadAllServices(client: RunframeClient): Promise<Service[]> {
  const all: Service[] = [];
  for (let offset = 0, requests = 0; requests < 50; requests++) {
    const batch = await client.listServices({ limit: 100, offset });
    all.push(...batch.items);
    if (!batch.has_more || batch.next_offset === null || batch.next_offset === undefined || batch.items.length === 0) break;
    offset = batch.next_offset;
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** The severity rows SEV0-SEV4 with their icon and word; `picked` on `current` (else `fallback`), marked "(current)". */
export function severityItems(current?: string, fallback: string = DEFAULTS.severity): (vscode.QuickPickItem & { severity: string; picked: boolean })[] {
  return SEVERITIES.map((s) => ({
    label: `$(${SEVERITY_STYLE[s].icon}) ${s}`,
    description: `${SEVERITY_STYLE[s].word}${s === current ? ' (current)' : ''}`,
    severity: s as string,
    picked: s === (current ?? fallback),
  }));
}

/** Picks a severity, marking the current one. */
export async function pickSeverity(title: string, current?: string, fallback: string = DEFAULTS.severity): Promise<string | undefined> {
  const items = severityItems(current, fallback);
  const active = items.find((i) => i.picked);
  const qp = vscode.window.createQuickPick<(typeof items)[number]>();
  qp.title = title;
  qp.items = items;
  if (active) qp.activeItems = [active];
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.severity ?? qp.activeItems[0]?.severity);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
