/**
 * Labelled Runframe environments (e.g. production, staging), each with its own API URL and its
 * own key in SecretStorage. The built-in "Default" environment takes its URL from the
 * `runframe.apiUrl` setting (so existing set-ups keep working); the others keep theirs in global
 * state. One is active; the views, commands and the MCP server definition follow it.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import * as settings from './settings';

export const DEFAULT_ENVIRONMENT_ID = 'default';
const LIST_KEY = 'runframe.environments';
const ACTIVE_KEY = 'runframe.activeEnvironment';
const DEFAULT_LABEL_KEY = 'runframe.defaultEnvironmentLabel';

export interface Environment {
  id: string;
  label: string;
  /** API base URL (without /api/v1) */
  apiUrl: string;
  isDefault: boolean;
}

interface StoredEnvironment {
  id: string;
  label: string;
  apiUrl: string;
}

/**
 * Checks a new label against the existing ones.
 * @returns an error message, or undefined when the label is usable
 */
export function checkEnvironmentLabel(label: string, existing: readonly Environment[], exceptId?: string): string | undefined {
  const l = label.trim();
  if (!l) return 'Give the environment a name, e.g. production or staging.';
  if (l.length > 40) return 'Keep the name under 40 characters.';
  if (/sandbox/i.test(l)) return '"Sandbox" is the built-in demo environment; pick another name.';
  if (existing.some((e) => e.id !== exceptId && e.label.toLowerCase() === l.toLowerCase())) return `An environment called "${l}" already exists.`;
  return undefined;
}

/** The environments and which one is active; fires onDidChange on any change. */
export class EnvironmentStore implements vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.#emitter.event;
  readonly #subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.#subscription = settings.onDidChange(['apiUrl'], () => this.#emitter.fire());
  }

  /** Default first, then the others in the order they were added. */
  list(): Environment[] {
    const def: Environment = { id: DEFAULT_ENVIRONMENT_ID, label: this.state.get<string>(DEFAULT_LABEL_KEY) || 'Default', apiUrl: settings.apiUrl(), isDefault: true };
    return [def, ...this.#stored().map((e) => ({ ...e, isDefault: false }))];
  }

  /** The active environment (Default when the remembered one was removed). */
  get active(): Environment {
    const id = this.state.get<string>(ACTIVE_KEY);
    const all = this.list();
    return all.find((e) => e.id === id) ?? all[0];
  }

  /** Makes `id` the active environment. @throws Error when there is no such environment */
  async setActive(id: string): Promise<void> {
    if (!this.list().some((e) => e.id === id)) throw new Error(`No environment with id ${id}`);
    await this.state.update(ACTIVE_KEY, id);
    this.#emitter.fire();
  }

  /**
   * Adds an environment (not yet active).
   * @throws Error when the label is not usable
   */
  async add(label: string, apiUrl: string): Promise<Environment> {
    const problem = checkEnvironmentLabel(label, this.list());
    if (problem) throw new Error(problem);
    const env: StoredEnvironment = { id: randomUUID().slice(0, 8), label: label.trim(), apiUrl: apiUrl.trim() };
    await this.state.update(LIST_KEY, [...this.#stored(), env]);
    this.#emitter.fire();
    return { ...env, isDefault: false };
  }

  /** Renames an environment (the Default one too). @throws Error when the label is not usable */
  async rename(id: string, label: string): Promise<void> {
    const problem = checkEnvironmentLabel(label, this.list(), id);
    if (problem) throw new Error(problem);
    if (id === DEFAULT_ENVIRONMENT_ID) await this.state.update(DEFAULT_LABEL_KEY, label.trim());
    else await this.state.update(LIST_KEY, this.#stored().map((e) => (e.id === id ? { ...e, label: label.trim() } : e)));
    this.#emitter.fire();
  }

  /** Removes a non-default environment; the caller deletes its key. Switches to Default if it was active. */
  async remove(id: string): Promise<void> {
    if (id === DEFAULT_ENVIRONMENT_ID) throw new Error('The Default environment cannot be removed; remove its API key instead.');
    await this.state.update(LIST_KEY, this.#stored().filter((e) => e.id !== id));
    if (this.state.get<string>(ACTIVE_KEY) === id) await this.state.update(ACTIVE_KEY, DEFAULT_ENVIRONMENT_ID);
    this.#emitter.fire();
  }

  #stored(): StoredEnvironment[] {
    const raw = this.state.get<unknown>(LIST_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter((e): e is StoredEnvironment => Boolean(e && typeof e.id === 'string' && typeof e.label === 'string' && typeof e.apiUrl === 'string'));
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#emitter.dispose();
  }
}
