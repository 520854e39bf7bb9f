/**
 * The stdio transport of the MCP server: one JSON-RPC message per line on stdin, answers on
 * stdout (MCP 2025-06-18, "stdio"). Replaces the SDK's StdioServerTransport, which drops every
 * message its schema refuses without an answer and closes itself for good on a line over its
 * 10 MB buffer. Here every line is checked by `parseEnvelope` (src/mcp/envelope.ts) and each
 * malformed request is answered; a line over MAX_LINE_BYTES is skipped up to its newline and
 * answered with an error naming the limit, and the server stays up.
 */
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_LINE_BYTES } from '../domain/messageLimits';
import { errorAnswer, parseEnvelope, RPC } from './envelope';

export interface LineTransportOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Where notes about dropped messages go (never the message itself); default stderr */
  log?: (line: string) => void;
  /** Longest line, in bytes (default MAX_LINE_BYTES) */
  maxLineBytes?: number;
  /** Called once stdin has ended and its last line was handled */
  onEnd?: () => void;
}

/** JSON-RPC over newline-delimited stdin/stdout; see the module comment for what it answers. */
export class LineTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onerror?: (error: Error) => void;
  onclose?: () => void;
  readonly #in: Readable;
  readonly #out: Writable;
  readonly #log: (line: string) => void;
  readonly #max: number;
  readonly #onEnd?: () => void;
  #parts: Buffer[] = [];
  #size = 0;
  /** Inside a line over the limit: ignore bytes up to its newline */
  #skipping = false;

  constructor(options: LineTransportOptions = {}) {
    this.#in = options.stdin ?? process.stdin;
    this.#out = options.stdout ?? process.stdout;
    this.#log = options.log ?? ((l) => void process.stderr.write(l + '\n'));
    this.#max = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.#onEnd = options.onEnd;
  }

  async start(): Promise<void> {
    this.#in.on('data', this.#onData);
    this.#in.on('end', this.#onStreamEnd);
    this.#in.on('error', this.#onError);
    // A reader that went away (EPIPE) must not crash the server mid-drain.
    this.#out.on('error', this.#onError);
  }

  #onError = (err: Error) => this.onerror?.(err);

  #onData = (chunk: Buffer) => {
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.#skipping) {
        if (this.#size + (end - start) > this.#max) {
          this.#skipping = true;
          this.#parts = [];
          this.#size = 0;
          this.#refuseLongLine();
        } else if (end > start) {
          this.#parts.push(chunk.subarray(start, end));
          this.#size += end - start;
        }
      }
      if (nl < 0) break;
      if (this.#skipping) this.#skipping = false;
      else this.#takeLine();
      start = nl + 1;
    }
  };

  #onStreamEnd = () => {
    // A last message without its newline is still a message.
    if (!this.#skipping && this.#size > 0) this.#takeLine();
    this.#onEnd?.();
  };

  #refuseLongLine(): void {
    const mib = this.#max / (1024 * 1024);
    const message = `Invalid Request: a line over ${this.#max} bytes (${Number.isInteger(mib) ? `${mib} MiB` : `${this.#max} bytes`}), the limit for one message; it was skipped unread. Send smaller messages.`;
    this.#log(`runframe-mcp: stdin: skipped a line over ${this.#max} bytes`);
    void this.#write(errorAnswer({ id: null, code: RPC.invalidRequest, message }));
  }

  #takeLine(): void {
    let text = (this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts)).toString('utf8');
    this.#parts = [];
    this.#size = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    const envelope = parseEnvelope(text);
    if (envelope.kind === 'message') this.onmessage?.(envelope.message);
    else if (envelope.kind === 'error') void this.#write(errorAnswer(envelope));
    else this.#log(`runframe-mcp: stdin: dropped ${envelope.reason}`);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.#write(message);
  }

  /** Writes one line; also error answers with `id: null`, which JSONRPCMessage cannot type. */
  #write(message: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.#out.destroyed || !this.#out.writable) return resolve();
      if (this.#out.write(JSON.stringify(message) + '\n')) resolve();
      else this.#out.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    this.#in.off('data', this.#onData);
    this.#in.off('end', this.#onStreamEnd);
    this.#in.off('error', this.#onError);
    this.#parts = [];
    this.onclose?.();
  }
}
