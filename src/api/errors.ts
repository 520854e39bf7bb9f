/**
 * Typed errors of the Runframe API client, each with a hint that says what to do next.
 * Hints follow docs/runframe-api.md "Rules for every consumer" (401 set a new key, 403 name the
 * missing scope, 404 check the identifier of that kind, 409 already acknowledged, 429 when to retry).
 */

/** What went wrong, coarsely: an HTTP error status, no answer in time, no connection, or an answer we cannot read. */
export type ApiErrorKind = 'http' | 'timeout' | 'network' | 'invalid_response' | 'aborted';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  /** HTTP status; 0 when no response arrived */
  status: number;
  /** API error code such as `not_found`, or our own (`timeout`, `network_error`, `invalid_json`) */
  code: string;
  /** Message from the API (`error.user_message` or `error.message`), or ours */
  apiMessage: string;
  hint: string;
  /**
   * A write without an Idempotency-Key was sent and its answer was lost (timeout, dropped
   * connection, empty or unreadable body): it may or may not have been applied. Default false.
   * Set where the error is made; the hint there is UNKNOWN_OUTCOME_HINT because of it.
   */
  outcomeUnknown?: boolean;
  requestId?: string;
  /** Seconds from the `Retry-After` header of a 429/503 */
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
  method: string;
  /** Path without the query string, e.g. /api/v1/incidents/INC-2026-001/acknowledge */
  path: string;
  cause?: unknown;
}

/**
 * An error from a Runframe API call. `message` is ready to show to a person or a model:
 * the API's message, the HTTP status and request id, and the hint. It never contains the API key.
 */
export class RunframeApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly code: string;
  readonly apiMessage: string;
  readonly hint: string;
  /** True when a write was sent and may or may not have been applied (so a blind retry could repeat it). */
  readonly outcomeUnknown: boolean;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;
  readonly method: string;
  readonly path: string;

  constructor(init: ApiErrorInit) {
    const where = [init.status ? `HTTP ${init.status}` : undefined, init.code, init.requestId ? `request id ${init.requestId}` : undefined]
      .filter(Boolean)
      .join(', ');
    super(`${init.apiMessage} (${where}). ${init.hint}`, { cause: init.cause });
    this.name = 'RunframeApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.apiMessage = init.apiMessage;
    this.hint = init.hint;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = init.details;
    this.method = init.method;
    this.path = init.path;
  }

  /** True when the API answered 409 (for acknowledge: already acknowledged). */
  get isConflict(): boolean {
    return this.kind === 'http' && this.status === 409;
  }

  /** The same error with `extra` added to its hint (and message). */
  withHint(extra: string): RunframeApiError {
    return new RunframeApiError({
      kind: this.kind, status: this.status, code: this.code, apiMessage: this.apiMessage, hint: `${this.hint} ${extra}`, outcomeUnknown: this.outcomeUnknown,
      requestId: this.requestId, retryAfterSeconds: this.retryAfterSeconds, details: this.details, method: this.method, path: this.path, cause: this.cause,
    });
  }
}

/** The hint of every error with `outcomeUnknown` (timeout, dropped or unreadable answer to a write). */
export const UNKNOWN_OUTCOME_HINT = 'The change may or may not have been applied: check the incident before trying again.';

/** What the failing call was about, so the hint can be specific. */
export interface HintContext {
  /** Scope the endpoint needs, named in the 403 hint */
  scope?: string;
  /** What a 404 means for this call, e.g. "No incident INC-2026-001" */
  notFound?: string;
  /** What the call names, for what to check after a 404 (NOT_FOUND_HINTS); a generic hint when undefined */
  notFoundKind?: NotFoundKind;
  /** What a 409 means for this call */
  conflict?: string;
  /** API base URL, named in network and timeout hints */
  baseUrl: string;
  timeoutMs: number;
}

/** What to check after a 404, by what the call names (identifier forms: docs/runframe-api.md part A). */
export const NOT_FOUND_HINTS = {
  incident: 'check the incident number (numbers look like INC-2026-001; list incidents to find the right one)',
  incident_or_user: 'check the incident number (like INC-2026-001) and the email (search users to find the right one)',
  service: 'check the service keys (keys look like svc_K7QW2M9XHP; list services to find the right one)',
  team: 'check the team name, which must match exactly (list teams to see the names)',
  postmortem: 'none was created for this incident yet; create one first, or check the incident number',
  escalation_policy: 'no escalation policy is set up for this severity in Runframe; check the severity (SEV0-SEV4)',
} as const;
export type NotFoundKind = keyof typeof NOT_FOUND_HINTS;

function listDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const fields = details.fields ?? details.errors;
  if (fields && typeof fields === 'object') {
    const parts = Object.entries(fields as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`);
    if (parts.length) return ` Fields: ${parts.join('; ')}.`;
  }
  const missing = details.missing_fields;
  if (Array.isArray(missing) && missing.length) return ` Missing fields: ${missing.join(', ')}.`;
  return '';
}

/**
 * The hint for an HTTP error status. Pure; exported for tests and for the extension's messages.
 * @param status HTTP status code
 * @param details the API's `error.details`, if any
 */
export function hintForStatus(status: number, ctx: HintContext, retryAfterSeconds?: number, details?: Record<string, unknown>): string {
  const scope = (typeof details?.required_scope === 'string' ? details.required_scope : undefined) ?? ctx.scope;
  switch (true) {
    case status === 400:
      return `The request was malformed.${listDetails(details)} Correct the input and try again.`;
    case status === 401:
      return 'The API key was rejected (revoked, expired or mistyped). Set a new key: in VS Code run "Runframe: Set API Key"; for the MCP server set RUNFRAME_API_KEY.';
    case status === 403:
      return scope
        ? `The API key lacks the "${scope}" scope. Create a key with that scope in Runframe settings, or ask an admin.`
        : 'The API key is not allowed to do this. Check its scopes in Runframe settings.';
    case status === 404:
      return `${ctx.notFound ?? 'Not found'}: ${ctx.notFoundKind ? NOT_FOUND_HINTS[ctx.notFoundKind] : 'check the identifier, and list to find the right one'}.`;
    case status === 409:
      return ctx.conflict ?? 'The change conflicts with the current state; fetch the latest state and decide again.';
    case status === 422:
      return `The API rejected the input.${listDetails(details)} Correct it and try again.`;
    case status === 429:
      return retryAfterSeconds !== undefined
        ? `Rate limited by Runframe: retry after ${retryAfterSeconds} s.`
        : 'Rate limited by Runframe: wait a few seconds and retry.';
    case status >= 500:
      return `Runframe had a server error (HTTP ${status}). Retry in a moment; if it persists, check Runframe's status page.`;
    default:
      return 'Unexpected answer from the Runframe API; retry, and check the API URL if it persists.';
  }
}

/** An input the client refuses to send; `field` names the offending input. No request was made. */
export class RunframeInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'RunframeInputError';
  }
}
