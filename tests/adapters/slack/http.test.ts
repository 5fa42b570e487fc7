/**
 * The whole adapter through Bolt's real HTTPReceiver on 127.0.0.1, driven by requests signed the way
 * Slack signs them. response_url and the Web API are loopback servers, so nothing leaves the machine.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS, encodeState, fullName, runCommand } from "../../../commands/index.js";
import { startSlack } from "../../../src/adapters/slack/main.js";
import {
  isFromTheFuture,
  isValidSignature,
  MAX_FUTURE_SKEW_SECONDS,
} from "../../../src/adapters/slack/receiver.js";
import { INTERNAL_ERROR, NOT_SENT } from "../../../src/adapters/slack/register.js";
import { actionIdOf, renderReply } from "../../../src/adapters/slack/render.js";
import type { QuoteEngine } from "../../../src/core/engine.js";
import { realEngine } from "../../helpers.js";
import {
  appMention,
  BOT_TOKEN,
  blockKitProblems,
  buttonPress,
  buttonsOf,
  CHANNEL,
  captureLog,
  eventually,
  type Loopback,
  nowSeconds,
  post,
  type SentMessage,
  SIGNING_SECRET,
  sign,
  slashCommand,
  startTestApp,
  type TestApp,
  USER,
  urlVerification,
} from "./harness.js";

let engine: QuoteEngine;
let api: TestApp["api"];
let hook: Loopback;
let hookStatus = 200;
/** response_url paths whose next call fails with 500 (once each). */
const failOnce = new Set<string>();
let app: TestApp | undefined;
let appUrl: string;
const logged = captureLog();

beforeAll(async () => {
  engine = realEngine();
  app = await startTestApp(engine, logged.log, (req) => {
    if (failOnce.delete(req.path)) return { status: 500, body: "boom" };
    return { status: hookStatus, body: "ok" };
  });
  ({ api, hook, url: appUrl } = app);
});

afterAll(async () => {
  await app?.close();
});

beforeEach(() => {
  hookStatus = 200;
});

let hookId = 0;
/** A fresh response_url, so each test reads only its own calls. */
const responseUrl = () => `${hook.url}/hooks/${++hookId}`;
const postsTo = (url: string) =>
  hook.requests.filter((r) => url.endsWith(r.path)).map((r) => JSON.parse(r.body) as SentMessage);

async function command(text: string) {
  const res = await post(appUrl, slashCommand(text, responseUrl()));
  expect(res.status).toBe(200);
  return (await res.json()) as SentMessage;
}

/** The state a real preview for `query` carries in its buttons. */
async function previewState(query: string): Promise<string> {
  const reply = await runCommand("quote", { query }, { engine });
  if (reply.kind !== "quote") throw new Error(`no quote for ${query}`);
  return reply.state;
}

