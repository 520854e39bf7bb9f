/**
 * The lists, limits and defaults of the Runframe public API v1, written once for every layer:
 * the API client checks input against them, the MCP tools describe and validate with them, the
 * emulator enforces them, and the extension's inputs say them. Pure: imports nothing.
 *
 * Source: docs/runframe-api.md (part A: known from Runframe's published MCP server and
 * documentation; part B: our assumption, marked where used).
 */

/** Severities, most severe first. Runframe v1: SEV0 (critical) .. SEV4 (lowest). */
export const SEVERITIES = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The severities that wake people: the status bar's alarm, the workspace's deploy check and the
 * new-incident announcement default all start here. Runframe v1 defines no such set; ours.
 */
export const MAJOR_SEVERITIES: readonly Severity[] = ['SEV0', 'SEV1'];

/** Default incident statuses in lifecycle order (organisations may rename them). */
export const STATUSES = ['new', 'investigating', 'fixing', 'monitoring', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses that count as "open": every status before resolved. */
export const OPEN_STATUSES: readonly Status[] = ['new', 'investigating', 'fixing', 'monitoring'];

/** API key scopes. Runframe v1: a key without the scope an endpoint needs gets 403. */
export const SCOPES = [
  'incidents:read',
  'incidents:write',
  'oncall:read',
  'services:read',
  'postmortems:read',
  'postmortems:write',
  'teams:read',
  'users:read',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Channels a page goes out on. Runframe v1: POST /incidents/{number}/page `channels`, a non-empty subset. */
export const PAGE_CHANNELS = ['slack', 'email'] as const;
export type PageChannel = (typeof PAGE_CHANNELS)[number];

/** Action-item states accepted in a postmortem (Runframe v1: POST /postmortems `action_items[].status`). */
export const ACTION_ITEM_STATUSES = ['pending', 'in_progress', 'completed'] as const;

/**
 * Length limits of text fields, in characters. Runframe v1 (part A): incident title 1-200, description <= 10,000, status
 * comment <= 500, page message <= 500. Timeline notes and postmortem sections have no published
 * limit: ours (part B) keep a model or a paste from sending megabytes.
 */
export const LIMITS = {
  title: { min: 1, max: 200 },
  description: { max: 10_000 },
  statusComment: { max: 500 },
  pageMessage: { max: 500 },
  note: { min: 1, max: 10_000 },
  postmortemText: { max: 20_000 },
  /** Runframe v1: POST /incidents `service_ids`, 1-50 service keys */
  services: { min: 1, max: 50 },
  /** Runframe v1: list endpoints' `limit` */
  listLimit: { min: 1, max: 100, default: 20 },
  /** Free-text search, team and status names */
  search: { max: 200 },
  idempotencyKey: { min: 1, max: 255 },
} as const;

/**
 * The length of text as every limit above counts it: Unicode code points, so an emoji or a CJK
 * extension character is one character, as in JSON Schema's maxLength (which the tools/list
 * schemas carry) and zod's max. Pure.
 */
export function textLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Defaults the API applies when a field is left out. */
export const DEFAULTS = {
  /** Runframe v1: POST /incidents without `severity` */
  severity: 'SEV2' as Severity,
  /** Part B (assumed): an incident starts at level 1 of its escalation policy; escalating moves to the next */
  escalationLevel: 1,
} as const;

/**
 * The free-text sections of a postmortem (Runframe v1: POST /postmortems), in the order a
 * reader meets them. The structured ones are `impact`, `timeline`, `action_items` and
 * `response_timeline`.
 */
export const POSTMORTEM_TEXT_FIELDS = [
  'executive_summary',
  'summary',
  'root_cause',
  'resolution',
  'contributing_factors',
  'detection_path',
  'monitoring_gaps',
  'five_whys',
  'prevented_recurrence',
] as const;
export type PostmortemTextField = (typeof POSTMORTEM_TEXT_FIELDS)[number];

/** The structured sections of a postmortem (Runframe v1: POST /postmortems). */
export const POSTMORTEM_STRUCTURED_FIELDS = ['impact', 'timeline', 'action_items', 'response_timeline'] as const;

/** Fields of `impact` and of `response_timeline` in a postmortem (Runframe v1). */
export const POSTMORTEM_IMPACT_FIELDS = ['duration', 'users_affected', 'services_affected', 'revenue_impact'] as const;
export const RESPONSE_TIMELINE_FIELDS = ['time_to_acknowledge', 'time_to_identify', 'time_to_resolve'] as const;
/** Fields of one `timeline` entry and of one `action_items` entry in a postmortem (Runframe v1). */
export const POSTMORTEM_TIMELINE_ENTRY_FIELDS = ['timestamp', 'description'] as const;
export const ACTION_ITEM_FIELDS = ['text', 'owner_email', 'due_date', 'status'] as const;

/** Every argument of a postmortem in words, e.g. for a model: "incident_number, …, impact {duration, …}". */
export function postmortemFieldsInWords(): string {
  return [
    'incident_number',
    ...POSTMORTEM_TEXT_FIELDS,
    `impact {${POSTMORTEM_IMPACT_FIELDS.join(', ')}}`,
    `timeline [{${POSTMORTEM_TIMELINE_ENTRY_FIELDS.join(', ')}}]`,
    `action_items [{${ACTION_ITEM_FIELDS.join(', ')}}]`,
    `response_timeline {${RESPONSE_TIMELINE_FIELDS.join(', ')}}`,
  ].join(', ');
}
