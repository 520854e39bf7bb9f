/**
 * The MCP SDK's stdio transport, plus sending a tool result whose JSON text is already made
 * (SendsResultJson), so a tool call's answer is not serialised twice.
 */
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { resultMessageJson, type RequestId, type SendsResultJson } from './toolCallRouter';

/** StdioServerTransport (newline-delimited JSON-RPC on stdin/stdout) with sendResultJson. */
export class RunframeStdioTransport extends StdioServerTransport implements SendsResultJson {
  readonly #out: Writable;

  /** @param input where JSON-RPC lines arrive; @param output where answers go, one line each */
  constructor(input: Readable = process.stdin, output: Writable = process.stdout) {
    super(input, output);
    this.#out = output;
  }

  /**
   * Writes the result message as one line, resolving once the stream takes it or, when its
   * buffer is full, on 'drain' (as the SDK's send does).
   */
  sendResultJson(id: RequestId, resultJson: string): Promise<void> {
    const line = `${resultMessageJson(id, resultJson)}\n`;
    return new Promise((resolve) => {
      if (this.#out.write(line)) resolve();
      else this.#out.once('drain', resolve);
    });
  }
}
