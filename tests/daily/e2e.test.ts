/**
 * Issue 12's end-to-end case. Instances run Discord and Slack both in HTTP mode (each on its own
 * port) on one database, post through DISCORD_API_URL / SLACK_API_URL to loopback stand-ins, and are
 * subscribed through signed requests: at the minute, each channel gets exactly one quote post with
 * its attribution; a restart keeps the subscriptions; `off` stops them; a channel the stand-in
 * answers channel_not_found (Slack) or 10003 Unknown Channel (Discord) shows as paused in the status.
 * Two instances share PostgreSQL (DATABASE_URL); one instance does the same on the embedded store.
 * The schedulers tick every 50 ms on a clock the test sets, so a "minute" takes milliseconds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordPoster } from "../../src/adapters/discord/daily.js";
import { startDiscord } from "../../src/adapters/discord/main.js";
import { slackPoster } from "../../src/adapters/slack/daily.js";
import { startSlack } from "../../src/adapters/slack/main.js";
import type { RunningAdapter } from "../../src/adapters/types.js";
import { loadConfig } from "../../src/config.js";
import { DailyScheduler } from "../../src/daily/scheduler.js";
import { dailyService } from "../../src/daily/service.js";
import { openStore, type Store } from "../../src/store/index.js";
import {
  bob,
  buttonPress,
  chatInput,
  engine,
  keyPair,
  signed,
  silentLog,
} from "../adapters/discord/fixtures.js";
import {
  loopback,
  post as postSlack,
  SIGNING_SECRET,
  buttonPress as slackButtonPress,
  slashCommand,
} from "../adapters/slack/harness.js";
import { DATABASES, type Fresh, sleep } from "../store/databases.js";
import { fakeDiscordApi, fakeSlackWebApi, type StandIn } from "./standins.js";

const SETUP_MS = 60_000;
const keys = keyPair();
const TOKEN = `MTA.${"x".repeat(60)}`;
const MANAGE_CHANNEL = String(1 << 4);

interface Instance {
  discordUrl: string;
  slackUrl: string;
  stop(): Promise<void>;
}

/** What a chat instance on this database runs: both endpoints, the daily service and the scheduler. */
async function startInstance(
  options: { dataDir: string; databaseUrl?: string | undefined },
  apis: { discord: StandIn; slack: StandIn },
  now: () => number,
): Promise<Instance> {
  const config = loadConfig({
    DISCORD_MODE: "http",
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_TOKEN: TOKEN,
    DISCORD_PORT: "0",
    DISCORD_API_URL: apis.discord.url,
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: "xoxb-e2e",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_PORT: "0",
    SLACK_API_URL: apis.slack.url,
    HOST: "127.0.0.1",
    DATA_DIR: options.dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const log = silentLog();
  if (!config.discord || !config.slack) throw new Error("both platforms should be configured");
  const store: Store = await openStore(config.store);
  const services = { store, daily: dailyService(store, engine, now) };
  const discord = (await startDiscord(engine, config.discord, log, services)) as RunningAdapter & {
    port: number;
  };
  const slack = await startSlack(engine, config.slack, log, services);
  const discordPost = discordPoster({ token: TOKEN, apiUrl: config.discord?.apiUrl });
  const scheduler = new DailyScheduler({
    store,
    engine,
    posters: [discordPost, slackPoster({ botToken: "xoxb-e2e", apiUrl: config.slack?.apiUrl })],
    log,
    now,
    tickMs: 50,
  }).start();
  return {
    discordUrl: `http://127.0.0.1:${discord.port}/interactions`,
    slackUrl: `http://127.0.0.1:${slack.port}`,
    async stop() {
      await Promise.all([discord.stop(), slack.stop(), scheduler.stop()]);
      discordPost.close();
      await store.close();
    },
  };
}

/** `/karpathy <text>` typed in a Slack channel, signed with the app's secret; the ack's text. */
async function slackSays(instance: Instance, channel: string, text: string): Promise<string> {
  const form = new URLSearchParams(slashCommand(text, "http://127.0.0.1:9/unused").body);
  form.set("channel_id", channel);
  const res = await postSlack(instance.slackUrl, {
    body: form.toString(),
    contentType: "application/x-www-form-urlencoded",
  });
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

/** `/karpathy daily <sub> …` in a Discord server channel, by a member who can manage it. */
async function discordSays(
  instance: Instance,
  channel: string,
  sub: string,
  options: Record<string, string> = {},
  permissions = MANAGE_CHANNEL,
): Promise<string> {
  const base = chatInput("help");
  const payload = {
    ...base,
    channel_id: channel,
    channel: { ...base.channel, id: channel },
    member: { ...base.member, permissions },
    data: {
      ...base.data,
      options: [
        {
          type: 2,
          name: "daily",
          options: [
            {
              type: 1,
              name: sub,
              options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })),
            },
          ],
        },
      ],
    },
  };
  const body = JSON.stringify(payload);
  const res = await fetch(instance.discordUrl, {
    method: "POST",
    headers: signed(keys.privateKey, body),
    body,
  });
  expect(res.status).toBe(200);
  return JSON.stringify(await res.json());
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

const SETUPS = [
  { name: "two instances sharing PostgreSQL through DATABASE_URL", db: DATABASES[1], instances: 2 },
  { name: "one instance on the embedded store (no DATABASE_URL)", db: DATABASES[0], instances: 1 },
] as const;

describe.each(SETUPS)("the quote of the day with $name", ({ db: kind, instances: count }) => {
  let db: Fresh;
  let discord: StandIn;
  let slack: StandIn;
  let clock = Date.parse("2026-12-03T08:29:30Z");
  const now = () => clock;
  let instances: Instance[] = [];
  const start = () => startInstance(db.options, { discord, slack }, now);

  beforeAll(async () => {
    if (!kind) throw new Error("no such database");
    db = await kind.fresh();
    [discord, slack] = await Promise.all([fakeDiscordApi(), fakeSlackWebApi()]);
    // Sequentially: two first opens of one embedded directory would race for its lock file.
    for (let i = 0; i < count; i++) instances.push(await start());
  }, SETUP_MS);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await Promise.all([discord?.close(), slack?.close()]);
    await db?.drop();
  });

  const SLACK_OK = "C0DAILY1";
  const SLACK_GONE = "C0GONE";
  const DISCORD_OK = "700000000000000001";
  const DISCORD_GONE = "700000000000000002";
  const posts = (api: StandIn, channel: string) => api.posts.filter((p) => p.channel === channel);
  const last = () => instances[instances.length - 1] as Instance;
  const first = () => instances[0] as Instance;

  it(
    "posts exactly one quote with its attribution in each channel at its minute",
    async () => {
      slack.behave(SLACK_GONE, "gone");
      discord.behave(DISCORD_GONE, "gone");
      // Slack through the first instance, Discord through the last: both write the one database.
      expect(await slackSays(first(), SLACK_OK, "daily on 08:30 UTC")).toMatch(/Quote of the day is on/u);
      expect(await slackSays(first(), SLACK_GONE, "daily on 08:30 UTC")).toMatch(/is on/u);
      expect(await discordSays(last(), DISCORD_OK, "on", { time: "08:30", timezone: "UTC" })).toMatch(
        /is on/u,
      );
      expect(await discordSays(last(), DISCORD_GONE, "on", { time: "08:30", timezone: "utc" })).toMatch(
        /is on/u,
      );

      await sleep(300); // several ticks before the minute: nothing
      expect(discord.posts.length + slack.posts.length).toBe(0);
      clock = Date.parse("2026-12-03T08:30:00Z");
      expect(
        await until(() => posts(slack, SLACK_OK).length > 0 && posts(discord, DISCORD_OK).length > 0),
      ).toBe(true);
      await sleep(400); // every instance ticks several more times
      expect([posts(slack, SLACK_OK).length, posts(discord, DISCORD_OK).length]).toEqual([1, 1]);

      const slackPost = posts(slack, SLACK_OK)[0]?.body as { text: string; blocks: unknown[] };
      expect(slackPost.text).toMatch(/“.+” — Andrej Karpathy, /su);
      expect(JSON.stringify(slackPost.blocks)).toMatch(/kq_context/u); // the Context button
      const discordPost = posts(discord, DISCORD_OK)[0];
      expect(discordPost?.headers.authorization).toBe(`Bot ${TOKEN}`);
      expect(discordPost?.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
      expect(JSON.stringify(discordPost?.body.embeds)).toMatch(/— \*\*Andrej Karpathy\*\*/u);
      expect(JSON.stringify(discordPost?.body.components)).toMatch(/kq:context:/u);
    },
    SETUP_MS,
  );

  it("answers anyone who presses the post's Context button with the exchange, only for them", async () => {
    // Discord: the post's own custom_id, pressed by someone else on a message the bot posted (no
    // interaction behind it).
    const row = posts(discord, DISCORD_OK)[0]?.body.components as Array<{
      components: Array<{ custom_id: string }>;
    }>;
    const customId = row[0]?.components[0]?.custom_id ?? "";
    const { message: _preview, ...press } = buttonPress(customId, bob);
    const body = JSON.stringify({
      ...press,
      message: { id: "1", channel_id: DISCORD_OK, type: 0, flags: 0 },
    });
    const res = await fetch(last().discordUrl, {
      method: "POST",
      headers: signed(keys.privateKey, body),
      body,
    });
    const answer = (await res.json()) as { type: number; data: { flags: number; embeds: unknown[] } };
    expect([answer.type, answer.data.flags]).toEqual([4, 64]);
    expect(JSON.stringify(answer.data.embeds)).toMatch(/Andrej Karpathy:/u);

    // Slack: the button's value, through the response_url as an ephemeral message.
    const blocks = posts(slack, SLACK_OK)[0]?.body.blocks as Array<{
      type: string;
      elements?: Array<{ value?: string }>;
    }>;
    const value = blocks.find((b) => b.type === "actions")?.elements?.[0]?.value ?? "";
    const responses = await loopback();
    try {
      const pressed = await postSlack(first().slackUrl, slackButtonPress("kq_context", value, responses.url));
      expect(pressed.status).toBe(200);
      expect(await until(() => responses.requests.length > 0)).toBe(true);
      const sent = JSON.parse(responses.requests[0]?.body ?? "{}") as { response_type: string; text: string };
      expect(sent.response_type).toBe("ephemeral");
      expect(sent.text).toMatch(/Context of the quote/u);
    } finally {
      await responses.close();
    }
  });

  it("shows the channels the stand-ins answered channel_not_found and 10003 as paused, with the reason", async () => {
    expect(await slackSays(last(), SLACK_GONE, "daily")).toMatch(/Paused.*channel_not_found/su);
    expect(await discordSays(first(), DISCORD_GONE, "status", {}, "0")).toMatch(/Paused.*Unknown Channel/su);
    // Everyone may see the status; only who can manage the channel may change it.
    expect(await discordSays(first(), DISCORD_OK, "off", {}, "0")).toMatch(/Manage Channel/u);
    expect(await discordSays(first(), DISCORD_OK, "status", {}, "0")).toMatch(
      /Next post.*Fri 4 Dec 2026, 08:30/su,
    );
  });

  it(
    "keeps the subscriptions over a restart of every instance",
    async () => {
      await Promise.all(instances.map((i) => i.stop()));
      instances = [];
      for (let i = 0; i < count; i++) instances.push(await start());
      const status = await slackSays(first(), SLACK_OK, "daily");
      expect(status).toMatch(/08:30 UTC/u);
      expect(status).toMatch(/Last post/u);
      expect(status).toMatch(/Set by.*ada \(U0ADA\)/su);
    },
    SETUP_MS,
  );

  it("stops a channel turned off, and posts the next day's quote in the other", async () => {
    expect(await slackSays(last(), SLACK_OK, "daily off")).toMatch(/turned off/u);
    expect(await slackSays(last(), SLACK_OK, "daily")).toMatch(/No quote of the day in this channel/u);
    clock = Date.parse("2026-12-04T08:30:00Z");
    expect(await until(() => posts(discord, DISCORD_OK).length === 2)).toBe(true);
    await sleep(400);
    expect([posts(slack, SLACK_OK).length, posts(discord, DISCORD_OK).length]).toEqual([1, 2]);
    const [day1, day2] = posts(discord, DISCORD_OK).map((p) => JSON.stringify(p.body.embeds));
    expect(day1).not.toBe(day2);
  });
});
