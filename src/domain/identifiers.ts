/**
 * Identifier rules of the Runframe public API v1, defined once for every consumer
 * (MCP tools, extension, emulator). Source: docs/runframe-api.md, part A "Identifiers".
 *
 * Each `check*` function returns `{ ok: true, value }` with the normalised value, or
 * `{ ok: false, message }` with a message that says what the right form is. None of them throws.
 */
import { LIMITS } from './contract';

import { textLength } from './contract';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Letters and digits a service key may use after `svc_` (no I, O, U, 0 or 1). */
export const SERVICE_KEY_RE = /^svc_[ABCDEFGHJKLMNPQRSTVWXYZ][ABCDEFGHJKLMNPQRSTVWXYZ23456789]{9}$/;
const LEGACY_SERVICE_KEY_RE = /^SER-\d+$/i;
const INCIDENT_NUMBER_RE = /^INC-(\d{4})-(\d{1,9})$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Deliberately simple: one @, no spaces, a dot in the domain. The API has the final word.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** C0 and C1 control characters and DEL: never part of an identifier (a NUL would reach the API). */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `text` holds a control character (NUL, line breaks, escape, DEL, C1). Pure. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_RE.test(text);
}

/** Whether two emails name the same person: case-insensitive, ignoring surrounding spaces; false when either is missing. */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}

/** Example service key used in messages. */
export const SERVICE_KEY_EXAMPLE = 'svc_K7QW2M9XHP';

/**
 * Trims a service key and normalises its case: prefix lower case, rest upper case.
 * Runframe v1 normalises input the same way before validating.
 * @param input raw text, e.g. " SVC_k7qw2m9xhp "
 * @returns e.g. "svc_K7QW2M9XHP" (not yet validated)
 */
export function normaliseServiceKey(input: string): string {
  const trimmed = input.trim();
  const sep = trimmed.indexOf('_');
  if (sep < 0) return trimmed;
  return trimmed.slice(0, sep).toLowerCase() + '_' + trimmed.slice(sep + 1).toUpperCase();
}

/**
 * Normalises and validates a service key (`svc_` + 10 characters).
 * Legacy keys such as `SER-00001` are rejected with a message showing the right form.
 */
export function checkServiceKey(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: `a service key is required, e.g. ${SERVICE_KEY_EXAMPLE}` };
  }
  const value = normaliseServiceKey(input);
  if (SERVICE_KEY_RE.test(value)) return { ok: true, value };
  const shown = JSON.stringify(input.trim().slice(0, 40));
  if (LEGACY_SERVICE_KEY_RE.test(input.trim())) {
    return {
      ok: false,
      message:
        `${shown} is a legacy service id; Runframe v1 takes service keys like ${SERVICE_KEY_EXAMPLE} ` +
        `(svc_ + 10 letters/digits). List services to find the key.`,
    };
  }
  return {
    ok: false,
    message:
      `${shown} is not a service key; expected svc_ followed by 10 characters from A-Z and 2-9 ` +
      `(no I, O, U, 0 or 1), e.g. ${SERVICE_KEY_EXAMPLE}. List services to find the key.`,
  };
}

/**
 * Normalises and validates an incident reference: an incident number `INC-<year>-<sequence>`
 * (case-insensitive, trimmed; returned upper case) or an incident UUID (returned lower case).
 * Source: Runframe v1 path parameters take the number; the reference MCP server also takes UUIDs.
 */
export function checkIncidentNumber(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: 'an incident number is required, e.g. INC-2026-001' };
  }
  const trimmed = input.trim();
  const upper = trimmed.toUpperCase();
  if (INCIDENT_NUMBER_RE.test(upper)) return { ok: true, value: upper };
  if (UUID_RE.test(trimmed)) return { ok: true, value: trimmed.toLowerCase() };
  return {
    ok: false,
    message: `${JSON.stringify(trimmed.slice(0, 40))} is not an incident number; expected INC-<year>-<sequence>, e.g. INC-2026-001 (or the incident's UUID)`,
  };
}

/** How well a typed query matches an incident number: the number itself, or its beginning. */
export type IncidentNumberMatch = 'exact' | 'prefix';

/**
 * Reads what a person typed into an incident picker as an incident number, if it is one:
 * `INC-2026-040`, `inc-2026-040`, `2026-040`, `040` and `40` all name INC-2026-040 exactly;
 * `INC-2026-04`, `2026-0` or `4` are prefixes. Text with anything but digits and dashes after
 * an optional `INC-` (e.g. "checkout") is not a number query.
 * @returns a matcher giving 'exact', 'prefix' or undefined for an incident number, or undefined
 *   when the query is not an incident number at all (then pickers search titles as usual)
 */
