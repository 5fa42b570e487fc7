import { poolOf } from "../../src/daily/pool.js";
import { DAILY_GROUP, dailyWhere, isReply, statusDocument } from "../daily.js";
import { MESSAGES } from "../messages.js";
import { source, time, timeZone, words } from "../options.js";
import { declare, type Reply } from "../types.js";

export default declare({
  name: "on",
  group: DAILY_GROUP,
  description: "Post a quote here every day at a time (HH:MM) in a time zone",
  order: 40,
  surfaces: ["discord", "slack"],
  // Discord: members who can manage the channel. Slack has no such bit: anyone in the channel may,
  // and the status names who did (README, "Quote of the day").
  permissions: ["manageChannel"],
  options: {
    time: {
      ...time({ description: "When to post, HH:MM on a 24-hour clock", required: true }),
      positional: true,
    },
    timezone: {
      ...timeZone({ description: "The time zone of that time, e.g. Europe/Berlin", required: true }),
      positional: true,
    },
    source: source({ description: "Only quotes from this source" }),
    topic: {
      ...words({ description: "Only quotes about this (words)", required: false, maxLength: 100 }),
      positional: false,
    },
  },
  async execute({ time, timezone, source, topic }, context): Promise<Reply> {
    const where = dailyWhere(context);
    if (isReply(where)) return where;
    const sourceId = source as string | undefined;
    // Checked now, not at the first post: the engine throws for an unknown source (a coded error).
    const pool = poolOf(context.engine, { sourceId, topic });
    if (!pool.length) return { kind: "invalid", message: MESSAGES.dailyNoTopic(topic ?? "") };
    const user = context.user;
    const status = await where.daily.on(where.place, {
      time: time as string,
      timeZone: timezone as string,
      sourceId,
      topic,
      createdBy: user ? `${user.name} (${user.id})` : "unknown",
    });
    return statusDocument("Quote of the day is on for this channel", status);
  },
});
