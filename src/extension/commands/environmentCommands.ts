/**
 * Environments from the palette, the status bar and the views: switch (including the sandbox),
 * add (label, URL, verified key), rename, remove; and "Copy MCP Config for Another Client" for
 * the active one.
 */
import * as vscode from 'vscode';
import { RunframeClient, RunframeInputError } from '../../api/client';
import { apiKeyStep, promptForApiKey, reportSaved, type KeyDraft } from './apiKeyPrompt';
import { runSteps } from './multiStepInput';
import type { Cockpit } from './cockpit';
import { checkEnvironmentLabel, type Environment } from '../state/environments';
import * as settings from '../state/settings';
import { MCP_CLIENTS, mcpClientConfig, serverNameFor, type McpClientKind } from '../mcp/clientConfigs';

const SANDBOX_ID = '__sandbox__';
const ADD_ID = '__add__';

/** Quick pick of environments, the sandbox and "Add Environment…"; switching stops the sandbox when leaving it. */
async function switchEnvironment(deps: Cockpit, arg?: unknown): Promise<void> {
  const conn = deps.connection.current;
  let id = typeof arg === 'string' ? arg : undefined;
  if (!id) {
    const envs = deps.environments.list();
    const items = await Promise.all(
      envs.map(async (e) => {
        const hasKey = Boolean(await deps.keys.get(e.id));
        const current = conn.mode !== 'sandbox' && e.id === conn.environment.id;
        return { label: `${current ? '$(check)' : '$(server-environment)'} ${e.label}`, description: e.apiUrl, detail: hasKey ? undefined : 'No API key yet: choosing it asks for one', id: e.id };
      }),
    );
    items.push({ label: `${conn.mode === 'sandbox' ? '$(check)' : '$(beaker)'} Sandbox`, description: 'demo data from a local emulator, no account', detail: undefined, id: SANDBOX_ID });
    items.push({ label: '$(add) Add Environment…', description: 'e.g. staging, with its own URL and key', detail: undefined, id: ADD_ID });
    const picked = await vscode.window.showQuickPick(items, { title: 'Runframe: Switch Environment', placeHolder: `Now: ${conn.label}` });
    if (!picked) return;
    id = picked.id;
  }
  if (id === ADD_ID) return addEnvironment(deps);
  if (id === SANDBOX_ID) {
    await vscode.commands.executeCommand('runframe.startSandbox');
    return;
  }
  const env = deps.environments.list().find((e) => e.id === id);
  if (!env) {
    void vscode.window.showErrorMessage('That environment no longer exists.');
    return;
  }
  if (deps.sandbox.endpoint) await deps.sandbox.stop();
  await deps.environments.setActive(env.id);
  if (!(await deps.keys.get(env.id))) {
    const result = await promptForApiKey(deps.keys, env, deps.connection.requestTimeoutMs(), deps.log);
    if (!result.stored) void vscode.window.showWarningMessage(`Switched to ${env.label}, which has no API key yet. Run "Runframe: Set API Key" to connect.`);
  }
  await deps.connection.rebuild();
  if (deps.connection.current.client) void vscode.window.showInformationMessage(`Runframe: now on ${env.label} (${env.apiUrl}). Views, status bar and the MCP server follow it.`);
}

/** What Add Environment was given so far. */
interface EnvironmentDraft {
  label: string;
  apiUrl: string;
  key: KeyDraft;
}

/** Why `url` is not a usable API base URL (the client's own check), or undefined. */
function checkApiUrl(url: string): string | undefined {
  try {
    new RunframeClient({ apiKey: 'rf_url_check_only_0000', baseUrl: url.trim() });
    return undefined;
  } catch (err) {
    return err instanceof RunframeInputError ? err.message.replace(/^baseUrl: /, '') : String(err);
  }
}

/**
 * Three steps (multiStepInput.ts): a label, an API URL, and a key verified with that URL before
 * anything is kept; then adds the environment, stores its key and switches to it. A rejected key
 * keeps the label, URL and key as typed; closing with something typed asks first.
 */
