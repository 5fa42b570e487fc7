import type { CommandContext, Reply } from "./types.js";

/**
 * Per-user rate limiting of commands and button presses: a token bucket per user that holds `commands`
 * tokens (the burst) and refills at `commands / perSeconds` a second, so a user can run `commands`
 * commands at once and then one every `perSeconds / commands` seconds. Chat adapters pass a limiter in
 * the `CommandContext`; the console and the CLI pass none and are never limited. Autocomplete is not a
 * command and never counts.
 */
export interface RateLimit {
  /** Commands a user may run in a burst, and per window. Default 5. */
  commands: number;
  /** The window, in seconds: a bucket refills completely in this time. Default 10. */
  perSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { commands: 5, perSeconds: 10 };

export interface RateLimiterOptions {
  /**
   * Most users tracked at once. A user idle for a whole window has a full bucket, which is the same as
   * not being tracked, so idle users are forgotten once a window. If more users than this are active
   * in one window (a flood of new ids), the oldest tenth is dropped and starts again with a full
   * bucket: memory stays bounded and the limiter fails open rather than refusing everyone. Default
   * 50,000 (a few MB).
   */
  maxUsers?: number;
  /** The clock, in milliseconds. Default `performance.now`; tests move it. */
  now?: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms. */
  at: number;
}

const DEFAULT_MAX_USERS = 50_000;
const OK: RateDecision = { ok: true };

export class RateLimiter {
  readonly limit: RateLimit;
  readonly #maxUsers: number;
  readonly #now: () => number;
  readonly #perMs: number;
  readonly #windowMs: number;
  /** Updated in place, so the Map keeps first-seen order; emptied of idle users by `#sweep`. */
  readonly #buckets = new Map<string, Bucket>();
  #sweptAt: number;

  constructor(limit: RateLimit = DEFAULT_RATE_LIMIT, options: RateLimiterOptions = {}) {
    if (!(Number.isInteger(limit.commands) && limit.commands >= 1))
      throw new RangeError(`RateLimiter: commands must be a whole number ≥ 1, got ${limit.commands}`);
    if (!(Number.isFinite(limit.perSeconds) && limit.perSeconds > 0))
      throw new RangeError(`RateLimiter: perSeconds must be > 0, got ${limit.perSeconds}`);
    this.limit = { ...limit };
    this.#maxUsers = Math.max(1, options.maxUsers ?? DEFAULT_MAX_USERS);
    this.#now = options.now ?? (() => performance.now());
    this.#windowMs = limit.perSeconds * 1000;
    this.#perMs = limit.commands / this.#windowMs;
    this.#sweptAt = this.#now();
  }

  /** Takes one token from `userId`'s bucket, or says how long until one is back. O(1) amortised. */
  take(userId: string): RateDecision {
    const now = this.#now();
    if (now - this.#sweptAt >= this.#windowMs) this.#sweep(now);
    let bucket = this.#buckets.get(userId);
    if (bucket) {
      bucket.tokens = Math.min(this.limit.commands, bucket.tokens + (now - bucket.at) * this.#perMs);
      bucket.at = now;
    } else {
      if (this.#buckets.size >= this.#maxUsers) this.#makeRoom(now);
      bucket = { tokens: this.limit.commands, at: now };
      this.#buckets.set(userId, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return OK;
    }
    return { ok: false, retryAfterSeconds: (1 - bucket.tokens) / this.#perMs / 1000 };
  }

  /** Users currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets users idle for a whole window: their bucket is full again. O(users), once a window. */
  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [id, bucket] of this.#buckets) if (now - bucket.at >= this.#windowMs) this.#buckets.delete(id);
  }

  /** Full: forget the idle, and if that is not enough the oldest tenth, so this runs rarely. */
  #makeRoom(now: number): void {
    this.#sweep(now);
    let drop = this.#buckets.size - Math.floor(this.#maxUsers * 0.9);
    for (const id of this.#buckets.keys()) {
      if (drop-- <= 0) break;
      this.#buckets.delete(id);
    }
  }
}

/** The reply to a command over the limit: what the limit is and when to try again. */
export function slowDown({ commands, perSeconds }: RateLimit, retryAfterSeconds: number): Reply {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds));
  const what = commands === 1 ? "1 command" : `${commands} commands`;
  const every = perSeconds === 1 ? "every second" : `every ${perSeconds} seconds`;
  return {
    kind: "invalid",
    message: `Slow down: you can run ${what} ${every}. Try again in ${wait} s.`,
  };
}

/** The slow-down reply when the context's user is over its limiter's budget; undefined otherwise. */
export function overLimit({ limiter, user }: CommandContext): Reply | undefined {
  if (!limiter || !user) return undefined;
  const decision = limiter.take(user.id);
  return decision.ok ? undefined : slowDown(limiter.limit, decision.retryAfterSeconds);
}
