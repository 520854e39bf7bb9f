/**
 * How each MCP client is told to run the Runframe server: where its config file lives, the
 * server entry it expects, and how the key reaches the server. Used by `--setup` and by the
 * extension's "Copy MCP Config". Pure: file contents in, file contents out; no I/O.
 *
 * Key handling, an environment reference wherever the client expands one:
 * - Claude Code `.mcp.json`: `${RUNFRAME_API_KEY}` (Claude Code docs, "Environment variable
 *   expansion in .mcp.json"); `.claude/settings.json` allows only the read tools without asking.
 * - Cursor `~/.cursor/mcp.json`: `${env:RUNFRAME_API_KEY}` (Cursor's config interpolation).
 * - VS Code `.vscode/mcp.json`: an `inputs` entry (promptString, password: VS Code asks once and
 *   keeps it in its secret storage) and `${input:<name>-api-key}`.
 * - Codex `~/.codex/config.toml` (or $CODEX_HOME): `env_vars = ["RUNFRAME_API_KEY"]` forwards the
 *   variable from the environment Codex runs in.
 * - Claude Desktop `claude_desktop_config.json`: no expansion, so the literal key is written
 *   (or a placeholder when none was given).
 */
import { join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';

export type ClientKind = 'claude-code' | 'cursor' | 'vscode' | 'claude-desktop' | 'codex';

/** What starts the server: a command and its arguments. */
export interface Launch {
  command: string;
  args: string[];
}

export interface EntryOptions {
  /** Server name in the client's config, e.g. "runframe" */
  name: string;
  launch: Launch;
  /** RUNFRAME_API_URL; left out when undefined (the server's default) */
  apiUrl?: string;
  /** RUNFRAME_TOOLSETS, e.g. "read,write,page"; left out when undefined */
  toolsets?: string;
  /** The key, written only for a client that cannot reference the environment (Claude Desktop) */
  literalKey?: string;
}

/** Where config files are looked for; tests point these at a temporary folder. */
export interface Dirs {
  /** The project folder (Claude Code and VS Code configs are per project) */
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  /** %APPDATA% on Windows */
  appData?: string;
  /** $CODEX_HOME, when set */
  codexHome?: string;
}

/** The placeholder written where a client needs the literal key and none was given. */
export const KEY_PLACEHOLDER = 'rf_REPLACE_WITH_YOUR_KEY';

export const CLIENTS: Record<ClientKind, { label: string; keyHowTo: string; literalKey: boolean }> = {
  'claude-code': { label: 'Claude Code (.mcp.json in this folder)', keyHowTo: 'export RUNFRAME_API_KEY=rf_… in the shell that starts Claude Code', literalKey: false },
  cursor: { label: 'Cursor (~/.cursor/mcp.json)', keyHowTo: 'set RUNFRAME_API_KEY in the environment Cursor starts from', literalKey: false },
  vscode: { label: 'VS Code (.vscode/mcp.json in this folder)', keyHowTo: 'VS Code asks for the key when the server first starts and keeps it in its secret storage', literalKey: false },
  'claude-desktop': { label: 'Claude Desktop (claude_desktop_config.json)', keyHowTo: 'Claude Desktop does not expand environment variables, so the key itself is in the file: keep it private', literalKey: true },
  codex: { label: 'Codex (~/.codex/config.toml)', keyHowTo: 'set RUNFRAME_API_KEY in the environment Codex starts from (forwarded by env_vars)', literalKey: false },
};

export const CLIENT_KINDS = Object.keys(CLIENTS) as ClientKind[];

/** The config file `kind` reads, as an absolute path. */
export function configPath(kind: ClientKind, d: Dirs): string {
  switch (kind) {
    case 'claude-code':
      return join(d.cwd, '.mcp.json');
    case 'vscode':
      return join(d.cwd, '.vscode', 'mcp.json');
    case 'cursor':
      return join(d.home, '.cursor', 'mcp.json');
    case 'codex':
      return join(d.codexHome || join(d.home, '.codex'), 'config.toml');
    case 'claude-desktop':
      if (d.platform === 'darwin') return join(d.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
      if (d.platform === 'win32') return join(d.appData || join(d.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
      return join(d.home, '.config', 'Claude', 'claude_desktop_config.json');
  }
}

/** Claude Code's project settings file, where the read tools are allowed. */
export const claudeSettingsPath = (d: Dirs) => join(d.cwd, '.claude', 'settings.json');

const keyReference: Record<ClientKind, (o: EntryOptions) => string | undefined> = {
  'claude-code': () => '${RUNFRAME_API_KEY}',
  cursor: () => '${env:RUNFRAME_API_KEY}',
  vscode: (o) => `\${input:${o.name}-api-key}`,
  'claude-desktop': (o) => o.literalKey || KEY_PLACEHOLDER,
  codex: () => undefined,
};

/** The env block of an entry: the key (reference or literal), the URL and tiers when set. */
function env(kind: ClientKind, o: EntryOptions): Record<string, string> {
  const key = keyReference[kind](o);
  return {
    ...(o.apiUrl ? { RUNFRAME_API_URL: o.apiUrl } : {}),
    ...(key ? { RUNFRAME_API_KEY: key } : {}),
    ...(o.toolsets ? { RUNFRAME_TOOLSETS: o.toolsets } : {}),
  };
}

/** The server entry `kind` expects under its servers table. */
export function serverEntry(kind: ClientKind, o: EntryOptions): Record<string, unknown> {
  const base = { command: o.launch.command, args: o.launch.args, env: env(kind, o) };
  if (kind === 'vscode' || kind === 'claude-code') return { type: 'stdio', ...base };
  if (kind === 'codex') return { ...base, env_vars: ['RUNFRAME_API_KEY'] };
  return base;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown when an existing config file cannot be read, so it is left as it is. */
export class ConfigFileError extends Error {}

function parseExisting(kind: ClientKind, text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = kind === 'codex' ? parseToml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigFileError(`it is not valid ${kind === 'codex' ? 'TOML' : 'JSON'} (${(err as Error).message.split('\n')[0]}); fix or move it, then run --setup again`);
  }
  if (!isRecord(parsed)) throw new ConfigFileError('its top level is not an object; fix or move it, then run --setup again');
  return parsed;
}

/**
 * The config file `kind` should contain: `existing` (undefined when there is none) with our
 * server entry added or replaced, every other server and setting kept.
 * @throws ConfigFileError when `existing` cannot be parsed (nothing should be written then)
 */
export function mergeConfig(kind: ClientKind, existing: string | undefined, o: EntryOptions): string {
  const config = parseExisting(kind, existing);
  const table = kind === 'vscode' ? 'servers' : kind === 'codex' ? 'mcp_servers' : 'mcpServers';
  const servers = isRecord(config[table]) ? config[table] : {};
  config[table] = { ...servers, [o.name]: serverEntry(kind, o) };
  if (kind === 'vscode') {
    const id = `${o.name}-api-key`;
    const inputs = Array.isArray(config.inputs) ? config.inputs.filter((i) => !(isRecord(i) && i.id === id)) : [];
    config.inputs = [...inputs, { type: 'promptString', id, description: `Runframe API key${o.apiUrl ? ` for ${o.apiUrl}` : ''}`, password: true }];
  }
  return kind === 'codex' ? stringifyToml(config) + '\n' : JSON.stringify(config, null, 2) + '\n';
}

/**
 * Claude Code's `.claude/settings.json` with `permissions.allow` also allowing `readTools` of
 * server `name` (`mcp__<name>__<tool>`), so reads run without a prompt and every write or page
 * is still confirmed. Other permissions and settings are kept.
 * @throws ConfigFileError when `existing` cannot be parsed
 */
export function mergeClaudeSettings(existing: string | undefined, name: string, readTools: readonly string[]): string {
  const config = parseExisting('claude-code', existing);
  const permissions = isRecord(config.permissions) ? config.permissions : {};
  const allow = Array.isArray(permissions.allow) ? permissions.allow : [];
  const ours = readTools.map((t) => `mcp__${name}__${t}`);
  config.permissions = { ...permissions, allow: [...allow, ...ours.filter((r) => !allow.includes(r))] };
  return JSON.stringify(config, null, 2) + '\n';
}
