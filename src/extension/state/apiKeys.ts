/**
 * The Runframe API key: kept only in VS Code's SecretStorage (the OS keychain on desktop), asked
 * for with a password box, verified with GET /auth/verify before it is stored. It never goes to
 * settings, logs, command arguments or MCP server definitions.
 */
import * as vscode from 'vscode';
import { RunframeClient, RunframeInputError } from '../../api/client';
import { RunframeApiError } from '../../api/errors';
import type { AuthInfo } from '../../api/types';
import { checkApiKeyFormat } from '../../domain/identifiers';
import { DEFAULT_ENVIRONMENT_ID, type Environment } from './environments';

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

/** Outcome of asking for a key: stored (with what the API said of it), rejected, or cancelled. */
export type KeyPromptResult = { stored: true; auth: AuthInfo } | { stored: false; reason: 'cancelled' | 'rejected' };

/**
 * Asks for a key for `environment` in a password box, verifies it against the environment's URL (GET /auth/verify, Runframe v1)
 * under a progress notification, and stores it only when the API accepts it. Reports the outcome
 * to the user (organisation and scopes, or why the key was not stored).
 */
export async function promptForApiKey(store: ApiKeyStore, environment: Environment, timeoutMs: number): Promise<KeyPromptResult> {
  const apiUrl = environment.apiUrl;
  const input = await vscode.window.showInputBox({
    title: environment.isDefault ? 'Runframe: Set API Key' : `Runframe: Set API Key for ${environment.label}`,
    prompt: `Paste a Runframe API key (starts with rf_). It is verified with ${apiUrl} and kept in VS Code's secret storage.`,
    placeHolder: 'rf_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? undefined : checkApiKeyFormat(value).ok ? undefined : (checkApiKeyFormat(value) as { message: string }).message),
  });
  if (input === undefined || input.trim() === '') return { stored: false, reason: 'cancelled' };
  const checked = checkApiKeyFormat(input);
  if (!checked.ok) {
    void vscode.window.showErrorMessage(`The API key was not saved: ${checked.message}`);
    return { stored: false, reason: 'rejected' };
  }
  try {
    const auth = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Runframe: verifying the API key…', cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return new RunframeClient({ apiKey: checked.value, baseUrl: apiUrl, timeoutMs }).verifyKey(abort.signal);
      },
    );
    if (!auth.valid) throw new Error('Runframe says this key is not valid.');
    await store.store(environment.id, checked.value);
    const scopes = auth.scopes.length ? auth.scopes.join(', ') : 'no scopes';
    void vscode.window.showInformationMessage(`Runframe API key saved for ${auth.organization_name ?? 'your organization'}${environment.isDefault ? '' : ` in ${environment.label}`} (scopes: ${scopes}).`);
    return { stored: true, auth };
  } catch (err) {
    if (err instanceof RunframeApiError && err.kind === 'aborted') return { stored: false, reason: 'cancelled' };
    const why =
      err instanceof RunframeApiError && err.status === 401
        ? `Runframe rejected it (HTTP 401${err.requestId ? `, request id ${err.requestId}` : ''}): check that you copied the whole key and that it has not been revoked.`
        : err instanceof RunframeApiError || err instanceof RunframeInputError || err instanceof Error
          ? err.message
          : String(err);
    void vscode.window.showErrorMessage(`The API key was not saved. ${why}`);
    return { stored: false, reason: 'rejected' };
  }
}
