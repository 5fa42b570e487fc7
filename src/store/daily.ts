import { checkTtl } from "./claims.js";
import type { Database, Queryable } from "./database.js";

/** A calendar day in the subscription's time zone, `YYYY-MM-DD`. */
export type Day = string;

export interface DailyClaim {
  subscriptionId: number;
  day: Day;
  /** Who claims: an id unique to this instance (e.g. host name and pid). */
  claimant: string;
  /** How long the claim holds without a recorded post before another instance may take it. */
  leaseMs: number;
}

/**
 * Claims a subscription's post for one day. True for one instance only: the first to insert the
 * (subscription, day) row, or one that finds an expired lease with nothing posted (its claimer
 * died or failed between claim and post). False once the post is recorded.
 */
export async function claimDailyPost(db: Queryable, c: DailyClaim): Promise<boolean> {
  checkTtl(c.leaseMs);
  const rows = await db.query(
    `INSERT INTO daily_posts (subscription_id, day, claimed_by, lease_until)
     VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')
     ON CONFLICT (subscription_id, day) DO UPDATE
       SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until
       WHERE daily_posts.message_id IS NULL AND daily_posts.lease_until <= clock_timestamp()
     RETURNING subscription_id`,
    [c.subscriptionId, c.day, c.claimant, c.leaseMs],
  );
  return rows.length === 1;
}

export interface DailyPost {
  subscriptionId: number;
  day: Day;
  claimant: string;
  quoteId: string;
  /** The platform's id of the posted message. */
  messageId: string;
}

/**
 * Records a post made under a claim, and the quote as used in that channel, in one transaction.
 * False (nothing recorded) when the claim is no longer the claimant's: its lease ran out and
 * another instance took it.
 */
export async function recordDailyPost(db: Database, p: DailyPost): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ platform: string; workspace_id: string; channel_id: string }>(
      `UPDATE daily_posts d SET quote_id = $4, message_id = $5, posted_at = now()
       FROM daily_subscriptions s
       WHERE d.subscription_id = $1 AND d.day = $2 AND d.claimed_by = $3 AND d.message_id IS NULL
         AND s.id = d.subscription_id
       RETURNING s.platform, s.workspace_id, s.channel_id`,
      [p.subscriptionId, p.day, p.claimant, p.quoteId, p.messageId],
    );
    const channel = rows[0];
    if (!channel) return false;
    await tx.query(
      `INSERT INTO posted_quotes (platform, workspace_id, channel_id, quote_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, workspace_id, channel_id, quote_id)
         DO UPDATE SET times = posted_quotes.times + 1, posted_at = now()`,
      [channel.platform, channel.workspace_id, channel.channel_id, p.quoteId],
    );
    return true;
  });
}

/**
 * Holds a claimed post back for `ms` (a failed post to retry later): the lease is moved to then, so
 * no instance, this one included, takes it before. Nothing happens if the claim is no longer ours.
 */
export async function deferDailyPost(
  db: Queryable,
  c: Pick<DailyClaim, "subscriptionId" | "day" | "claimant">,
  ms: number,
): Promise<void> {
  checkTtl(ms);
  await db.query(
    `UPDATE daily_posts SET lease_until = clock_timestamp() + $4 * interval '1 millisecond'
     WHERE subscription_id = $1 AND day = $2 AND claimed_by = $3 AND message_id IS NULL`,
    [c.subscriptionId, c.day, c.claimant, ms],
  );
}

/** The (subscription, day) pairs already posted among `days`: what a scheduler's tick can skip. */
export async function postedOn(db: Queryable, days: readonly Day[]): Promise<Set<string>> {
  if (!days.length) return new Set();
  const rows = await db.query<{ subscription_id: number; day: string }>(
    `SELECT subscription_id, day FROM daily_posts WHERE day = ANY($1::date[]) AND message_id IS NOT NULL`,
    [days],
  );
  return new Set(rows.map((r) => `${r.subscription_id}/${r.day}`));
}
