import { describe, expect, it } from "vitest";
import {
  activeSubscriptions,
  type Channel,
  claimDailyPost,
  getSubscription,
  lastPost,
  pauseSubscription,
  postCounts,
  recordDailyPost,
  subscribe,
  unsubscribe,
} from "../../src/store/index.js";
import { DATABASES, useStore } from "./databases.js";

let n = 0;
const channel = (platform: Channel["platform"] = "slack"): Channel => ({
  platform,
  workspaceId: "T1",
  channelId: `C${++n}`,
});
const settings = { time: "09:30", timeZone: "Europe/Berlin", createdBy: "U1" };
const at = new Date("2026-12-03T08:00:00Z");

describe.each(DATABASES)("daily subscriptions on the $name", ({ fresh }) => {
  const store = useStore(fresh);

  it("keep one subscription per channel: a second `on` changes it and keeps its id", async () => {
    const c = channel();
    const first = await subscribe(store(), c, settings, at);
    const second = await subscribe(store(), c, { ...settings, time: "07:05", topic: "agents" }, at);
    expect(second.id).toBe(first.id);
    expect(await getSubscription(store(), c)).toEqual({
      ...c,
      ...settings,
      id: first.id,
      time: "07:05",
      topic: "agents",
      sourceId: undefined,
      pausedReason: undefined,
      activeFrom: at,
    });
  });

  it("pause with a reason until the next `on`, and leave the active list meanwhile", async () => {
    const c = channel("discord");
    const sub = await subscribe(store(), c, settings, at);
    await pauseSubscription(store(), sub.id, "the channel no longer exists");
    expect((await getSubscription(store(), c))?.pausedReason).toBe("the channel no longer exists");
    expect((await activeSubscriptions(store(), ["discord"])).map((s) => s.id)).not.toContain(sub.id);
    await subscribe(store(), c, settings, at);
    expect((await getSubscription(store(), c))?.pausedReason).toBeUndefined();
    expect((await activeSubscriptions(store(), ["discord"])).map((s) => s.id)).toContain(sub.id);
    // An instance that runs only Slack does not see Discord's.
    expect((await activeSubscriptions(store(), ["slack"])).map((s) => s.id)).not.toContain(sub.id);
  });

  it("turn off, and keep the channel's posted quotes so a later `on` does not repeat them", async () => {
    const c = channel();
    const sub = await subscribe(store(), c, settings, at);
    const claim = { subscriptionId: sub.id, day: "2026-12-03", claimant: "i1", leaseMs: 60_000 };
    expect(await claimDailyPost(store(), claim)).toBe(true);
    expect(await recordDailyPost(store(), { ...claim, quoteId: "q1", messageId: "m1" })).toBe(true);
    expect(await lastPost(store(), sub.id)).toMatchObject({
      day: "2026-12-03",
      quoteId: "q1",
      messageId: "m1",
    });
    expect(await unsubscribe(store(), c)).toBe(true);
    expect(await unsubscribe(store(), c)).toBe(false);
    expect(await getSubscription(store(), c)).toBeUndefined();
    expect(await postCounts(store(), c)).toEqual(new Map([["q1", 1]]));
  });

  it("count each time a quote is posted again in a channel (the second round of its pool)", async () => {
    const c = channel();
    const sub = await subscribe(store(), c, settings, at);
    for (const day of ["2026-12-03", "2026-12-04"]) {
      const claim = { subscriptionId: sub.id, day, claimant: "i1", leaseMs: 60_000 };
      expect(await claimDailyPost(store(), claim)).toBe(true);
      expect(await recordDailyPost(store(), { ...claim, quoteId: "q1", messageId: `m-${day}` })).toBe(true);
    }
    expect(await postCounts(store(), c)).toEqual(new Map([["q1", 2]]));
  });
});
