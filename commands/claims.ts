/**
 * A small key/value store of claims: "this happened, and only once, for a while". Send claims its
 * preview's key before posting, so a second press, a press after Cancel or a replayed press posts
 * nothing. Platform-neutral; the default keeps claims in this process's memory. A shared store
 * (PostgreSQL, Redis) implements the same two methods so that every process sees the same claims.
 */
export interface ClaimStore {
  /**
   * Sets `key` if it is not set, for `ttlMs` milliseconds. Resolves true when this call set it (the
   * caller may go ahead), false when it was already set and has not expired. Atomic: of concurrent
   * calls with one key, exactly one resolves true. (Redis: `SET key 1 NX PX ttlMs`; PostgreSQL:
   * `INSERT … ON CONFLICT DO UPDATE … WHERE expires_at < now()` and check the row count.)
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Removes `key`, so that it can be claimed again: the action it guarded did not happen after all. */
  release(key: string): Promise<void>;
}

export interface MemoryClaimsOptions {
  /** Most keys held; past it, expired keys are dropped, then the oldest. Default 100,000. */
  maxKeys?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** Claims in a Map, for one process (the default, and the console). Memory is bounded by `maxKeys`. */
export class MemoryClaims implements ClaimStore {
  readonly #expires = new Map<string, number>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor({ maxKeys = 100_000, now = Date.now }: MemoryClaimsOptions = {}) {
    this.#maxKeys = Math.max(1, maxKeys);
    this.#now = now;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const expires = this.#expires.get(key);
    if (expires !== undefined && expires > now) return false;
    this.#expires.delete(key); // re-inserted last: Map order stays oldest-first
    if (this.#expires.size >= this.#maxKeys) this.#makeRoom(now);
    this.#expires.set(key, now + ttlMs);
    return true;
  }

  async release(key: string): Promise<void> {
    this.#expires.delete(key);
  }

  get size(): number {
    return this.#expires.size;
  }

  #makeRoom(now: number): void {
    for (const [k, at] of this.#expires) if (at <= now) this.#expires.delete(k);
    let drop = this.#expires.size - Math.floor(this.#maxKeys * 0.9);
    for (const k of this.#expires.keys()) {
      if (drop-- <= 0) break;
      this.#expires.delete(k);
    }
  }
}

/** The store used when a context names none: one per process. */
export const DEFAULT_CLAIMS: ClaimStore = new MemoryClaims();
