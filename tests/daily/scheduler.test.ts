/**
 * The scheduler against both databases, posting through the real Discord REST and Slack Web API
 * clients to loopback stand-ins, with a clock the test sets: the minute a post goes out, DST and day
 * boundaries, three instances racing, a claimer that stalls, and the faults that pause or delay.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { discordPoster } from "../../src/adapters/discord/daily.js";
import { slackPoster } from "../../src/adapters/slack/daily.js";
import { DailyScheduler, type SchedulerOptions } from "../../src/daily/scheduler.js";
import {
  type Channel,
  getSubscription,
  openStore,
  type Store,
  type SubscriptionSettings,
  subscribe,
} from "../../src/store/index.js";
import { engine, silentLog } from "../adapters/discord/fixtures.js";
import { DATABASES, type Fresh, sleep } from "../store/databases.js";
import { fakeDiscordApi, fakeSlackWebApi, type StandIn } from "./standins.js";

const SETUP_MS = 60_000;
const TOKEN = `Bot.${"x".repeat(60)}`;
let counter = 0;
const slackChannel = (): Channel => ({ platform: "slack", workspaceId: "T1", channelId: `C${++counter}` });
const discordChannel = (): Channel => ({
  platform: "discord",
  workspaceId: "333333333333333333",
  channelId: String(500_000_000_000_000_000n + BigInt(++counter)),
});

describe.each(DATABASES)("the daily scheduler on the $name", ({ fresh }) => {
  let db: Fresh;
  let store: Store;
  let discord: StandIn;
  let slack: StandIn & { joined: string[] };
  let clock = 0;
  const schedulers: DailyScheduler[] = [];
  const posters = () => {
    const d = discordPoster({ token: TOKEN, apiUrl: discord.url });
    return [d, slackPoster({ botToken: "xoxb-test", apiUrl: slack.url })];
  };
  const scheduler = (options: Partial<SchedulerOptions> = {}) => {
    const s = new DailyScheduler({
      store,
      engine,
      posters: posters(),
      log: silentLog(),
      now: () => clock,
      ...options,
    });
    schedulers.push(s);
    return s;
  };
  /** Subscribes a new channel at the current clock. */
  const on = async (channel: Channel, settings: Partial<SubscriptionSettings> = {}) =>
    subscribe(
      store,
      channel,
      { time: "09:30", timeZone: "Europe/Berlin", createdBy: "U1", ...settings },
      new Date(clock),
    );
  const postsTo = (api: StandIn, channel: Channel) =>
    api.posts.filter((p) => p.channel === channel.channelId);

  beforeAll(async () => {
    db = await fresh();
    store = await openStore(db.options);
    [discord, slack] = await Promise.all([fakeDiscordApi(), fakeSlackWebApi()]);
  }, SETUP_MS);
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    // Each test's channels only: the next test's clock would make them due again.
    await store.query("DELETE FROM daily_subscriptions");
  });
  afterAll(async () => {
    await Promise.all([discord?.close(), slack?.close()]);
    await store?.close();
    await db?.drop();
  });

  it("posts at the channel's minute, once, and again the next day with another quote", async () => {
    clock = Date.parse("2026-12-03T06:00:00Z");
    const c = slackChannel();
    await on(c);
    const s = scheduler();
    clock = Date.parse("2026-12-03T08:29:59Z"); // 09:29:59 in Berlin
    expect((await s.tick()).posted).toBe(0);
    clock = Date.parse("2026-12-03T08:30:00Z");
    expect((await s.tick()).posted).toBe(1);
    clock += 30_000;
    expect(await s.tick()).toMatchObject({ due: 0, posted: 0 });
    clock = Date.parse("2026-12-04T08:30:05Z");
    expect((await s.tick()).posted).toBe(1);
    const [first, second] = postsTo(slack, c);
    expect(first?.body.text).toMatch(/— Andrej Karpathy/u);
    expect(first?.body.text).not.toBe(second?.body.text);
  });

  it("posts a time that spring-forward skips at the next minute that exists (02:30 → 03:00 in Berlin)", async () => {
    clock = Date.parse("2026-03-28T12:00:00Z");
    const c = slackChannel();
    await on(c, { time: "02:30" });
    const s = scheduler();
    clock = Date.parse("2026-03-29T00:59:59Z"); // 01:59:59 CET; the clock then jumps to 03:00 CEST
    expect((await s.tick()).posted).toBe(0);
    clock = Date.parse("2026-03-29T01:00:00Z"); // 03:00 CEST
    expect((await s.tick()).posted).toBe(1);
    expect(postsTo(slack, c)).toHaveLength(1);
  });

  it("posts a time the fall-back hour repeats once, at its first occurrence", async () => {
    clock = Date.parse("2026-10-24T12:00:00Z");
    const c = discordChannel();
    await on(c, { time: "02:30" });
    const s = scheduler();
    clock = Date.parse("2026-10-25T00:30:00Z"); // 02:30 CEST, the first time
    expect((await s.tick()).posted).toBe(1);
    clock = Date.parse("2026-10-25T01:30:00Z"); // 02:30 CET, the second time
    expect((await s.tick()).posted).toBe(0);
    expect(postsTo(discord, c)).toHaveLength(1);
  });

  it("keeps each channel's own calendar day across the UTC date line", async () => {
    clock = Date.parse("2026-12-02T00:00:00Z");
    const la = slackChannel();
    const kiritimati = slackChannel();
    await on(la, { time: "23:59", timeZone: "America/Los_Angeles" });
    await on(kiritimati, { time: "00:01", timeZone: "Pacific/Kiritimati" }); // UTC+14
    const s = scheduler();
    clock = Date.parse("2026-12-03T07:59:00Z"); // 23:59 on Dec 2 in LA; 21:59 on Dec 3 in Kiritimati
    expect((await s.tick()).posted).toBe(2); // LA's Dec 2 post, Kiritimati's Dec 3 post (due 10:01 UTC Dec 2)
    clock = Date.parse("2026-12-03T10:01:00Z"); // 00:01 on Dec 4 in Kiritimati
    expect((await s.tick()).posted).toBe(1);
    expect([postsTo(slack, la).length, postsTo(slack, kiritimati).length]).toEqual([1, 2]);
  });

  it("posts at once when turned on during its own minute (09:30:20 for 09:30)", async () => {
    clock = Date.parse("2026-12-10T08:30:20Z");
    const c = slackChannel();
    await on(c);
    expect((await scheduler().tick()).posted).toBe(1);
  });

  it("does not post today when turned on after today's time", async () => {
    clock = Date.parse("2026-12-03T09:00:00Z"); // 10:00 in Berlin, past 09:30
    const c = slackChannel();
    await on(c);
    const s = scheduler();
    expect((await s.tick()).posted).toBe(0);
    clock = Date.parse("2026-12-04T08:30:00Z");
    expect((await s.tick()).posted).toBe(1);
  });

  it("posts once when three schedulers on one database race for the same twenty channels", async () => {
    clock = Date.parse("2026-12-05T06:00:00Z");
    const channels = Array.from({ length: 20 }, (_, i) => (i % 2 ? slackChannel() : discordChannel()));
    for (const c of channels) await on(c);
    clock = Date.parse("2026-12-05T08:30:00Z");
    const stores = await Promise.all([openStore(db.options), openStore(db.options)]);
    try {
      const racers = [store, ...stores].map((st) => scheduler({ store: st }));
      const reports = await Promise.all(racers.map((r) => r.tick()));
      expect(reports.reduce((n, r) => n + r.posted, 0)).toBe(20);
      for (const c of channels)
        expect(postsTo(c.platform === "slack" ? slack : discord, c), c.channelId).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  });

  it("recovers a post whose claimer stalled between claim and post, once its lease runs out", async () => {
    clock = Date.parse("2026-12-06T06:00:00Z");
    const c = slackChannel();
    await on(c);
    clock = Date.parse("2026-12-06T08:30:00Z");
    // The first instance claims, then its post never gets through (a server that never answers).
    const stalled = await fakeSlackWebApi();
    stalled.behave(c.channelId, "hang");
    const crashed = new DailyScheduler({
      store,
      engine,
      posters: [slackPoster({ botToken: "xoxb-test", apiUrl: stalled.url, timeoutMs: 30_000 })],
      log: silentLog(),
      now: () => clock,
      leaseMs: 500,
    });
    const abandoned = crashed.tick();
    for (let i = 0; i < 100 && stalled.requests.length === 0; i++) await sleep(20);
    const survivor = scheduler({ leaseMs: 500 });
    expect((await survivor.tick()).elsewhere).toBe(1); // its lease still holds
    await sleep(600);
    expect((await survivor.tick()).posted).toBe(1);
    expect(postsTo(slack, c)).toHaveLength(1);
    await stalled.close(); // the stalled request fails now; its claim is no longer its own
    await abandoned.catch(() => {});
    expect((await survivor.tick()).due).toBe(0);
  });

  it("pauses a channel Slack no longer has (channel_not_found) and one Discord answers 10003", async () => {
    clock = Date.parse("2026-12-07T06:00:00Z");
    const s1 = slackChannel();
    const d1 = discordChannel();
    slack.behave(s1.channelId, "gone");
    discord.behave(d1.channelId, "gone");
    await on(s1);
    await on(d1);
    clock = Date.parse("2026-12-07T08:30:00Z");
    expect((await scheduler().tick()).paused).toBe(2);
    expect((await getSubscription(store, s1))?.pausedReason).toMatch(/channel_not_found/u);
    expect((await getSubscription(store, d1))?.pausedReason).toMatch(/Unknown Channel/u);
    clock += 60_000;
    expect((await scheduler().tick()).due).toBe(0); // paused: no more attempts
  });

  it("joins a public Slack channel it is not in (not_in_channel), then posts", async () => {
    clock = Date.parse("2026-12-08T06:00:00Z");
    const c = slackChannel();
    slack.behave(c.channelId, "not-in-channel");
    await on(c);
    clock = Date.parse("2026-12-08T08:30:00Z");
    expect((await scheduler().tick()).posted).toBe(1);
    expect(slack.joined).toContain(c.channelId);
    expect(postsTo(slack, c)).toHaveLength(1);
  });

  it("honours Retry-After on a 429 from either platform, for every instance, then posts once", async () => {
    clock = Date.parse("2026-12-09T06:00:00Z");
    const s1 = slackChannel();
    const d1 = discordChannel();
    slack.behave(s1.channelId, { rateLimited: 1 });
    discord.behave(d1.channelId, { rateLimited: 1 });
    await on(s1);
    await on(d1);
    clock = Date.parse("2026-12-09T08:30:00Z");
    const a = scheduler();
    const b = scheduler();
    expect((await a.tick()).deferred).toBe(2);
    expect((await b.tick()).elsewhere).toBe(2); // held for the Retry-After second, also for b
    await sleep(1300);
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ra.posted + rb.posted).toBe(2);
    expect([postsTo(slack, s1).length, postsTo(discord, d1).length]).toEqual([1, 1]);
  });
});

describe("the daily scheduler with its database down", () => {
  it("fails the tick, logs, and keeps running (the next tick tries again)", async () => {
    const down = {
      kind: "postgres" as const,
      query: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")),
      exec: () => Promise.reject(new Error("down")),
      transaction: () => Promise.reject(new Error("down")),
      ping: () => Promise.reject(new Error("down")),
      close: async () => {},
    };
    const warnings: string[] = [];
    const log = silentLog();
    log.warn = ((_obj: unknown, msg: string) => void warnings.push(msg)) as typeof log.warn;
    const s = new DailyScheduler({
      store: down,
      engine,
      posters: [slackPoster({ botToken: "xoxb-t" })],
      log,
      tickMs: 20,
    });
    await expect(s.tick()).rejects.toThrow(/ECONNREFUSED/u);
    s.start();
    await sleep(120);
    await s.stop();
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatch(/retrying/u);
  });
});
