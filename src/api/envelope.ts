/**
 * Runframe's answer envelopes and the RunframeApiError each failure becomes.
 *
 * Runframe v1 (docs/runframe-api.md, part A): success `{"data": <payload>}`; error
 * `{"error": {code, message, user_message?, details?}, "meta": {request_id, timestamp}}`;
 * 429 carries `Retry-After` (s). Failures of the exchange itself (timeout, dropped connection,
 * cancel) are mapped here too, so every error a call can throw is made in this one module.
 */
import { hintForStatus, RunframeApiError, UNKNOWN_OUTCOME_HINT, type ApiErrorInit, type HintContext } from './errors';
import { isObject } from './parse';
import type { Exchange, ExchangeError } from './transport';

/** A successful response: the envelope's `data`, the HTTP status and the API's request id. */
export interface ApiResponse<T = unknown> {
  data: T;
  status: number;
  requestId?: string;
}

/** The call an answer belongs to: what the hints name, and whether a lost answer leaves a change in doubt. */
export interface CallContext extends HintContext {
  method: string;
  /** Path without /api/v1 and query, as in RequestRecord */
  path: string;
  /** A write without an Idempotency-Key: if its answer is lost, it may or may not have been applied */
  unsafe: boolean;
}

const CHECK_URL_HINT = 'Retry; if it persists, check that the API URL points at Runframe and not at a proxy or login page.';

/**
 * The seconds a `Retry-After` header asks for: delay-seconds or an HTTP-date (RFC 9110, 10.2.3),
 * rounded up; undefined when absent or unreadable.
 * @param now ms since the epoch, for an HTTP-date
 */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header.trim());
  if (Number.isFinite(s) && s >= 0) return Math.ceil(s);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * An error for an answer that never arrived whole. A write's outcome is then unknown; the flag
 * decides the hint, so code can test `outcomeUnknown` and people read the same fact.
 */
function lostAnswer(init: Omit<ApiErrorInit, 'hint' | 'outcomeUnknown'>, outcomeUnknown: boolean, otherwiseHint: string): RunframeApiError {
  return new RunframeApiError({ ...init, outcomeUnknown, hint: outcomeUnknown ? UNKNOWN_OUTCOME_HINT : otherwiseHint });
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/**
 * The RunframeApiError for an exchange that failed (transport.ts): kind `timeout`, `aborted` or
 * `network`. Once the request went out, a write without an Idempotency-Key is `outcomeUnknown`;
 * so is such a write that timed out at any point (no answer within call.timeoutMs, in ms).
 * @param err what exchange() rejected with, normally an ExchangeError
 */
export function exchangeFailure(err: unknown, call: CallContext): RunframeApiError {
  const x = err as ExchangeError;
  const { method, path, unsafe } = call;
  const base = { status: x.status, method, path, requestId: x.requestId, cause: x.cause };
  if (x.reason === 'timeout') {
    return lostAnswer(
      { ...base, kind: 'timeout', code: 'timeout', apiMessage: `No answer from the Runframe API within ${call.timeoutMs / 1000} s` },
      unsafe,
      `Check the API URL (${call.baseUrl}) and your network, then retry.`,
    );
  }
  if (x.reason === 'aborted') {
    return new RunframeApiError({ ...base, kind: 'aborted', code: 'aborted', apiMessage: 'The request was cancelled', hint: 'Nothing to do.' });
  }
  // Once the request went out, a change may have been applied even though no answer came.
  const reading = x.phase !== 'connect';
  const apiMessage =
    x.phase === 'read'
      ? `The connection to the Runframe API dropped while reading the answer (${networkReason(x)})`
      : x.phase === 'sent'
        ? `The connection to the Runframe API dropped before it answered (${networkReason(x)})`
        : `Could not reach the Runframe API at ${call.baseUrl} (${networkReason(x)})`;
  return lostAnswer(
    { ...base, kind: 'network', code: 'network_error', apiMessage },
    reading && unsafe,
    reading ? 'Retry in a moment.' : 'Check the API URL setting and your network, then retry.',
  );
}

/**
 * Reads a whole answer: a 2xx gives the envelope's `data` (the body itself when it has no `data`;
 * undefined for 204), anything else a RunframeApiError with the API's code, message
 * (`user_message` first), request id (`meta.request_id`, else the X-Request-Id header),
 * `Retry-After` (s), details and the hint for its status.
 * @throws RunframeApiError kind `http` for a non-2xx status; kind `invalid_response` for a 2xx
 * whose body is empty (not 204) or not JSON, `outcomeUnknown` when call.unsafe
 */
export function readAnswer<T>(res: Exchange, call: CallContext): ApiResponse<T> {
  const { method, path } = call;
  const text = res.text;
  let json: unknown;
  let parsed = false;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  const meta = isObject(json) && isObject(json.meta) ? json.meta : undefined;
  const requestId = (typeof meta?.request_id === 'string' ? meta.request_id : undefined) ?? res.header('x-request-id');

  if (res.status >= 200 && res.status < 300) {
    if (text.trim() === '' && res.status !== 204) {
      throw lostAnswer({ kind: 'invalid_response', status: res.status, code: 'empty_body', method, path, requestId, apiMessage: 'The Runframe API answered with an empty body' }, call.unsafe, CHECK_URL_HINT);
    }
    if (text.trim() !== '' && !parsed) {
      throw lostAnswer({ kind: 'invalid_response', status: res.status, code: 'invalid_json', method, path, requestId, apiMessage: 'The Runframe API answered with something that is not JSON' }, call.unsafe, CHECK_URL_HINT);
    }
    const data = isObject(json) && 'data' in json ? json.data : json;
    return { data: data as T, status: res.status, requestId };
  }

  const errObj = isObject(json) && isObject(json.error) ? json.error : undefined;
  const retryAfterSeconds = parseRetryAfter(res.header('retry-after'));
  const details = isObject(errObj?.details) ? errObj.details : undefined;
  const apiMessage =
    (typeof errObj?.user_message === 'string' && errObj.user_message) ||
    (typeof errObj?.message === 'string' && errObj.message) ||
    `Runframe API error: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`;
  throw new RunframeApiError({
    kind: 'http', status: res.status,
    code: typeof errObj?.code === 'string' ? errObj.code : `http_${res.status}`,
    apiMessage, requestId, retryAfterSeconds, details, method, path,
    hint: hintForStatus(res.status, call, retryAfterSeconds, details),
  });
}

/**
 * The error for a 2xx whose payload (`what`, e.g. "incident") could not be read: the API
 * answered, so the change, if any, was applied; kind `invalid_response`, code `unreadable_payload`.
 */
export function unreadablePayload(method: string, path: string, what: string): RunframeApiError {
  return new RunframeApiError({
    kind: 'invalid_response', status: 200, code: 'unreadable_payload', method, path,
    apiMessage: `The Runframe API answered, but the ${what} in its answer could not be read`,
    hint: 'Retry; if it persists, the API may have changed: report it with the request id.',
  });
}
