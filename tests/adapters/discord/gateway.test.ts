/**
 * The gateway path with real discord.js objects: a Client that never logs in, fed raw interaction
 * payloads through discord.js's own INTERACTION_CREATE action (so it builds the real
 * ChatInputCommandInteraction / AutocompleteInteraction / ButtonInteraction), with a REST `makeRequest`
 * hook capturing every request it would send. The assertions are on those outgoing payloads.
 */
import type { Client } from "discord.js";
import type { APIInteractionResponse, APIInteractionResponseCallbackData } from "discord-api-types/v10";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { COMMANDS, RateLimiter } from "../../../commands/index.js";
import { createGatewayClient } from "../../../src/adapters/discord/gateway.js";
import { messageProblems } from "../../../src/adapters/discord/limits.js";
import { NOTES } from "../../../src/adapters/discord/render.js";
import type { QuoteEngine } from "../../../src/core/engine.js";
import type { Logger } from "../../../src/log.js";
import {
  APP_ID,
  alice,
  autocomplete,
  bob,
  botMessage,
  buttonPress,
  chatInput,
  customIdOf,
  engine,
  HOSTILE,
  MENTION,
  recordingLog,
  silentLog,
} from "./fixtures.js";

interface Sent {
  url: string;
  method: string;
  body: { type?: number; data?: APIInteractionResponseCallbackData } & APIInteractionResponseCallbackData;
}

interface Harness {
  client: Client;
  sent: Sent[];
  /** Feeds a raw payload and waits for `expected` outgoing requests; returns them. */
  feed(payload: object, expected?: number): Promise<Sent[]>;
}

function harness(
  options: {
    engine?: QuoteEngine;
    log?: Logger;
    status?: (url: string) => number;
    limiter?: RateLimiter;
  } = {},
): Harness {
  const sent: Sent[] = [];
  const makeRequest = async (url: string, init: { method?: string; body?: unknown }) => {
    sent.push({ url, method: init.method ?? "GET", body: JSON.parse(String(init.body ?? "{}")) });
    const status = options.status?.(url) ?? (url.includes("/webhooks/") ? 200 : 204);
    if (status >= 400)
      return new Response(JSON.stringify({ code: 50035, message: "Invalid Form Body" }), {
        status,
        headers: { "content-type": "application/json" },
      });
    if (status === 204) return new Response(null, { status });
    return Response.json(botMessage("777777777777777777"), { status });
  };
  const client = createGatewayClient(
    options.engine ?? engine,
    options.log ?? silentLog(),
    { rest: { makeRequest: makeRequest as never } },
    { limiter: options.limiter },
  );
  const actions = (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } })
    .actions;
  return {
    client,
    sent,
    async feed(payload, expected = 1) {
      const before = sent.length;
      actions.InteractionCreate.handle(payload);
      await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(before + expected), {
        timeout: 2000,
        interval: 2,
      });
      // Give a wrong extra request the chance to show up before the test looks.
      await new Promise((resolve) => setTimeout(resolve, 10));
      return sent.slice(before);
    },
  };
}

function callback(
  s: Sent | undefined,
): APIInteractionResponse & { data?: APIInteractionResponseCallbackData } {
  expect(s?.method).toBe("POST");
  expect(s?.url).toMatch(/\/interactions\/\d+\/token-\d+\/callback/u);
  return s?.body as APIInteractionResponse & { data?: APIInteractionResponseCallbackData };
}

const best = engine.search("agents", { limit: 5 });

let h: Harness;
/** Swaps the test's harness for one set up differently, destroying the one `beforeEach` made. */
async function replaceHarness(options: Parameters<typeof harness>[0]) {
  await h.client.destroy();
  return harness(options);
}

beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.client.destroy();
});

