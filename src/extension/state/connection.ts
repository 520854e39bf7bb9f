/**
 * Which Runframe the extension talks to: the sandbox (local emulator) when it runs, else the
 * active environment (its API URL, and its key in SecretStorage). Builds the one
 * RunframeClient that views, commands and the MCP definition use, and says when it changes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DEFAULT_API_URL, RunframeClient, RunframeInputError } from '../../api/client';
import type { ApiKeyStore } from './apiKeys';
import type { Environment, EnvironmentStore } from './environments';
import { logRequests } from '../errorMessages';
import { oneAtATime } from './oneAtATime';
import type { Sandbox } from './sandbox';
import * as settings from './settings';

export type ConnectionMode = 'sandbox' | 'account' | 'none';

export interface Connection {
  mode: ConnectionMode;
  /** API base URL */
  apiUrl: string;
  /** Present unless mode is "none" */
  client?: RunframeClient;
  /** A configuration problem that stops the connection (a bad runframe.apiUrl); not set for "no key" */
  problem?: string;
  /** Short digest that changes whenever mode, environment, URL or key changes; never derived from the key alone */
  revision: string;
  /** The active environment; its key is used unless the sandbox runs */
  environment: Environment;
  /** What to call this connection in the UI: "Sandbox" or the environment's label */
  label: string;
}

/**
 * Owns the current Connection: rebuilds it when the key (this or another window), the sandbox or
 * the runframe.apiUrl / requestTimeoutSeconds settings change, and fires onDidChange when it differs.
 */
export class ConnectionManager implements vscode.Disposable {
  #current: Connection;
  #apiKey: string | undefined;
  readonly #emitter = new vscode.EventEmitter<Connection>();
  readonly onDidChange = this.#emitter.event;
  readonly #disposables: vscode.Disposable[] = [];
  readonly #rebuildOneAtATime = oneAtATime(() => this.#rebuild());

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly keys: ApiKeyStore,
    private readonly sandbox: Sandbox,
    readonly environments: EnvironmentStore,
    /** The Runframe output channel; every request of the client is logged there */
    readonly log: vscode.LogOutputChannel,
  ) {
    const environment = environments.active;
    this.#current = { mode: 'none', apiUrl: environment.apiUrl || DEFAULT_API_URL, revision: 'none', environment, label: environment.label };
    this.#disposables.push(
      this.#emitter,
      keys.onDidChange(() => void this.rebuild()),
      sandbox.onDidChange(() => void this.rebuild()),
      environments.onDidChange(() => void this.rebuild()),
      settings.onDidChange(['requestTimeoutSeconds'], () => void this.rebuild()),
    );
  }

  get current(): Connection {
    return this.#current;
  }

  /** The key of the current connection, for the MCP server's environment only. */
  get apiKeyForServer(): string | undefined {
    return this.#current.mode === 'none' ? undefined : this.#apiKey;
  }

  /** Per-request timeout in ms, from `runframe.requestTimeoutSeconds` (default 15 s). */
  requestTimeoutMs(): number {
    return Math.max(1, settings.requestTimeoutSeconds()) * 1000;
  }

  /**
   * Re-reads the key, the settings and the sandbox, and fires onDidChange when anything differs.
   * One rebuild at a time: a call during a rebuild waits for one that starts after it (calls made
   * meanwhile share it), so the connection always ends up reflecting the latest state. Four events
   * and several commands call this, often together (Set API Key stores a key, which fires too).
   */
  rebuild(): Promise<void> {
    return this.#rebuildOneAtATime();
  }

  async #rebuild(): Promise<void> {
    const timeoutMs = this.requestTimeoutMs();
    let mode: ConnectionMode;
    let apiUrl: string;
    let key: string | undefined;
    const environment = this.environments.active;
    const environmentKey = await this.keys.get(environment.id);
    if (this.sandbox.endpoint) {
      mode = 'sandbox';
      ({ url: apiUrl, key } = this.sandbox.endpoint);
    } else {
      apiUrl = environment.apiUrl;
      key = environmentKey;
      mode = key ? 'account' : 'none';
    }
    let client: RunframeClient | undefined;
    let problem: string | undefined;
    if (key) {
      try {
        client = new RunframeClient({
          apiKey: key,
          baseUrl: apiUrl,
          timeoutMs,
          userAgent: `runframe-incident-cockpit-vscode/${this.context.extension.packageJSON.version}`,
          onRequest: logRequests(this.log),
        });
      } catch (err) {
        mode = 'none';
        problem = err instanceof RunframeInputError && err.field === 'baseUrl' ? `The runframe.apiUrl setting is not usable: ${err.message.replace(/^baseUrl: /, '')}` : (err as Error).message;
      }
    }
    const revision = this.#revision(mode, `${environment.id}\n${environment.label}\n${apiUrl}`, key);
    const changed = revision !== this.#current.revision || problem !== this.#current.problem;
    this.#apiKey = key;
    this.#current = { mode, apiUrl, client, problem, revision, environment, label: mode === 'sandbox' ? 'Sandbox' : environment.label };
    await vscode.commands.executeCommand('setContext', 'runframe.connected', mode !== 'none');
    await vscode.commands.executeCommand('setContext', 'runframe.sandboxActive', mode === 'sandbox');
    await vscode.commands.executeCommand('setContext', 'runframe.hasApiKey', Boolean(environmentKey));
    if (changed) {
      this.log.info(`Connection: ${mode === 'none' ? `not connected (${environment.label})` : mode === 'sandbox' ? `sandbox at ${apiUrl}` : `${environment.label} at ${apiUrl}`}`);
      this.#emitter.fire(this.#current);
    }
  }

  // HMAC with a per-install random salt: stable across reloads, reveals nothing about the key.
  #revision(mode: ConnectionMode, apiUrl: string, key: string | undefined): string {
    let salt = this.context.globalState.get<string>('runframe.revisionSalt');
    if (!salt) {
      salt = randomBytes(32).toString('hex');
      void this.context.globalState.update('runframe.revisionSalt', salt);
    }
    return createHmac('sha256', salt).update(`${mode}\n${apiUrl}\n${key ?? ''}`).digest('hex').slice(0, 16);
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
  }
}
