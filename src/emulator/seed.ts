/**
 * Deterministic demo data for the emulator: a mid-size organisation ("Northwind Cloud") with
 * 5 teams, 13 services (one without on-call coverage), 20 users (2 inactive), primary and
 * secondary rotations, escalation policies for SEV0-SEV4 and 40 incidents over the last 90 days
 * in every status and severity, each with a plausible timeline.
 *
 * The same seed and `now` always give the same state.
 */
import type { EscalationPolicy, Incident, Severity, TimelineEvent } from '../api/types';
import type { EmulatorState, ScheduleRecord, ServiceRecord, TeamRecord, UserRecord } from './model';
import { NOTES, SCENARIOS, SERVICES, TEAMS, USERS } from './seedData';

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEY_ALPHABET = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
const KEY_FIRST = 'ABCDEFGHJKLMNPQRSTVWXYZ';

/** Identifier helpers driven by one PRNG. */
export class IdFactory {
  constructor(private readonly rand: () => number) {}
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)];
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }
  /** RFC 4122 version-4 shaped UUID. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rand() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  /** svc_ + 10 characters, valid per the Runframe v1 service-key rule. */
  serviceKey(): string {
    let s = 'svc_' + this.pick([...KEY_FIRST]);
    for (let i = 0; i < 9; i++) s += this.pick([...KEY_ALPHABET]);
    return s;
  }
}

const DOMAIN = 'northwind.example';

/** SLA targets per severity in minutes (acknowledge, resolve). */
export const DEFAULT_SLA: Record<Severity, { acknowledge_minutes: number; resolve_minutes: number }> = {
  SEV0: { acknowledge_minutes: 5, resolve_minutes: 240 },
  SEV1: { acknowledge_minutes: 15, resolve_minutes: 480 },
  SEV2: { acknowledge_minutes: 30, resolve_minutes: 1440 },
  SEV3: { acknowledge_minutes: 240, resolve_minutes: 4320 },
  SEV4: { acknowledge_minutes: 1440, resolve_minutes: 10080 },
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function emailOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z]+/g, '.') + '@' + DOMAIN;
}

/**
 * Builds the demo organisation.
 * @param seed any integer; the same seed gives the same ids, keys and times relative to `now`
 * @param now reference time; incidents fall within the 90 days before it
 * @param extraOpenIncidents additional open incidents (new..monitoring, every severity) for
 *   load and scale tests, created over the last 7 days with a short timeline each
 */