describe("the gateway handler with real discord.js interactions", () => {
  it("answers /karpathy quote with an ephemeral preview: the quote, its source, 1 of N and four buttons", async () => {
    const [reply, extra] = await h.feed(chatInput("quote", { query: "agents" }));
    expect(extra).toBeUndefined();
    const body = callback(reply);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    const embed = body.data?.embeds?.[0];
    expect(embed?.description).toContain(best[0]?.text);
    expect(embed?.description).toContain("— **Andrej Karpathy**");
    expect(embed?.fields?.[0]?.value).toContain("Dwarkesh Podcast");
    expect(embed?.fields?.[0]?.value).toContain(best[0]?.link);
    expect(embed?.footer?.text).toBe(`1 of ${best.length}`);
    const buttons = body.data?.components?.[0];
    expect(
      buttons && "components" in buttons && buttons.components.map((b) => "label" in b && b.label),
    ).toEqual(["Send", "Next", "Context", "Cancel"]);
    for (const action of ["send", "next", "context", "cancel"])
      expect(customIdOf(body.data, action).length).toBeLessThanOrEqual(100);
    expect(messageProblems(body.data ?? {})).toEqual([]);
  });

  it("answers autocomplete on query with at most 25 choices of 1–100 characters from the corpus", async () => {
    const [response] = await h.feed(autocomplete("quote", { query: "decade of ag" }));
    const body = callback(response) as {
      type: number;
      data: { choices: Array<{ name: string; value: string }> };
    };
    expect(body.type).toBe(8);
    expect(body.data.choices.length).toBeGreaterThan(1);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    for (const c of body.data.choices) {
      expect(c.name.length).toBeGreaterThanOrEqual(1);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeGreaterThanOrEqual(1);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    expect(body.data.choices[0]?.value).toBe("decade of ag");
    expect(body.data.choices.some((c) => c.value.startsWith("="))).toBe(true);
  });

  it("updates the preview in place with the next result when Next is pressed", async () => {
    const [preview] = await h.feed(chatInput("quote", { query: "agents" }));
    const [update] = await h.feed(buttonPress(customIdOf(callback(preview).data, "next")));
    const body = callback(update);
    expect(body.type).toBe(7);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(body.data?.embeds?.[0]?.description).toContain(best[1]?.text);
    expect(body.data?.embeds?.[0]?.footer?.text).toBe(`2 of ${best.length}`);
    expect(messageProblems(body.data ?? {})).toEqual([]);
  });

  it("posts the quote publicly, crediting the sharer, and only then says Sent in the preview", async () => {
    const [preview] = await h.feed(chatInput("quote", { query: "agents" }));
    const press = buttonPress(customIdOf(callback(preview).data, "send"), alice, alice, "Ali");
    const [deferred, post, edit] = await h.feed(press, 3);
    expect(callback(deferred).type).toBe(6);
    expect(edit?.method).toBe("PATCH");
    expect(decodeURIComponent(edit?.url ?? "")).toContain(
      `/webhooks/${APP_ID}/${press.token}/messages/@original`,
    );
    expect(edit?.body).toMatchObject({ content: NOTES.sent, embeds: [], components: [] });
    expect((edit?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({
      parse: [],
    });

    expect(post?.method).toBe("POST");
    expect(post?.url).toContain(`/webhooks/${APP_ID}/${press.token}`);
    expect(post?.body.flags ?? 0).toBe(0);
    expect(post?.body.allowed_mentions).toEqual({ parse: [] });
    expect(post?.body.components ?? []).toEqual([]);
    expect(post?.body.embeds?.[0]?.description).toContain(best[0]?.text);
    expect(post?.body.embeds?.[0]?.footer?.text).toBe("Shared by Ali");
  });

  it("answers Context with the surrounding exchange, ephemerally", async () => {
    const [preview] = await h.feed(chatInput("quote", { query: "agents" }));
    const [reply] = await h.feed(buttonPress(customIdOf(callback(preview).data, "context")));
    const body = callback(reply);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.embeds?.[0]?.description).toContain("> **Andrej Karpathy:**");
    expect(body.data?.embeds?.[0]?.description).toContain("**Dwarkesh Patel:**");
    expect(messageProblems(body.data ?? {})).toEqual([]);
  });

  it("closes the preview when Cancel is pressed", async () => {
    const [preview] = await h.feed(chatInput("quote", { query: "agents" }));
    const [update] = await h.feed(buttonPress(customIdOf(callback(preview).data, "cancel")));
    expect(callback(update)).toMatchObject({
      type: 7,
      data: { content: NOTES.closed, embeds: [], components: [], allowed_mentions: { parse: [] } },
    });
  });

  it("tells someone else who presses a preview's button that it is not theirs, and changes nothing", async () => {
    const [preview] = await h.feed(chatInput("quote", { query: "agents" }));
    const [reply, extra] = await h.feed(buttonPress(customIdOf(callback(preview).data, "send"), bob, alice));
    expect(extra).toBeUndefined();
    expect(callback(reply)).toMatchObject({ type: 4, data: { content: NOTES.notYours, flags: 64 } });
  });

  // Grouped commands (`daily …`) need a server channel and a store: tests/daily/e2e.test.ts.
  it.each(COMMANDS.filter((c) => c.name !== "quote" && !c.group).map((c) => c.name))(
    "answers /karpathy %s ephemerally within every limit",
    async (name) => {
      const [reply] = await h.feed(chatInput(name));
      const body = callback(reply);
      expect(body.type).toBe(4);
      expect(body.data?.flags).toBe(64);
      expect(body.data?.embeds?.length).toBe(1);
      expect(messageProblems(body.data ?? {})).toEqual([]);
    },
  );

  it.each(HOSTILE.map((q) => [q.slice(0, 40), q]))(
    "never lets a mention through for the query %j",
    async (_label, query) => {
      const [reply] = await h.feed(chatInput("quote", { query }));
      const body = callback(reply);
      expect(body.data?.allowed_mentions).toEqual({ parse: [] });
      expect(JSON.stringify(body.data)).not.toMatch(MENTION);
      expect(messageProblems(body.data ?? {})).toEqual([]);
    },
  );

  it("logs an error inside the handler and answers with a short friendly ephemeral message", async () => {
    const broken = Object.create(engine, {
      search: {
        value: () => {
          throw new Error("index exploded");
        },
      },
    }) as QuoteEngine;
    const { log, records } = recordingLog();
    h = await replaceHarness({ engine: broken, log });
    const [reply] = await h.feed(chatInput("quote", { query: "agents" }));
    expect(callback(reply)).toMatchObject({ type: 4, data: { content: NOTES.failure, flags: 64 } });
    expect(JSON.stringify(reply?.body)).not.toContain("index exploded");
    expect(records.some((r) => r.level === 50 && JSON.stringify(r).includes("index exploded"))).toBe(true);
  });

  it("logs a reply Discord refuses and tries a friendly note instead, without crashing", async () => {
    const { log, records } = recordingLog();
    h = await replaceHarness({ log, status: () => 400 });
    const [first, second] = await h.feed(chatInput("quote", { query: "agents" }), 2);
    expect(callback(first).data?.embeds?.length).toBe(1);
    expect(callback(second).data?.content).toBe(NOTES.failure);
    await vi.waitFor(() => expect(records.some((r) => r.level === 50)).toBe(true), { timeout: 1000 });
  });

  it("tells a user over the rate limit to slow down, ephemerally, while autocomplete goes on", async () => {
    h = await replaceHarness({ limiter: new RateLimiter({ commands: 1, perSeconds: 60 }) });
    const [first] = await h.feed(chatInput("quote", { query: "agents" }));
    expect(callback(first).data?.embeds?.length).toBe(1);
    const [second] = await h.feed(chatInput("quote", { query: "agents" }));
    expect(callback(second)).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(callback(second).data?.content).toMatch(/^Slow down: you can run 1 command every 60 seconds\./u);
    const [choices] = await h.feed(autocomplete("quote", { query: "educ" }));
    expect(callback(choices).type).toBe(8);
  });
});
