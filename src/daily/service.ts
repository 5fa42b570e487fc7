import type { DailyPlace, DailyService, DailySettings, DailyStatus } from "../../commands/types.js";
import type { QuoteEngine } from "../core/engine.js";
import {
  type Database,
  getSubscription,
  isPosted,
  lastPost,
  type Subscription,
  subscribe,
  unsubscribe,
} from "../store/index.js";
import { dueAt, nextDay, postOfDay } from "./time.js";

/** The `daily` commands' view of the store: subscriptions with their last and next post. */
export function dailyService(
  store: Database,
  engine: QuoteEngine,
  now: () => number = Date.now,
): DailyService {
  const statusOf = async (s: Subscription): Promise<DailyStatus> => {
    const last = await lastPost(store, s.id);
    return {
      time: s.time,
      timeZone: s.timeZone,
      sourceId: s.sourceId,
      topic: s.topic,
      createdBy: s.createdBy,
      pausedReason: s.pausedReason,
      lastPost: last
        ? { day: last.day, quote: engine.get(last.quoteId), postedAt: last.postedAt }
        : undefined,
      nextPost: s.pausedReason ? undefined : await nextPost(store, s, now()),
    };
  };
  return {
    async on(place: DailyPlace, settings: DailySettings) {
      return statusOf(await subscribe(store, place, settings, new Date(now())));
    },
    off: (place) => unsubscribe(store, place),
    async status(place) {
      const s = await getSubscription(store, place);
      return s ? statusOf(s) : undefined;
    },
  };
}

/** Today's time if it is still to come (or due and not yet posted), else tomorrow's. */
async function nextPost(store: Database, s: Subscription, at: number): Promise<Date> {
  const { day, due, counts } = postOfDay(s, at);
  if (counts && (due.getTime() > at || !(await isPosted(store, s.id, day)))) return due;
  return dueAt(nextDay(day), s.time, s.timeZone);
}
