/**
 * Asking for a Runframe API key: a password box (multiStepInput.ts) whose Enter verifies the key
 * with GET /auth/verify before anything is stored; a rejected or unverifiable key keeps what was
 * typed and says why. Used by Set API Key, Add Environment, switching to an environment without
 * a key, and the MCP server definition when it needs a key.
 */
import * as vscode from 'vscode';
import { RunframeClient } from '../../api/client';
import { RunframeApiError } from '../../api/errors';
import type { AuthInfo } from '../../api/types';
import { checkApiKeyFormat } from '../../domain/identifiers';
import { describeError, logRequests, summarizeError } from '../errorMessages';
import type { ApiKeyStore } from '../state/apiKeys';
import type { Environment } from '../state/environments';
import { runSteps, type Step } from './multiStepInput';

/** Outcome of asking for a key: stored (with what the API said of it), or cancelled. */
export type KeyPromptResult = { stored: true; auth: AuthInfo } | { stored: false; reason: 'cancelled' };

/** What the key step keeps between tries: the key as typed, and what the API said of it once verified. */
export interface KeyDraft {
  key: string;
  auth?: AuthInfo;
}

/**
 * A step that asks for a key in a password box and verifies it against `apiUrl()` (GET
 * /auth/verify, Runframe v1) before going on. A key that is rejected or cannot be verified keeps
 * the box open with what was typed and says why in plain words (summarizeError); a notification
 * says the same, with Retry (verifies again; re-runs `reopen` when the box was closed meanwhile)
 * and Show Log. Every request and the failure go to `log`; the key never does.
 */
export function apiKeyStep(opts: { draft: KeyDraft; title: string; apiUrl: () => string; timeoutMs: number; log: vscode.LogOutputChannel; reopen: () => unknown }): Step {
  const { draft, log } = opts;
  return async (io) => {
    const { exit, value } = await io.inputBox({
      prompt: `Paste a Runframe API key (starts with rf_). It is verified with ${opts.apiUrl()} and kept in VS Code's secret storage.`,
      placeholder: 'rf_…',
      password: true,
      value: draft.key,
      validate: (v) => (v.trim() === '' ? undefined : checkApiKeyFormat(v).ok ? undefined : (checkApiKeyFormat(v) as { message: string }).message),
      check: async (v, signal, recheck) => {
        const checked = checkApiKeyFormat(v);
        if (!v.trim()) return 'Paste the key first.';
        if (!checked.ok) return checked.message;
        draft.key = v;
        try {
          const auth = await new RunframeClient({ apiKey: checked.value, baseUrl: opts.apiUrl(), timeoutMs: opts.timeoutMs, onRequest: logRequests(log) }).verifyKey(signal);
          if (!auth.valid) throw new Error('Runframe says this key is not valid.');
          draft.auth = auth;
          return undefined;
        } catch (err) {
          if (err instanceof RunframeApiError && err.kind === 'aborted') return 'Cancelled.';
          log.warn(`${opts.title}: the key was not saved: ${describeError(err)}`);
          const { sentence } = summarizeError(err);
          void vscode.window.showErrorMessage(`API key not saved. ${sentence}`, 'Retry', 'Show Log').then((choice) => {
            if (choice === 'Retry' && !recheck()) void opts.reopen();
            if (choice === 'Show Log') log.show(true);
          });
          return `Not saved. ${sentence}`;
        }
      },
    });
    draft.key = value;
    return exit === 'accept' ? 'next' : exit;
  };
}

/**
 * Asks for a key for `environment` (apiKeyStep), and stores it only when the API accepts it;
 * says so with the organisation and scopes. @param typed the box's initial value
 */
export async function promptForApiKey(store: ApiKeyStore, environment: Environment, timeoutMs: number, log: vscode.LogOutputChannel, typed = ''): Promise<KeyPromptResult> {
  const draft: KeyDraft = { key: typed };
  const title = environment.isDefault ? 'Runframe: Set API Key' : `Runframe: Set API Key for ${environment.label}`;
  // Retry on the failure notification after the box was closed: the box again, with the key as typed.
  const reopen = () => promptForApiKey(store, environment, timeoutMs, log, draft.key);
  const done = await runSteps({ title, steps: [apiKeyStep({ draft, title, apiUrl: () => environment.apiUrl, timeoutMs, log, reopen })] });
  if (!done || !draft.auth) return { stored: false, reason: 'cancelled' };
  await store.store(environment.id, draft.key.trim());
  reportSaved(draft.auth, environment);
  return { stored: true, auth: draft.auth };
}

/** "Runframe API key saved for <organisation> [in <environment>] (scopes: …)." */
export function reportSaved(auth: AuthInfo, environment: Environment): void {
  const scopes = auth.scopes.length ? auth.scopes.join(', ') : 'no scopes';
  void vscode.window.showInformationMessage(`Runframe API key saved for ${auth.organization_name ?? 'your organization'}${environment.isDefault ? '' : ` in ${environment.label}`} (scopes: ${scopes}).`);
}
