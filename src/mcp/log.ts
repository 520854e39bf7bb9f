/**
 * Structured logs of the HTTP server: one JSON object per line on stderr, so a log collector
 * (Loki, Cloud Logging, Elasticsearch) reads fields instead of parsing text. Every line written
 * while serving a request carries that request's `request_id`, the same id the answer's
 * X-Request-ID header names. Lines never carry a token, a key, tool arguments or a body: callers
 * pass only the fields below.
 *
 * Line shape: {"time": ISO 8601, "level": "info"|"warn"|"error", "msg": string,
 *              "request_id"?: string, ...fields}
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditLine } from './audit';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A logger bound to some fields (e.g. one request's id); `child` adds more. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/**
 * A JSON-lines logger.
 * @param write where each line goes (default: stderr; stdout is never used, it may carry JSON-RPC)
 * @param bound fields on every line
 */
export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), bound: LogFields = {}): Logger {
  const log = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...bound, ...fields }) + '\n');
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => jsonLogger(write, { ...bound, ...fields }),
  };
}

// What a load balancer or ingress may have set: short and plain, so it cannot forge log fields.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's X-Request-ID when it is a plain token of up to 128 characters, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * An audit sink (src/mcp/audit.ts) writing each tool call as a log line. The audit line's
 * `request_id` is the API's id of the call's last request: here it becomes `api_request_id`, and
 * `request_id` stays this HTTP request's.
 */
export function auditToLog(log: Logger): (line: AuditLine) => void {
  return ({ time: _time, request_id, ...rest }) => log.log(rest.outcome === 'ok' || rest.outcome === 'invalid_arguments' ? 'info' : 'warn', 'tool call', { ...rest, api_request_id: request_id });
}