export function incidentNumberQuery(typed: string): ((incidentNumber: string) => IncidentNumberMatch | undefined) | undefined {
  const rest = typed.trim().toUpperCase().replace(/^INC-?/, '');
  if (!/^\d[\d-]*$/.test(rest)) return undefined;
  const full = /^(\d{4})-(\d*)$/.exec(rest);
  return (incidentNumber) => {
    const parts = INCIDENT_NUMBER_RE.exec(incidentNumber.trim().toUpperCase());
    if (!parts) return undefined;
    const [, year, sequence] = parts;
    if (full) {
      if (full[1] === year && full[2] !== '' && Number(full[2]) === Number(sequence)) return 'exact';
      return `${year}-${sequence}`.startsWith(rest) ? 'prefix' : undefined;
    }
    if (!rest.includes('-')) {
      if (Number(rest) === Number(sequence)) return 'exact';
      if (sequence.startsWith(rest) || String(Number(sequence)).startsWith(rest) || year.startsWith(rest)) return 'prefix';
    }
    return undefined;
  };
}

/**
 * The items whose incident number matches a typed number query: exact matches first, then
 * prefixes, each in the given order. @returns undefined when `typed` is not a number query
 */
export function rankByIncidentNumber<T>(typed: string, items: readonly T[], numberOf: (item: T) => string): { exact: T[]; prefix: T[] } | undefined {
  const match = incidentNumberQuery(typed);
  if (!match) return undefined;
  const exact: T[] = [];
  const prefix: T[] = [];
  for (const item of items) {
    const m = match(numberOf(item));
    if (m === 'exact') exact.push(item);
    else if (m === 'prefix') prefix.push(item);
  }
  return { exact, prefix };
}

/** Validates an email address (trimmed, lower-cased). */
export function checkEmail(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: 'an email address is required, e.g. alex@example.com' };
  }
  const value = input.trim().toLowerCase();
  if (hasControlCharacter(value)) return { ok: false, message: 'an email address cannot contain control characters (NUL, line breaks, …); type it again, e.g. alex@example.com' };
  if (textLength(value) <= 254 && EMAIL_RE.test(value)) return { ok: true, value };
  return { ok: false, message: `${JSON.stringify(input.trim().slice(0, 60))} is not an email address, e.g. alex@example.com` };
}

/**
 * Checks the form of an API key without ever echoing it: keys start with `rf_` (Runframe v1),
 * carry no whitespace, and are 8-512 characters long.
 * @returns the trimmed key, or a message that does not contain the key
 */
export function checkApiKeyFormat(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: 'No Runframe API key is set. Create one in Runframe settings (it starts with rf_).' };
  }
  const value = input.trim();
  if (!value.startsWith('rf_')) {
    return { ok: false, message: 'That is not a Runframe API key: keys start with rf_. Copy the whole key from Runframe settings.' };
  }
  if (/\s/.test(value) || hasControlCharacter(value)) {
    return { ok: false, message: 'The Runframe API key contains whitespace or control characters; copy it again without spaces or line breaks.' };
  }
  if (value.length < 8 || value.length > 512) {
    return { ok: false, message: 'The Runframe API key has the wrong length; copy the whole key from Runframe settings.' };
  }
  return { ok: true, value };
}

/** True for an ISO 8601 date-time with a time zone, e.g. 2026-04-01T00:00:00Z. */
export function isIsoDateTime(input: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(input) && !Number.isNaN(Date.parse(input));
}

/**
 * The web page of an incident: `<base>/incidents/<number>`. Assumed (not in the public API docs):
 * Runframe's web app serves incidents under the same origin as the API; the emulator serves a
 * page there too.
 */
export function incidentWebUrl(baseUrl: string, incidentNumber: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incidentNumber)}`;
}

/**
 * Validates an Idempotency-Key: 1-255 characters (LIMITS.idempotencyKey) that an HTTP header
 * can carry, i.e. tab, printable ASCII and Latin-1 (RFC 9110 field values; Node refuses to send
 * anything else, which would look like a network failure). No CR, LF, NUL or other controls.
 */
export function checkIdempotencyKey(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input === '') return { ok: false, message: 'must be a non-empty string' };
  if (input.length > LIMITS.idempotencyKey.max) return { ok: false, message: `must be at most ${LIMITS.idempotencyKey.max} characters` };
  const bad = /[^\t\x20-\x7e\xa0-\xff]/.exec(input);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return { ok: false, message: `contains U+${code} at position ${bad.index + 1}; use letters, digits and punctuation (printable ASCII), e.g. a UUID` };
  }
  return { ok: true, value: input };
}
