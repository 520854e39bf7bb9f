/**
 * The names that mean "this machine" in a `Host` or `Origin` header, for the servers that only
 * answer loopback callers (the MCP HTTP server bound to loopback, the emulator without a key):
 * a page using DNS rebinding reaches 127.0.0.1 under another name, which these refuse. Pure.
 */

/** Loopback host names as they appear in Host headers and URLs. */
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The host name of a Host header, without its port, lower-cased ("[::1]" keeps its brackets). */
export function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0].toLowerCase();
}

/** Whether a Host header names this machine. */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  return LOOPBACK_NAMES.has(hostnameOf(hostHeader ?? ''));
}

/** Whether an Origin header (a URL) names this machine; false when it is not a URL. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname.toLowerCase();
    return LOOPBACK_NAMES.has(host) || LOOPBACK_NAMES.has(`[${host}]`);
  } catch {
    return false;
  }
}

/** Whether a server bound to `address` only hears this machine (so its callers must say so too). */
export function isLoopbackBindAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}
