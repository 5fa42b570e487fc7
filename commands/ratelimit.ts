import { createRequire } from "node:module";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { once } from "../src/core/once.js";
import type { CommandContext, Reply } from "./types.js";

/**
 * Per-user rate limiting of commands and button presses, through rate-limiter-flexible: a fixed
 * window per user that opens at their first command and lets `commands` through in `perSeconds`
 * seconds; the next one is refused until the window closes. Chat adapters pass a limiter in the
 * `CommandContext`; the console and the CLI pass none and are never limited. Autocomplete is not a
 * command and never counts.
 *
 * The counters live in memory by default (one budget per process). Given a shared store (Redis, see
 * src/store/ratelimit.ts) every instance counts against the same budget.
 */
export interface RateLimit {
  /** Commands a user may run per window. Default 5. */
  commands: number;
  /** The window, in seconds. Default 10. */
  perSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { commands: 5, perSeconds: 10 };

/** What a store builder gets: rate-limiter-flexible's own option names. */
export interface RateLimiterStoreOptions {
  points: number;
  duration: number;
  keyPrefix: string;
}

export interface RateLimiterOptions {
  /**
   * Builds the rate-limiter-flexible limiter that keeps the counters, e.g. a `RateLimiterRedis`.
   * Default: `RateLimiterMemory`, whose counters are forgotten when their window closes (memory
   * follows the users active in the last window; ids come from signed platform payloads, so a flood
   * of made-up ids is not possible).
   */
  store?: (options: RateLimiterStoreOptions) => RateLimiterAbstract;
  /**
   * Called when the store fails and no insurance answered. The command then runs (fails open): a
   * quote bot that refuses everyone while its store is down is worse than one briefly unlimited.
   */
  onStoreError?: (error: unknown) => void;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Keys of this limiter in a shared store: one prefix per purpose, as rate-limiter-flexible asks. */
export const RATE_LIMIT_KEY_PREFIX = "karpathy:commands";

const OK: RateDecision = { ok: true };

/**
 * rate-limiter-flexible, loaded when the first limiter is made: its CommonJS index requires every
 * store it supports (about 60 ms of a cold start), and the console and the CLI never limit anyone.
 */
const flexible = once(
  () => createRequire(import.meta.url)("rate-limiter-flexible") as typeof import("rate-limiter-flexible"),
);

export class RateLimiter {
  readonly limit: RateLimit;
  readonly #counters: RateLimiterAbstract;
  readonly #onStoreError: (error: unknown) => void;

  constructor(limit: RateLimit = DEFAULT_RATE_LIMIT, options: RateLimiterOptions = {}) {
    if (!(Number.isInteger(limit.commands) && limit.commands >= 1))
      throw new RangeError(`RateLimiter: commands must be a whole number ≥ 1, got ${limit.commands}`);
    if (!(Number.isInteger(limit.perSeconds) && limit.perSeconds >= 1))
      throw new RangeError(`RateLimiter: perSeconds must be a whole number ≥ 1, got ${limit.perSeconds}`);
    this.limit = { ...limit };
    const storeOptions = {
      points: limit.commands,
      duration: limit.perSeconds,
      keyPrefix: RATE_LIMIT_KEY_PREFIX,
    };
    this.#counters = (options.store ?? ((o) => new (flexible().RateLimiterMemory)(o)))(storeOptions);
    this.#onStoreError = options.onStoreError ?? (() => {});
  }

  /** Counts one command for `userId`, or says how long until the window closes. */
  async take(userId: string): Promise<RateDecision> {
    try {
      await this.#counters.consume(userId);
      return OK;
    } catch (refusal) {
      // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, an Error when the store failed.
      if (refusal instanceof flexible().RateLimiterRes)
        return { ok: false, retryAfterSeconds: Math.max(0, refusal.msBeforeNext) / 1000 };
      this.#onStoreError(refusal);
      return OK;
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
export async function overLimit({ limiter, user }: CommandContext): Promise<Reply | undefined> {
  if (!limiter || !user) return undefined;
  const decision = await limiter.take(user.id);
  return decision.ok ? undefined : slowDown(limiter.limit, decision.retryAfterSeconds);
}
