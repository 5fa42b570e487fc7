/**
 * Issue 12's "done when" with the real app: two `npm start` processes (src/main.ts, each with Discord
 * and Slack in HTTP mode on their own ports) share one PostgreSQL database through DATABASE_URL and
 * post through DISCORD_API_URL / SLACK_API_URL to loopback stand-ins. Subscribed by signed requests
 * for the current minute (a subscription made during its minute posts then), with DAILY_TICK_MS=200,
 * so it takes seconds. Each channel gets exactly one post; a restart keeps the subscriptions; off
 * stops them. (tests/daily/e2e.test.ts runs the same in-process with a fake clock, paused channels too.)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chatInput, keyPair, signed } from "../adapters/discord/fixtures.js";
import { post as postSlack, SIGNING_SECRET, slashCommand } from "../adapters/slack/harness.js";
import { freshDataDir, sleep } from "../store/databases.js";
import { fakeDiscordApi, fakeSlackWebApi, type StandIn } from "./standins.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const register = fileURLToPath(new URL("../faults/ts-register.mjs", import.meta.url));
const keys = keyPair();
const TOKEN = `MTA.${"y".repeat(60)}`;
const CHAT_VARS = [
  ...["DISCORD_MODE", "DISCORD_TOKEN", "DISCORD_PUBLIC_KEY", "DISCORD_APPLICATION_ID", "DISCORD_GUILD_ID"],
  ...["SLACK_MODE", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "PORT", "RATE_LIMIT"],
];

interface App {
  child: ChildProcess;
  discordUrl: string;
  slackUrl: string;
  exited: Promise<number | null>;
}

async function startApp(env: Record<string, string>): Promise<App> {
  const blank = Object.fromEntries(CHAT_VARS.map((k) => [k, ""]));
  const child = spawn(process.execPath, ["--import", register, "src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...blank, ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let discordUrl = "";
  let slackPort = 0;
  let running = false;
  let rest = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const l = JSON.parse(line) as Record<string, unknown>;
        if (l.msg === "Discord: interactions endpoint listening") discordUrl = String(l.url);
        if (l.msg === "slack: listening") slackPort = Number(l.port);
        if (l.msg === "karpathy-quotes is running") running = true;
      } catch {
        // not a log line
      }
    }
  });
  for (let i = 0; i < 1200 && !running && child.exitCode === null; i++) await sleep(50);
  if (!running) throw new Error("the app did not start");
  return { child, discordUrl, slackUrl: `http://127.0.0.1:${slackPort}`, exited };
}

async function stopApp(app: App): Promise<number | null> {
  app.child.kill("SIGTERM");
  return app.exited;
}

async function slackSays(app: App, channel: string, text: string): Promise<string> {
  const form = new URLSearchParams(slashCommand(text, "http://127.0.0.1:9/unused").body);
  form.set("channel_id", channel);
  const res = await postSlack(app.slackUrl, {
    body: form.toString(),
    contentType: "application/x-www-form-urlencoded",
  });
  return JSON.stringify(await res.json());
}

async function discordOn(app: App, channel: string, time: string): Promise<string> {
  const base = chatInput("help");
  const options = [
    { type: 3, name: "time", value: time },
    { type: 3, name: "timezone", value: "UTC" },
  ];
  const body = JSON.stringify({
    ...base,
    channel_id: channel,
    channel: { ...base.channel, id: channel },
    member: { ...base.member, permissions: String(1 << 4) },
    data: {
      ...base.data,
      options: [{ type: 2, name: "daily", options: [{ type: 1, name: "on", options }] }],
    },
  });
  const res = await fetch(app.discordUrl, { method: "POST", headers: signed(keys.privateKey, body), body });
  return JSON.stringify(await res.json());
}

describe("two instances of npm start on one PostgreSQL", () => {
  let discord: StandIn;
  let slack: StandIn;
  let databaseUrl = "";
  let dropDatabase = async () => {};
  const apps: App[] = [];
  const env = async () => ({
    DISCORD_MODE: "http",
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_TOKEN: TOKEN,
    DISCORD_PORT: "0",
    DISCORD_API_URL: discord.url,
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: "xoxb-processes",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_PORT: "0",
    SLACK_API_URL: slack.url,
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    DATA_DIR: await freshDataDir(), // unused with DATABASE_URL; never the worktree's ./data
    DAILY_TICK_MS: "200",
  });

  beforeAll(async () => {
    [discord, slack] = await Promise.all([fakeDiscordApi(), fakeSlackWebApi()]);
    const admin = inject("postgresUrl");
    const name = `kq_proc_${randomBytes(6).toString("hex")}`;
    const run = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await run(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => run(`DROP DATABASE ${name} WITH (FORCE)`);
    // Both at once: migrations run under an advisory lock, so starting together is safe.
    apps.push(...(await Promise.all([startApp(await env()), startApp(await env())])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apps.map((a) => (a.child.exitCode === null ? stopApp(a) : undefined)));
    await Promise.all([discord?.close(), slack?.close()]);
    await dropDatabase();
  });

  it("post one quote per channel at the minute, keep the subscriptions over a restart, and stop on off", async () => {
    // Far enough from the minute's end that subscribing and the first ticks fall inside it.
    if (new Date().getUTCSeconds() > 45) await sleep((61 - new Date().getUTCSeconds()) * 1000);
    const now = new Date();
    const minute = `${String(now.getUTCHours()).padStart(2, "0")}:${String(now.getUTCMinutes()).padStart(2, "0")}`;
    const [a, b] = apps as [App, App];
    expect(await slackSays(a, "C0PROC", `daily on ${minute} UTC`)).toMatch(/Quote of the day is on/u);
    expect(await discordOn(b, "700000000000000009", minute)).toMatch(/Quote of the day is on/u);

    for (let i = 0; i < 100 && (slack.posts.length < 1 || discord.posts.length < 1); i++) await sleep(50);
    await sleep(1000); // five more ticks of each instance
    expect(slack.posts.map((p) => p.channel)).toEqual(["C0PROC"]);
    expect(discord.posts.map((p) => p.channel)).toEqual(["700000000000000009"]);
    expect(String(slack.posts[0]?.body.text)).toMatch(/— Andrej Karpathy, /u);
    expect(JSON.stringify(discord.posts[0]?.body.embeds)).toMatch(/Andrej Karpathy/u);

    // A restart of the first instance keeps the subscriptions (they live in PostgreSQL).
    expect(await stopApp(a)).toBe(0);
    apps[0] = await startApp(await env());
    const status = await slackSays(apps[0], "C0PROC", "daily");
    expect(status).toMatch(new RegExp(`${minute} UTC`, "u"));
    expect(status).toMatch(/Last post/u);
    expect(await slackSays(apps[0], "C0PROC", "daily off")).toMatch(/turned off/u);
    expect(await slackSays(b, "C0PROC", "daily")).toMatch(/No quote of the day/u);
    expect([slack.posts.length, discord.posts.length]).toEqual([1, 1]);
  }, 150_000);
});