describe("the slash command", () => {
  it("answers /karpathy reinforcement learning with an attributed ephemeral preview with a Send button", async () => {
    const body = await command("reinforcement learning");
    expect(body.response_type).toBe("ephemeral");
    expect(blockKitProblems(body)).toEqual([]);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain("Andrej Karpathy");
    expect(text).toMatch(/1 of \d/u);
    const send = buttonsOf(body).find((b) => b.action_id === actionIdOf("send"));
    expect(send).toMatchObject({ type: "button", text: { text: "Send" } });
    expect(send?.value?.length).toBeLessThanOrEqual(80);
  });

  it("takes `quote <query>` and `source:<id>` anywhere in the text", async () => {
    const body = await command("quote source:dwarkesh agents");
    const dwarkesh = engine.sources().find((s) => s.id === "dwarkesh");
    expect(JSON.stringify(body.blocks)).toContain(dwarkesh?.title);
  });

  it("explains every command on `help`", async () => {
    const body = await command("help");
    expect(body.response_type).toBe("ephemeral");
    for (const c of COMMANDS) expect(JSON.stringify(body.blocks)).toContain(`/karpathy ${fullName(c)}`);
  });

  it("lists the sources, and gives a random quote from one", async () => {
    const sources = await command("sources");
    for (const s of engine.sources()) expect(JSON.stringify(sources.blocks)).toContain(s.id);
    const random = await command("random source:nopriors");
    expect(JSON.stringify(random.blocks)).toContain("No Priors");
  });

  it("says so in a short message when nothing is found or the input is wrong", async () => {
    expect((await command("zzzqqq xyzzy")).text).toMatch(/^Nothing found/u);
    expect((await command("agents source:nope")).text).toMatch(/source/iu);
  });

  it.each(["application/x-www-form-urlencoded; charset=utf-8", "Application/X-WWW-Form-Urlencoded"])(
    "accepts the content type %s as the form it is",
    async (contentType) => {
      const res = await post(appUrl, { ...slashCommand("agents", responseUrl()), contentType });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain("Andrej Karpathy");
    },
  );

  it("answers a command that comes without a `text` field as it answers empty text (the usage)", async () => {
    const request = slashCommand("", responseUrl());
    const fields = new URLSearchParams(request.body);
    fields.delete("text");
    const res = await post(appUrl, { ...request, body: fields.toString() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SentMessage;
    expect(body).toEqual(await command(""));
    expect(body.text).not.toBe(renderReply(INTERNAL_ERROR).text);
  });

  it("answers a command that comes without `user_name` (optional, being retired by Slack) with a quote", async () => {
    const request = slashCommand("agents", responseUrl());
    const fields = new URLSearchParams(request.body);
    fields.delete("user_name");
    const res = await post(appUrl, { ...request, body: fields.toString() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SentMessage;
    expect(body.text).not.toBe(renderReply(INTERNAL_ERROR).text);
    expect(JSON.stringify(body)).toContain("Andrej Karpathy");
  });

  it.each([
    ["<!channel>", "<!channel> agents"],
    ["&lt;!channel&gt; (as Slack encodes what a user typed)", "&lt;!channel&gt; zzzqqq"],
    ["<@U123>", "<@U123> zzzqqq"],
    ["&", "AT&T zzzqqq"],
    ["a link", "<https://evil.example|click> zzzqqq"],
    ["10,000 characters", `<!channel> ${"x".repeat(10_000)}`],
    ["emoji", "🚀🔥 agents 👩‍💻"],
    ["right-to-left text", "\u202Eשלום agents\u202C"],
  ])("answers hostile text (%s) safely, never echoing it raw", async (_what, text) => {
    const body = await command(text);
    expect(blockKitProblems(body)).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/u);
  });
});

describe("the preview buttons", () => {
  it("Next replaces the preview with the next result, 2 of n", async () => {
    const url = responseUrl();
    const res = await post(appUrl, buttonPress(actionIdOf("next"), await previewState("agents"), url));
    expect(res.status).toBe(200);
    const [reply] = await eventually(() => (postsTo(url).length ? postsTo(url) : undefined));
    expect(reply).toMatchObject({ replace_original: true, response_type: "ephemeral" });
    expect(JSON.stringify(reply?.blocks)).toMatch(/2 of \d/u);
    expect(blockKitProblems(reply ?? {})).toEqual([]);
  });

  it("Send posts the quote in the channel, crediting who shared it, then deletes the preview", async () => {
    const url = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), await previewState("reinforcement learning"), url));
    const [shared, deleted] = await eventually(() => (postsTo(url).length >= 2 ? postsTo(url) : undefined));
    expect(shared).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(JSON.stringify(shared?.blocks)).toContain(`Shared by <@${USER}>`);
    expect(JSON.stringify(shared?.blocks)).toContain("Andrej Karpathy");
    expect(JSON.stringify(shared?.blocks)).not.toContain(actionIdOf("send"));
    expect(blockKitProblems(shared ?? {})).toEqual([]);
    expect(deleted).toEqual({ delete_original: true });
  });

  it("Context adds an ephemeral message with the exchange, keeping the preview", async () => {
    const url = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("context"), await previewState("agents"), url));
    const [reply] = await eventually(() => (postsTo(url).length ? postsTo(url) : undefined));
    expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(JSON.stringify(reply?.blocks)).toContain("Context of the quote");
  });

  it("Cancel deletes the preview", async () => {
    const url = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("cancel"), await previewState("agents"), url));
    expect(await eventually(() => (postsTo(url).length ? postsTo(url) : undefined))).toEqual([
      { delete_original: true },
    ]);
  });

  it.each<[string, () => string]>([
    ["garbage", () => "<!channel>|&|zz"],
    [
      "a stale corpus stamp",
      () => encodeState(engine, { refs: ["0.1"], index: 0, id: "t0000abc" }).replace(/^..../u, "zzzz"),
    ],
  ])("answers a button with %s state with a short ephemeral note", async (_what, value) => {
    const url = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("next"), value(), url));
    const [reply] = await eventually(() => (postsTo(url).length ? postsTo(url) : undefined));
    expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(blockKitProblems(reply ?? {})).toEqual([]);
  });

  it("logs a failing response_url and keeps serving", async () => {
    hookStatus = 500;
    const url = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), await previewState("agents"), url));
    await eventually(() =>
      logged.lines.find((l) => l.msg === "slack: could not send the failure note either"),
    );
    expect(logged.lines.some((l) => l.msg === "slack: response_url call failed")).toBe(true);
    // The in-channel post failed, so the preview is not deleted: the post and the failure note only.
    expect(postsTo(url).map((m) => m.response_type)).toEqual(["in_channel", "ephemeral"]);
    hookStatus = 200;
    expect((await command("agents")).response_type).toBe("ephemeral");
  });

  it("tells the sharer when Slack refuses to post the quote, and keeps the preview", async () => {
    const url = responseUrl();
    failOnce.add(new URL(url).pathname);
    await post(appUrl, buttonPress(actionIdOf("send"), await previewState("agents"), url));
    const [shared, note] = await eventually(() => (postsTo(url).length >= 2 ? postsTo(url) : undefined));
    expect(shared?.response_type).toBe("in_channel");
    expect(note).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
      text: renderReply(NOT_SENT).text,
    });
    expect(blockKitProblems(note ?? {})).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(postsTo(url)).toHaveLength(2); // no delete_original: the preview stays to try again
  });

  it("posts a preview once: a second Send, or Send after Cancel, gets Already sent. and posts nothing", async () => {
    const state = await previewState("agents");
    const first = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), state, first));
    await eventually(() => (postsTo(first).length >= 2 ? postsTo(first) : undefined));
    const again = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), state, again));
    const [note] = await eventually(() => (postsTo(again).length ? postsTo(again) : undefined));
    expect(note).toMatchObject({ response_type: "ephemeral", text: "Already sent." });
    const cancelled = await previewState("agents");
    await post(appUrl, buttonPress(actionIdOf("cancel"), cancelled, responseUrl()));
    const late = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), cancelled, late));
    await eventually(() => (postsTo(late).length ? postsTo(late) : undefined));
    await new Promise((r) => setTimeout(r, 50));
    expect(postsTo(late).map((m) => m.response_type)).toEqual(["ephemeral"]);
  });

  it("lets the sharer press Send again after Slack refused the post", async () => {
    const state = await previewState("agents");
    const url = responseUrl();
    failOnce.add(new URL(url).pathname);
    await post(appUrl, buttonPress(actionIdOf("send"), state, url));
    await eventually(() => (postsTo(url).length >= 2 ? postsTo(url) : undefined));
    const retry = responseUrl();
    await post(appUrl, buttonPress(actionIdOf("send"), state, retry));
    const [shared] = await eventually(() => (postsTo(retry).length >= 2 ? postsTo(retry) : undefined));
    expect(shared?.response_type).toBe("in_channel");
  });
});

