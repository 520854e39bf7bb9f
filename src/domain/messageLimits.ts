/**
 * Limits on what a peer may send us, the same for every server we run (the MCP server over stdio
 * and HTTP, and the emulator): body size, stdio line size and JSON nesting depth. Pure.
 * These are ours (docs/runframe-api.md, part B), not Runframe's: they keep one message from
 * exhausting memory or the stack of whoever parses, stores or serialises it again.
 */

/** Largest HTTP request body, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Longest stdio line (one JSON-RPC message), in bytes (10 MiB, as the MCP SDK's stdio buffer). */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;

/**
 * Deepest nesting of arrays and objects in one message (the top level is depth 1). No request of
 * the API or of MCP needs more than about 6; 64 leaves room for clients' `_meta` while keeping
 * recursive code (JSON.stringify, schema checks) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` (parsed JSON) nests arrays/objects deeper than `max` levels. Iterative, so a
 * 100,000-deep value costs no stack. Pure.
 */
export function nestedDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Why a message was refused for its depth, naming the limit. */
export const tooDeepMessage = (max: number = MAX_JSON_DEPTH) => `nested deeper than ${max} levels of arrays and objects, the limit`;
