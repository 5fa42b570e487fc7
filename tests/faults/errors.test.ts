/**
 * Failures on our side, through each HTTP endpoint: an engine that throws mid-command, and an outgoing
 * call (Discord's webhook for Send, Slack's response_url) that fails. Each is logged with its details,
 * the user gets a short friendly message, and the endpoint goes on answering.
 */
import type { APIInteractionResponseCallbackData } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningHttpAdapter } from "../../src/adapters/discord/http.js";
import { messageProblems } from "../../src/adapters/discord/limits.js";
import { NOTES } from "../../src/adapters/discord/render.js";
import { type SlackAdapter, startSlack } from "../../src/adapters/slack/main.js";
import { INTERNAL_ERROR, NOT_SENT } from "../../src/adapters/slack/register.js";
import { actionIdOf, renderReply } from "../../src/adapters/slack/render.js";
import type { QuoteEngine } from "../../src/core/engine.js";
import {
  chatInput,
  customIdOf,
  buttonPress as discordButton,
  engine,
  type FollowUp,
  keyPair,
  recordingLog,
  signed,
  startTestEndpoint,
  type TestEndpoint,
} from "../adapters/discord/fixtures.js";
import {
  BOT_TOKEN,
  blockKitProblems,
  buttonsOf,
  captureLog,
  eventually,
  type Loopback,
  loopback,
  post,
  type SentMessage,
  SIGNING_SECRET,
  buttonPress as slackButton,
  slashCommand,
} from "../adapters/slack/harness.js";

type Answer = { type: number; data?: APIInteractionResponseCallbackData };

/** The real engine, except that searching for "explode" throws like a bug would. */
function explosive(): QuoteEngine {
  const broken = Object.create(engine) as QuoteEngine;
  broken.search = (query, options) => {
    if (query.includes("explode")) throw new TypeError("index exploded");
    return engine.search(query, options);
  };
  return broken;
}

