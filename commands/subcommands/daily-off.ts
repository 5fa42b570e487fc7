import { DAILY_GROUP, dailyWhere, isReply } from "../daily.js";
import { MESSAGES } from "../messages.js";
import { declare, type Reply } from "../types.js";

export default declare({
  name: "off",
  group: DAILY_GROUP,
  description: "Stop the quote of the day in this channel",
  order: 41,
  surfaces: ["discord", "slack"],
  permissions: ["manageChannel"],
  options: {},
  async execute(_input, context): Promise<Reply> {
    const where = dailyWhere(context);
    if (isReply(where)) return where;
    const was = await where.daily.off(where.place);
    return { kind: "invalid", message: was ? MESSAGES.dailyOff : MESSAGES.dailyNotOn };
  },
});
