import { hostname } from "node:os";
import { encodeState, newPreviewId, toRef } from "../../commands/state.js";
import type { Reply } from "../../commands/types.js";
import type { QuoteEngine } from "../core/engine.js";
import type { Logger } from "../log.js";
import {
  activeSubscriptions,
  type Channel,
  claimDailyPost,
  type Database,
  deferDailyPost,
  pauseSubscription,
  postCounts,
  postedOn,
  recordDailyPost,
  type Subscription,
} from "../store/index.js";
import { poolOf } from "./pool.js";
import { dailyKey, pickDaily } from "./select.js";
import { postOfDay } from "./time.js";

/** A quote of the day as a platform posts it. */
export type DailyReply = Extract<Reply, { kind: "daily" }>;

/** What a platform says to a post. */
export type PostOutcome =
  | { ok: true; messageId: string }
  /** The channel is gone or closed to the bot: the subscription pauses with `reason`. */
  | { ok: false; pause: string }
  /** A passing failure (rate limit, outage): retried after `retryAfterMs` or the scheduler's default. */
  | { ok: false; retry: string; retryAfterMs?: number | undefined };

/** Posts to one platform's channels (src/adapters/*\/daily.ts): it only translates. */
export interface DailyPoster {
  platform: Channel["platform"];
  /**
   * Posts `reply` in the channel. `nonce` is the same for every attempt at one channel's post of one
   * day, for platforms that can drop a repeated send (Discord's `enforce_nonce`). Never throws for a
   * platform's answer; a throw counts as a passing failure.
   */
  post(channel: Channel, reply: DailyReply, nonce: string): Promise<PostOutcome>;
}

export interface SchedulerOptions {
  store: Database;
  engine: QuoteEngine;
  posters: readonly DailyPoster[];
  log: Logger;
  /** The clock, ms since the epoch. Default `Date.now`; tests set it. */
  now?: () => number;
  /** How often to look for due posts. Default 10 s: a post goes out within ten seconds of its minute. */
  tickMs?: number;
  /**
   * How long a claim holds before another instance may take the post over (its claimer died). Must
   * exceed a post's timeout plus recording it. Default 2 min.
   */
  leaseMs?: number;
  /** Wait before retrying a failed post when the platform gave no Retry-After. Default 1 min. */
  retryMs?: number;
  /** Posts made at once. Default 8. */
  concurrency?: number;
  /** This instance's name in claims. Default host, pid and a random suffix. */
  claimant?: string;
}

export interface TickReport {
  /** Subscriptions whose post was due and not yet recorded. */
  due: number;
  posted: number;
  paused: number;
  /** Posts that failed and will be retried (by this or another instance). */
  deferred: number;
  /** Due posts another instance holds (or was faster to claim). */
  elsewhere: number;
}

const DEFAULTS = { tickMs: 10_000, leaseMs: 120_000, retryMs: 60_000, concurrency: 8 } as const;
/** Recording a post that went out is retried this often (a blip must not make another instance repost). */
const RECORD_ATTEMPTS = 5;
const RECORD_RETRY_MS = 1000;

/**
 * Posts each channel's quote of the day. Every instance runs one on the same database: a post is
 * claimed per subscription and day (with a lease), so of N instances exactly one posts, and the
 * message id is recorded; a claimer that dies leaves its lease to run out and another instance posts.
 * A database that is down makes a tick fail and log; the next tick tries again.
 */