describe("the Discord HTTP endpoint", () => {
  const keys = keyPair();
  const { log, records } = recordingLog();
  /** Fake Discord: the webhook answers with the next status in `statuses`, then 200. */
  const statuses: number[] = [];
  let test: TestEndpoint;
  let endpoint: RunningHttpAdapter;
  let posted: FollowUp[];

  beforeAll(async () => {
    test = await startTestEndpoint(explosive(), keys, log, () => statuses.shift() ?? 200);
    ({ endpoint, followUps: posted } = test);
  });

  afterAll(async () => {
    await test.close();
  });

  async function send(payload: unknown): Promise<{ status: number; body: Answer }> {
    const text = JSON.stringify(payload);
    const res = await fetch(endpoint.url, {
      method: "POST",
      body: text,
      headers: signed(keys.privateKey, text),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  }

  it("answers a command whose handler throws with a friendly ephemeral note, logs it, and keeps serving", async () => {
    const { status, body } = await send(chatInput("quote", { query: "explode agents" }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 4, data: { content: NOTES.failure, flags: 64 } });
    expect(messageProblems(body.data ?? {})).toEqual([]);
    expect(records).toContainEqual(
      expect.objectContaining({
        msg: "Discord: interaction failed",
        err: expect.objectContaining({ message: "index exploded" }),
      }),
    );
    expect(JSON.stringify(body)).not.toContain("index exploded");
    const next = await send(chatInput("quote", { query: "agents" }));
    expect(next.body.data?.embeds?.[0]?.description).toContain("Andrej Karpathy");
  });

  it("tells the sharer when Discord refuses the public Send, in the preview it never called sent", async () => {
    const preview = await send(chatInput("quote", { query: "agents" }));
    const before = posted.length;
    statuses.push(403);
    const { body } = await send(discordButton(customIdOf(preview.body.data, "send")));
    // Deferred: nothing says "Sent" before the public message exists.
    expect(body).toEqual({ type: 6 });
    await vi.waitFor(() => expect(posted.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    const closed = posted[before + 1];
    expect(closed?.method).toBe("PATCH");
    expect(closed?.body).toMatchObject({ content: NOTES.notSent });
    expect(records.some((r) => r.msg === "Discord: could not post the shared quote")).toBe(true);
  });

  it("lets the sharer press Send again after Discord refused it, and then posts the quote", async () => {
    const preview = await send(chatInput("quote", { query: "agents" }));
    const sendId = customIdOf(preview.body.data, "send");
    statuses.push(403);
    const before = posted.length;
    await send(discordButton(sendId));
    await vi.waitFor(() => expect(posted.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    // Nothing was posted, so this is no "Already sent.": the quote goes out.
    const again = await send(discordButton(sendId));
    expect(again.body).toEqual({ type: 6 });
    await vi.waitFor(() => expect(posted.length).toBe(before + 4), { timeout: 2000, interval: 5 });
    expect(posted[before + 2]?.method).toBe("POST");
    expect(JSON.stringify(posted[before + 2]?.body)).toContain("Andrej Karpathy");
    expect(posted[before + 3]?.body).toMatchObject({ content: NOTES.sent });
    // Once it is out, a further press posts nothing.
    const third = await send(discordButton(sendId));
    expect(JSON.stringify(third.body)).toContain("Already sent.");
    await new Promise((r) => setTimeout(r, 300));
    expect(posted.length).toBe(before + 4);
  });

  it("gives up quietly when the preview cannot be updated either", async () => {
    const preview = await send(chatInput("quote", { query: "agents" }));
    statuses.push(403, 403);
    await send(discordButton(customIdOf(preview.body.data, "send")));
    await vi.waitFor(
      () =>
        expect(records.some((r) => r.msg === "Discord: could not update the preview after Send")).toBe(true),
      { timeout: 2000, interval: 5 },
    );
    expect((await send({ type: 1 })).body).toEqual({ type: 1 });
  });

  it("never logs the webhook URL or the interaction token of a failed Send, nor a signature", async () => {
    const preview = await send(chatInput("quote", { query: "agents" }));
    statuses.push(403, 403);
    const press = discordButton(customIdOf(preview.body.data, "send"));
    const text = JSON.stringify(press);
    const headers = signed(keys.privateKey, text);
    await fetch(endpoint.url, { method: "POST", body: text, headers });
    const failed = () => records.filter((r) => r.msg === "Discord: could not update the preview after Send");
    const before = failed().length;
    await vi.waitFor(() => expect(failed().length).toBeGreaterThan(before), { timeout: 2000 });
    const logged = JSON.stringify(records);
    expect(logged).toContain("[REDACTED]");
    for (const secret of [press.token, `/webhooks/${press.application_id}/`, headers["x-signature-ed25519"]])
      expect(logged).not.toContain(secret);
  });
});

describe("the Slack HTTP endpoint", () => {
  const logged = captureLog();
  let hook: Loopback;
  /** response_url paths whose calls fail with 500. */
  const failing = new Set<string>();
  let slack: SlackAdapter;
  let appUrl: string;
  let hookId = 0;
  const responseUrl = () => `${hook.url}/hooks/${++hookId}`;
  const postsTo = (url: string) =>
    hook.requests.filter((r) => url.endsWith(r.path)).map((r) => JSON.parse(r.body) as SentMessage);

  beforeAll(async () => {
    hook = await loopback((req) =>
      failing.has(req.path) ? { status: 500, body: "boom" } : { status: 200, body: "ok" },
    );
    slack = await startSlack(
      explosive(),
      { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, host: "127.0.0.1", port: 0 },
      logged.log,
    );
    appUrl = `http://127.0.0.1:${slack.port}`;
  });

  afterAll(async () => {
    await slack.stop();
    await hook.close();
  });

  it("answers a command whose handler throws with a friendly ephemeral message, logs it, and keeps serving", async () => {
    const res = await post(appUrl, slashCommand("explode agents", responseUrl()));
    expect(res.status).toBe(200);
    const body = (await res.json()) as SentMessage;
    expect(body).toMatchObject({ response_type: "ephemeral", text: renderReply(INTERNAL_ERROR).text });
    expect(blockKitProblems(body)).toEqual([]);
    expect(JSON.stringify(body)).not.toContain("index exploded");
    expect(logged.lines).toContainEqual(
      expect.objectContaining({
        msg: "slack: command failed",
        err: expect.objectContaining({ message: "index exploded" }),
      }),
    );
    const next = await post(appUrl, slashCommand("agents", responseUrl()));
    expect(JSON.stringify(await next.json())).toContain("Andrej Karpathy");
  });

  it("answers a button whose response_url fails with a note, when Slack takes one", async () => {
    const url = responseUrl();
    const reply = (await (await post(appUrl, slashCommand("agents", url))).json()) as SentMessage;
    const send = buttonsOf(reply).find((b) => b.action_id === actionIdOf("send"));
    const pressUrl = responseUrl();
    failing.add(new URL(pressUrl).pathname);
    await post(appUrl, slackButton(actionIdOf("send"), send?.value ?? "", pressUrl));
    await eventually(() =>
      logged.lines.find((l) => l.msg === "slack: could not send the failure note either"),
    );
    expect(postsTo(pressUrl).map((m) => m.response_type)).toEqual(["in_channel", "ephemeral"]);
    expect(postsTo(pressUrl)[1]?.text).toBe(renderReply(NOT_SENT).text);
    failing.clear();
    expect((await post(appUrl, slashCommand("agents", responseUrl()))).status).toBe(200);
  });

  it("never logs a response_url, the bot token or the signing secret on a failure path", async () => {
    const url = responseUrl();
    failing.add(new URL(url).pathname);
    await post(appUrl, slashCommand("explode agents", url));
    const reply = (await (await post(appUrl, slashCommand("agents", responseUrl()))).json()) as SentMessage;
    const send = buttonsOf(reply).find((b) => b.action_id === actionIdOf("send"));
    const pressUrl = responseUrl();
    failing.add(new URL(pressUrl).pathname);
    const before = logged.lines.length;
    await post(appUrl, slackButton(actionIdOf("send"), send?.value ?? "", pressUrl));
    await eventually(() =>
      logged.lines.slice(before).find((l) => l.msg === "slack: could not send the failure note either"),
    );
    failing.clear();
    const text = JSON.stringify(logged.lines);
    for (const secret of [new URL(pressUrl).pathname, new URL(url).pathname, BOT_TOKEN, SIGNING_SECRET])
      expect(text).not.toContain(secret);
  });
});
