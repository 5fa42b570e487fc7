/**
 * The shared rate limit across instances: two Slack HTTP endpoints (real HTTP on 127.0.0.1, requests
 * signed as Slack signs them) sharing one real Redis server, started by tests/setup/redis.ts. A user
 * alternating between them gets 5 commands in 10 s in all, not 5 on each; without REDIS_URL each
 * process counts on its own; and a Redis that goes away never refuses a command (memory takes over).
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { type SlackAdapter, startSlack } from "../../src/adapters/slack/main.js";
import { loadConfig } from "../../src/config.js";
import { COMMAND_TIMEOUT_MS } from "../../src/store/ratelimit.js";
import { engine } from "../adapters/discord/fixtures.js";
import {
  BOT_TOKEN,
  captureLog,
  post,
  type SentMessage,
  SIGNING_SECRET,
  slashCommand,
} from "../adapters/slack/harness.js";
import { freePort } from "../setup/ports.js";
import { startRedis } from "../setup/redis.js";

const SLOW_DOWN = /^Slow down: you can run 5 commands every 10 seconds\. Try again in \d+ s\.$/u;

let running: SlackAdapter[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

/** One bot instance: a Slack HTTP endpoint configured from the environment as `npm start` would be. */
async function instance(env: Record<string, string | undefined>, log = captureLog()) {
  const config = loadConfig({
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    HOST: "127.0.0.1",
    SLACK_PORT: "0",
    RATE_LIMIT: "5/10s",
    ...env,
  });
  if (!config.slack) throw new Error("no Slack config");
  const adapter = await startSlack(engine, config.slack, log.log);
  running.push(adapter);
  return { url: `http://127.0.0.1:${adapter.port}`, log, stop: () => adapter.stop() };
}

/** A user id no other test (or earlier run against the same Redis) has used. */
const freshUser = () => `U0${randomBytes(5).toString("hex").toUpperCase()}`;

/** `/karpathy agents` from `user` on the instance at `url`: the reply Slack would show. */
async function command(url: string, user: string): Promise<{ refused: boolean; text: string }> {
  const request = slashCommand("agents", "http://127.0.0.1:9/never");
  request.body = request.body.replace(/user_id=[^&]+/u, `user_id=${user}`);
  const res = await post(url, request);
  expect(res.status).toBe(200);
  const reply = (await res.json()) as SentMessage;
  const text = reply.text ?? "";
  const refused = SLOW_DOWN.test(text);
  if (!refused) expect(JSON.stringify(reply.blocks)).toContain("Andrej Karpathy");
  return { refused, text };
}

describe("two instances sharing one Redis (REDIS_URL)", () => {
  it.each([
    ["the second instance", 0],
    ["the first instance", 1],
  ])("refuse a user's 6th command in 10 s when %s gets it", async (_, startAt) => {
    const redisUrl = inject("redisUrl");
    const [a, b] = [await instance({ REDIS_URL: redisUrl }), await instance({ REDIS_URL: redisUrl })];
    const instances = [a, b];
    const user = freshUser();
    const outcomes: boolean[] = [];
    for (let i = 0; i < 6; i++)
      outcomes.push((await command((instances[(i + startAt) % 2] ?? a).url, user)).refused);
    expect(outcomes).toEqual([false, false, false, false, false, true]);
    // Both keep refusing for the rest of the window, and another user is untouched.
    expect((await command(a.url, user)).refused).toBe(true);
    expect((await command(b.url, user)).refused).toBe(true);
    expect((await command(b.url, freshUser())).refused).toBe(false);
  });
});

describe("without REDIS_URL (the default)", () => {
  it("each instance counts in memory on its own: 5 per instance, the 6th on one instance refused", async () => {
    const [a, b] = [await instance({}), await instance({})];
    const user = freshUser();
    let answered = 0;
    for (let i = 0; i < 10; i++) if (!(await command(([a, b][i % 2] ?? a).url, user)).refused) answered++;
    expect(answered).toBe(10); // the reason REDIS_URL exists: N instances give N budgets
    expect((await command(a.url, user)).refused).toBe(true);
    expect((await command(b.url, user)).refused).toBe(true);
  });
});

describe("when Redis goes away", () => {
  it("fails open: commands keep being answered, each instance limiting its users in memory", async () => {
    const redis = await startRedis();
    try {
      const a = await instance({ REDIS_URL: redis.url });
      const user = freshUser();
      for (let i = 0; i < 3; i++) expect((await command(a.url, user)).refused).toBe(false);
      await redis.stop();
      const started = performance.now();
      const outcomes: boolean[] = [];
      for (let i = 0; i < 6; i++) outcomes.push((await command(a.url, user)).refused);
      // Memory starts its own count at the outage: 5 more answered, then the 6th refused.
      expect(outcomes).toEqual([false, false, false, false, false, true]);
      expect(performance.now() - started).toBeLessThan(6 * COMMAND_TIMEOUT_MS + 2000);
      expect(JSON.stringify(a.log.lines)).toMatch(/counting in memory per instance until Redis answers/u);
    } finally {
      await redis.stop();
    }
  });

  it("starts and answers when Redis is unreachable from the start, without echoing its password", async () => {
    const port = await freePort(); // nothing listens there
    const log = captureLog();
    const started = performance.now();
    const a = await instance({ REDIS_URL: `redis://:hunter2secret@127.0.0.1:${port}/0` }, log);
    expect(performance.now() - started).toBeLessThan(10_000);
    const user = freshUser();
    for (let i = 0; i < 5; i++) expect((await command(a.url, user)).refused).toBe(false);
    expect((await command(a.url, user)).refused).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain("hunter2secret");
  });
});

describe("a start-up that fails", () => {
  it("closes its Redis connection, so nothing holds the process open", async () => {
    const { Redis } = await import("ioredis");
    const probe = new Redis(inject("redisUrl"));
    const connected = async () =>
      Number(/connected_clients:(\d+)/u.exec(await probe.info("clients"))?.[1] ?? Number.NaN);
    try {
      const a = await instance({});
      const before = await connected();
      const port = new URL(a.url).port; // taken: the second listen fails
      await expect(instance({ REDIS_URL: inject("redisUrl"), SLACK_PORT: port })).rejects.toThrow();
      await vi.waitFor(async () => expect(await connected()).toBe(before), { timeout: 3000, interval: 50 });
    } finally {
      probe.disconnect();
    }
  });
});

describe("REDIS_URL", () => {
  it.each(["redis://127.0.0.1:6379", "rediss://:pw@cache.internal:6380/2", "redis://cache"])(
    "accepts %j",
    (url) => {
      expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    },
  );

  it.each([
    "localhost:6379",
    "http://:s3cretpw@cache:6379",
    "redis://",
    "redis://:s3cretpw@/0",
    "redis:// spaced",
  ])("refuses %j, naming the variable and never echoing the value", (url) => {
    let message = "";
    try {
      loadConfig({ REDIS_URL: url });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Config: REDIS_URL must be a Redis URL/u);
    expect(message).not.toContain("s3cretpw");
  });

  it("is unset by default: the limit is counted in memory", () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
  });
});
