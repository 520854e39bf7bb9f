/**
 * Concurrency slots of the HTTP server, shared fairly between clients. A client is whoever the
 * caller says (the bearer token it presented, or its remote address when it presented none).
 *
 * Rule: every client may hold up to `share` slots whenever any slot is free; beyond its share it
 * may take one only while more than `share` slots stay free for the others. So one client,
 * however many requests it sends, leaves at least `share` slots to everyone else, and a lone
 * client can still use all but `share` of them.
 */

/** Why a slot was refused: the server is full, or this client holds more than its share. */
export type SlotRefusal = 'full' | 'over_share';

export class FairSlots {
  readonly total: number;
  readonly share: number;
  #active = 0;
  readonly #held = new Map<string, number>();

  /**
   * @param total slots in all (requests handled at once), at least 1
   * @param share slots a client is always entitled to (default a quarter of `total`, at least 1)
   */
  constructor(total: number, share = Math.max(1, Math.ceil(total / 4))) {
    this.total = total;
    this.share = Math.min(share, total);
  }

  /** Slots in use. */
  get active(): number {
    return this.#active;
  }

  /** Slots `client` holds. */
  heldBy(client: string): number {
    return this.#held.get(client) ?? 0;
  }

  /**
   * Takes a slot for `client`.
   * @returns a release function (call it once, when the request is answered or abandoned), or why not
   */
  acquire(client: string): (() => void) | SlotRefusal {
    const held = this.heldBy(client);
    const free = this.total - this.#active;
    if (free <= 0) return 'full';
    if (held >= this.share && free <= this.share) return 'over_share';
    this.#active++;
    this.#held.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      const left = this.heldBy(client) - 1;
      if (left > 0) this.#held.set(client, left);
      else this.#held.delete(client);
    };
  }
}
