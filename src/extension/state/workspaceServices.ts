/**
 * The Runframe services of the open workspace, from `.runframe.json` at the root of each
 * workspace folder (the rule: src/domain/workspaceServices.ts). Re-read when a file is created,
 * changed or deleted, or when folders are added or removed.
 */
import * as vscode from 'vscode';
import { formatWorkspaceServices, parseWorkspaceServices, WORKSPACE_SERVICES_FILE } from '../../domain/workspaceServices';

/** One folder's file that could not be used, in words. */
export interface WorkspaceServicesProblem {
  folder: string;
  message: string;
}

/**
 * Watches each workspace folder's .runframe.json and keeps the union of their services; fires
 * onDidChange when it changes. Dispose to stop watching.
 */
export class WorkspaceServicesWatcher implements vscode.Disposable {
  #services: string[] = [];
  #problems: WorkspaceServicesProblem[] = [];
  readonly #changed = new vscode.EventEmitter<void>();
  /** Fires after the services or problems were re-read. */
  readonly onDidChange = this.#changed.event;
  readonly #subscriptions: vscode.Disposable[] = [this.#changed];
  #watchers: vscode.Disposable[] = [];
  #reading: Promise<void> = Promise.resolve();

  constructor() {
    this.#subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.#watch()));
    this.#watch();
  }

  /** Service keys of every folder's file, without repeats (empty when no folder has one). */
  get services(): readonly string[] {
    return this.#services;
  }

  /** Files that exist but could not be used. */
  get problems(): readonly WorkspaceServicesProblem[] {
    return this.#problems;
  }

  /** Resolves once the files as they are now have been read. */
  ready(): Promise<void> {
    return this.#reading;
  }

  /**
   * Writes `services` to `folder`'s `.runframe.json` (replacing it) and re-reads.
   * @throws what the file system throws (e.g. a read-only folder)
   */
  async write(folder: vscode.WorkspaceFolder, services: readonly string[]): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder.uri, WORKSPACE_SERVICES_FILE);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(formatWorkspaceServices(services), 'utf8'));
    await this.#read();
    return uri;
  }

  /** Service keys in `folder`'s file (empty when it has none or it cannot be used). */
  async servicesOf(folder: vscode.WorkspaceFolder): Promise<string[]> {
    const parsed = await readFolder(folder);
    return parsed?.ok ? parsed.value.services : [];
  }

  #watch(): void {
    for (const w of this.#watchers) w.dispose();
    this.#watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WORKSPACE_SERVICES_FILE));
      const reread = () => void this.#read();
      watcher.onDidCreate(reread);
      watcher.onDidChange(reread);
      watcher.onDidDelete(reread);
      return watcher;
    });
    void this.#read();
  }

  #read(): Promise<void> {
    // One read after another, so the last change on disk is the one that stays.
    this.#reading = this.#reading.then(async () => {
      const services: string[] = [];
      const problems: WorkspaceServicesProblem[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const parsed = await readFolder(folder);
        if (!parsed) continue;
        if (!parsed.ok) problems.push({ folder: folder.name, message: parsed.message });
        else for (const s of parsed.value.services) if (!services.includes(s)) services.push(s);
      }
      const changed = JSON.stringify([services, problems]) !== JSON.stringify([this.#services, this.#problems]);
      this.#services = services;
      this.#problems = problems;
      if (changed) this.#changed.fire();
    });
    return this.#reading;
  }

  dispose(): void {
    for (const d of [...this.#watchers, ...this.#subscriptions]) d.dispose();
  }
}

/** The folder's file checked, or undefined when there is none. */
async function readFolder(folder: vscode.WorkspaceFolder): Promise<ReturnType<typeof parseWorkspaceServices> | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, WORKSPACE_SERVICES_FILE));
  } catch {
    return undefined;
  }
  return parseWorkspaceServices(Buffer.from(bytes).toString('utf8'));
}
