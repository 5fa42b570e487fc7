import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const slackHttp = { SLACK_MODE: "http", SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "12345678" };
const discordHttp = { DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: "a".repeat(64) };

describe("configuration from the environment", () => {
  it("needs nothing: no chat variables means the console", () => {
    const config = loadConfig({});
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
  });

  it.each([
    ["HOST", { ...slackHttp, HOST: "not a host" }, /^Config: HOST must be an IP address/u],
    ["DISCORD_APPLICATION_ID", { ...discordHttp, DISCORD_APPLICATION_ID: "123" }, /17 to 20 digits/u],
    ["DISCORD_GUILD_ID", { ...discordHttp, DISCORD_GUILD_ID: "guild" }, /17 to 20 digits/u],
    ["SLACK_PORT", { ...slackHttp, SLACK_PORT: "70000" }, /^Config: SLACK_PORT/u],
    // Small-order keys: with one, a single fixed signature verifies every body.
    [
      "DISCORD_PUBLIC_KEY (the identity)",
      { ...discordHttp, DISCORD_PUBLIC_KEY: `01${"00".repeat(31)}` },
      /^Config: DISCORD_PUBLIC_KEY is a point of small order/u,
    ],
    [
      "DISCORD_PUBLIC_KEY (all zeros)",
      { ...discordHttp, DISCORD_PUBLIC_KEY: "00".repeat(32) },
      /small order/u,
    ],
    [
      "DISCORD_PUBLIC_KEY (order 8)",
      {
        ...discordHttp,
        DISCORD_PUBLIC_KEY: "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
      },
      /small order/u,
    ],
    [
      "DISCORD_PUBLIC_KEY (p - 1, order 2)",
      { ...discordHttp, DISCORD_PUBLIC_KEY: `ec${"ff".repeat(30)}7f` },
      /small order/u,
    ],
    [
      "DISCORD_PUBLIC_KEY (not on the curve)",
      { ...discordHttp, DISCORD_PUBLIC_KEY: `02${"00".repeat(31)}` },
      /not a valid Ed25519 point/u,
    ],
    [
      "DISCORD_PUBLIC_KEY (not hex)",
      { ...discordHttp, DISCORD_PUBLIC_KEY: "z".repeat(64) },
      /64 hex characters/u,
    ],
    [
      "DATABASE_URL (not PostgreSQL)",
      { DATABASE_URL: "mysql://u:p@db/x" },
      /^Config: DATABASE_URL must be a PostgreSQL URL/u,
    ],
    [
      "one port for both endpoints",
      { ...slackHttp, ...discordHttp, SLACK_PORT: "3000", DISCORD_PORT: "3000" },
      /DISCORD_PORT and SLACK_PORT are both 3000/u,
    ],
    [
      "PORT with both endpoints on HTTP",
      { ...slackHttp, ...discordHttp, PORT: "8080" },
      /PORT is set, but both Discord and Slack serve HTTP/u,
    ],
    ["LOG_FORMAT", { LOG_FORMAT: "xml" }, /LOG_FORMAT/u],
    ["DISCORD_API_URL", { ...discordHttp, DISCORD_API_URL: "ftp://x" }, /DISCORD_API_URL must be an http/u],
  ])("refuses a bad %s in one line naming it", (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ["Discord", discordHttp, "discord"],
    ["Slack", slackHttp, "slack"],
  ] as const)("puts the one HTTP endpoint (%s) on PORT, over its own port variable", (_n, env, key) => {
    expect(loadConfig({ ...env, PORT: "8080", DISCORD_PORT: "3001", SLACK_PORT: "3000" })[key]?.port).toBe(
      8080,
    );
  });

  it("reads LOG_FORMAT (json by default) and DISCORD_API_URL (discord.com's by default)", () => {
    expect(loadConfig({}).logFormat).toBe("json");
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(loadConfig(discordHttp).discord?.apiUrl).toBe("https://discord.com/api");
    expect(loadConfig({ ...discordHttp, DISCORD_API_URL: "http://127.0.0.1:9/api/" }).discord?.apiUrl).toBe(
      "http://127.0.0.1:9/api",
    );
  });

  it("keeps data in ./data in the embedded database unless told otherwise", () => {
    expect(loadConfig({}).store).toEqual({ dataDir: "./data", databaseUrl: undefined });
    expect(loadConfig({}).dailyTickMs).toBe(10_000);
    expect(() => loadConfig({ DAILY_TICK_MS: "5" })).toThrow(/^Config: DAILY_TICK_MS/u);
    expect(loadConfig({ ...slackHttp }).slack?.apiUrl).toBe("https://slack.com/api/");
    expect(loadConfig({ ...slackHttp, SLACK_API_URL: "http://127.0.0.1:9/api" }).slack?.apiUrl).toBe(
      "http://127.0.0.1:9/api/",
    );
    expect(() => loadConfig({ ...slackHttp, SLACK_API_URL: "ftp://x" })).toThrow(
      /^Config: SLACK_API_URL must be/u,
    );
    const url = "postgresql://bot:secret@db.internal:5432/karpathy";
    expect(loadConfig({ DATA_DIR: "/var/lib/kq", DATABASE_URL: url }).store).toEqual({
      dataDir: "/var/lib/kq",
      databaseUrl: url,
    });
  });

  it("never repeats a bad DATABASE_URL in its message: it may hold a password", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://bot:hunter2 @db/x" })).toThrow(
      /^Config: DATABASE_URL must be a PostgreSQL URL: postgres:\/\/user:password@host:5432\/database$/u,
    );
  });

  it("lets both endpoints ask the system for a free port (0)", () => {
    const config = loadConfig({ ...slackHttp, ...discordHttp, SLACK_PORT: "0", DISCORD_PORT: "0" });
    expect([config.slack?.port, config.discord?.port]).toEqual([0, 0]);
  });

  it.each(["0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "bot.example.com"])(
    "accepts HOST=%s",
    (host) => {
      expect(loadConfig({ ...slackHttp, HOST: host }).slack?.host).toBe(host);
    },
  );

  it("never throws anything but a one-line ConfigError, whatever the values", () => {
    const names = [
      "HOST",
      "RATE_LIMIT",
      "SLACK_PORT",
      "DISCORD_PORT",
      "DISCORD_MODE",
      "LOG_LEVEL",
      "DISCORD_SHARDS",
      "DATA_DIR",
      "DATABASE_URL",
      "DAILY_TICK_MS",
      "SLACK_CLIENT_ID",
      "SLACK_CLIENT_SECRET",
      "SLACK_STATE_SECRET",
      "SLACK_API_URL",
      "SLACK_BOT_TOKEN",
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 40 })), (vars) => {
        try {
          loadConfig({ ...slackHttp, ...vars });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
      { seed: 20_251_122, numRuns: 300 },
    );
  });
});
