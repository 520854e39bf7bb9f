/**
 * The JSON another MCP client needs to run our bundled server against the active environment.
 * The key is never written: each client gets its own way of supplying it at start-up.
 * - VS Code `.vscode/mcp.json`: an `inputs` entry (promptString, password) and `${input:runframe-api-key}`.
 * - Claude Code `.mcp.json`: `${RUNFRAME_API_KEY}`, expanded from the environment (Claude Code docs,
 *   "Environment variable expansion in .mcp.json": `${VAR}` in command, args, env, url, headers).
 * - Cursor `mcp.json`: `${env:RUNFRAME_API_KEY}` (Cursor's config interpolation).
 * The command is `node` with SERVER_NODE_OPTIONS before the script. Pure.
 */
import { SERVER_NODE_OPTIONS } from '../../mcp/nodeOptions';

export type McpClientKind = 'vscode' | 'claude-code' | 'cursor';

export const MCP_CLIENTS: Record<McpClientKind, { label: string; file: string; keyHowTo: string }> = {
  'claude-code': { label: 'Claude Code', file: '.mcp.json (project) or `claude mcp add-json`', keyHowTo: 'export RUNFRAME_API_KEY=rf_… in the shell that starts Claude Code' },
  cursor: { label: 'Cursor', file: '~/.cursor/mcp.json or .cursor/mcp.json', keyHowTo: 'set RUNFRAME_API_KEY in the environment Cursor starts from' },
  vscode: { label: 'VS Code workspace (.vscode/mcp.json)', file: '.vscode/mcp.json', keyHowTo: 'VS Code asks for the key when the server first starts and keeps it in its secret storage' },
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
  const env = (key: string) => ({ RUNFRAME_API_URL: o.apiUrl, RUNFRAME_API_KEY: key, RUNFRAME_TOOLSETS: o.toolsets });
  let config: unknown;
  if (kind === 'vscode') {
    const input = `${o.name}-api-key`;
    config = {
      inputs: [{ type: 'promptString', id: input, description: `Runframe API key for ${o.apiUrl}`, password: true }],
      servers: { [o.name]: { type: 'stdio', command: 'node', args: [...SERVER_NODE_OPTIONS, o.serverPath], env: env(`\${input:${input}}`) } },
    };
  } else if (kind === 'claude-code') {
    config = { mcpServers: { [o.name]: { type: 'stdio', command: 'node', args: [...SERVER_NODE_OPTIONS, o.serverPath], env: env('${RUNFRAME_API_KEY}') } } };
  } else {
    config = { mcpServers: { [o.name]: { command: 'node', args: [...SERVER_NODE_OPTIONS, o.serverPath], env: env('${env:RUNFRAME_API_KEY}') } } };
  }
  return JSON.stringify(config, null, 2);
}
