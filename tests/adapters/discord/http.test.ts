/**
 * The HTTP interactions endpoint on 127.0.0.1 (port 0) with real Ed25519 signatures from a key pair
 * generated here. Send's follow-up goes through a real discord.js REST client pointed at a loopback
 * server that records what Discord would receive (startTestEndpoint in fixtures.ts).
 */
import { request } from "node:http";
import type { APIInteractionResponseCallbackData } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningHttpAdapter } from "../../../src/adapters/discord/http.js";
import { messageProblems } from "../../../src/adapters/discord/limits.js";
import { NOTES } from "../../../src/adapters/discord/render.js";
import {
  APP_ID,
  alice,
  autocomplete,
  bob,
  buttonPress,
  chatInput,
  customIdOf,
  engine,
  type FollowUp,
  HOSTILE,
  keyPair,
  MENTION,
  recordingLog,
  signed,
  startTestEndpoint,
  type TestEndpoint,
} from "./fixtures.js";

const keys = keyPair();
const { log, records } = recordingLog();
/** Status the fake Discord API answers follow-ups with. */
let discordStatus = 200;
let test: TestEndpoint;
let endpoint: RunningHttpAdapter;
let followUps: FollowUp[];

beforeAll(async () => {
  test = await startTestEndpoint(engine, keys, log, () => discordStatus);
  ({ endpoint, followUps } = test);
});

afterAll(async () => {
  await test.close();
});

/** A Discord timestamp `seconds` in the past (negative: in the future). */
const ago = (seconds: number) => String(Math.floor(Date.now() / 1000) - seconds);

type Body = { type: number; data?: APIInteractionResponseCallbackData & { choices?: unknown[] } };

/** A body signed with the app's key (now, or at `timestamp`), posted to the endpoint as it is. */
function postSigned(text: string, timestamp?: string) {
  return fetch(endpoint.url, {
    method: "POST",
    body: text,
    headers: signed(keys.privateKey, text, timestamp),
  });
}

async function post(
  payload: unknown,
  headers?: Record<string, string>,
): Promise<{ status: number; body: Body }> {
  const text = JSON.stringify(payload);
  const res = await fetch(endpoint.url, {
    method: "POST",
    body: text,
    headers: headers ?? signed(keys.privateKey, text),
  });
  const raw = await res.text();
  return {
    status: res.status,
    body: res.headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw,
  };
}

/** A raw request, for bodies fetch would not send as they are. */
function rawPost(body: Buffer | string[], headers: Record<string, string | number>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(endpoint.url, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    if (Array.isArray(body)) for (const chunk of body) req.write(chunk);
    else req.write(body);
    req.end();
  });
}

async function preview(query = "agents") {
  const { body } = await post(chatInput("quote", { query }));
  return body.data;
}

