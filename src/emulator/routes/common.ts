/**
 * What every emulator route shares: the API error, the handler and route shapes, field-error
 * collection, paging and search over lists, and the incident helpers (find, actor, timeline,
 * participants). Pure over the emulator state. Contract: docs/runframe-api.md.
 */
import { OPEN_STATUSES, SEVERITIES, type Incident, type Severity, type TimelineEvent } from '../../api/types';
import type { core, output } from 'zod/mini';
import type { BodyShape } from '../../domain/requests';
import { checkShape, fieldPath } from '../../domain/shapeCheck';
import { LIMITS } from '../../domain/contract';
import { checkIncidentNumber, isIsoDateTime } from '../../domain/identifiers';
import type { EmulatorApiKey, EmulatorState, UserRecord } from '../model';

/** An API error answer: HTTP status, error code, message and optional details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** closeConnection: answer with `connection: close` (the rest of the request is not read) */
    readonly options: { closeConnection?: boolean } = {},
  ) {
    super(message);
  }

  get closeConnection(): boolean {
    return this.options.closeConnection === true;
  }
}

export interface RouteContext {
  method: string;
  /** path segments after /api/v1, decoded */
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  key: EmulatorApiKey;
  /** ms since epoch */
  now: number;
}

export interface RouteResult {
  status: number;
  data: unknown;
  /** true when state changed and must be committed */
  mutated?: boolean;
}

export type Handler = (state: EmulatorState, ctx: RouteContext, params: string[]) => RouteResult;

export interface Route {
  method: string;
  /** segments; ":" marks a parameter */
  pattern: string[];
  scope?: string;
  handler: Handler;
}

/** Collects field errors and throws one 422 with all of them. */
export class FieldErrors {
  // No prototype: a field named "toString" or "constructor" must count as a field, not be found
  // on Object.prototype and skipped.
  readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;
  add(field: string, message: string): void {
    this.fields[field] ??= message;
  }
  get any(): boolean {
    return Object.keys(this.fields).length > 0;
  }
  /** Throws the 422 (with a generic line when no field was named). */
  fail(): never {
    if (!this.any) this.add('body', 'does not fit this endpoint');
    this.throwIfAny();
    throw new Error('unreachable');
  }
  throwIfAny(): void {
    if (!this.any) return;
    const summary = Object.entries(this.fields).map(([f, m]) => `${f}: ${m}`).join('; ');
    throw new ApiProblem(422, 'validation_error', `Invalid input: ${summary}`, { fields: this.fields });
  }
}

/** An issue in the API's words (what the field must be), never echoing the value. */
function issueMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `takes at most ${issue.maximum} items` : issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

/**
 * Checks a body against its shape from the domain (src/domain/requests.ts), adding one error per
 * field to `errors`. @param unknownField what to say of a field the body may not have
 * @returns the parsed body, or undefined when it does not fit (the errors say why)
 */
export function checkBody<S extends BodyShape>(schema: S, body: unknown, errors: FieldErrors, unknownField: string): output<S> | undefined {
  const parsed = checkShape(schema, body);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) errors.add(fieldPath([...issue.path, k]), unknownField);
    else errors.add(fieldPath(issue.path) || 'body', issueMessage(issue));
  }
  return undefined;
}

export function severityOf(v: unknown, errors: FieldErrors, field = 'severity'): Severity | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  errors.add(field, `must be one of ${SEVERITIES.join(', ')}`);
  return undefined;
}

export function paging(query: URLSearchParams, defaultLimit = 20): { limit: number; offset: number } {
  const errors = new FieldErrors();
  const limitRaw = query.get('limit');
  const offsetRaw = query.get('offset');
  const limit = limitRaw === null ? defaultLimit : Number(limitRaw);
  const offset = offsetRaw === null ? 0 : Number(offsetRaw);
  if (!Number.isInteger(limit) || limit < LIMITS.listLimit.min || limit > LIMITS.listLimit.max) errors.add('limit', `must be an integer from ${LIMITS.listLimit.min} to ${LIMITS.listLimit.max}`);
  if (!Number.isInteger(offset) || offset < 0) errors.add('offset', 'must be an integer of 0 or more');
  errors.throwIfAny();
  return { limit, offset };
}

export function pageOf<T>(all: T[], query: URLSearchParams, defaultLimit = 20) {
  const { limit, offset } = paging(query, defaultLimit);
  const items = all.slice(offset, offset + limit);
  const hasMore = offset + limit < all.length;
  return { items, total: all.length, has_more: hasMore, next_offset: hasMore ? offset + limit : null };
}

export function search<T>(items: T[], query: URLSearchParams, text: (item: T) => string): T[] {
  const q = query.get('search')?.trim().toLowerCase();
  return q ? items.filter((i) => text(i).toLowerCase().includes(q)) : items;
}

export function findIncident(state: EmulatorState, ref: string): Incident {
  const checked = checkIncidentNumber(ref);
  if (!checked.ok) throw new ApiProblem(422, 'invalid_incident_number', checked.message, { fields: { incident_number: checked.message } });
  const incident = state.incidents.find((i) => i.incident_number === checked.value || i.id === checked.value);
  if (!incident) throw new ApiProblem(404, 'not_found', `Incident ${checked.value} not found`);
  return incident;
}

export function actorOf(state: EmulatorState, key: EmulatorApiKey): UserRecord {
  const user = state.users.find((u) => u.email === key.user_email);
  return user ?? { id: 'api-key', name: key.label ?? 'API key', email: key.user_email, is_active: true, team_name: '', title: '', slack_user_id: '' };
}

export function addEvent(incident: Incident, type: string, actor: UserRecord | null, comment: string, now: number): TimelineEvent {
  const event: TimelineEvent = {
    id: crypto.randomUUID(),
    type,
    comment,
    actor: actor ? { name: actor.name, email: actor.email } : null,
    created_at: new Date(now).toISOString(),
  };
  (incident.timeline ??= []).push(event);
  incident.updated_at = event.created_at;
  return event;
}

export function addParticipant(incident: Incident, user: { name: string; email: string }, role: string): void {
  const list = (incident.participants ??= []);
  if (!list.some((p) => p.email === user.email)) list.push({ name: user.name, email: user.email, role });
}

export function summaryOf(incident: Incident): Incident {
  const { timeline: _t, participants: _p, ...rest } = incident;
  return rest;
}

export function isOpen(incident: Incident): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(incident.status ?? '');
}

export function timeFilter(query: URLSearchParams, name: string, errors: FieldErrors): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!isIsoDateTime(v)) {
    errors.add(name, 'must be an ISO 8601 date-time, e.g. 2026-04-01T00:00:00Z');
    return undefined;
  }
  return Date.parse(v);
}

// ---- handlers -------------------------------------------------------------------------------
