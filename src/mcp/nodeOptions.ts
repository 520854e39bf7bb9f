/**
 * Node command-line options for the stdio MCP server, wherever we write its command line: the
 * extension's MCP server definition and the configs copied for other MCP clients. Pure data, so
 * the extension can import it without loading the server.
 */

/**
 * `--max-semi-space-size=1` (MiB; a V8 option that Node documents and accepts on the command line
 * and in NODE_OPTIONS) caps V8's young generation at 2 x 1 MiB. Under a steady stream of tool
 * calls V8 otherwise doubles it up to 2 x 16 MiB, although a few MiB of it are live: peak RSS after
 * 5,000 calls was about 100 MiB with V8's defaults and about 74 MiB with the cap, at the same CPU
 * per call (npm run bench, rows "server" and "server as the extension starts it").
 * It has to be on the command line: V8 fixes the young generation's maximum when the process
 * starts, and clamps `--semi-space-growth-factor` to at least 2 at that moment.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=1'];
