/**
 * Cancellation over stateless HTTP, scoped to the client. Each POST is its own exchange, so a
 * `notifications/cancelled` arrives in another POST than the request it names. It reaches the
 * request with that JSON-RPC id from the same client (same credential) only, never another
 * client's request that happens to use the same id (MCP 2025-06-18, "Cancellation": a request
 * is named by the id its sender gave it).
 */
import type { RpcId } from './envelope';

/** Requests in flight per client and id, each with how to cancel it. */
export class CancelScopes {
  readonly #byKey = new Map<string, Set<() => void>>();

  static #key(client: string, id: RpcId): string {
    return `${client}\u0000${typeof id}:${id}`;
  }

  /**
   * Records `client`'s request `id` as in flight until the returned function is called.
   * @param cancel what cancelling it does (answer it, stop its work)
   */
  register(client: string, id: RpcId, cancel: () => void): () => void {
    const key = CancelScopes.#key(client, id);
    let set = this.#byKey.get(key);
    if (!set) this.#byKey.set(key, (set = new Set()));
    set.add(cancel);
    return () => {
      set.delete(cancel);
      if (!set.size) this.#byKey.delete(key);
    };
  }

  /** Cancels `client`'s requests in flight with `id`; how many there were (0 when none). */
  cancel(client: string, id: unknown): number {
    if (typeof id !== 'string' && typeof id !== 'number') return 0;
    const set = this.#byKey.get(CancelScopes.#key(client, id));
    if (!set) return 0;
    const all = [...set];
    for (const c of all) c();
    return all.length;
  }

  /** Requests tracked (for tests: none is left once every request is answered). */
  get size(): number {
    let n = 0;
    for (const s of this.#byKey.values()) n += s.size;
    return n;
  }
}
