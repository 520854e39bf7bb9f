/**
 * The emulator's stored state: a Runframe organisation as our emulator models it
 * (docs/runframe-api.md part B). Incidents, services, teams and users are stored in the API's
 * own snake_case shape so they can be served as they are.
 */
import type { EscalationPolicy, Incident, Postmortem, Severity } from '../api/types';

export interface TeamRecord {
  id: string;
  name: string;
  description: string;
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  is_active: boolean;
  team_name: string;
  /** job role, e.g. "SRE", "Engineering Manager" */
  title: string;
  slack_user_id: string;
}

export interface ServiceRecord {
  service_key: string;
  name: string;
  description: string;
  team_name: string;
}

/** A rotation: shift i (0-based from `epoch`) belongs to rotation[i % rotation.length]. */
export interface ScheduleRecord {
  id: string;
  name: string;
  team_name: string;
  /** on-call role of whoever holds the shift: primary, secondary */
  role: string;
  service_keys: string[];
  /** user emails in rotation order */
  rotation: string[];
  /** shift length in hours */
  shift_hours: number;
  /** ISO 8601 start of shift 0 */
  epoch: string;
}

export interface SlaTarget {
  acknowledge_minutes: number;
  resolve_minutes: number;
}

export interface OrganizationRecord {
  name: string;
  /** SLA targets per severity; a severity without one cannot be used to create incidents */
  sla: Partial<Record<Severity, SlaTarget>>;
  /** Fields POST /postmortems requires at this org's postmortem level */
  postmortem_required_fields: string[];
}

export interface IdempotencyRecord {
  /** sha256 of the canonical request body */
  fingerprint: string;
  status: number;
  data: unknown;
  created_at: string;
}

export interface EmulatorState {
  format: 'runframe-emulator/1';
  organization: OrganizationRecord;
  teams: TeamRecord[];
  users: UserRecord[];
  services: ServiceRecord[];
  schedules: ScheduleRecord[];
  escalation_policies: EscalationPolicy[];
  /** full incidents with timeline and participants, in creation order */
  incidents: Incident[];
  postmortems: Postmortem[];
  /** key: sha256(api key) + ":" + Idempotency-Key */
  idempotency: Record<string, IdempotencyRecord>;
  /** last incident sequence used per year, e.g. {"2026": 40} */
  sequences: Record<string, number>;
}

/** An API key the emulator accepts. Keys live only in memory, never in the data file. */
export interface EmulatorApiKey {
  key: string;
  scopes: string[];
  /** email of the user the key acts as (acknowledge assigns to them) */
  user_email: string;
  label?: string;
  /** Answer GET /auth/verify with the published fields only (no `user`), like deployments that do not name the key's user */
  verify_without_user?: boolean;
}
