/**
 * Tolerant parsers for Runframe API payloads. Rules (docs/runframe-api.md, "Rules for every
 * consumer"): accept snake_case and camelCase names, treat every part-B field as optional, and
 * never fail a whole list because one item is odd (odd items are skipped and counted).
 *
 * Every parser takes `unknown` and returns the typed object, or `undefined` when the value lacks
 * what identifies it (an incident without a number, a service without a key). None throws.
 */
import type {
  AuthInfo,
  EscalationLevel,
  EscalationPolicy,
  Incident,
  OnCallEngineer,
  OnCallService,
  OnCallSnapshot,
  ListPage,
  Participant,
  PersonRef,
  Postmortem,
  Service,
  ServiceRef,
  Team,
  TimelineEvent,
  User,
} from './types';

type Obj = Record<string, unknown>;

const camelCache = new Map<string, string>();
function camel(name: string): string {
  let c = camelCache.get(name);
  if (c === undefined) {
    c = name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    camelCache.set(name, c);
  }
  return c;
}

/** True for a plain (non-array) object. */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads `name` in snake_case, falling back to its camelCase spelling. */
export function field(o: Obj, name: string): unknown {
  const v = o[name];
  return v !== undefined ? v : o[camel(name)];
}

function str(o: Obj, name: string): string | undefined {
  const v = field(o, name);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function nullableStr(o: Obj, name: string): string | null | undefined {
  const v = field(o, name);
  return v === null ? null : str(o, name);
}

function num(o: Obj, name: string): number | undefined {
  const v = field(o, name);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function bool(o: Obj, name: string): boolean | undefined {
  const v = field(o, name);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function arr(o: Obj, name: string): unknown[] {
  const v = field(o, name);
  return Array.isArray(v) ? v : [];
}

function mapDefined<T>(items: unknown[], parse: (v: unknown) => T | undefined): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parsed = parse(item);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

/**
 * A copy of `o` without its undefined fields. Copying instead of `delete` keeps the result a
 * fast-mode object: deleting a property turns it into a slow dictionary for every later read,
 * JSON.stringify included (it was the largest cost of parsing in `npm run bench`'s profile).
 */
function stripUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** A person given as `{name, email}` or as a bare email/name string. */
export function parsePerson(v: unknown): PersonRef | null | undefined {
  if (v === null) return null;
  if (typeof v === 'string') return v.includes('@') ? { email: v } : { name: v };
  if (!isObject(v)) return undefined;
  const p = stripUndefined({ name: str(v, 'name') ?? str(v, 'full_name'), email: str(v, 'email') });
  return p.name === undefined && p.email === undefined ? undefined : p;
}

function parseServiceRef(v: unknown): ServiceRef | undefined {
  if (typeof v === 'string') return { service_key: v };
  if (!isObject(v)) return undefined;
  const key = str(v, 'service_key') ?? str(v, 'key') ?? str(v, 'id');
  if (!key) return undefined;
  return stripUndefined({ service_key: key, name: str(v, 'name') ?? str(v, 'service_name') });
}

/** A timeline entry; needs at least a type or a comment. */
export function parseTimelineEvent(v: unknown): TimelineEvent | undefined {
  if (!isObject(v)) return undefined;
  const type = str(v, 'type') ?? str(v, 'event_type');
  const comment = str(v, 'comment') ?? str(v, 'message');
  if (type === undefined && comment === undefined) return undefined;
  const actor = parsePerson(field(v, 'actor') ?? field(v, 'user'));
  return stripUndefined({
    id: str(v, 'id'),
    type: type ?? 'note',
    comment,
    actor: actor === undefined ? undefined : actor,
    created_at: str(v, 'created_at') ?? str(v, 'timestamp'),
  });
}

function parseParticipant(v: unknown): Participant | undefined {
  const p = parsePerson(v);
  if (!p) return undefined;
  return stripUndefined({ ...p, role: isObject(v) ? str(v, 'role') : undefined });
}

/** An incident; `undefined` when it has no incident number. */
export function parseIncident(v: unknown): Incident | undefined {
  if (!isObject(v)) return undefined;
  const number = str(v, 'incident_number') ?? str(v, 'number');
  if (!number) return undefined;
  const sla = field(v, 'sla');
  const timeline = field(v, 'timeline');
  const participants = field(v, 'participants');
  const assigned = parsePerson(field(v, 'assigned_to') ?? field(v, 'assignee'));
  const resolvedBy = parsePerson(field(v, 'resolved_by'));
  return stripUndefined({
    id: str(v, 'id'),
    incident_number: number,
    title: str(v, 'title') ?? '(untitled)',
    description: str(v, 'description'),
    severity: str(v, 'severity'),
    status: str(v, 'status'),
    created_at: str(v, 'created_at'),
    updated_at: str(v, 'updated_at'),
    acknowledged_at: nullableStr(v, 'acknowledged_at'),
    resolved_at: nullableStr(v, 'resolved_at'),
    closed_at: nullableStr(v, 'closed_at'),
    assigned_to: assigned,
    resolved_by: resolvedBy,
    team_name: str(v, 'team_name') ?? (isObject(field(v, 'team')) ? str(field(v, 'team') as Obj, 'name') : undefined),
    services: mapDefined(arr(v, 'services'), parseServiceRef),
    escalation_level: num(v, 'escalation_level'),
    sla: isObject(sla)
      ? stripUndefined({ acknowledge_due_at: nullableStr(sla, 'acknowledge_due_at'), resolve_due_at: nullableStr(sla, 'resolve_due_at') })
      : undefined,
    timeline: Array.isArray(timeline) ? mapDefined(timeline, parseTimelineEvent) : undefined,
    participants: Array.isArray(participants) ? mapDefined(participants, parseParticipant) : undefined,
  });
}

/** A service; `undefined` without a service key. */
export function parseService(v: unknown): Service | undefined {
  if (!isObject(v)) return undefined;
  const key = str(v, 'service_key') ?? str(v, 'key');
  if (!key) return undefined;
  return stripUndefined({
    service_key: key,
    name: str(v, 'name') ?? str(v, 'service_name') ?? key,
    description: str(v, 'description'),
    team_name: str(v, 'team_name'),
  });
}

/** A team; `undefined` without a name. */
export function parseTeam(v: unknown): Team | undefined {
  if (!isObject(v)) return undefined;
  const name = str(v, 'name');
  if (!name) return undefined;
  return stripUndefined({ id: str(v, 'id'), name, description: str(v, 'description') });
}

/** A user; `undefined` without an email. */
export function parseUser(v: unknown): User | undefined {
  if (!isObject(v)) return undefined;
  const email = str(v, 'email');
  if (!email) return undefined;
  return stripUndefined({ id: str(v, 'id'), name: str(v, 'name') ?? email, email, is_active: bool(v, 'is_active'), team_name: str(v, 'team_name') ?? str(v, 'team') });
}

function parseLevel(v: unknown, index: number): EscalationLevel | undefined {
  if (!isObject(v)) return undefined;
  return stripUndefined({
    level: num(v, 'level') ?? index + 1,
    delay_minutes: num(v, 'delay_minutes'),
    targets: mapDefined(arr(v, 'targets'), (t) =>
      isObject(t) ? stripUndefined({ type: str(t, 'type'), name: str(t, 'name'), email: str(t, 'email') }) : undefined,
    ),
  });
}

/** An escalation policy; accepts the policy itself or `{policy: {...}}`. */
export function parseEscalationPolicy(v: unknown): EscalationPolicy | undefined {
  if (!isObject(v)) return undefined;
  const inner = isObject(v.policy) ? v.policy : v;
  const levels: EscalationLevel[] = [];
  arr(inner, 'levels').forEach((l, i) => {
    const parsed = parseLevel(l, i);
    if (parsed) levels.push(parsed);
  });
  return stripUndefined({ severity: str(inner, 'severity'), levels });
}

function parseEngineer(v: unknown): OnCallEngineer | undefined {
  if (!isObject(v)) return undefined;
  const name = str(v, 'name');
  if (!name) return undefined;
  return stripUndefined({
    shift_id: str(v, 'shift_id'),
    id: str(v, 'id'),
    name,
    email: str(v, 'email'),
    slack_user_id: nullableStr(v, 'slack_user_id'),
    role: str(v, 'role'),
    schedule_id: str(v, 'schedule_id'),
    schedule_name: str(v, 'schedule_name'),
    shift_starts_at: str(v, 'shift_starts_at'),
    shift_ends_at: str(v, 'shift_ends_at'),
  });
}

function parseOnCallService(v: unknown): OnCallService | undefined {
  if (!isObject(v)) return undefined;
  const key = str(v, 'service_key');
  const name = str(v, 'service_name') ?? str(v, 'name');
  if (!key && !name) return undefined;
  const engineers = mapDefined(arr(v, 'on_call_engineers'), parseEngineer);
  const primary = field(v, 'primary_on_call');
  return {
    service_key: key ?? '',
    service_name: name ?? key ?? '',
    service_description: nullableStr(v, 'service_description') ?? null,
    team_name: nullableStr(v, 'team_name') ?? null,
    team_description: nullableStr(v, 'team_description') ?? null,
    has_coverage: bool(v, 'has_coverage') ?? engineers.length > 0,
    primary_on_call:
      isObject(primary) && str(primary, 'name')
        ? stripUndefined({ id: str(primary, 'id'), name: str(primary, 'name') as string, role: str(primary, 'role') })
        : null,
    schedule_names: arr(v, 'schedule_names').filter((s): s is string => typeof s === 'string'),
    on_call_engineers: engineers,
  };
}

/** The on-call payload, snake_case or (older deployments) camelCase. */
export function parseOnCall(v: unknown): OnCallSnapshot {
  if (!isObject(v)) return { services: [] };
  const summary = field(v, 'summary');
  return stripUndefined({
    timestamp: str(v, 'timestamp'),
    summary: isObject(summary)
      ? stripUndefined({
          total_services: num(summary, 'total_services'),
          services_with_coverage: num(summary, 'services_with_coverage'),
          services_without_coverage: num(summary, 'services_without_coverage'),
          coverage_percentage: num(summary, 'coverage_percentage'),
        })
      : undefined,
    services: mapDefined(arr(v, 'services'), parseOnCallService),
  });
}

/** GET /auth/verify payload. */
export function parseAuthInfo(v: unknown): AuthInfo {
  if (!isObject(v)) return { valid: false, scopes: [] };
  return stripUndefined({
    valid: bool(v, 'valid') ?? true,
    scopes: arr(v, 'scopes').filter((s): s is string => typeof s === 'string'),
    organization_name: str(v, 'organization_name') ?? str(v, 'organization'),
    user: parsePerson(field(v, 'user')) ?? undefined,
  });
}

/** A postmortem; `undefined` without an incident number or id. Keeps every field it finds. */
export function parsePostmortem(v: unknown): Postmortem | undefined {
  if (!isObject(v)) return undefined;
  const inner = isObject(v.postmortem) ? v.postmortem : v;
  const incident = str(inner, 'incident_number');
  const id = str(inner, 'id');
  if (!incident && !id) return undefined;
  const out: Obj = {};
  for (const [k, val] of Object.entries(inner)) {
    out[k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())] = val;
  }
  out.incident_number = incident ?? '';
  return out as unknown as Postmortem;
}

/**
 * A list payload `{items, total, has_more, next_offset}` (also a bare array, or `data`/`results`
 * as the item key). Odd items are skipped and counted in `skipped`.
 * @param requestedOffset the offset asked for, used to derive `next_offset` when the API omits it
 */
export function parseListPage<T>(v: unknown, parseItem: (item: unknown) => T | undefined, requestedOffset = 0): ListPage<T> {
  const raw = Array.isArray(v) ? v : isObject(v) ? (arr(v, 'items').length ? arr(v, 'items') : arr(v, 'results')) : [];
  const items = mapDefined(raw, parseItem);
  const o = isObject(v) ? v : {};
  const total = num(o, 'total');
  const nextOffsetRaw = field(o, 'next_offset');
  let next: number | null = typeof nextOffsetRaw === 'number' ? nextOffsetRaw : null;
  let hasMore = bool(o, 'has_more');
  if (hasMore === undefined) hasMore = next !== null || (total !== undefined && requestedOffset + raw.length < total);
  if (hasMore && next === null) next = requestedOffset + raw.length;
  if (!hasMore) next = null;
  return stripUndefined({ items, total, has_more: hasMore, next_offset: next, skipped: raw.length - items.length });
}