describe("the Discord HTTP interactions endpoint", () => {
  it("answers a signed PING with PONG", async () => {
    expect(await post({ type: 1, id: "1", application_id: APP_ID, token: "t", version: 1 })).toEqual({
      status: 200,
      body: { type: 1 },
    });
  });

  it("answers /karpathy quote in the HTTP response with an ephemeral preview", async () => {
    const best = engine.search("agents");
    const { status, body } = await post(chatInput("quote", { query: "agents" }));
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(body.data?.embeds?.[0]?.description).toContain(best[0]?.text);
    expect(body.data?.embeds?.[0]?.footer?.text).toBe(`1 of ${best.length}`);
    expect(customIdOf(body.data, "next")).toMatch(/^kq:next:/u);
    expect(messageProblems(body.data ?? {})).toEqual([]);
  });

  it("answers autocomplete with at most 25 choices within Discord's limits", async () => {
    const { body } = await post(autocomplete("quote", { query: "educ" }));
    expect(body.type).toBe(8);
    const choices = body.data?.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThanOrEqual(1);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeGreaterThanOrEqual(1);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it("answers autocomplete on an empty query with suggested topics", async () => {
    const { body } = await post(autocomplete("quote", { query: "" }));
    expect(body.data?.choices?.length).toBeGreaterThan(0);
  });

  it("updates the preview in place on Next", async () => {
    const best = engine.search("agents");
    const { body } = await post(buttonPress(customIdOf(await preview(), "next")));
    expect(body.type).toBe(7);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.embeds?.[0]?.description).toContain(best[1]?.text);
    expect(body.data?.embeds?.[0]?.footer?.text).toBe(`2 of ${best.length}`);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it("posts the public quote through the interaction webhook, then says Sent in the preview", async () => {
    const press = buttonPress(customIdOf(await preview(), "send"), alice, alice, "Ali");
    const before = followUps.length;
    const { body } = await post(press);
    // Deferred: the preview says "Sent" only once the public message exists.
    expect(body).toEqual({ type: 6 });
    await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    const [sent, closed] = followUps.slice(before);
    expect(closed?.method).toBe("PATCH");
    expect(decodeURIComponent(closed?.url ?? "")).toBe(
      `/api/v10/webhooks/${APP_ID}/${press.token}/messages/@original`,
    );
    expect(closed?.body).toMatchObject({ content: NOTES.sent, embeds: [], components: [] });
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(`/api/v10/webhooks/${APP_ID}/${press.token}?wait=true`);
    expect(sent?.body.flags ?? 0).toBe(0);
    expect(sent?.body.allowed_mentions).toEqual({ parse: [] });
    expect(sent?.body.embeds?.[0]?.footer?.text).toBe("Shared by Ali");
    expect(messageProblems(sent?.body ?? {})).toEqual([]);
  });

  it("posts a preview once: a second Send press, or a replay of it, answers Already sent. and posts nothing", async () => {
    const press = buttonPress(customIdOf(await preview(), "send"), alice, alice, "Ali");
    const before = followUps.length;
    await post(press);
    await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    for (const again of [press, { ...press, id: "another-interaction", token: "another-token" }]) {
      const { body } = await post(again);
      expect(body).toMatchObject({ type: 4, data: { content: NOTES.alreadySent, flags: 64 } });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(followUps).toHaveLength(before + 2);
  });

  it("posts nothing for Send after Cancel", async () => {
    const data = await preview();
    await post(buttonPress(customIdOf(data, "cancel")));
    const before = followUps.length;
    const { body } = await post(buttonPress(customIdOf(data, "send")));
    expect(body).toMatchObject({ type: 4, data: { content: NOTES.alreadySent } });
    await new Promise((r) => setTimeout(r, 50));
    expect(followUps).toHaveLength(before);
  });

  it("never says Sent when Discord refuses the public message: the preview says so, and Send works again", async () => {
    const press = buttonPress(customIdOf(await preview(), "send"));
    const before = followUps.length;
    discordStatus = 403;
    try {
      const { body } = await post(press);
      expect(body).toEqual({ type: 6 });
      await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
      const [, closed] = followUps.slice(before);
      expect(closed?.method).toBe("PATCH");
      expect(closed?.body).toMatchObject({ content: NOTES.notSent });
      expect(records.some((r) => r.msg === "Discord: could not post the shared quote")).toBe(true);
    } finally {
      discordStatus = 200;
    }
    // The claim was released: pressing Send again posts the quote.
    const again = await post({ ...press, id: "retry-interaction", token: "retry-token" });
    expect(again.body).toEqual({ type: 6 });
    await vi.waitFor(() => expect(followUps.length).toBe(before + 4), { timeout: 2000, interval: 5 });
    expect(followUps[before + 3]?.body).toMatchObject({ content: NOTES.sent });
    expect((await post({ type: 1 })).body).toEqual({ type: 1 });
  });

  it("answers Context ephemerally and closes the preview on Cancel", async () => {
    const data = await preview();
    const context = await post(buttonPress(customIdOf(data, "context")));
    expect(context.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(context.body.data?.embeds?.[0]?.description).toContain("Andrej Karpathy:");
    const cancel = await post(buttonPress(customIdOf(data, "cancel")));
    expect(cancel.body).toMatchObject({ type: 7, data: { content: NOTES.closed, components: [] } });
  });

  it("refuses another user's button press with an ephemeral note", async () => {
    const { body } = await post(buttonPress(customIdOf(await preview(), "next"), bob, alice));
    expect(body).toMatchObject({ type: 4, data: { content: NOTES.notYours, flags: 64 } });
  });

  it("refuses a button press whose message carries no interaction_metadata (fail closed)", async () => {
    const press = buttonPress(customIdOf(await preview(), "send"));
    const { interaction_metadata: _dropped, ...message } = press.message;
    const before = followUps.length;
    const { body } = await post({ ...press, message });
    expect(body).toMatchObject({ type: 4, data: { content: NOTES.notYours, flags: 64 } });
    expect(followUps).toHaveLength(before);
  });

  it("answers a button from a stale or forged custom_id with a short ephemeral message", async () => {
    for (const id of ["kq:next:zzzz|0|0.1", "kq:next:garbage", "other:thing"]) {
      const { body } = await post(buttonPress(id));
      expect(body.type).toBe(4);
      expect(body.data?.flags).toBe(64);
      // Says what to do, whichever check caught it (stale corpus stamp, bad state, not our id).
      expect(body.data?.content).toMatch(/not valid any more|Run the command again/u);
    }
  });

  it.each([
    ["no signature headers", () => ({ "content-type": "application/json" })],
    [
      "a malformed signature",
      (t: string) => ({ ...signed(keys.privateKey, t), "x-signature-ed25519": "zz" }),
    ],
    ["a signature by another key", (t: string) => signed(keyPair().privateKey, t)],
    ["a signature over another body", (t: string) => signed(keys.privateKey, `${t} `)],
    [
      "a signature over another timestamp",
      (t: string) => ({ ...signed(keys.privateKey, t), "x-signature-timestamp": "1" }),
    ],
    // Replays: a captured press must not work again once its timestamp is more than 5 minutes off.
    ["a validly signed request 10 minutes old", (t: string) => signed(keys.privateKey, t, ago(600))],
    ["a validly signed request 10 minutes ahead", (t: string) => signed(keys.privateKey, t, ago(-600))],
    ["a validly signed timestamp 0", (t: string) => signed(keys.privateKey, t, "0")],
    ["a validly signed timestamp that is not a number", (t: string) => signed(keys.privateKey, t, "abc")],
  ])("rejects %s with 401", async (_name, headers) => {
    const text = JSON.stringify(chatInput("quote", { query: "agents" }));
    const res = await fetch(endpoint.url, { method: "POST", body: text, headers: headers(text) });
    expect(res.status).toBe(401);
  });

  /** Signed JSON text posted as is (a payload too deep for JSON.stringify is built as text). */
  const postText = (text: string) =>
    fetch(endpoint.url, { method: "POST", body: text, headers: signed(keys.privateKey, text) });
  /** A value of `levels` nested arrays, as a forged autocomplete could carry. */
  const nestedValue = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("answers deeply nested options with 400 before any recursive parse, repeatedly, and keeps serving", async () => {
    // 5,000 subcommand levels, far more than the three Discord ever sends.
    const levels = 5000;
    const options = `${'[{"type":1,"name":"quote","options":'.repeat(levels)}[]${"}]".repeat(levels)}`;
    const text = JSON.stringify(chatInput("quote")).replace(
      /"options":\[[^\]]*\]\}\]/u,
      `"options":${options}}]`,
    );
    expect(text.length).toBeGreaterThan(levels * 30);
    // Bounded: 50 requests, each refused in a few ms; the recursive parse used to overflow (500).
    for (let i = 0; i < 50; i++) expect((await postText(text)).status).toBe(400);
    expect((await post(chatInput("quote", { query: "agents" }))).status).toBe(200);
  });

  it("answers an autocomplete whose focused value nests deeply with 400", async () => {
    const text = JSON.stringify(autocomplete("quote", { query: "agents" })).replace(
      '"value":"agents"',
      `"value":${nestedValue(20_000)}`,
    );
    const res = await postSigned(text);
    expect(res.status).toBe(400);
  });

  it("accepts a request signed 4 minutes ago (clock skew within the window)", async () => {
    const text = JSON.stringify({ type: 1 });
    const res = await postSigned(text, ago(240));
    expect(res.status).toBe(200);
  });

  it.each([
    ["malformed JSON", "{not json"],
    ["JSON that is not an interaction", '{"hello":"world"}'],
  ])("rejects signed %s with 400", async (_name, text) => {
    const res = await postSigned(text);
    expect(res.status).toBe(400);
  });

  it("rejects a body declared larger than the cap with 413 before reading it", async () => {
    const body = Buffer.alloc(300 * 1024, "a");
    expect(await rawPost(body, { "content-type": "application/json", "content-length": body.length })).toBe(
      413,
    );
  });

  it("rejects a chunked body that grows past the cap with 413", async () => {
    const chunks = Array.from({ length: 40 }, () => "a".repeat(8 * 1024));
    expect(
      await rawPost(chunks, { "content-type": "application/json", "transfer-encoding": "chunked" }),
    ).toBe(413);
  });

  it("answers only POST /interactions", async () => {
    expect((await fetch(endpoint.url)).status).toBe(405);
    expect((await fetch(endpoint.url.replace("/interactions", "/other"), { method: "POST" })).status).toBe(
      404,
    );
    expect((await fetch(endpoint.url.replace("/interactions", "/health"))).status).toBe(200);
  });

  it.each(HOSTILE.map((q) => [q.slice(0, 40), q]))(
    "never lets a mention through for the hostile query %j",
    async (_label, query) => {
      for (const payload of [chatInput("quote", { query }), autocomplete("quote", { query })]) {
        const { status, body } = await post(payload);
        expect(status).toBe(200);
        expect(JSON.stringify(body)).not.toMatch(MENTION);
        if (body.type === 4) {
          expect(body.data?.allowed_mentions).toEqual({ parse: [] });
          expect(messageProblems(body.data ?? {})).toEqual([]);
        }
      }
    },
  );

  it("credits a hostile display name without a mention", async () => {
    const before = followUps.length;
    await post(
      buttonPress(customIdOf(await preview(), "send"), alice, alice, "@everyone <@123456789012345678>"),
    );
    await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    expect(JSON.stringify(followUps[before]?.body)).not.toMatch(MENTION);
    expect(followUps[before]?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it("credits a display name without its bidi overrides or NULs", async () => {
    const before = followUps.length;
    await post(buttonPress(customIdOf(await preview(), "send"), alice, alice, "\u202Eila\u0000\u2066B"));
    await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    expect(followUps[before]?.body.embeds?.[0]?.footer?.text).toBe("Shared by ilaB");
  });

  it("echoes a query without its bidi overrides or NULs", async () => {
    const { body } = await post(chatInput("quote", { query: "\u202Ezzzqqq\u0000xyzzy\u2066" }));
    expect(JSON.stringify(body)).toContain("zzzqqq");
    expect(JSON.stringify(body)).not.toMatch(/\\u202e|\\u0000|\\u2066/iu);
    for (const c of ["\u0000", "\u202E", "\u2066"]) expect(JSON.stringify(body.data)).not.toContain(c);
  });
});
