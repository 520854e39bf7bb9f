/**
 * How times, durations and API text are written for people and models, once for every view,
 * document, resource and tool. Pure; "now" is always passed in (ms since epoch), so the same
 * input gives the same words in tests.
 */

/** ms since epoch of an ISO 8601 time; 0 when missing or unreadable. */
export function isoToMs(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * A span of time in one unit: "0m", "12m", "5h" (below 48 h), "3d".
 * @param ms length of the span; negative spans count as 0
 * @param round how minutes, hours and days are rounded (default down: "1h" until 2 h)
 */
export function formatSpan(ms: number, round: (n: number) => number = Math.floor): string {
  const minutes = round(Math.max(0, ms) / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${round(hours / 24)}d`;
}

/** A span in up to two units, for reports: "4m", "1h 12m", "2d 3h". */
export function formatDuration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m}m`;
  if (m < 2880) return `${Math.floor(m / 60)}h${m % 60 ? ` ${m % 60}m` : ''}`;
  return `${Math.floor(m / 1440)}d${Math.floor((m % 1440) / 60) ? ` ${Math.floor((m % 1440) / 60)}h` : ''}`;
}

/** How long ago an ISO time was: "just now" (under a minute), "12m", "5h", "3d"; '' when unknown. */
export function formatAge(iso: string | null | undefined, nowMs: number): string {
  const t = isoToMs(iso);
  if (!t) return '';
  return nowMs - t < 60_000 ? 'just now' : formatSpan(nowMs - t);
}

/**
 * How long ago, as a phrase: "just now" (under a minute), "12m ago", "5h ago", "3d ago"; '' when
 * unknown. Use this where the words follow "opened": formatAge plus " ago" read "just now ago".
 */
export function formatAgo(iso: string | null | undefined, nowMs: number): string {
  const age = formatAge(iso, nowMs);
  return age && age !== 'just now' ? `${age} ago` : age;
}

/** Time until an ISO instant: "in 40m", "in 5h", "in 3d", or "ended"; '' when unknown. */
export function formatUntil(iso: string | null | undefined, nowMs: number): string {
  const t = isoToMs(iso);
  if (!t) return '';
  // Rounded to the nearest unit: a shift ending at 14:00 reads "in 1h" from 12:31 on.
  if (Math.round((t - nowMs) / 60_000) <= 0) return 'ended';
  return `in ${formatSpan(t - nowMs, Math.round)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A UTC time, "Sat 21 Nov 14:05 UTC" (the same on every machine); '' when unknown. */
export function formatUtc(iso: string | null | undefined): string {
  const t = isoToMs(iso);
  if (!t) return '';
  const d = new Date(t);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${hh}:${mm} UTC`;
}

/** Local clock time "14:05:09" of ms since epoch (what a person compares to their own clock). */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * When a shift (or anything else that ends) ends, on the person's own clock, with how long is left:
 * "until 14:00 (in 7h)"; beyond 20 hours the day is added, "until Mon 14:00 (in 3d)"; "ended" once
 * past; '' when unknown. Local time, because that is the clock the person compares it with.
 */
export function formatEndsAt(iso: string | null | undefined, nowMs: number): string {
  const t = isoToMs(iso);
  if (!t) return '';
  const left = formatUntil(iso, nowMs);
  if (left === 'ended') return 'ended';
  const d = new Date(t);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `until ${t - nowMs > 20 * 3_600_000 ? `${DAYS[d.getDay()]} ` : ''}${hm} (${left})`;
}

/**
 * API text (a title, a name, a comment) made safe to place inside a Markdown line, a heading or
 * a table cell: one line, and no character that would start emphasis, code, a link, HTML, a
 * heading or a cell break. It then shows literally wherever it is put.
 */
export function escapeMarkdown(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/[\\`*_~[\]|<>#]/g, (c) => '\\' + c);
}

/**
 * A URL as it may be shown or logged: user-info (`https://user:secret@host`) replaced by
 * `***@`, so a password in a configured URL never reaches a log line or an error text. Works
 * on text that is not a valid URL too.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * An API time shortened for a model to read, still absolute: ISO 8601 UTC to the second,
 * "2026-11-30T05:17:42Z" (milliseconds dropped); null when missing or unreadable.
 */
export function isoSeconds(iso: string | null | undefined): string | null {
  const t = isoToMs(iso);
  return t ? new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/**
 * API text made safe to place inside HTML element content or a quoted attribute value: `&`, `<`,
 * `>`, `"` and `'` become character references, so it always shows literally (never as markup).
 */
export function escapeHtml(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
