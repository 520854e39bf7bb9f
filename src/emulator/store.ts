/**
 * The emulator's state and its persistence. With a data file, every change is written with an
 * atomic replace (write-file-atomic: temp file, fsync, rename), so a kill at any moment leaves
 * either the old or the new complete file, never a torn one. Without a file, state is in memory.
 *
 * Commits are grouped: callers that commit while a write is running share the next write, so a
 * burst of N changes costs about two writes, and `commit()` resolves only once a write that
 * includes the caller's change is on disk. A write that fails rolls memory back to what is on
 * disk, and every commit waiting on it fails too (their changes went with the rollback), so
 * memory never holds a change that was answered with an error.
 *
 * The file is readable by its owner only (0600) and holds nothing derived from a key. Temp files
 * a killed process left behind (write-file-atomic names them `<file>.<digits>`) go at open.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EmulatorState } from './model';
import { generateSeedState } from './seed';

export class EmulatorStore {
  state: EmulatorState;
  readonly file?: string;
  #writing: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  #writes = 0;
  /** The state on disk, as written (undefined without a file, or before the first write) */
  #persisted?: string;

  private constructor(state: EmulatorState, file?: string) {
    this.state = state;
    this.file = file;
  }

  /**
   * Opens the store: loads `file` when it exists, else seeds new demo data (and writes it when a
   * file is given).
   * @throws Error naming the file when it exists but is not an emulator data file
   */
  static async open(options: { file?: string; seed?: number; now?: Date; extraOpenIncidents?: number } = {}): Promise<EmulatorStore> {
    const { file } = options;
    if (file) removeStaleTempFiles(file);
    if (file && existsSync(file)) {
      chmodSync(file, 0o600);
      const text = readFileSync(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new Error(`Emulator data file ${file} is not valid JSON (${(err as Error).message}); move it away to start with fresh demo data.`);
      }
      if (!parsed || typeof parsed !== 'object' || (parsed as EmulatorState).format !== 'runframe-emulator/1') {
        throw new Error(`${file} is not a Runframe emulator data file (no "format": "runframe-emulator/1"); use another --data path.`);
      }
      const state = parsed as EmulatorState;
      // Files written before idempotency slots were keyed by user held a SHA-256 of the key: drop them.
      for (const slot of Object.keys(state.idempotency ?? {})) if (/^[0-9a-f]{64}:/.test(slot)) delete state.idempotency[slot];
      const store = new EmulatorStore(state, file);
      store.#persisted = text;
      return store;
    }
    const store = new EmulatorStore(generateSeedState(options.seed ?? 1, options.now, options.extraOpenIncidents), file);
    await store.commit();
    return store;
  }

  /** Number of completed file writes (for tests and benchmarks). */
  get writes(): number {
    return this.#writes;
  }

  /**
   * Persists the current state. Resolves when a write that started after this call finished.
   * No-op without a file. Rejects when the write fails (e.g. disk full): memory is then rolled
   * back to the state on disk, undoing every change not yet written (whose commits all reject).
   */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (!this.#writing) {
      this.#writing = this.#write().finally(() => {
        this.#writing = null;
      });
      return this.#writing;
    }
    // A write is running with an older state: join (or create) the one that follows it. When
    // that write fails, the rollback undid these changes as well: they fail with it.
    if (!this.#next) {
      this.#next = this.#writing.then(
        () => {
          this.#next = null;
          return this.commit();
        },
        (err) => {
          this.#next = null;
          throw err;
        },
      );
    }
    return this.#next;
  }

  /** Puts `snapshot` (JSON of an earlier state, from `snapshot()`) back in memory. */
  restore(snapshot: string): void {
    this.state = JSON.parse(snapshot) as EmulatorState;
  }

  /** The current state as JSON, for `restore` when a change fails half-way. */
  snapshot(): string {
    return JSON.stringify(this.state);
  }

  async #write(): Promise<void> {
    const text = JSON.stringify(this.state);
    try {
      await writeFileAtomic(this.file as string, text, { fsync: true, mode: 0o600 });
    } catch (err) {
      if (this.#persisted !== undefined) this.restore(this.#persisted);
      throw err;
    }
    this.#persisted = text;
    this.#writes++;
  }
}

/** Deletes `<file>.<digits>`: write-file-atomic's temp files, left by a process killed mid-write. */
function removeStaleTempFiles(file: string): void {
  const dir = dirname(file);
  const prefix = basename(file) + '.';
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^\d{1,10}$/.test(name.slice(prefix.length))) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Gone already, or not ours to delete: the store works either way.
      }
    }
  }
}
