/**
 * Who to call about an incident: the people on call now for its services (GET /on-call/current,
 * docs/runframe-api.md part A), primary first, and the order Page Someone suggests people in.
 * Pure (no `vscode`).
 */
import type { Incident, OnCallSnapshot, User } from '../../api/types';
import { sameEmail } from '../../domain/identifiers';

/** One person on call for some of an incident's services. */
export interface OnCallPerson {
  name: string;
  email: string;
  /** "primary", "secondary" … (the most senior role they hold for these services) */
  role?: string;
  /** Names of the incident's services they are on call for */
  services: string[];
}

const ROLES = ['primary', 'secondary', 'backup'];
const roleRank = (role: string | undefined) => {
  const i = ROLES.indexOf((role ?? '').toLowerCase());
  return i < 0 ? ROLES.length : i;
};

/**
 * The people on call now for the incident's services, primary before secondary, then by name;
 * each person once (with every service of theirs). People without an email are left out (they
 * cannot be paged).
 */
export function onCallForIncident(incident: Pick<Incident, 'services'>, snapshot: OnCallSnapshot | undefined): OnCallPerson[] {
  const keys = new Set(incident.services.map((s) => s.service_key));
  const byEmail = new Map<string, OnCallPerson>();
  for (const svc of snapshot?.services ?? []) {
    if (!keys.has(svc.service_key)) continue;
    for (const e of svc.on_call_engineers) {
      if (!e.email) continue;
      const key = e.email.toLowerCase();
      const known = byEmail.get(key);
      if (!known) byEmail.set(key, { name: e.name, email: e.email, role: e.role, services: [svc.service_name] });
      else {
        if (!known.services.includes(svc.service_name)) known.services.push(svc.service_name);
        if (roleRank(e.role) < roleRank(known.role)) known.role = e.role;
      }
    }
  }
  return [...byEmail.values()].sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.name.localeCompare(b.name));
}

/** A person in Page Someone's list, in the order shown. */
export interface PageSuggestion {
  user: User;
  /** On call now for the incident's services (and in which role) */
  onCall?: OnCallPerson;
  isMe: boolean;
}

/**
 * The order Page Someone lists people in: those on call for the incident's services first
 * (primary first), then everyone else from `users` in the given order; the key's user
 * (`myEmail`) is never first: they go last (paging yourself is rarely what you want, but is not
 * forbidden). Each person once.
 */
export function pageSuggestions(onCall: readonly OnCallPerson[], users: readonly User[], myEmail: string | undefined): PageSuggestion[] {
  const out: PageSuggestion[] = [];
  const seen = new Set<string>();
  const add = (user: User, on?: OnCallPerson) => {
    const key = user.email.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ user, onCall: on, isMe: sameEmail(user.email, myEmail) });
  };
  for (const p of onCall) add(users.find((u) => sameEmail(u.email, p.email)) ?? { name: p.name, email: p.email }, p);
  for (const u of users) add(u);
  return [...out.filter((s) => !s.isMe), ...out.filter((s) => s.isMe)];
}
