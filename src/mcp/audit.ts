/**
 * One structured audit line per tool call, on stderr (VS Code shows it in the server's output):
 * time, tool, duration in ms, outcome, HTTP status and the API's request id of the call's last
 * request. Never arguments (they may hold personal data) and never the key.
 *
 * The shared client reports its requests through `recordRequest`, with the AbortSignal it was
 * given. Each tool call has its own signal (the transport makes one per call), so the signal ties
 * every report to its call even with many calls in flight. AsyncLocalStorage did this before;
 * on Node 20 its promise hooks tax every promise in the process (HTTP tools/call: 2,170 against
 * 2,330 req/s without it, `npm run bench`'s load on the same machine).
 */
import { createWriteStream } from 'node:fs';
import type { RequestRecord } from '../api/client';

/** `declined`: the person declined or cancelled the confirmation form, so nothing was sent */
export type AuditOutcome = 'ok' | 'invalid_arguments' | 'api_error' | 'error' | 'declined';

export interface AuditLine {
  /** ISO 8601 */
  time: string;
  tool: string;
  duration_ms: number;
  outcome: AuditOutcome;
  /** HTTP status of the last API request; 0 when none answered; null when none was sent */
  http_status: number | null;
  request_id: string | null;
  /** API requests the call made (retries included) */
  requests: number;
}

const calls = new WeakMap<AbortSignal, RequestRecord[]>();

/** Pass as the client's `onRequest`: attributes the request to the tool call whose signal it carries. */
export function recordRequest(record: RequestRecord, signal: AbortSignal | undefined): void {
  if (signal) calls.get(signal)?.push(record);
}

/**
 * Runs `fn` as tool call `tool` and emits its audit line through `sink`.
 * @param signal this call's own AbortSignal, the one `fn` hands to the client (not shared with another call in flight)
 * @param classify maps the result to an outcome
 */
export async function audited<T>(tool: string, sink: ((line: AuditLine) => void) | undefined, signal: AbortSignal, classify: (result: T) => AuditOutcome, fn: () => Promise<T>): Promise<T> {
  if (!sink) return fn();
  const records: RequestRecord[] = [];
  calls.set(signal, records);
  const started = performance.now();
  let outcome: AuditOutcome = 'error';
  try {
    const result = await fn();
    outcome = classify(result);
    return result;
  } finally {
    calls.delete(signal);
    const last = records.at(-1);
    sink({
      time: new Date().toISOString(),
      tool,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      outcome,
      http_status: last ? last.status : null,
      request_id: last?.requestId ?? null,
      requests: records.length,
    });
  }
}

/** The default sink: one JSON line on stderr. */
export function stderrAuditSink(line: AuditLine): void {
  process.stderr.write(`audit ${JSON.stringify(line)}\n`);
}

/**
 * A sink that writes each line to stderr (or `echo`) and appends it as JSON Lines to `file` (created if
 * missing). The VS Code extension sets RUNFRAME_AUDIT_FILE and shows the lines in its own output
 * channel, since the server's stderr goes to VS Code's MCP log instead. A write error is reported
 * once on stderr and never stops a tool call.
 */
export function fileAuditSink(file: string, echo: (line: AuditLine) => void = stderrAuditSink): (line: AuditLine) => void {
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  let failed = false;
  stream.on('error', (err) => {
    if (!failed) process.stderr.write(`runframe-mcp: audit file ${file} not writable (${err.message}); audit lines stay on stderr only\n`);
    failed = true;
  });
  return (line) => {
    echo(line);
    if (!failed) stream.write(JSON.stringify(line) + '\n');
  };
}
