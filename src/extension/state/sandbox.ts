/**
 * The sandbox: the local Runframe emulator running inside the extension host on 127.0.0.1 with a
 * random free port and a freshly generated key, its data kept in the extension's global storage.
 * No account needed. Whether it runs is remembered across reloads.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SCOPES } from '../../api/types';
import type { RunningEmulator } from '../../emulator/server';

const ENABLED_KEY = 'runframe.sandbox.enabled';

export class Sandbox implements vscode.Disposable {
  #running?: RunningEmulator;
  #key?: string;
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.#emitter.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** URL and key while running. The key lives in memory only. */
  get endpoint(): { url: string; key: string } | undefined {
    return this.#running && this.#key ? { url: this.#running.url, key: this.#key } : undefined;
  }

  /** True when the user left the sandbox on (restart it on activation). */
  get wanted(): boolean {
    return this.context.globalState.get<boolean>(ENABLED_KEY, false);
  }

  /** Path of the sandbox data file in global storage. */
  get dataFile(): string {
    return join(this.context.globalStorageUri.fsPath, 'sandbox-data.json');
  }

  /**
   * Starts the emulator (no-op when running).
   * @throws Error when it cannot start (e.g. the data file is unreadable)
   */
  async start(): Promise<{ url: string; key: string }> {
    if (this.endpoint) return this.endpoint;
    mkdirSync(this.context.globalStorageUri.fsPath, { recursive: true });
    // Loaded when the sandbox starts, not with the extension: most sessions never start it.
    const [{ generateApiKey, startEmulator }, { DEMO_USER_EMAIL }] = await Promise.all([import('../../emulator/server'), import('../../emulator/seed')]);
    const key = generateApiKey('sandbox');
    this.#running = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      dataFile: this.dataFile,
      apiKeys: [{ key, scopes: [...SCOPES], user_email: DEMO_USER_EMAIL, label: 'sandbox' }],
    });
    this.#key = key;
    await this.context.globalState.update(ENABLED_KEY, true);
    this.#emitter.fire();
    return { url: this.#running.url, key };
  }

  /** Stops the emulator and remembers that the sandbox is off. Data stays for next time. */
  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    this.#key = undefined;
    await this.context.globalState.update(ENABLED_KEY, false);
    if (running) await running.close();
    this.#emitter.fire();
  }

  dispose(): void {
    void this.#running?.close();
    this.#emitter.dispose();
  }
}
