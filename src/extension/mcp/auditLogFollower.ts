/**
 * Shows the MCP server's audit lines in the extension's "Runframe" output channel. The server
 * runs as VS Code's child (its stderr goes to VS Code's MCP log), so the extension gives it
 * RUNFRAME_AUDIT_FILE and follows that file: JSON Lines, one per tool call, with no arguments and
 * no key (see src/mcp/audit.ts). The file is emptied when it passes 1 MiB.
 */
import { mkdirSync, openSync, closeSync, readSync, statSync, truncateSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as vscode from 'vscode';

const MAX_BYTES = 1024 * 1024;

/** One audit JSON line in words: "MCP runframe_list_incidents: ok in 12.3 ms (HTTP 200, req_…, 1 request)". */
export function describeAuditLine(json: string): string | undefined {
  try {
    const a = JSON.parse(json) as { tool?: string; outcome?: string; duration_ms?: number; http_status?: number | null; request_id?: string | null; requests?: number };
    if (typeof a.tool !== 'string') return undefined;
    const extra = [a.http_status === null || a.http_status === undefined ? 'no API request' : a.http_status === 0 ? 'no answer' : `HTTP ${a.http_status}`, a.request_id, a.requests && a.requests > 1 ? `${a.requests} requests` : undefined].filter(Boolean);
    return `MCP ${a.tool}: ${a.outcome ?? '?'} in ${a.duration_ms ?? '?'} ms (${extra.join(', ')})`;
  } catch {
    return undefined;
  }
}

/**
 * Follows `file` (created empty) and writes each new audit line to `log`.
 * @returns a disposable that stops following
 */
export function followAuditFile(file: string, log: vscode.LogOutputChannel): vscode.Disposable {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '', { mode: 0o600 });
  let offset = 0;
  let partial = '';
  const read = () => {
    try {
      const size = statSync(file).size;
      if (size < offset) offset = 0; // emptied
      if (size === offset) return;
      const fd = openSync(file, 'r');
      try {
        const buf = Buffer.alloc(size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        offset = size;
        const lines = (partial + buf.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const text = describeAuditLine(line);
          if (text) log.info(text);
        }
      } finally {
        closeSync(fd);
      }
      if (offset > MAX_BYTES) {
        truncateSync(file, 0);
        offset = 0;
      }
    } catch {
      // The file may be gone for a moment (e.g. emptied by another window); the next poll catches up.
    }
  };
  // Polling (1 s) works on every file system, unlike fs.watch; one stat a second is negligible.
  watchFile(file, { interval: 1000 }, read);
  return { dispose: () => unwatchFile(file, read) };
}