describe("mentions", () => {
  it("answers @karpathy with the best quote in a thread", async () => {
    const res = await post(appUrl, appMention("<@U0BOT> what about agents?"));
    expect(res.status).toBe(200);
    const [call] = await eventually(() => {
      const calls = api.calls("chat.postMessage");
      return calls.length ? calls : undefined;
    });
    expect(call).toMatchObject({ channel: CHANNEL, thread_ts: "1700000000.000100" });
    expect(JSON.stringify(call?.blocks)).toContain("Andrej Karpathy");
    expect(blockKitProblems(call ?? {})).toEqual([]);
    expect(api.requests.find((r) => r.path === "/api/chat.postMessage")?.headers.authorization).toBe(
      `Bearer ${BOT_TOKEN}`,
    );
    expect(api.calls("auth.test")).toEqual([]);
  });

  it("answers in the existing thread when mentioned inside one, and ignores other bots", async () => {
    const before = api.calls("chat.postMessage").length;
    await post(appUrl, appMention("<@U0BOT> reinforcement learning", { thread_ts: "1690000000.000001" }));
    const call = await eventually(() => api.calls("chat.postMessage")[before]);
    expect(call.thread_ts).toBe("1690000000.000001");
    await post(appUrl, appMention("<@U0BOT> agents", { bot_id: "B0OTHER", ts: "1700000000.000900" }));
    await post(appUrl, appMention("<@U0BOT> zzzqqq xyzzy"));
    await eventually(() => api.calls("chat.postEphemeral")[0]);
    expect(api.calls("chat.postMessage")).toHaveLength(before + 1);
  });

  it("answers a mention that carries no `text` privately, as it answers empty text", async () => {
    const before = api.calls("chat.postEphemeral").length;
    const mention = JSON.parse(appMention("").body) as { event: Record<string, unknown> };
    delete mention.event.text;
    mention.event.ts = "1700000000.000950";
    const res = await post(appUrl, { body: JSON.stringify(mention), contentType: "application/json" });
    expect(res.status).toBe(200);
    const call = await eventually(() => api.calls("chat.postEphemeral")[before]);
    expect(call).toMatchObject({ channel: CHANNEL, user: USER });
    expect(call.text).not.toBe(renderReply(INTERNAL_ERROR).text);
  });
});

