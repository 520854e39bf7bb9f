/**
 * `runframe-mcp --setup`: asks for the API key (hidden input, Enter skips) and checks it
 * (organisation and scopes shown; Runframe v1 GET /auth/verify), asks which clients and which
 * access tiers, then writes or merges each client's config (clients.ts) without touching its
 * other servers: atomic write, the old file kept as `<file>.bak`.
 * For scripts: `--print` writes nothing and prints each config; `--client LIST --yes` writes
 * without asking. A stdin that is not a terminal gets a message instead of a prompt.
 */
import { checkbox, confirm, password } from '@inquirer/prompts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { RunframeClient } from '../../api/client';
import { checkApiKeyFormat } from '../../domain/identifiers';
import { TOOL_TIERS, type ToolTier } from '../tiers';
import { TOOLS } from '../tools';
import { CLIENT_KINDS, CLIENTS, claudeSettingsPath, configPath, ConfigFileError, KEY_PLACEHOLDER, mergeClaudeSettings, mergeConfig, type ClientKind, type Dirs, type EntryOptions } from './clients';

/** The npm package other clients run with `npx -y` (packages/mcp-server/package.json). */
export const PACKAGE_NAME = '@runframe-cockpit/mcp-server';

/** The server's name in every config this writes. */
const SERVER_NAME = 'runframe';

