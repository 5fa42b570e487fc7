/**
 * Per-user rate limiting: the fixed window (rate-limiter-flexible's memory store) on a fake clock, the commands that use it, the RATE_LIMIT
 * variable, and both HTTP endpoints, where a user over the limit gets a clear "slow down" and everyone
 * else is unaffected. Autocomplete is never limited, nor is the console or the CLI (no limiter).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RATE_LIMIT, RateLimiter, runAction, runCommand, slowDown } from "../../commands/index.js";
import { decide } from "../../src/adapters/discord/handler.js";
import { type RunningHttpAdapter, startHttpInteractions } from "../../src/adapters/discord/http.js";
import { NOTES } from "../../src/adapters/discord/render.js";
import { type SlackAdapter, startSlack } from "../../src/adapters/slack/main.js";
import { loadConfig } from "../../src/config.js";
import { autocomplete, chatInput, engine, keyPair, signed, silentLog } from "../adapters/discord/fixtures.js";
import {
  BOT_TOKEN,
  captureLog,
  post,
  type SentMessage,
  SIGNING_SECRET,
  slashCommand,
} from "../adapters/slack/harness.js";

/**
 * A memory limiter on vitest's fake clock, in seconds (rate-limiter-flexible's memory store reads
 * `Date.now` and forgets a window with `setTimeout`, both faked).
 */
function limiter(commands = 5, perSeconds = 10) {
  const l = new RateLimiter({ commands, perSeconds });
  return {
    l,
    advance: (seconds: number) => vi.advanceTimersByTime(seconds * 1000),
    /** How many of `n` takes for `user` were allowed. */
    takes: async (user: string, n: number) => {
      let allowed = 0;
      for (let i = 0; i < n; i++) if ((await l.take(user)).ok) allowed++;
      return allowed;
    },
  };
}

describe("RateLimiter (memory, the default)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows 5 per user in 10 s, then refuses the 6th and says when the window closes", async () => {
    const { l, advance, takes } = limiter();
    expect(await takes("alice", 3)).toBe(3);
    advance(4);
    expect(await takes("alice", 2)).toBe(2);
    // The window opened at the first command, 4 s ago: 6 s left.
    expect(await l.take("alice")).toEqual({ ok: false, retryAfterSeconds: 6 });
  });

  it("limits each user on their own: one user's burst leaves the others untouched", async () => {
    const { takes } = limiter();
    expect(await takes("alice", 20)).toBe(5);
    expect(await takes("bob", 5)).toBe(5);
    expect(await takes("carol", 1)).toBe(1);
  });

  it("gives the whole budget back when the window closes, not before", async () => {
    const { advance, takes } = limiter();
    await takes("alice", 5);
    advance(9.9);
    expect(await takes("alice", 1)).toBe(0);
    advance(0.2);
    expect(await takes("alice", 6)).toBe(5);
  });

  it("does not let refused attempts push the window back: hammering waits no longer", async () => {
    const { l, advance, takes } = limiter();
    await takes("alice", 5);
    for (let i = 0; i < 50; i++) {
      advance(0.1);
      await takes("alice", 1);
    }
    expect(await l.take("alice")).toEqual({ ok: false, retryAfterSeconds: 5 });
    advance(5);
    expect(await takes("alice", 1)).toBe(1);
  });

  it.each([
    [{ commands: 0, perSeconds: 10 }, /commands/u],
    [{ commands: 1.5, perSeconds: 10 }, /commands/u],
    [{ commands: 5, perSeconds: 0 }, /perSeconds/u],
    [{ commands: 5, perSeconds: 2.5 }, /perSeconds/u],
  ])("refuses the limit %j, naming the bad value", (limit, message) => {
    expect(() => new RateLimiter(limit)).toThrow(message);
  });
});

describe("the slow-down reply", () => {
  it.each([
    [DEFAULT_RATE_LIMIT, 1.2, "Slow down: you can run 5 commands every 10 seconds. Try again in 2 s."],
    [
      { commands: 1, perSeconds: 1 },
      0.01,
      "Slow down: you can run 1 command every second. Try again in 1 s.",
    ],
    [
      { commands: 3, perSeconds: 60 },
      19.5,
      "Slow down: you can run 3 commands every 60 seconds. Try again in 20 s.",
    ],
  ])("for %j, %s s to wait, says %j", (limit, wait, message) => {
    expect(slowDown(limit, wait)).toEqual({ kind: "invalid", message });
  });
});