export class DailyScheduler {
  readonly #o: Required<SchedulerOptions>;
  readonly #posters: Map<Channel["platform"], DailyPoster>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#o = {
      now: Date.now,
      ...DEFAULTS,
      claimant: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
      ...options,
    };
    this.#posters = new Map(options.posters.map((p) => [p.platform, p]));
  }

  /** Ticks now and then every `tickMs` until `stop()`. */
  start(): this {
    this.#stopped = false;
    const loop = () => {
      if (this.#stopped) return;
      this.#running = this.tick()
        .catch((error: unknown) =>
          this.#o.log.warn({ err: error }, "daily: tick failed (database unavailable?); retrying"),
        )
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(loop, this.#o.tickMs).unref();
        });
    };
    loop();
    return this;
  }

  /** Stops ticking and waits for the tick under way (its posts finish and are recorded). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: posts whatever is due now and not yet posted. Rejects only when the database is down. */
  async tick(): Promise<TickReport> {
    const now = this.#o.now();
    const report: TickReport = { due: 0, posted: 0, paused: 0, deferred: 0, elsewhere: 0 };
    const subscriptions = await activeSubscriptions(this.#o.store, [...this.#posters.keys()]);
    const candidates = subscriptions.flatMap((s) => {
      const { day, due, counts } = postOfDay(s, now);
      // Not yet, or turned on after today's minute had passed: the first post is the next day's.
      return counts && due.getTime() <= now ? [{ s, day }] : [];
    });
    if (!candidates.length) return report;
    const done = await postedOn(this.#o.store, [...new Set(candidates.map((c) => c.day))]);
    const due = candidates.filter(({ s, day }) => !done.has(`${s.id}/${day}`));
    report.due = due.length;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < due.length; i = next++) {
        const item = due[i] as (typeof due)[number];
        try {
          report[await this.#postOne(item.s, item.day)] += 1;
        } catch (error) {
          report.deferred += 1;
          this.#o.log.warn({ err: error, subscription: item.s.id }, "daily: post failed; will retry");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#o.concurrency, due.length) }, worker));
    return report;
  }

  async #postOne(s: Subscription, day: string): Promise<"posted" | "paused" | "deferred" | "elsewhere"> {
    const { store, engine, log, leaseMs, claimant } = this.#o;
    const claim = { subscriptionId: s.id, day, claimant, leaseMs };
    if (!(await claimDailyPost(store, claim))) return "elsewhere";
    const where = { subscription: s.id, platform: s.platform, channel: s.channelId, day };

    const pool = poolOf(engine, s);
    const quoteId = pickDaily(pool, await postCounts(store, s), dailyKey(s, day));
    const result = quoteId ? engine.get(quoteId) : undefined;
    if (!result) {
      const reason = s.topic ? `nothing in the corpus matches the topic "${s.topic}"` : "the pool is empty";
      await pauseSubscription(store, s.id, reason);
      log.warn({ ...where, reason }, "daily: paused");
      return "paused";
    }
    // Subscriptions are listed for this scheduler's platforms only: there is a poster.
    const poster = this.#posters.get(s.platform) as DailyPoster;
    const reply: DailyReply = {
      kind: "daily",
      result,
      state: encodeState(engine, {
        refs: [toRef(engine, result.id)],
        index: 0,
        id: newPreviewId(this.#o.now()),
      }),
    };
    let outcome: PostOutcome;
    try {
      outcome = await poster.post(s, reply, `${s.id}:${day}`);
    } catch (error) {
      outcome = { ok: false, retry: String(error) };
    }
    if (outcome.ok) {
      await this.#record({ ...claim, quoteId: result.id, messageId: outcome.messageId }, where);
      log.info({ ...where, quote: result.id, message: outcome.messageId }, "daily: posted");
      return "posted";
    }
    if ("pause" in outcome) {
      await pauseSubscription(store, s.id, outcome.pause);
      log.warn({ ...where, reason: outcome.pause }, "daily: paused");
      return "paused";
    }
    const waitMs = Math.max(1, Math.round(outcome.retryAfterMs ?? this.#o.retryMs));
    await deferDailyPost(store, claim, waitMs);
    log.warn({ ...where, reason: outcome.retry, retryInMs: waitMs }, "daily: post failed; will retry");
    return "deferred";
  }

  /** Records a post that went out, retrying a database blip: unrecorded, another instance would repost. */
  async #record(post: Parameters<typeof recordDailyPost>[1], where: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await recordDailyPost(this.#o.store, post)))
          this.#o.log.error(where, "daily: the lease ran out before the post was recorded; it may repeat");
        return;
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS * attempt));
      }
    }
  }
}
