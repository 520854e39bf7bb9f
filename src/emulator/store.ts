/**
 * The emulator's state and its persistence. With a data file, every change is written with an
 * atomic replace (write-file-atomic: temp file, fsync, rename), so a kill at any moment leaves
 * either the old or the new complete file, never a torn one. Without a file, state is in memory.
 *
 * Commits are grouped: callers that commit while a write is running share the next write, so a
 * burst of N changes costs about two writes, and `commit()` resolves only once a write that
 * includes the caller's change is on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import type { EmulatorState } from './model';
import { generateSeedState } from './seed';

export class EmulatorStore {
  state: EmulatorState;
  readonly file?: string;
  #writing: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  #writes = 0;

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
    if (file && existsSync(file)) {
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
      return new EmulatorStore(parsed as EmulatorState, file);
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
   * No-op without a file. Rejects when the write fails (e.g. disk full); state stays in memory.
   */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (!this.#writing) {
      this.#writing = this.#write().finally(() => {
        this.#writing = null;
      });
      return this.#writing;
    }
    // A write is running with an older state: join (or create) the one that follows it.
    if (!this.#next) {
      this.#next = this.#writing
        .catch(() => undefined)
        .then(() => {
          this.#next = null;
          return this.commit();
        });
    }
    return this.#next;
  }

  async #write(): Promise<void> {
    await writeFileAtomic(this.file as string, JSON.stringify(this.state), { fsync: true });
    this.#writes++;
  }
}
