import type { Queryable } from "./database.js";

/** A chat channel, as every table keys it: the platform, its workspace (Discord guild, Slack team), the channel. */
export interface Channel {
  platform: "discord" | "slack";
  workspaceId: string;
  channelId: string;
}

/** What `daily on` sets for a channel. */
export interface SubscriptionSettings {
  /** `HH:MM`, 24-hour, in `timeZone`. */
  time: string;
  /** An IANA zone name (`Europe/Berlin`). */
  timeZone: string;
  sourceId?: string | undefined;
  topic?: string | undefined;
  /** Who turned it on (a platform user id; shown in the status). */
  createdBy: string;
}

export interface Subscription extends Channel, SubscriptionSettings {
  id: number;
  /** Why it stopped posting (the channel is gone, the bot was removed); undefined while it posts. */
  pausedReason?: string | undefined;
  /** When it was (last) turned on: the first post is the first whose time comes after it. */
  activeFrom: Date;
}

export interface LastPost {
  day: string;
  quoteId: string;
  messageId: string;
  postedAt: Date;
}

interface Row {
  id: number;
  platform: "discord" | "slack";
  workspace_id: string;
  channel_id: string;
  post_time: string;
  time_zone: string;
  source_id: string | null;
  topic: string | null;
  created_by: string;
  paused_reason: string | null;
  active_from: Date | string;
}

const COLUMNS =
  "id, platform, workspace_id, channel_id, post_time, time_zone, source_id, topic, created_by, paused_reason, active_from";

function fromRow(r: Row): Subscription {
  return {
    id: r.id,
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    time: r.post_time,
    timeZone: r.time_zone,
    sourceId: r.source_id ?? undefined,
    topic: r.topic ?? undefined,
    createdBy: r.created_by,
    pausedReason: r.paused_reason ?? undefined,
    activeFrom: new Date(r.active_from),
  };
}

/**
 * Turns the channel's quote of the day on, or changes it: one subscription per channel, so a second
 * `on` replaces the settings (keeping its id and its posts) and clears a pause. `at` is the caller's
 * clock, so a test's clock decides which day is the first.
 */
export async function subscribe(
  db: Queryable,
  channel: Channel,
  settings: SubscriptionSettings,
  at: Date,
): Promise<Subscription> {
  const rows = await db.query<Row>(
    `INSERT INTO daily_subscriptions
       (platform, workspace_id, channel_id, post_time, time_zone, source_id, topic, created_by, active_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET
       post_time = excluded.post_time, time_zone = excluded.time_zone, source_id = excluded.source_id,
       topic = excluded.topic, created_by = excluded.created_by, active_from = excluded.active_from,
       paused_reason = NULL, updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      channel.platform,
      channel.workspaceId,
      channel.channelId,
      settings.time,
      settings.timeZone,
      settings.sourceId ?? null,
      settings.topic ?? null,
      settings.createdBy,
      at.toISOString(),
    ],
  );
  return fromRow(rows[0] as Row);
}

/** Turns it off; true when there was one. The channel's posted quotes are kept (no repeats after a later `on`). */
export async function unsubscribe(db: Queryable, channel: Channel): Promise<boolean> {
  const rows = await db.query(
    `DELETE FROM daily_subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3
     RETURNING id`,
    [channel.platform, channel.workspaceId, channel.channelId],
  );
  return rows.length > 0;
}

export async function getSubscription(db: Queryable, channel: Channel): Promise<Subscription | undefined> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM daily_subscriptions
     WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3`,
    [channel.platform, channel.workspaceId, channel.channelId],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Every subscription that is not paused, on the given platforms (what one instance can post to). */
export async function activeSubscriptions(
  db: Queryable,
  platforms: readonly Channel["platform"][],
): Promise<Subscription[]> {
  if (!platforms.length) return [];
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM daily_subscriptions
     WHERE paused_reason IS NULL AND platform = ANY($1::text[]) ORDER BY id`,
    [platforms],
  );
  return rows.map(fromRow);
}

/** Stops posting until the next `on`, saying why (shown in the status). */
export async function pauseSubscription(db: Queryable, id: number, reason: string): Promise<void> {
  await db.query("UPDATE daily_subscriptions SET paused_reason = $2, updated_at = now() WHERE id = $1", [
    id,
    reason,
  ]);
}

/** The subscription's most recent recorded post. */
export async function lastPost(db: Queryable, subscriptionId: number): Promise<LastPost | undefined> {
  const rows = await db.query<{
    day: string;
    quote_id: string;
    message_id: string;
    posted_at: Date | string;
  }>(
    `SELECT day, quote_id, message_id, posted_at FROM daily_posts
     WHERE subscription_id = $1 AND message_id IS NOT NULL ORDER BY day DESC LIMIT 1`,
    [subscriptionId],
  );
  const r = rows[0];
  return r
    ? { day: r.day, quoteId: r.quote_id, messageId: r.message_id, postedAt: new Date(r.posted_at) }
    : undefined;
}

/** True when the subscription's post for `day` is recorded (nothing left to do that day). */
export async function isPosted(db: Queryable, subscriptionId: number, day: string): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM daily_posts WHERE subscription_id = $1 AND day = $2 AND message_id IS NOT NULL",
    [subscriptionId, day],
  );
  return rows.length > 0;
}

/** How often each quote has been posted in the channel (quotes never posted are absent). */
export async function postCounts(db: Queryable, channel: Channel): Promise<Map<string, number>> {
  const rows = await db.query<{ quote_id: string; times: number }>(
    `SELECT quote_id, times FROM posted_quotes WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3`,
    [channel.platform, channel.workspaceId, channel.channelId],
  );
  return new Map(rows.map((r) => [r.quote_id, Number(r.times)]));
}
