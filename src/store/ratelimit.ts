/**
 * The per-user rate limit's counters: in memory by default, in Redis with `REDIS_URL` so that every
 * instance behind a load balancer counts against one budget per user.
 *
 * Client: ioredis, not `redis` (node-redis). It is rate-limiter-flexible's default and the client its
 * Redis limiter is tested against first (it registers the atomic Lua increment as a command of its
 * own); it connects and reconnects by itself with no `connect()` to await, and with its offline
 * queue off a command fails at once while Redis is away instead of piling up behind a reconnect.
 *
 * Redis outage: the limiter fails open to memory. rate-limiter-flexible's `insuranceLimiter` (a
 * `RateLimiterMemory` with the same limit) counts while Redis does not answer, so each instance
 * still limits its own users (the budget is per instance until Redis is back); no command is ever
 * refused because the store is down. A Redis that hangs costs at most `COMMAND_TIMEOUT_MS` a command.
 */
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { type RateLimit, RateLimiter } from "../../commands/ratelimit.js";
import type { Logger } from "../log.js";

/** One Redis command's budget: well inside Discord's 3 s to answer an interaction. */
export const COMMAND_TIMEOUT_MS = 500;
/** How long start-up waits for Redis before starting anyway (counting in memory until it answers). */
export const CONNECT_WAIT_MS = 3000;
/** An unreachable Redis is reported at most this often (ioredis reports every reconnect attempt). */
const WARN_EVERY_MS = 60_000;

export interface RateLimitStoreOptions {
  /** The limit; undefined = `RATE_LIMIT=off`, no limiter. */
  rateLimit?: RateLimit | undefined;
  /** `REDIS_URL`; undefined = counters in memory. */
  redisUrl?: string | undefined;
}

export interface OpenRateLimiter {
  limiter: RateLimiter | undefined;
  /** Where the counters live, for the start-up log. */
  store: "memory" | "redis" | "none";
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * The configured limiter. With Redis it waits up to `CONNECT_WAIT_MS` for the connection, so the
 * first commands are already shared, and never fails start-up for an unreachable Redis.
 * @example
 * const { limiter, close } = await openRateLimiter({ rateLimit: { commands: 5, perSeconds: 10 }, redisUrl }, log);
 */
export async function openRateLimiter(options: RateLimitStoreOptions, log: Logger): Promise<OpenRateLimiter> {
  const { rateLimit, redisUrl } = options;
  if (!rateLimit) return { limiter: undefined, store: "none", close: async () => {} };
  if (!redisUrl) return { limiter: new RateLimiter(rateLimit), store: "memory", close: async () => {} };

  const { Redis } = await import("ioredis");
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Back off to one attempt every 2 s while Redis is away; never give up.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let warnedAt = Number.NEGATIVE_INFINITY;
  const warn = (error: unknown, what: string) => {
    const now = Date.now();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    log.warn({ err: error }, `rate limit: ${what}; counting in memory per instance until Redis answers`);
  };
  client.on("error", (error) => warn(error, "Redis unreachable"));
  client.on("close", () => warn(undefined, "Redis connection lost"));
  client.on("ready", () => {
    if (warnedAt > Number.NEGATIVE_INFINITY) log.info("rate limit: Redis is back; counting shared again");
    warnedAt = Number.NEGATIVE_INFINITY;
  });

  const limiter = new RateLimiter(rateLimit, {
    store: (o) =>
      new RateLimiterRedis({ ...o, storeClient: client, insuranceLimiter: new RateLimiterMemory(o) }),
    onStoreError: (error) => warn(error, "Redis failed"),
  });
  await readyWithin(client, CONNECT_WAIT_MS);
  if (client.status !== "ready") warn(undefined, "Redis not reachable at start-up");
  else log.info({ limit: rateLimit }, "rate limit: counted in Redis, shared by every instance");
  return {
    limiter,
    store: "redis",
    close: async () => {
      client.removeAllListeners("ready").removeAllListeners("close");
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function readyWithin(client: { status: string; once(event: "ready", fn: () => void): unknown }, ms: number) {
  if (client.status === "ready") return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Awaits an adapter's start; if it fails, closes the limiter's Redis connection first, so a failed
 * start-up leaves no socket holding the process open.
 */
export async function closeIfFails<T>(rateLimit: OpenRateLimiter, start: Promise<T>): Promise<T> {
  try {
    return await start;
  } catch (error) {
    await rateLimit.close();
    throw error;
  }
}
