/**
 * The Incidents view's filters (all open, assigned to me, my teams) and groupings (none, by
 * severity, by team). Pure (no `vscode`). "Me" is the key's user as GET /auth/verify reports it
 * (part B, assumed) and "my teams" are the user's own team plus the teams of services the user is
 * on call for now (GET /on-call/current).
 */
import { severityRank } from '../../domain/order';
import { SEVERITIES, type Incident, type OnCallSnapshot } from '../../api/types';
import { sameEmail } from '../../domain/identifiers';

export type IncidentFilter = 'all' | 'mine' | 'myTeams';
export type IncidentGrouping = 'none' | 'severity' | 'team';

export const FILTER_LABELS: Record<IncidentFilter, string> = { all: 'All open', mine: 'Assigned to me', myTeams: 'My teams' };
export const GROUPING_LABELS: Record<IncidentGrouping, string> = { none: 'No grouping', severity: 'By severity', team: 'By team' };

/** Whom the API key belongs to; every part may be unknown. */
export interface CurrentUser {
  name?: string;
  email?: string;
  /** Team names, exact as the API spells them */
  teams: string[];
}


/**
 * The teams of `user`: their own team (if the API says) and those of services they are on call for.
 * @returns sorted, unique team names
 */
export function teamsOf(email: string | undefined, ownTeam: string | undefined, oncall: OnCallSnapshot | undefined): string[] {
  const teams = new Set<string>();
  if (ownTeam) teams.add(ownTeam);
  for (const s of oncall?.services ?? []) {
    if (s.team_name && s.on_call_engineers.some((e) => sameEmail(e.email, email))) teams.add(s.team_name);
  }
  return [...teams].sort((a, b) => a.localeCompare(b));
}

/** True when `user` is on call now for at least one service. */
export function isOnCallNow(user: CurrentUser | undefined, oncall: OnCallSnapshot | undefined): boolean {
  return Boolean(user?.email && oncall?.services.some((s) => s.on_call_engineers.some((e) => sameEmail(e.email, user.email))));
}

/**
 * The incidents `filter` keeps, in their given order.
 * @returns `{ incidents, problem }`; `problem` says why the filter cannot apply (e.g. the API did
 * not say whose key this is), in which case no incident is kept.
 */
export function filterIncidents(incidents: readonly Incident[], filter: IncidentFilter, user: CurrentUser | undefined): { incidents: Incident[]; problem?: string } {
  if (filter === 'all') return { incidents: [...incidents] };
  if (filter === 'mine') {
    if (!user?.email) return { incidents: [], problem: 'Runframe did not say whose API key this is, so "Assigned to me" cannot apply: click to set your email (runframe.userEmail).' };
    return { incidents: incidents.filter((i) => sameEmail(i.assigned_to?.email, user.email)) };
  }
  if (!user?.email) return { incidents: [], problem: 'Runframe did not say whose API key this is, so "My teams" cannot apply: click to set your email (runframe.userEmail).' };
  if (!user.teams.length) return { incidents: [], problem: 'No team is known for you (not in your user record and not on call now), so "My teams" cannot apply.' };
  const teams = new Set(user.teams.map((t) => t.toLowerCase()));
  return { incidents: incidents.filter((i) => i.team_name !== undefined && teams.has(i.team_name.toLowerCase())) };
}

export interface IncidentGroup {
  /** Stable id, e.g. "severity:SEV1" or "team:Payments" */
  id: string;
  /** "SEV1 · 3" */
  label: string;
  incidents: Incident[];
}

/**
 * Groups incidents, keeping their order inside each group. By severity: SEV0..SEV4 then unknown;
 * by team: the team with the most severe open incident first (a SEV0 is never below the fold
 * under alphabetical order), then by name, "No team" last among equals. Empty groups are left out.
 */
export function groupIncidents(incidents: readonly Incident[], grouping: IncidentGrouping): IncidentGroup[] {
  if (grouping === 'none') return [{ id: 'all', label: 'All', incidents: [...incidents] }];
  const keyOf = (i: Incident) => (grouping === 'severity' ? (SEVERITIES as readonly string[])[severityRank(i.severity)] ?? 'Unknown severity' : i.team_name || 'No team');
  const groups = new Map<string, Incident[]>();
  for (const i of incidents) {
    const key = keyOf(i);
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  }
  const worst = (key: string) => Math.min(...(groups.get(key) ?? []).map((i) => severityRank(i.severity)));
  const order = (a: string, b: string) =>
    grouping === 'severity' ? severityRank(a) - severityRank(b) : worst(a) - worst(b) || (a === 'No team' ? 1 : b === 'No team' ? -1 : a.localeCompare(b));
  return [...groups.entries()].sort(([a], [b]) => order(a, b)).map(([key, list]) => ({ id: `${grouping}:${key}`, label: key, incidents: list }));
}