describe("request verification", () => {
  const valid = () => slashCommand("agents", responseUrl());

  it("echoes Slack's url_verification challenge", async () => {
    const res = await post(appUrl, urlVerification("c-123"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "c-123" });
  });

  // Timestamps are made when the test runs, not when the table is built: on a loaded machine the
  // table can be built more than the margin before the test gets to run.
  it.each([
    ["a bad signature", () => ({ signature: `v0=${"0".repeat(64)}` })],
    ["the wrong secret", () => ({ secret: "not-the-secret" })],
    [
      "a stale timestamp (more than 5 minutes old)",
      () => ({ timestamp: nowSeconds() - MAX_FUTURE_SKEW_SECONDS - 10 }),
    ],
    [
      "a future timestamp (more than 5 minutes ahead)",
      () => ({ timestamp: nowSeconds() + MAX_FUTURE_SKEW_SECONDS + 10 }),
    ],
  ])("rejects a request with %s", async (_what, options) => {
    const res = await post(appUrl, valid(), options());
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it("rejects a request without signature headers", async () => {
    const { body, contentType } = valid();
    const res = await fetch(`${appUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
    expect(res.status).toBe(401);
  });

  it("accepts a correctly signed request whose clock is a minute ahead", async () => {
    const res = await post(appUrl, valid(), { timestamp: nowSeconds() + 60 });
    expect(res.status).toBe(200);
  });

  it.each([
    [undefined, false],
    [String(1_000_000 + MAX_FUTURE_SKEW_SECONDS), false],
    [String(1_000_000 + MAX_FUTURE_SKEW_SECONDS + 1), true],
    ["not a number", false],
  ])("treats timestamp %j as from the future: %s", (header, expected) => {
    expect(isFromTheFuture(header, 1_000_000_000)).toBe(expected);
  });

  it.each<[string, number, Record<string, string | string[]>, boolean]>([
    ["a valid signature", 0, {}, true],
    ["a timestamp 5 minutes old", -300, {}, true],
    ["a timestamp 5 minutes ahead", 300, {}, true],
    ["a stale timestamp", -301, {}, false],
    ["a future timestamp", 301, {}, false],
    ["another secret's signature", 0, { "x-slack-signature": sign("a=b", 1_000_000, "other-secret") }, false],
    ["a malformed signature", 0, { "x-slack-signature": "v0=zz" }, false],
    ["an unknown signature version", 0, { "x-slack-signature": `v1=${"0".repeat(64)}` }, false],
    ["a timestamp that is not a number", 0, { "x-slack-request-timestamp": "soon" }, false],
    ["a repeated signature header", 0, { "x-slack-signature": ["v0=1", "v0=2"] }, false],
  ])("verifies a request with %s: %s", (_what, skew, override, expected) => {
    const headers = {
      "x-slack-request-timestamp": "1000000",
      "x-slack-signature": sign("a=b", 1_000_000),
      ...override,
    };
    expect(isValidSignature(SIGNING_SECRET, headers, "a=b", (1_000_000 - skew) * 1000)).toBe(expected);
  });

  it("signs the same way Slack documents it", () => {
    // Slack's published example: https://docs.slack.dev/authentication/verifying-requests-from-slack
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(sign(body, 1531420618, "8f742231b10e8888abcd99yyyzzz85a5")).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });
});

describe("the HTTP server", () => {
  it("stops gracefully and releases its port", async () => {
    const { log } = captureLog();
    const other = await startSlack(
      engine,
      { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, host: "127.0.0.1", port: 0 },
      log,
    );
    const url = `http://127.0.0.1:${other.port}`;
    expect((await post(url, urlVerification("x"))).status).toBe(200);
    await other.stop();
    await other.stop(); // twice is harmless
    await expect(fetch(`${url}/slack/events`, { method: "POST" })).rejects.toThrow();
  });
});
