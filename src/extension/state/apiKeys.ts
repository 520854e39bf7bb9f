/**
 * The Runframe API key: kept only in VS Code's SecretStorage (the OS keychain on desktop), asked
 * for with a password box and verified before it is stored (commands/apiKeyPrompt.ts). It never goes to
 * settings, logs, command arguments or MCP server definitions.
 */
import * as vscode from 'vscode';
import { DEFAULT_ENVIRONMENT_ID } from './environments';

const SECRET_PREFIX = 'runframe.apiKey';

/** The SecretStorage name of an environment's key: "runframe.apiKey" for Default (as before environments existed). */
export function secretNameFor(environmentId: string): string {
  return environmentId === DEFAULT_ENVIRONMENT_ID ? SECRET_PREFIX : `${SECRET_PREFIX}.${environmentId}`;
}

/** SecretStorage wrapper, one key per environment; fires onDidChange also when another window changes a key. */
export class ApiKeyStore implements vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.#emitter.event;
  readonly #subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.#subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_PREFIX || e.key.startsWith(`${SECRET_PREFIX}.`)) this.#emitter.fire();
    });
  }

  /** The key stored for the environment, or undefined. */
  async get(environmentId: string): Promise<string | undefined> {
    return (await this.secrets.get(secretNameFor(environmentId))) || undefined;
  }

  /** Stores the key of an environment (replacing any). */
  async store(environmentId: string, key: string): Promise<void> {
    await this.secrets.store(secretNameFor(environmentId), key);
  }

  /** Deletes the key of an environment. */
  async delete(environmentId: string): Promise<void> {
    await this.secrets.delete(secretNameFor(environmentId));
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#emitter.dispose();
  }
}
