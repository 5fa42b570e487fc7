/**
 * Many workspaces, end to end over real HTTP on 127.0.0.1: the install page, Slack's redirect back
 * with a code and the state cookie, the code exchanged at a loopback stand-in for `oauth.v2.access`,
 * the installation in the project's database (embedded and PostgreSQL), then each workspace answered
 * with its own token, and an uninstall that stops it. The stand-in speaks the Web API's protocol and
 * records each call's Authorization header; the app reaches it only through `apiUrl` (SLACK_API_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlack } from "../../../src/adapters/slack/main.js";
import { BOT_SCOPES } from "../../../src/adapters/slack/manifest.js";
import type { SlackConfig } from "../../../src/config.js";
import { getSlackInstallation, openStore, type Store } from "../../../src/store/index.js";
import { realEngine } from "../../helpers.js";
import { DATABASES, type Fresh } from "../../store/databases.js";
import {
  buttonPress,
  buttonsOf,
  captureLog,
  eventCallback,
  eventually,
  type Loopback,
  loopback,
  post,
  type SentMessage,
  SIGNING_SECRET,
  slashCommand,
  USER,
} from "./harness.js";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  STATE_COOKIE,
  WORKSPACES,
  type Workspace,
  webApi,
} from "./oauth-standin.js";

const SETUP_MS = 60_000; // the embedded template's first start (initdb in WebAssembly) on a busy machine
describe.each(DATABASES)("Slack OAuth for many workspaces, installations in the $name", ({ fresh }) => {
  let db: Fresh;
  let store: Store;
  let api: Loopback;
  let hook: Loopback;
  let slack: SlackAdapter;
  let appUrl: string;
  const { log } = captureLog();

  beforeAll(async () => {
    db = await fresh();
    store = await openStore(db.options);
    api = await loopback(webApi);
    hook = await loopback();
    const config: SlackConfig = {
      mode: "http",
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: "state-secret-0123456789" },
      signingSecret: SIGNING_SECRET,
      apiUrl: `${api.url}/api/`,
      host: "127.0.0.1",
      port: 0,
    };
    slack = await startSlack(realEngine(), config, log, { store });
    appUrl = `http://127.0.0.1:${slack.port}`;
  }, SETUP_MS);

  afterAll(async () => {
    await slack?.stop();
    await Promise.all([api?.close(), hook?.close()]);
    await store?.close();
    await db?.drop();
  });

  /** Calls to one Web API method, with the token each carried. */
  const calls = (method: string) =>
    api.requests
      .filter((r) => r.path === `/api/${method}`)
      .map((r) => ({
        token: r.headers.authorization?.replace(/^Bearer /u, ""),
        args: Object.fromEntries(new URLSearchParams(r.body)),
      }));

  /** GET /slack/install as a browser: the redirect to Slack and the state cookie it sets. */
  async function startInstall() {
    const res = await fetch(`${appUrl}/slack/install`, { redirect: "manual" });
    const location = new URL(res.headers.get("location") ?? "about:blank");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${STATE_COOKIE}=`)) ?? "";
    return { res, location, cookie: cookie.split(";", 1)[0] ?? "" };
  }

  /** The whole install of one workspace, as the installer's browser goes through it. */
  async function install(w: Workspace) {
    const { location, cookie } = await startInstall();
    const state = location.searchParams.get("state") ?? "";
    const query = new URLSearchParams({ code: w.code, state });
    return fetch(`${appUrl}/slack/oauth_redirect?${query}`, { headers: { cookie }, redirect: "manual" });
  }

  const mention = (w: Workspace, text: string) =>
    post(
      appUrl,
      eventCallback(
        {
          type: "app_mention",
          user: USER,
          text: `<@${w.botUser}> ${text}`,
          ts: "1700000000.000100",
          channel: "C0GENERAL",
        },
        w.team,
        w.botUser,
      ),
    );

  /**
   * Bolt 5.1 acknowledges a request from a workspace it cannot authorize with an empty 200 (so
   * Slack does not retry) and runs no listener: no preview, no reply.
   */
  async function expectUnanswered(res: Response) {
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  }

  /** Waits (at most 3 s) until the workspace's installation is no longer in the database. */
  async function gone(w: Workspace) {
    const deadline = Date.now() + 3000;
    while ((await getSlackInstallation(store, { kind: "team", id: w.team })) !== undefined) {
      if (Date.now() > deadline) throw new Error(`${w.team} is still installed after 3 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("GET /slack/install redirects to Slack's authorize URL with our client id, the manifest's scopes and a state cookie", async () => {
    const { res, location, cookie } = await startInstall();
    expect(res.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(location.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(location.searchParams.get("scope")).toBe(BOT_SCOPES.join(","));
    const state = location.searchParams.get("state");
    expect(state).toBeTruthy();
    expect(cookie).toBe(`${STATE_COOKIE}=${state}`);
  });

  it("refuses a redirect whose state is not this browser's (no cookie): nothing exchanged, nothing stored", async () => {
    const { location } = await startInstall();
    const query = new URLSearchParams({
      code: WORKSPACES.acme.code,
      state: location.searchParams.get("state") ?? "",
    });
    const res = await fetch(`${appUrl}/slack/oauth_redirect?${query}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(calls("oauth.v2.access")).toEqual([]);
    expect(await getSlackInstallation(store, { kind: "team", id: WORKSPACES.acme.team })).toBeUndefined();
  });

  it("a completed install exchanges the code at oauth.v2.access and stores the workspace's installation", async () => {
    const res = await install(WORKSPACES.acme);
    expect(res.status).toBe(200);
    expect(calls("oauth.v2.access")).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({ code: WORKSPACES.acme.code, client_id: CLIENT_ID }),
      }),
    ]);
    expect(await getSlackInstallation(store, { kind: "team", id: WORKSPACES.acme.team })).toMatchObject({
      team: { id: WORKSPACES.acme.team },
      bot: { token: WORKSPACES.acme.token, userId: WORKSPACES.acme.botUser },
    });
    expect((await install(WORKSPACES.globex)).status).toBe(200);
  });

  it("answers /karpathy quote agents from an installed workspace, and refuses one that never installed", async () => {
    const res = await post(appUrl, slashCommand("quote agents", `${hook.url}/hooks/1`, WORKSPACES.acme.team));
    expect(res.status).toBe(200);
    const preview = (await res.json()) as SentMessage;
    expect(preview.response_type).toBe("ephemeral");
    expect(buttonsOf(preview).length).toBeGreaterThan(1);
    const stranger = await post(appUrl, slashCommand("quote agents", `${hook.url}/hooks/2`, "T0STRANGER"));
    await expectUnanswered(stranger);
  });

  it("sends an installed workspace's preview to the channel with Send (through its response_url)", async () => {
    const res = await post(
      appUrl,
      slashCommand("quote agents", `${hook.url}/hooks/10`, WORKSPACES.acme.team),
    );
    const send = buttonsOf((await res.json()) as SentMessage).find((b) => b.action_id === "kq_send");
    const press = buttonPress(
      send?.action_id ?? "",
      send?.value ?? "",
      `${hook.url}/hooks/11`,
      WORKSPACES.acme.team,
    );
    expect((await post(appUrl, press)).status).toBe(200);
    const posted = await eventually(() =>
      hook.requests
        .filter((r) => r.path === "/hooks/11")
        .map((r) => JSON.parse(r.body) as SentMessage)
        .find((m) => m.response_type === "in_channel"),
    );
    expect(posted.blocks?.length).toBeGreaterThan(0);
  });

  it("answers each workspace's mention with that workspace's own token", async () => {
    for (const w of [WORKSPACES.acme, WORKSPACES.globex]) {
      expect((await mention(w, "what about agents?")).status).toBe(200);
      const posted = await eventually(() =>
        calls("chat.postMessage").find(
          (c) => c.token === w.token && c.args.thread_ts === "1700000000.000100",
        ),
      );
      expect(posted.args.channel).toBe("C0GENERAL");
    }
    expect(calls("chat.postMessage").every((c) => c.token !== undefined)).toBe(true);
  });

  it("publishes the App Home (a how-to) when a user opens the Home tab, with the workspace's token", async () => {
    const opened = eventCallback(
      { type: "app_home_opened", user: USER, channel: "D0DM", tab: "home" },
      WORKSPACES.globex.team,
      WORKSPACES.globex.botUser,
    );
    expect((await post(appUrl, opened)).status).toBe(200);
    const published = await eventually(() => calls("views.publish")[0]);
    expect(published.token).toBe(WORKSPACES.globex.token);
    expect(published.args.user_id).toBe(USER);
    const view = JSON.parse(published.args.view ?? "{}") as {
      type: string;
      blocks: { text?: { text: string } }[];
    };
    expect(view.type).toBe("home");
    const text = view.blocks.map((b) => b.text?.text ?? "").join("\n");
    expect(text).toContain("/karpathy quote agents");
    expect(text).toContain("Messages");
  });

  it("answers a direct message (the Messages tab) like a mention, in the DM, with the workspace's token", async () => {
    const dm = eventCallback(
      {
        type: "message",
        channel_type: "im",
        channel: "D0DM",
        user: USER,
        text: "agents",
        ts: "1700000000.000500",
      },
      WORKSPACES.acme.team,
      WORKSPACES.acme.botUser,
    );
    expect((await post(appUrl, dm)).status).toBe(200);
    const reply = await eventually(() => calls("chat.postMessage").find((c) => c.args.channel === "D0DM"));
    expect(reply.token).toBe(WORKSPACES.acme.token);
    expect(reply.args.text).toMatch(/Karpathy|“/u);
    expect(reply.args.thread_ts).toBeUndefined();
  });

  it("app_uninstalled deletes the installation: the workspace's next command and mention get no answer with the old token", async () => {
    const w = WORKSPACES.acme;
    const uninstalled = eventCallback({ type: "app_uninstalled" }, w.team, w.botUser);
    expect((await post(appUrl, uninstalled)).status).toBe(200);
    await gone(w);

    const before = calls("chat.postMessage").filter((c) => c.token === w.token).length;
    const command = await post(appUrl, slashCommand("quote agents", `${hook.url}/hooks/3`, w.team));
    await expectUnanswered(command);
    await expectUnanswered(await mention(w, "agents"));
    await new Promise((r) => setTimeout(r, 100));
    expect(calls("chat.postMessage").filter((c) => c.token === w.token)).toHaveLength(before);
    // The other workspace is untouched.
    expect(await getSlackInstallation(store, { kind: "team", id: WORKSPACES.globex.team })).toBeDefined();
  });

  it("tokens_revoked for the bot deletes the installation too", async () => {
    const w = WORKSPACES.globex;
    const revoked = eventCallback(
      { type: "tokens_revoked", tokens: { oauth: [], bot: [w.botUser] } },
      w.team,
      w.botUser,
    );
    expect((await post(appUrl, revoked)).status).toBe(200);
    await gone(w);
    const before = calls("chat.postMessage").filter((c) => c.token === w.token).length;
    await expectUnanswered(await mention(w, "agents"));
    await new Promise((r) => setTimeout(r, 100));
    expect(calls("chat.postMessage").filter((c) => c.token === w.token)).toHaveLength(before);
  });
});