export interface SetupOptions {
  /** --client: the clients to configure; asked when undefined */
  clients?: ClientKind[];
  /** --print: print the configs, write nothing, ask nothing */
  print: boolean;
  /** --yes: write without asking (needs clients) */
  yes: boolean;
  /** --toolsets / RUNFRAME_TOOLSETS; asked (default all) when undefined */
  toolsets?: ToolTier[];
  /** RUNFRAME_API_URL, written into the configs when set */
  apiUrl?: string;
  /** RUNFRAME_API_KEY from the environment: checked, and written only where a client needs the literal key */
  apiKey?: string;
  dirs: Dirs;
  /** Whether stdin is a terminal a person can answer prompts on */
  interactive: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Parses --client: comma-separated client names, or "all".
 * @returns the kinds, or a message naming the unknown ones
 */
export function parseClients(text: string): { ok: true; value: ClientKind[] } | { ok: false; message: string } {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return { ok: true, value: [...CLIENT_KINDS] };
  const unknown = names.filter((n) => !(CLIENT_KINDS as string[]).includes(n));
  if (!names.length || unknown.length) return { ok: false, message: `--client: ${unknown.length ? `unknown client ${unknown.map((u) => `"${u}"`).join(', ')}` : 'no client given'}; use a comma-separated list of ${CLIENT_KINDS.join(', ')} (or all)` };
  return { ok: true, value: [...new Set(names)] as ClientKind[] };
}

const NOT_A_TERMINAL = `--setup asks questions, but stdin is not a terminal. For scripts, either
  --setup --print                       print each client's config, write nothing
  --setup --client LIST --yes           write the configs without asking
LIST is a comma-separated list of ${CLIENT_KINDS.join(', ')} (or all). The key is read from
RUNFRAME_API_KEY when set; it is written only for Claude Desktop, which cannot reference it.`;

const readTools = () => TOOLS.filter((t) => t.tier === 'read').map((t) => t.name);

/** Checks the key against the API and says what it can do; false when it cannot be used. */
async function verify(o: SetupOptions, key: string): Promise<boolean> {
  try {
    const info = await new RunframeClient({ apiKey: key, baseUrl: o.apiUrl || undefined, retry: false }).verifyKey();
    if (!info.valid) {
      o.err('The API rejected this key.\n');
      return false;
    }
    o.err(`Key OK: organisation ${info.organization_name ?? '(not named)'}; scopes ${info.scopes.join(', ') || 'none'}\n`);
    return true;
  } catch (err) {
    o.err(`Could not check the key: ${(err as Error).message}\n`);
    return false;
  }
}

/** Writes `text` to `path` atomically, keeping an existing different file as `path.bak`. */
function writeWithBackup(path: string, text: string, secret: boolean): string {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (old === text) return `${path} is already up to date`;
  mkdirSync(dirname(path), { recursive: true });
  if (old !== undefined) writeFileAtomic.sync(`${path}.bak`, old, { mode: secret ? 0o600 : undefined });
  writeFileAtomic.sync(path, text, { mode: secret ? 0o600 : undefined });
  return `wrote ${path}${old !== undefined ? ` (the old file is ${path}.bak)` : ''}`;
}

/**
 * Runs the setup. @returns the process exit code: 0 done, 1 a config could not be written,
 * 2 wrong usage (e.g. no terminal and no --print/--yes), 130 cancelled at a prompt.
 */
export async function runSetup(o: SetupOptions): Promise<number> {
  if (o.yes && !o.clients && !o.print) {
    o.err('--yes needs --client LIST (which clients to configure without asking).\n');
    return 2;
  }
  const ask = !o.print && !o.yes;
  if (ask && !o.interactive) {
    o.err(NOT_A_TERMINAL + '\n');
    return 2;
  }
  try {
    let key = o.apiKey ? checkApiKeyFormat(o.apiKey) : undefined;
    if (key && !key.ok) o.err(`RUNFRAME_API_KEY: ${key.message}\n`);
    if (ask) {
      const typed = await password({ message: 'Runframe API key (starts with rf_; Enter to skip)', mask: true, validate: (v) => v.trim() === '' || checkApiKeyFormat(v).ok || (checkApiKeyFormat(v) as { message: string }).message });
      if (typed.trim()) key = checkApiKeyFormat(typed);
    }
    const usableKey = key?.ok ? key.value : undefined;
    if (usableKey && !o.print && !(await verify(o, usableKey)) && ask && !(await confirm({ message: 'Write the configs anyway?', default: false }))) return 1;

    const clients = o.clients ?? (ask ? await checkbox({ message: 'Configure which clients?', choices: CLIENT_KINDS.map((k) => ({ name: CLIENTS[k].label, value: k })), required: true }) : [...CLIENT_KINDS]);
    const toolsets =
      o.toolsets ??
      (ask
        ? await checkbox({ message: 'Which access tiers? (page notifies real people; clients confirm each page and escalation)', choices: TOOL_TIERS.map((t) => ({ name: t, value: t, checked: true })), required: true })
        : [...TOOL_TIERS]);
    const entry: EntryOptions = {
      name: SERVER_NAME,
      launch: { command: 'npx', args: ['-y', PACKAGE_NAME] },
      apiUrl: o.apiUrl || undefined,
      toolsets: toolsets.join(','),
    };

    let failed = false;
    for (const kind of clients) {
      // Each line below names its file itself: the client's name without the one in its label.
      const client = { ...CLIENTS[kind], label: CLIENTS[kind].label.replace(/ \(.*\)$/, '') };
      const path = configPath(kind, o.dirs);
      // The key goes into a file only for a client that cannot reference it, and never to stdout.
      const literalKey = client.literalKey && !o.print ? usableKey : undefined;
      const files: [string, (old: string | undefined) => string][] = [[path, (old) => mergeConfig(kind, old, { ...entry, literalKey })]];
      if (kind === 'claude-code') files.push([claudeSettingsPath(o.dirs), (old) => mergeClaudeSettings(old, SERVER_NAME, readTools())]);
      if (o.print) {
        for (const [file, make] of files) o.out(`# ${client.label}: ${file}\n${make(undefined)}\n`);
        o.out(`# key: ${client.keyHowTo}${client.literalKey ? ` (replace ${KEY_PLACEHOLDER})` : ''}\n\n`);
        continue;
      }
      if (ask && !(await confirm({ message: `${client.label}: write ${files.map(([f]) => f).join(' and ')}?`, default: true }))) continue;
      if (literalKey && ask && !(await confirm({ message: `${client.label} cannot read the key from the environment: write the key itself into ${path}?`, default: true }))) continue;
      for (const [file, make] of files) {
        try {
          const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
          o.err(`${client.label}: ${writeWithBackup(file, make(old), Boolean(literalKey))}\n`);
        } catch (err) {
          failed = true;
          o.err(`${client.label}: left ${file} as it is: ${err instanceof ConfigFileError ? err.message : (err as Error).message}\n`);
        }
      }
      o.err(`  key: ${client.literalKey && !literalKey ? `no key was given, so ${path} holds ${KEY_PLACEHOLDER}: replace it with your key` : client.keyHowTo}\n`);
    }
    if (!o.print) o.err(`Done. Restart the clients to load the Runframe server (${toolsets.join(', ')}).\n`);
    return failed ? 1 : 0;
  } catch (err) {
    if (err instanceof Error && err.name === 'ExitPromptError') {
      o.err('\nSetup cancelled; files written before this point are kept.\n');
      return 130;
    }
    throw err;
  }
}
