/**
 * Domain types of the Runframe public API v1, in the API's own snake_case vocabulary.
 *
 * Source: docs/runframe-api.md. Part A (endpoints, envelopes, on-call payload) is known from
 * Runframe's public MCP server and docs; part B (incident, service, team, user, policy and
 * postmortem objects) is our assumption, so every field a parser may not find is optional.
 */

import { ACTION_ITEM_STATUSES, type PageChannel } from '../domain/contract';

// The lists of the contract live in the domain module; re-exported for the API's consumers.
export { ACTION_ITEM_STATUSES, OPEN_STATUSES, PAGE_CHANNELS, SCOPES, SEVERITIES, STATUSES } from '../domain/contract';
export type { PageChannel, Scope, Severity, Status } from '../domain/contract';

export interface PersonRef {
  name?: string;
  email?: string;
}

export interface ServiceRef {
  service_key: string;
  name?: string;
}

export interface TimelineEvent {
  id?: string;
  /** e.g. created, status_change, acknowledged, note, escalated, paged, updated, postmortem_created */
  type: string;
  comment?: string;
  actor?: PersonRef | null;
  created_at?: string;
}

export interface Participant extends PersonRef {
  role?: string;
}

export interface Incident {
  id?: string;
  /** INC-<year>-<sequence>, e.g. INC-2026-001 */
  incident_number: string;
  title: string;
  description?: string;
  severity?: string;
  status?: string;
  /** ISO 8601 timestamps */
  created_at?: string;
  updated_at?: string;
  acknowledged_at?: string | null;
  resolved_at?: string | null;
  closed_at?: string | null;
  assigned_to?: PersonRef | null;
  resolved_by?: PersonRef | null;
  team_name?: string;
  services: ServiceRef[];
  escalation_level?: number;
  sla?: { acknowledge_due_at?: string | null; resolve_due_at?: string | null };
  timeline?: TimelineEvent[];
  participants?: Participant[];
}

/** One page of a list endpoint. `next_offset` is null on the last page. */
export interface ListPage<T> {
  items: T[];
  total?: number;
  has_more: boolean;
  next_offset: number | null;
  /** Items the tolerant parser could not read (kept out of `items`, counted here). */
  skipped: number;
}

export interface Service {
  service_key: string;
  name: string;
  description?: string;
  team_name?: string;
}

export interface Team {
  id?: string;
  name: string;
  description?: string;
}

export interface User {
  id?: string;
  name: string;
  email: string;
  is_active?: boolean;
  /** Part B (assumed): the user's team, when the API says */
  team_name?: string;
}

export interface EscalationTarget {
  type?: string;
  name?: string;
  email?: string;
}

export interface EscalationLevel {
  level: number;
  delay_minutes?: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  severity?: string;
  levels: EscalationLevel[];
}

export interface OnCallEngineer {
  shift_id?: string;
  id?: string;
  name: string;
  email?: string;
  slack_user_id?: string | null;
  role?: string;
  schedule_id?: string;
  schedule_name?: string;
  /** ISO 8601 */
  shift_starts_at?: string;
  shift_ends_at?: string;
}

export interface OnCallService {
  service_key: string;
  service_name: string;
  service_description?: string | null;
  team_name?: string | null;
  team_description?: string | null;
  has_coverage: boolean;
  primary_on_call?: { id?: string; name: string; role?: string } | null;
  schedule_names: string[];
  on_call_engineers: OnCallEngineer[];
}

/** Runframe v1: GET /on-call/current payload. */
export interface OnCallSnapshot {
  timestamp?: string;
  summary?: {
    total_services?: number;
    services_with_coverage?: number;
    services_without_coverage?: number;
    coverage_percentage?: number;
  };
  services: OnCallService[];
}

export interface AuthInfo {
  valid: boolean;
  scopes: string[];
  organization_name?: string;
  /** Whom the key belongs to. Part B (assumed): the public docs do not list it; absent on some deployments. */
  user?: PersonRef;
}

export interface PostmortemImpact {
  duration?: string;
  users_affected?: string;
  services_affected?: string[];
  revenue_impact?: string;
}

export interface PostmortemActionItem {
  text: string;
  owner_email?: string;
  due_date?: string;
  status?: (typeof ACTION_ITEM_STATUSES)[number];
}

/** Body of POST /postmortems (Runframe v1); which fields are required depends on the org. */
export interface PostmortemInput {
  incident_number: string;
  summary?: string;
  root_cause?: string;
  resolution?: string;
  impact?: PostmortemImpact;
  timeline?: { timestamp: string; description: string }[];
  action_items?: PostmortemActionItem[];
  contributing_factors?: string;
  detection_path?: string;
  monitoring_gaps?: string;
  response_timeline?: { time_to_acknowledge?: string; time_to_identify?: string; time_to_resolve?: string };
  five_whys?: string;
  executive_summary?: string;
  prevented_recurrence?: string;
}

export interface Postmortem extends PostmortemInput {
  id?: string;
  status?: string;
  created_at?: string;
}

/** Filters of GET /incidents (Runframe v1). Dates are ISO 8601 strings. */
export interface IncidentFilters {
  status?: string[];
  severity?: string[];
  assigned_to?: string;
  resolved_by?: string;
  team_name?: string;
  created_after?: string;
  created_before?: string;
  resolved_after?: string;
  resolved_before?: string;
  /** 1-100, API default 20 */
  limit?: number;
  offset?: number;
}

export interface CreateIncidentInput {
  title: string;
  description?: string;
  severity?: string;
  /** 1-50 service keys (svc_XXXXXXXXXX) */
  service_ids: string[];
}

export interface UpdateIncidentInput {
  title?: string;
  description?: string;
  severity?: string;
  assigned_to?: string;
}

export interface PageInput {
  email: string;
  channels: PageChannel[];
  message?: string;
}

/** Result of POST /incidents/{number}/page as our emulator serves it (part B). */
export interface PageResult {
  paged: boolean;
  incident_number?: string;
  email?: string;
  channels?: string[];
  urgency?: string;
}

export interface SearchPaging {
  search?: string;
  limit?: number;
  offset?: number;
}