async function addEnvironment(deps: Cockpit, draft?: EnvironmentDraft): Promise<void> {
  const d: EnvironmentDraft = draft ?? { label: '', apiUrl: 'https://runframe.io', key: { key: '' } };
  const title = 'Runframe: Add Environment';
  const done = await runSteps({
    title,
    isDirty: () => Boolean(d.label.trim() || d.key.key.trim()),
    discardQuestion: 'Discard the new environment?',
    steps: [
      async (io) => {
        const { exit, value } = await io.inputBox({ prompt: 'Name', placeholder: 'e.g. production, staging, eu', value: d.label, validate: (v) => checkEnvironmentLabel(v, deps.environments.list()) });
        d.label = value;
        return exit === 'accept' ? 'next' : exit;
      },
      async (io) => {
        const { exit, value } = await io.inputBox({ prompt: `API URL of ${d.label.trim()}: the base URL, without /api/v1`, value: d.apiUrl, validate: checkApiUrl });
        d.apiUrl = value;
        if (exit === 'accept' && d.key.auth) d.key.auth = undefined; // verified against another URL
        return exit === 'accept' ? 'next' : exit;
      },
      apiKeyStep({
        draft: d.key,
        title,
        apiUrl: () => d.apiUrl.trim().replace(/\/+$/, ''),
        timeoutMs: deps.connection.requestTimeoutMs(),
        log: deps.log,
        // Retry on the failure notification after the box was closed: back with everything typed.
        reopen: () => addEnvironment(deps, d),
      }),
    ],
  });
  if (!done || !d.key.auth) return;
  let env: Environment;
  try {
    env = await deps.environments.add(d.label, d.apiUrl.trim().replace(/\/+$/, ''));
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return;
  }
  await deps.keys.store(env.id, d.key.key.trim());
  reportSaved(d.key.auth, env);
  await switchEnvironment(deps, env.id);
}

async function pickEnvironment(deps: Cockpit, title: string, filter: (e: Environment) => boolean = () => true): Promise<Environment | undefined> {
  const envs = deps.environments.list().filter(filter);
  if (!envs.length) {
    void vscode.window.showInformationMessage('There is no environment to choose here; add one with "Runframe: Add Environment".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(envs.map((e) => ({ label: e.label, description: e.apiUrl, env: e })), { title });
  return picked?.env;
}

async function renameEnvironment(deps: Cockpit): Promise<void> {
  const env = await pickEnvironment(deps, 'Runframe: Rename Environment');
  if (!env) return;
  const label = await vscode.window.showInputBox({ title: `Rename "${env.label}"`, value: env.label, validateInput: (v) => checkEnvironmentLabel(v, deps.environments.list(), env.id) });
  if (!label?.trim() || label.trim() === env.label) return;
  await deps.environments.rename(env.id, label);
}

async function removeEnvironment(deps: Cockpit): Promise<void> {
  const env = await pickEnvironment(deps, 'Runframe: Remove Environment', (e) => !e.isDefault);
  if (!env) return;
  const ok = await vscode.window.showWarningMessage(`Remove the environment "${env.label}" and its API key from this machine?`, { modal: true }, 'Remove');
  if (ok !== 'Remove') return;
  await deps.keys.delete(env.id);
  await deps.environments.remove(env.id);
  void vscode.window.showInformationMessage(`Environment "${env.label}" removed.`);
}

/** Copies the JSON for Claude Code, Cursor or .vscode/mcp.json; the key is referenced, never included. */
async function copyMcpConfig(deps: Cockpit, arg?: unknown): Promise<void> {
  let kind = typeof arg === 'string' && arg in MCP_CLIENTS ? (arg as McpClientKind) : undefined;
  if (!kind) {
    const picked = await vscode.window.showQuickPick(
      (Object.keys(MCP_CLIENTS) as McpClientKind[]).map((k) => ({ label: MCP_CLIENTS[k].label, description: MCP_CLIENTS[k].file, client: k })),
      { title: 'Runframe: Copy MCP Config for Another Client', placeHolder: 'Which client?' },
    );
    if (!picked) return;
    kind = picked.client;
  }
  const conn = deps.connection.current;
  const env = conn.environment;
  const json = mcpClientConfig(kind, {
    serverPath: deps.context.asAbsolutePath('dist/server.js'),
    apiUrl: env.apiUrl,
    toolsets: settings.mcpToolsets().join(','),
    name: serverNameFor(env.label, env.isDefault && env.label === 'Default'),
  });
  await vscode.env.clipboard.writeText(json);
  const note = conn.mode === 'sandbox' ? ' The sandbox lives inside this window only, so the config points at the ' + env.label + ' environment.' : '';
  const choice = await vscode.window.showInformationMessage(
    `MCP config for ${MCP_CLIENTS[kind].label} copied (${env.label}, ${env.apiUrl}). Paste it into ${MCP_CLIENTS[kind].file}; for the key, ${MCP_CLIENTS[kind].keyHowTo}. The server path changes when this extension updates.${note}`,
    'Show JSON',
  );
  if (choice === 'Show JSON') await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'jsonc', content: json }));
}

/** Registers the environment commands and Copy MCP Config; returns their disposables. */
export function registerEnvironmentCommands(deps: Cockpit): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('runframe.switchEnvironment', (arg?: unknown) => switchEnvironment(deps, arg)),
    vscode.commands.registerCommand('runframe.addEnvironment', () => addEnvironment(deps)),
    vscode.commands.registerCommand('runframe.renameEnvironment', () => renameEnvironment(deps)),
    vscode.commands.registerCommand('runframe.removeEnvironment', () => removeEnvironment(deps)),
    vscode.commands.registerCommand('runframe.copyMcpConfig', (arg?: unknown) => copyMcpConfig(deps, arg)),
  ];
}
