import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_SLACK_API_URL, loadConfig } from "../src/config.js";

const CLIENT_ID = "1234567890.1234567890123";
const CLIENT_SECRET = "0123456789abcdef0123456789abcdef";
const STATE_SECRET = "a-long-random-state-secret-of-ours";
const oauth = {
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: STATE_SECRET,
};
const http = { SLACK_MODE: "http", SLACK_SIGNING_SECRET: "12345678" };

describe("Slack's OAuth variables (many workspaces)", () => {
  it("replace SLACK_BOT_TOKEN: with all three set the app runs with no bot token", () => {
    const slack = loadConfig({ ...http, ...oauth }).slack;
    expect(slack?.oauth).toEqual({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      stateSecret: STATE_SECRET,
    });
    expect(slack?.botToken).toBeUndefined();
  });

  it("turn Slack on by themselves (Socket Mode then needs its app token, as always)", () => {
    expect(() => loadConfig(oauth)).toThrow(/^Config: SLACK_APP_TOKEN is required for SLACK_MODE=socket/u);
    expect(loadConfig({ ...oauth, SLACK_APP_TOKEN: "xapp-1" }).slack?.mode).toBe("socket");
  });

  it.each([
    [
      { SLACK_CLIENT_ID: CLIENT_ID },
      "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are required with SLACK_CLIENT_ID",
    ],
    [
      { SLACK_CLIENT_ID: CLIENT_ID, SLACK_CLIENT_SECRET: CLIENT_SECRET },
      "SLACK_STATE_SECRET is required with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET",
    ],
    [
      { SLACK_STATE_SECRET: STATE_SECRET },
      "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are required with SLACK_STATE_SECRET",
    ],
  ])("go together: %o names what is missing", (partial, message) => {
    expect(() => loadConfig({ ...http, ...partial })).toThrow(
      new ConfigError(`Config: ${message} (Slack's OAuth install flow needs all three)`),
    );
  });

  it("are refused together with SLACK_BOT_TOKEN: one mode or the other", () => {
    expect(() => loadConfig({ ...http, ...oauth, SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/not both$/u);
  });

  it("say which is missing when there is neither a token nor OAuth", () => {
    expect(() => loadConfig(http)).toThrow(/SLACK_BOT_TOKEN is required .*SLACK_CLIENT_ID/u);
  });

  it.each([
    ["SLACK_CLIENT_SECRET", { SLACK_CLIENT_SECRET: "short-secret" }],
    ["SLACK_STATE_SECRET", { SLACK_STATE_SECRET: "tiny" }],
  ])("never echo a bad %s", (name, bad) => {
    let message = "";
    try {
      loadConfig({ ...http, ...oauth, ...bad });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Config: ${name} `, "u"));
    expect(message).not.toContain(Object.values(bad)[0]);
  });

  it("refuse a Client ID that is not digits.digits", () => {
    expect(() => loadConfig({ ...http, ...oauth, SLACK_CLIENT_ID: "my-app" })).toThrow(
      /^Config: SLACK_CLIENT_ID must be the app's Client ID/u,
    );
  });
});

describe("SLACK_API_URL", () => {
  it("defaults to slack.com's Web API and always ends in a slash (WebClient appends the method)", () => {
    expect(loadConfig({ ...http, SLACK_BOT_TOKEN: "xoxb-1" }).slack?.apiUrl).toBe(DEFAULT_SLACK_API_URL);
    expect(
      loadConfig({ ...http, SLACK_BOT_TOKEN: "xoxb-1", SLACK_API_URL: "http://127.0.0.1:9/api" }).slack
        ?.apiUrl,
    ).toBe("http://127.0.0.1:9/api/");
  });

  it("must be an http(s) URL", () => {
    expect(() => loadConfig({ ...http, SLACK_BOT_TOKEN: "xoxb-1", SLACK_API_URL: "slack.com" })).toThrow(
      /^Config: SLACK_API_URL must be an http\(s\) URL/u,
    );
  });
});
