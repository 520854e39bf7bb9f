/**
 * Registers the "Runframe" MCP server with VS Code: the bundled dist/server.js run with the
 * editor's own runtime (`process.execPath` + ELECTRON_RUN_AS_NODE=1, so no Node install is
 * needed), with SERVER_NODE_OPTIONS to keep its memory small. VS Code caches what
 * provideMcpServerDefinitions returns, so the key is put into the environment only in
 * resolveMcpServerDefinition, just before the server starts.
 * Source: VS Code API 1.101, lm.registerMcpServerDefinitionProvider.
 */
import * as vscode from 'vscode';
import { SERVER_NODE_OPTIONS } from '../../mcp/nodeOptions';
import type { ApiKeyStore } from '../state/apiKeys';
import { promptForApiKey } from '../commands/apiKeyPrompt';
import * as settings from '../state/settings';
import type { Connection, ConnectionManager } from '../state/connection';
import type { WorkspaceServicesWatcher } from '../state/workspaceServices';

/** Provider id, as declared in package.json contributes.mcpServerDefinitionProviders. */
export const MCP_PROVIDER_ID = 'runframe';

/**
 * The definition's label in VS Code's MCP list: "Runframe (sandbox)" on demo data, "Runframe" for
 * the unrenamed Default environment, else "Runframe (<environment>)".
 */
export function serverLabel(conn: Pick<Connection, 'mode' | 'environment'>): string {
  if (conn.mode === 'sandbox') return 'Runframe (sandbox)';
  return conn.environment.isDefault && conn.environment.label === 'Default' ? 'Runframe' : `Runframe (${conn.environment.label})`;
}

/**
 * Registers the provider and re-announces the definition when the connection, the tier
 * setting, the text format setting or the workspace's services change. Returns what to dispose on deactivation.
 */
export function registerMcpProvider(context: vscode.ExtensionContext, connection: ConnectionManager, keys: ApiKeyStore, auditFile: string, workspace: WorkspaceServicesWatcher): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const serverPath = context.asAbsolutePath('dist/server.js');
  const baseEnv = () => ({ ELECTRON_RUN_AS_NODE: '1', RUNFRAME_TOOLSETS: settings.mcpToolsets().join(','), RUNFRAME_TEXT_FORMAT: settings.mcpTextFormat(), RUNFRAME_AUDIT_FILE: auditFile, RUNFRAME_WORKSPACE_SERVICES: workspace.services.join(',') });
  const provider: vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const conn = connection.current;
      // A new version makes VS Code restart the server with the new URL, key or sandbox.
      const toolsets = settings.mcpToolsets().join(',');
      const version = `${context.extension.packageJSON.version}+${conn.revision}+${toolsets.replace(/,/g, '.')}+${settings.mcpTextFormat()}+${workspace.services.length ? workspace.services.join('.') : 'no-services'}`;
      const def = new vscode.McpStdioServerDefinition(serverLabel(conn), process.execPath, [...SERVER_NODE_OPTIONS, serverPath], baseEnv(), version);
      return [def];
    },
    resolveMcpServerDefinition: async (server) => {
      if (!connection.apiKeyForServer) {
        const result = await promptForApiKey(keys, connection.current.environment, connection.requestTimeoutMs(), connection.log);
        if (!result.stored) return undefined;
        await connection.rebuild();
      }
      const key = connection.apiKeyForServer;
      if (!key) return undefined;
      server.env = { ...server.env, ...baseEnv(), RUNFRAME_API_KEY: key, RUNFRAME_API_URL: connection.current.apiUrl };
      return server;
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider),
    connection.onDidChange(() => changed.fire()),
    settings.onDidChange(['mcp.toolsets', 'mcp.textFormat'], () => changed.fire()),
    // The instructions name the workspace's services: a new list restarts the server.
    workspace.onDidChange(() => changed.fire()),
  );
}