export function generateSeedState(seed = 1, now = new Date(), extraOpenIncidents = 0): EmulatorState {
  const ids = new IdFactory(prng(seed));
  const nowMs = now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  const teams: TeamRecord[] = TEAMS.map(([name, description]) => ({ id: ids.uuid(), name, description }));
  const users: UserRecord[] = USERS.map(([name, team, title, active], i) => ({
    id: ids.uuid(),
    name,
    email: emailOf(name),
    is_active: active,
    team_name: team,
    title,
    slack_user_id: 'U0' + (1000 + i * 37).toString(36).toUpperCase().padStart(6, '0'),
  }));
  const services: ServiceRecord[] = SERVICES.map(([name, team, description]) => ({
    service_key: ids.serviceKey(),
    name,
    description,
    team_name: team,
  }));
  const serviceByName = new Map(services.map((s) => [s.name, s]));
  const usersOf = (team: string) => users.filter((u) => u.team_name === team && u.is_active && !u.title.includes('Manager'));

  // Rotations start on a Monday 09:00 UTC; Payments runs 12-hour follow-the-sun shifts.
  const epoch = '2026-01-05T09:00:00.000Z';
  const schedules: ScheduleRecord[] = [];
  for (const team of teams) {
    const covered = services.filter((s) => s.team_name === team.name && s.name !== 'Legacy Reports').map((s) => s.service_key);
    const rotation = usersOf(team.name).map((u) => u.email);
    schedules.push({
      id: ids.uuid(), name: `${team.name} Primary`, team_name: team.name, role: 'primary',
      service_keys: covered, rotation, shift_hours: team.name === 'Payments' ? 12 : 168, epoch,
    });
    if (team.name === 'Platform' || team.name === 'Payments') {
      schedules.push({
        id: ids.uuid(), name: `${team.name} Secondary`, team_name: team.name, role: 'secondary',
        service_keys: covered, rotation: [...rotation.slice(1), rotation[0]], shift_hours: 168, epoch,
      });
    }
  }

  const vp = users.find((u) => u.name === 'Grace Liu')!;
  const policyLevels = (severity: Severity): EscalationPolicy => {
    const primary = { type: 'schedule', name: 'Primary on-call of the affected service' };
    const secondary = { type: 'schedule', name: 'Secondary on-call of the affected service' };
    const mgr = { type: 'user', name: 'Team engineering manager' };
    const head = { type: 'user', name: vp.name, email: vp.email };
    const byLevel: Record<Severity, { delay: number; targets: object[] }[]> = {
      SEV0: [{ delay: 0, targets: [primary, secondary] }, { delay: 5, targets: [mgr] }, { delay: 15, targets: [head] }],
      SEV1: [{ delay: 0, targets: [primary] }, { delay: 10, targets: [secondary] }, { delay: 30, targets: [mgr] }],
      SEV2: [{ delay: 0, targets: [primary] }, { delay: 30, targets: [secondary] }],
      SEV3: [{ delay: 0, targets: [primary] }, { delay: 120, targets: [mgr] }],
      SEV4: [{ delay: 0, targets: [primary] }],
    };
    return {
      severity,
      levels: byLevel[severity].map((l, i) => ({ level: i + 1, delay_minutes: l.delay, targets: l.targets as never })),
    };
  };

  const incidents: Incident[] = [];
  const sequences: Record<string, number> = {};
  const person = (u: UserRecord) => ({ name: u.name, email: u.email });

  // Creation times: open incidents in the last 3 days, resolved in the last 3 weeks, closed older.
  const created = SCENARIOS.map(([, , status], i) => {
    if (['new', 'investigating', 'fixing', 'monitoring'].includes(status)) return nowMs - (0.3 + (i % 12) * 5.5) * HOUR - ids.int(0, 50) * MIN;
    if (status === 'resolved') return nowMs - (1 + ((i - 12) % 10) * 2) * DAY - ids.int(0, 600) * MIN;
    return nowMs - (22 + ((i - 22) % 18) * 3.7) * DAY - ids.int(0, 600) * MIN;
  });
  const order = SCENARIOS.map((_, i) => i).sort((a, b) => created[a] - created[b]);

  for (const i of order) {
    const [title, severity, status, serviceNames, description] = SCENARIOS[i];
    const t0 = created[i];
    const svc = serviceNames.map((n) => serviceByName.get(n)!);
    const team = svc[0].team_name;
    const responders = usersOf(team);
    const owner = ids.pick(responders);
    const year = new Date(t0).getUTCFullYear().toString();
    sequences[year] = (sequences[year] ?? 0) + 1;
    const number = `INC-${year}-${String(sequences[year]).padStart(3, '0')}`;
    const sla = DEFAULT_SLA[severity];
    const timeline: TimelineEvent[] = [];
    const event = (type: string, at: number, actor: UserRecord | null, comment?: string) =>
      timeline.push({ id: ids.uuid(), type, comment, actor: actor ? person(actor) : null, created_at: iso(Math.min(at, nowMs - MIN)) });

    event('created', t0, null, `Incident declared from alert: ${title}`);
    const statusPath = ['new', 'investigating', 'fixing', 'monitoring', 'resolved', 'closed'];
    const target = statusPath.indexOf(status);
    const acked = status !== 'new';
    let t = t0;
    let ackAt: number | null = null;
    if (acked) {
      t += ids.int(1, Math.max(2, sla.acknowledge_minutes)) * MIN * 0.8;
      ackAt = t;
      event('acknowledged', t, owner, `${owner.name} acknowledged the incident`);
    }
    let level = 1;
    if ((severity === 'SEV0' || severity === 'SEV1') && target >= 1) {
      t += ids.int(5, 20) * MIN;
      level = 2;
      event('escalated', t, owner, 'Escalated to level 2 of the escalation policy');
      const helper = ids.pick(responders.filter((r) => r !== owner).concat(owner));
      t += ids.int(1, 5) * MIN;
      event('paged', t, owner, `Paged ${helper.name} via slack`);
    }
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    const span = status === 'closed' || status === 'resolved' ? ids.int(40, 600) * MIN : ids.int(10, 120) * MIN;
    for (let s = 1; s <= target; s++) {
      t += span / Math.max(1, target);
      if (statusPath[s] === 'closed') t = Math.max(t, t0 + 2 * DAY);
      const actor = ids.pick(responders);
      event('status_change', t, actor, `Status changed to ${statusPath[s]}` + (s === 2 ? ': mitigation in progress' : ''));
      if (s === 1 || s === 3) event('note', t + 3 * MIN, actor, ids.pick(NOTES));
      if (statusPath[s] === 'resolved') resolvedAt = t;
      if (statusPath[s] === 'closed') closedAt = t;
    }
    const lastAt = Math.min(nowMs - MIN, t);
    const resolver = resolvedAt ? ids.pick(responders) : null;
    const participants = [...new Set([owner, ...(level > 1 ? [ids.pick(responders)] : [])])].map((u) => ({ ...person(u), role: u === owner ? 'incident_commander' : 'responder' }));
    incidents.push({
      id: ids.uuid(),
      incident_number: number,
      title,
      description,
      severity,
      status,
      created_at: iso(t0),
      updated_at: iso(lastAt),
      acknowledged_at: ackAt ? iso(Math.min(ackAt, nowMs - MIN)) : null,
      resolved_at: resolvedAt ? iso(Math.min(resolvedAt, nowMs - MIN)) : null,
      closed_at: closedAt ? iso(Math.min(closedAt, nowMs - MIN)) : null,
      assigned_to: acked ? person(owner) : null,
      resolved_by: resolver ? person(resolver) : null,
      team_name: team,
      services: svc.map((s) => ({ service_key: s.service_key, name: s.name })),
      escalation_level: level,
      sla: { acknowledge_due_at: iso(t0 + sla.acknowledge_minutes * MIN), resolve_due_at: iso(t0 + sla.resolve_minutes * MIN) },
      timeline,
      participants,
    });
  }

  const openStatuses = ['new', 'investigating', 'fixing', 'monitoring'];
  const severities: Severity[] = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'];
  const extra: Incident[] = [];
  for (let n = 0; n < extraOpenIncidents; n++) {
    const [title, , , serviceNames] = SCENARIOS[n % 12];
    const svc = serviceNames.map((x) => serviceByName.get(x)!);
    const t0 = nowMs - ids.int(1, 7 * 24 * 60) * MIN;
    const status = openStatuses[n % 4];
    const severity = severities[n % 5];
    const owner = ids.pick(usersOf(svc[0].team_name));
    const year = new Date(t0).getUTCFullYear().toString();
    sequences[year] = (sequences[year] ?? 0) + 1;
    extra.push({
      id: ids.uuid(),
      incident_number: `INC-${year}-${String(sequences[year]).padStart(3, '0')}`,
      title: `${title} (${n + 1})`,
      description: 'Synthetic incident for scale testing.',
      severity,
      status,
      created_at: iso(t0),
      updated_at: iso(t0),
      acknowledged_at: status === 'new' ? null : iso(t0 + 5 * MIN),
      resolved_at: null,
      closed_at: null,
      assigned_to: status === 'new' ? null : person(owner),
      resolved_by: null,
      team_name: svc[0].team_name,
      services: svc.map((x) => ({ service_key: x.service_key, name: x.name })),
      escalation_level: 1,
      sla: { acknowledge_due_at: iso(t0 + DEFAULT_SLA[severity].acknowledge_minutes * MIN), resolve_due_at: iso(t0 + DEFAULT_SLA[severity].resolve_minutes * MIN) },
      timeline: [{ id: ids.uuid(), type: 'created', comment: `Incident declared from alert: ${title}`, actor: null, created_at: iso(t0) }],
      participants: [],
    });
  }
  incidents.push(...extra.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '')));

  // The demo user (whose key the sandbox uses) is always on call for something and owns an open
  // incident there, so "(you)", "Assigned to me" and "on call" show in the sandbox on any day.
  // Done last, so the random stream (ids, times, owners) is the same as without it.
  const demo = users.find((u) => u.email === DEMO_USER_EMAIL)!;
  const observability = serviceByName.get(DEMO_USER_SERVICE)!;
  for (const sc of schedules) sc.service_keys = sc.service_keys.filter((k) => k !== observability.service_key);
  schedules.push({
    id: ids.uuid(), name: 'Observability Primary', team_name: observability.team_name, role: 'primary',
    service_keys: [observability.service_key], rotation: [demo.email], shift_hours: 12, epoch,
  });
  const owned = incidents.find((inc) => inc.title === DEMO_USER_INCIDENT)!;
  const previous = owned.assigned_to?.email;
  owned.assigned_to = person(demo);
  owned.participants = [{ ...person(demo), role: 'incident_commander' }, ...(owned.participants ?? []).filter((p) => p.email !== previous && p.email !== demo.email)];
  for (const ev of owned.timeline ?? []) {
    if (ev.type === 'acknowledged') {
      ev.actor = person(demo);
      ev.comment = `${demo.name} acknowledged the incident`;
    }
  }

  // Closed SEV0/SEV1 incidents already have published postmortems.
  const postmortems = incidents
    .filter((inc) => inc.status === 'closed' && (inc.severity === 'SEV0' || inc.severity === 'SEV1'))
    .map((inc) => ({
      id: ids.uuid(),
      incident_number: inc.incident_number,
      status: 'published',
      created_at: inc.closed_at ?? inc.updated_at,
      summary: inc.description,
      root_cause: 'See contributing factors; the triggering change was identified from the deploy log.',
      resolution: 'Change reverted and a guard added to the deployment pipeline.',
      impact: { duration: '27 minutes', users_affected: 'About 14% of active users', services_affected: inc.services.map((s) => s.name ?? s.service_key) },
      action_items: [{ text: 'Add an alert on the leading indicator', owner_email: inc.assigned_to?.email, due_date: (inc.closed_at ?? '').slice(0, 10), status: 'completed' as const }],
    }));

  return {
    format: 'runframe-emulator/1',
    organization: {
      name: 'Northwind Cloud',
      sla: { ...DEFAULT_SLA },
      postmortem_required_fields: ['summary', 'root_cause', 'resolution'],
    },
    teams,
    users,
    services,
    schedules,
    escalation_policies: (['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'] as Severity[]).map(policyLevels),
    incidents,
    postmortems,
    idempotency: {},
    sequences,
  };
}

/** Email of the demo user API keys act as by default (a Platform SRE). */
export const DEMO_USER_EMAIL = emailOf('Sam Rivera');
/** The service the demo user is always on call for (a one-person 12-hour rotation). */
export const DEMO_USER_SERVICE = 'Observability Stack';
/** The open incident the demo user owns (acknowledged by and assigned to them). */
export const DEMO_USER_INCIDENT = 'Trace ingestion dropping spans';
/** Email of the demo user the read-only key acts as. */
export const DEMO_READONLY_USER_EMAIL = emailOf('Priya Shah');
