import { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { boltLogger } from "../../../src/adapters/slack/logger.js";
import { createSlackApp } from "../../../src/adapters/slack/main.js";
import type { Database } from "../../../src/store/index.js";
import { BOT_TOKEN, captureLog } from "./harness.js";

const base = { botToken: BOT_TOKEN, host: "127.0.0.1", port: 0 };

describe("createSlackApp", () => {
  it("builds a Socket Mode app from the app token, leaving the connection to start()", () => {
    const { log } = captureLog();
    const app = createSlackApp({ ...base, mode: "socket", appToken: "xapp-1-test" }, boltLogger(log));
    expect(app).toBeInstanceOf(App);
  });

  it.each([
    ["Socket Mode without an app token", { ...base, mode: "socket" as const }, /SLACK_APP_TOKEN/u],
    ["HTTP mode without a signing secret", { ...base, mode: "http" as const }, /SLACK_SIGNING_SECRET/u],
  ])("refuses %s, naming the variable", (_what, config, message) => {
    const { log } = captureLog();
    expect(() => createSlackApp(config, boltLogger(log))).toThrow(message);
  });

  const oauth = {
    clientId: "1.2",
    clientSecret: "client-secret-0123456789",
    stateSecret: "state-secret-0123456789",
  };

  it("refuses OAuth mode without the database, where installations live", () => {
    const { log } = captureLog();
    const config = { host: "127.0.0.1", port: 0, mode: "http" as const, signingSecret: "12345678", oauth };
    expect(() => createSlackApp(config, boltLogger(log))).toThrow(/needs the database/u);
  });

  it("builds a Socket Mode app with OAuth: Bolt's installer serves the install pages", () => {
    const { log } = captureLog();
    const store = { query: async () => [] } as unknown as Database;
    const app = createSlackApp(
      { host: "127.0.0.1", port: 0, mode: "socket", appToken: "xapp-1-test", oauth },
      boltLogger(log),
      { store },
    );
    expect((app as unknown as { receiver: { installer?: unknown } }).receiver.installer).toBeDefined();
  });

  it("sends Bolt's own log lines to our logger", () => {
    const { log, lines } = captureLog();
    boltLogger(log).warn("something", 42, new Error("boom"));
    expect(lines).toContainEqual(
      expect.objectContaining({
        module: "slack",
        msg: "something 42",
        err: expect.objectContaining({ message: "boom" }),
      }),
    );
  });
});
