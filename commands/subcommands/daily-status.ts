import { poolOf } from "../../src/daily/pool.js";
import { dailyKey, pickDaily } from "../../src/daily/select.js";
import { localDay } from "../../src/daily/time.js";
import { DAILY_GROUP, dailyWhere, isReply, statusDocument } from "../daily.js";
import { MESSAGES } from "../messages.js";
import { encodeState, newPreviewId, toRef } from "../state.js";
import { declare, type Reply } from "../types.js";

export default declare({
  name: "status",
  group: DAILY_GROUP,
  description: "This channel's quote of the day: time, zone, last and next post (console: today's quote)",
  order: 42,
  surfaces: ["discord", "slack", "console"],
  options: {},
  async execute(_input, context): Promise<Reply> {
    const { engine } = context;
    // The console has no channel: it shows the quote a new channel would get today.
    if (context.surface === "console" || context.surface === undefined) {
      const now = (context.now ?? Date.now)();
      const place = { platform: "console", workspaceId: "local", channelId: "console" };
      const id = pickDaily(poolOf(engine, {}), new Map(), dailyKey(place, localDay(now, "UTC")));
      const result = id ? engine.get(id) : undefined;
      if (!result) return { kind: "invalid", message: MESSAGES.dailyNoTopic("") };
      const state = encodeState(engine, {
        refs: [toRef(engine, result.id)],
        index: 0,
        id: newPreviewId(now),
      });
      return { kind: "daily", result, state };
    }
    const where = dailyWhere(context);
    if (isReply(where)) return where;
    const status = await where.daily.status(where.place);
    if (!status) return { kind: "invalid", message: MESSAGES.dailyNotOn };
    return statusDocument("Quote of the day in this channel", status);
  },
});
