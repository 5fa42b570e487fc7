/**
 * `npm start`'s entry point (the built dist/src/main.js) with the three OAuth variables set instead of
 * a bot token, as an operator runs it: the install page redirects to Slack, an install completed
 * against the loopback oauth.v2.access (reached through SLACK_API_URL) lands in the embedded database
 * under DATA_DIR, and that workspace's mention is answered with its own token.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_SCOPES } from "../../../src/adapters/slack/manifest.js";
import { DATABASES, type Fresh } from "../../store/databases.js";
import { eventCallback, eventually, type Loopback, loopback, post, SIGNING_SECRET, USER } from "./harness.js";
import { CLIENT_ID, CLIENT_SECRET, STATE_COOKIE, WORKSPACES, webApi } from "./oauth-standin.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const embedded = DATABASES[0] as (typeof DATABASES)[number];

describe("npm start with SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET", () => {
  let db: Fresh;
  let api: Loopback;
  let child: ChildProcess;
  let log = "";
  let appUrl = "";

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist/src/main.js")))
      throw new Error("no dist/: run `npm run build` (npm install does) before this test");
    db = await embedded.fresh();
    api = await loopback(webApi);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, {
      SLACK_MODE: "http",
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: "state-secret-0123456789",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${api.url}/api/`,
      SLACK_PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: db.options.dataDir,
      LOG_LEVEL: "info",
    });
    child = spawn("node", ["dist/src/main.js"], { cwd: ROOT, env, timeout: 60_000 });
    child.stdout?.on("data", (c: Buffer) => {
      log += c;
    });
    child.stderr?.on("data", (c: Buffer) => {
      log += c;
    });
    for (let i = 0; i < 400 && !log.includes("karpathy-quotes is running"); i++) await sleep(100);
    const listening = log
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg?: string; port?: number })
      .find((l) => l.msg === "slack: listening");
    if (!listening?.port) throw new Error(`the app did not start:\n${log}`);
    appUrl = `http://127.0.0.1:${listening.port}`;
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("close", resolve));
    }
    await api?.close();
    await db?.drop();
  });

  it("installs a workspace and answers its mention with the token oauth.v2.access granted", async () => {
    const start = await fetch(`${appUrl}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("location") ?? "about:blank");
    expect(`${location.origin}${location.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(location.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(location.searchParams.get("scope")).toBe(BOT_SCOPES.join(","));

    const cookie = start.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${STATE_COOKIE}=`))
      ?.split(";")[0];
    const w = WORKSPACES.acme;
    const query = new URLSearchParams({ code: w.code, state: location.searchParams.get("state") ?? "" });
    const back = await fetch(`${appUrl}/slack/oauth_redirect?${query}`, {
      headers: { cookie: cookie ?? "" },
    });
    expect(back.status).toBe(200);

    const ready = await fetch(`${appUrl}/ready`);
    expect(await ready.json()).toEqual({ ready: true, checks: { index: "ok", database: "ok" } });

    const mention = eventCallback(
      {
        type: "app_mention",
        user: USER,
        text: `<@${w.botUser}> agents`,
        ts: "1700000000.000100",
        channel: "C0GENERAL",
      },
      w.team,
      w.botUser,
    );
    expect((await post(appUrl, mention)).status).toBe(200);
    const reply = await eventually(() =>
      api.requests.find(
        (r) => r.path === "/api/chat.postMessage" && r.headers.authorization === `Bearer ${w.token}`,
      ),
    );
    expect(new URLSearchParams(reply.body).get("channel")).toBe("C0GENERAL");
    // Secrets never reach the log.
    expect(log).not.toContain(CLIENT_SECRET);
    expect(log).not.toContain(w.token);
  }, 30_000);
});