describe("commands under a limiter", () => {
  const user = { id: "U1", name: "ada" };

  it("answers the 6th command in a burst with slow down, without running it", async () => {
    const l = new RateLimiter();
    const replies = [];
    for (let i = 0; i < 6; i++)
      replies.push(await runCommand("quote", { query: "agents" }, { engine, user, limiter: l }));
    expect(replies.slice(0, 5).map((r) => r.kind)).toEqual(Array(5).fill("quote"));
    expect(replies[5]).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^Slow down/u) });
  });

  it("does not limit the console and the CLI, which pass no limiter or no user", async () => {
    const l = new RateLimiter({ commands: 1, perSeconds: 60 });
    for (let i = 0; i < 10; i++) {
      expect((await runCommand("quote", { query: "agents" }, { engine })).kind).toBe("quote");
      expect((await runCommand("quote", { query: "agents" }, { engine, limiter: l })).kind).toBe("quote");
    }
  });

  it("counts button presses too, except Cancel, which always closes the preview", async () => {
    const l = new RateLimiter({ commands: 2, perSeconds: 60 });
    const preview = await runCommand("quote", { query: "agents" }, { engine });
    if (preview.kind !== "quote") throw new Error("no preview for agents");
    const { state } = preview;
    expect((await runAction("context", state, { engine, user, limiter: l })).kind).toBe("context");
    expect((await runAction("next", state, { engine, user, limiter: l })).kind).toBe("quote");
    expect(await runAction("send", state, { engine, user, limiter: l })).toMatchObject({ kind: "invalid" });
    expect((await runAction("cancel", state, { engine, user, limiter: l })).kind).toBe("dismiss");
  });

  it("leaves Discord autocomplete alone while commands are refused", async () => {
    const l = new RateLimiter({ commands: 1, perSeconds: 60 });
    const context = { engine, log: silentLog(), limiter: l };
    const command = { type: "command" as const, command: "karpathy", subcommand: "quote", user };
    expect((await decide({ ...command, options: { query: "agents" } }, context)).type).toBe("reply");
    const refused = await decide({ ...command, options: { query: "agents" } }, context);
    expect(JSON.stringify(refused)).toContain("Slow down");
    for (let i = 0; i < 10; i++) {
      const choices = await decide(
        { type: "autocomplete", command: "karpathy", focused: { name: "query", value: "age" }, options: {} },
        context,
      );
      expect(choices.type === "choices" && choices.choices.length).toBeGreaterThan(0);
    }
  });
});

describe("RATE_LIMIT", () => {
  it.each([
    [undefined, { commands: 5, perSeconds: 10 }],
    ["", { commands: 5, perSeconds: 10 }],
    ["3/60s", { commands: 3, perSeconds: 60 }],
    ["10/1", { commands: 10, perSeconds: 1 }],
    [" 7/7S ", { commands: 7, perSeconds: 7 }],
    ["off", undefined],
  ])("reads %j as %j", (value, expected) => {
    const config = loadConfig({
      RATE_LIMIT: value,
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "12345678",
    });
    expect(config.rateLimit).toEqual(expected);
    expect(config.slack?.rateLimit).toEqual(expected);
  });

  it.each(["0/10s", "5/0s", "5 per 10s", "fast", "-1/10"])("refuses %j, naming the variable", (value) => {
    expect(() => loadConfig({ RATE_LIMIT: value })).toThrow(/^Config: RATE_LIMIT must be/u);
  });
});

describe("both endpoints with RATE_LIMIT=2/60s", () => {
  const limit = { commands: 2, perSeconds: 60 };
  const keys = keyPair();
  let discord: RunningHttpAdapter;
  let slack: SlackAdapter;

  beforeAll(async () => {
    discord = await startHttpInteractions(
      engine,
      { mode: "http", publicKey: keys.publicKeyHex, host: "127.0.0.1", port: 0, rateLimit: limit },
      silentLog(),
    );
    slack = await startSlack(
      engine,
      {
        mode: "http",
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        host: "127.0.0.1",
        port: 0,
        rateLimit: limit,
      },
      captureLog().log,
    );
  });

  afterAll(async () => {
    await Promise.all([discord.stop(), slack.stop()]);
  });

  async function onDiscord(payload: unknown) {
    const text = JSON.stringify(payload);
    const res = await fetch(discord.url, {
      method: "POST",
      body: text,
      headers: signed(keys.privateKey, text),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      type: number;
      data?: { content?: string; flags?: number; embeds?: unknown[]; choices?: unknown[] };
    };
  }

  it("Discord: tells the user to slow down on their 3rd command, ephemerally; others are unaffected", async () => {
    const alice = {
      id: "900000000000000001",
      username: "alice",
      discriminator: "0",
      global_name: "A",
      avatar: null,
    };
    const bob = { ...alice, id: "900000000000000002", username: "bob" };
    for (let i = 0; i < 2; i++)
      expect((await onDiscord(chatInput("quote", { query: "agents" }, alice))).data?.embeds?.length).toBe(1);
    const third = await onDiscord(chatInput("quote", { query: "agents" }, alice));
    expect(third).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(third.data?.content).toMatch(
      /^Slow down: you can run 2 commands every 60 seconds\. Try again in \d+ s\.$/u,
    );
    expect(third.data?.content).not.toBe(NOTES.failure);
    expect((await onDiscord(chatInput("quote", { query: "agents" }, bob))).data?.embeds?.length).toBe(1);
    for (let i = 0; i < 5; i++)
      expect((await onDiscord(autocomplete("quote", { query: "educ" }, "query", alice))).type).toBe(8);
  });

  it("Slack: tells the user to slow down on their 3rd command, ephemerally", async () => {
    const url = `http://127.0.0.1:${slack.port}`;
    const command = async (user: string) => {
      const request = slashCommand("agents", "http://127.0.0.1:9/never");
      request.body = request.body.replace(/user_id=[^&]+/u, `user_id=${user}`);
      return (await (await post(url, request)).json()) as SentMessage;
    };
    expect((await command("U0SLACK1")).blocks?.length).toBeGreaterThan(1);
    await command("U0SLACK1");
    const third = await command("U0SLACK1");
    expect(third.response_type).toBe("ephemeral");
    expect(third.text).toMatch(
      /^Slow down: you can run 2 commands every 60 seconds\. Try again in \d+ s\.$/u,
    );
    expect(JSON.stringify((await command("U0SLACK2")).blocks)).toContain("Andrej Karpathy");
  });
});
