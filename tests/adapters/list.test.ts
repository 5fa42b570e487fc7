import { describe, expect, it } from "vitest";
import { CHAT_ADAPTERS, configuredAdapters } from "../../src/adapters/list.js";
import { loadConfig } from "../../src/config.js";
import { realEngine } from "../helpers.js";
import { silentLog } from "./discord/fixtures.js";

const discordHttp = { DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: "a".repeat(64) };
const slackHttp = { SLACK_MODE: "http", SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "12345678" };

describe("the list of chat adapters npm start picks from", () => {
  it.each([
    // No chat variables: no adapter, so npm start opens the console.
    ["nothing", [], {}],
    ["Discord's variables", ["discord"], discordHttp],
    ["Slack's variables", ["slack"], slackHttp],
    ["both platforms'", ["discord", "slack"], { ...discordHttp, ...slackHttp }],
  ])("with %s set, starts %j", (_label, names, env) => {
    expect(configuredAdapters(loadConfig(env)).map((a) => a.name)).toEqual(names);
  });

  it("starts a configured adapter from the config alone: Discord's HTTP endpoint answers /health", async () => {
    const config = loadConfig({ ...discordHttp, HOST: "127.0.0.1", DISCORD_PORT: "0" });
    const discord = CHAT_ADAPTERS.find((a) => a.name === "discord");
    const running = await discord?.start(realEngine(), config, silentLog());
    try {
      const url = (running as { url?: string } | undefined)?.url ?? "";
      const res = await fetch(new URL("/health", url));
      expect(res.status).toBe(200);
    } finally {
      await running?.stop();
    }
  });

  it("refuses to start an adapter whose variables are not set", async () => {
    const slack = CHAT_ADAPTERS.find((a) => a.name === "slack");
    await expect(slack?.start(realEngine(), loadConfig({}), silentLog())).rejects.toThrow(/not configured/u);
  });
});
