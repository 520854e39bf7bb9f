/** Words for failures, shared by views and commands. Pure. */
import { RunframeApiError } from '../api/errors';
import type { RequestRecord } from '../api/transport';

/** One line a person can act on: the API's message with its hint, or the error's message. */
export function describeError(err: unknown): string {
  if (err instanceof RunframeApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when the failure means the key is wrong (so "Set API Key" is the way out). */
export function isAuthError(err: unknown): boolean {
  return err instanceof RunframeApiError && err.status === 401;
}

/**
 * A failure in plain words, at two lengths, from the client's error kinds (src/api/errors.ts):
 * `short` for a status bar ("key rejected", "offline or wrong URL", "missing scope"), `sentence`
 * for a toast or an input's message: what happened, short enough that a toast is not cut (about
 * 80 characters at most; the request id and the hint belong in the log, see describeError).
 */
export interface ErrorSummary {
  short: string;
  sentence: string;
}

/** The system error code in a network error's message, e.g. "ENOTFOUND" from "… (getaddrinfo ENOTFOUND x)". */
function networkCode(message: string): string | undefined {
  return /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
}

/**
 * Summarises any error; RunframeApiError by kind and status (401 rejected key, 403 missing scope
 * as named by the API's `details.required_scope` or the hint, 429, 5xx, timeout, network codes
 * ENOTFOUND/EAI_AGAIN = offline or no such host, ECONNREFUSED = nothing listens at the URL).
 */
export function summarizeError(err: unknown): ErrorSummary {
  if (!(err instanceof RunframeApiError)) {
    const text = describeError(err).replace(/^\w+: /, '');
    return { short: 'error', sentence: text.length > 100 ? `${text.slice(0, 99)}…` : text };
  }
  switch (err.kind) {
    case 'aborted':
      return { short: 'cancelled', sentence: 'Cancelled.' };
    case 'timeout': {
      const within = /within ([\d.]+ s)/.exec(err.apiMessage)?.[1];
      return { short: 'no answer', sentence: `No answer from Runframe${within ? ` within ${within}` : ''}: wrong URL, or the network is slow.` };
    }
    case 'network': {
      const code = networkCode(err.apiMessage);
      if (/dropped/.test(err.apiMessage)) return { short: 'connection dropped', sentence: `The connection to Runframe dropped${code ? ` (${code})` : ''}.` };
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { short: 'offline or wrong URL', sentence: `No such host (${code}): you are offline, or the URL is wrong.` };
      if (code === 'ECONNREFUSED') return { short: 'wrong URL', sentence: 'Nothing answers at this URL (connection refused): check the URL and port.' };
      return { short: 'offline', sentence: `Could not reach Runframe${code ? ` (${code})` : ''}: check the network and the URL.` };
    }
    case 'invalid_response':
      return { short: 'unreadable answer', sentence: `The answer is not a Runframe API's (${err.code}): check the URL, or retry.` };
    case 'http':
      break;
  }
  const status = err.status;
  if (status === 401) return { short: 'key rejected', sentence: 'Runframe rejected the key (HTTP 401): mistyped, revoked or expired.' };
  if (status === 403) {
    const scope = typeof err.details?.required_scope === 'string' ? err.details.required_scope : /"([a-z_]+:[a-z_]+)" scope/.exec(err.hint)?.[1];
    return { short: 'missing scope', sentence: scope ? `The key lacks the "${scope}" scope (HTTP 403).` : 'The key is not allowed to do this (HTTP 403).' };
  }
  if (status === 404) return { short: 'not found', sentence: `Not found (HTTP 404): check the URL or the identifier.` };
  if (status === 429) return { short: 'rate limited', sentence: `Rate limited by Runframe (HTTP 429)${err.retryAfterSeconds !== undefined ? `: retry after ${err.retryAfterSeconds} s` : ''}.` };
  if (status >= 500) return { short: 'server error', sentence: `Runframe had a server error (HTTP ${status}); retry in a moment.` };
  return { short: `HTTP ${status}`, sentence: `${err.apiMessage} (HTTP ${status}).` };
}

/**
 * The log line of one API request (client's onRequest): method, path (never the query), status or
 * error code, duration in ms, request id. A RequestRecord never carries the key or a body.
 * e.g. "GET /incidents 200 12 ms request id 9f…", "GET /auth/verify 401 invalid_api_key 4 ms …"
 */
export function requestLine(r: RequestRecord): string {
  const status = r.status ? String(r.status) : 'no answer';
  return `${r.method} ${r.path} ${status}${r.errorCode ? ` ${r.errorCode}` : ''} ${Math.round(r.durationMs)} ms${r.requestId ? ` request id ${r.requestId}` : ''}`;
}

/**
 * An `onRequest` for RunframeClient that logs every request at info (method, path, status,
 * duration, request id; see requestLine), and at warn when it failed (no answer, or HTTP 4xx/5xx).
 */
export function logRequests(log: { info(line: string): void; warn(line: string): void }): (r: RequestRecord) => void {
  return (r) => (r.status >= 200 && r.status < 400 ? log.info(requestLine(r)) : log.warn(requestLine(r)));
}
