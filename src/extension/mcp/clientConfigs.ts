/**
 * The JSON another MCP client needs to run our bundled server against the active environment.
 * The key is never written: each client gets its own way of supplying it at start-up (the
 * entries and key references are those of `--setup`, src/mcp/setup/clients.ts).
 * The command is `node` with SERVER_NODE_OPTIONS before the script. Pure.
 */
import { SERVER_NODE_OPTIONS } from '../../mcp/nodeOptions';
import { CLIENTS, mergeConfig } from '../../mcp/setup/clients';

export type McpClientKind = 'vscode' | 'claude-code' | 'cursor';

export const MCP_CLIENTS: Record<McpClientKind, { label: string; file: string; keyHowTo: string }> = {
  'claude-code': { label: 'Claude Code', file: '.mcp.json (project) or `claude mcp add-json`', keyHowTo: CLIENTS['claude-code'].keyHowTo },
  cursor: { label: 'Cursor', file: '~/.cursor/mcp.json or .cursor/mcp.json', keyHowTo: CLIENTS.cursor.keyHowTo },
  vscode: { label: 'VS Code workspace (.vscode/mcp.json)', file: '.vscode/mcp.json', keyHowTo: CLIENTS.vscode.keyHowTo },
};

export interface McpConfigOptions {
  /** Absolute path of dist/server.js */
  serverPath: string;
  apiUrl: string;
  /** e.g. "read,write" */
  toolsets: string;
  /** Server name in the client's config, e.g. "runframe" or "runframe-staging" */
  name: string;
}

/** Server name for an environment label: "runframe", "runframe-staging". */
export function serverNameFor(environmentLabel: string, isDefault: boolean): string {
  const slug = environmentLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return isDefault || !slug ? 'runframe' : `runframe-${slug}`;
}

/** The config JSON (pretty-printed) for `kind`; contains no secret. */
export function mcpClientConfig(kind: McpClientKind, o: McpConfigOptions): string {
  return mergeConfig(kind, undefined, { name: o.name, launch: { command: 'node', args: [...SERVER_NODE_OPTIONS, o.serverPath] }, apiUrl: o.apiUrl, toolsets: o.toolsets }).trimEnd();
}
