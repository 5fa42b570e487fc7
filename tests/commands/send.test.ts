import { beforeAll, describe, expect, it } from "vitest";
import { MESSAGES, MemoryClaims, PREVIEW_LIFETIME_MS, runAction, runCommand } from "../../commands/index.js";
import type { QuoteEngine } from "../../src/core/engine.js";
import { realEngine } from "../helpers.js";

let engine: QuoteEngine;
beforeAll(() => {
  engine = realEngine();
});

const ada = { id: "U1", name: "ada" };

/** A fresh preview and a fresh store, on a clock the test moves. */
async function preview(query = "agents") {
  let now = Date.UTC(2026, 0, 1);
  const claims = new MemoryClaims({ now: () => now });
  const context = { engine, user: ada, claims, now: () => now };
  const reply = await runCommand("quote", { query }, context);
  if (reply.kind !== "quote") throw new Error(`no preview for ${query}`);
  return {
    state: reply.state,
    context,
    claims,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("Send posts each preview once", () => {
  it("answers a second press with Already sent. and nothing to post", async () => {
    const { state, context } = await preview();
    expect((await runAction("send", state, context)).kind).toBe("shared");
    expect(await runAction("send", state, context)).toEqual({
      kind: "invalid",
      message: MESSAGES.alreadySent,
    });
  });

  it("posts nothing after Cancel", async () => {
    const { state, context } = await preview();
    expect((await runAction("cancel", state, context)).kind).toBe("dismiss");
    expect(await runAction("send", state, context)).toEqual({
      kind: "invalid",
      message: MESSAGES.alreadySent,
    });
  });

  it("treats every page of one preview as that preview: Next, then Send, then Send from the first page", async () => {
    const { state, context } = await preview();
    const next = await runAction("next", state, context);
    if (next.kind !== "quote") throw new Error("no next page");
    expect((await runAction("send", next.state, context)).kind).toBe("shared");
    expect((await runAction("send", state, context)).kind).toBe("invalid");
  });

  it("answers a replayed press late in the preview's lifetime with Already sent., and one past it as expired", async () => {
    const { state, context, advance } = await preview();
    expect((await runAction("send", state, context)).kind).toBe("shared");
    advance(PREVIEW_LIFETIME_MS - 1000);
    expect(await runAction("send", state, context)).toMatchObject({ message: MESSAGES.alreadySent });
    advance(2000);
    expect(await runAction("send", state, context)).toMatchObject({ message: MESSAGES.expired });
  });

  it("lets two previews of the same search each be sent once", async () => {
    const first = await preview();
    const again = await runCommand("quote", { query: "agents" }, first.context);
    if (again.kind !== "quote") throw new Error("no second preview");
    expect((await runAction("send", first.state, first.context)).kind).toBe("shared");
    expect((await runAction("send", again.state, first.context)).kind).toBe("shared");
  });

  it("can be sent again when posting failed and the claim was released", async () => {
    const { state, context } = await preview();
    const sent = await runAction("send", state, context);
    if (sent.kind !== "shared") throw new Error("not sent");
    await sent.release?.();
    expect((await runAction("send", state, context)).kind).toBe("shared");
  });
});

describe("MemoryClaims", () => {
  it("claims a key once until it expires, and again after", async () => {
    let now = 0;
    const claims = new MemoryClaims({ now: () => now });
    expect(await claims.claim("k", 100)).toBe(true);
    expect(await claims.claim("k", 100)).toBe(false);
    now = 100;
    expect(await claims.claim("k", 100)).toBe(true);
  });

  it("gives exactly one of many concurrent claims of one key", async () => {
    const claims = new MemoryClaims();
    const won = await Promise.all(Array.from({ length: 50 }, () => claims.claim("k", 1000)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it("holds at most maxKeys keys, dropping expired and then the oldest", async () => {
    const claims = new MemoryClaims({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await claims.claim(`k${i}`, 60_000);
    expect(claims.size).toBeLessThanOrEqual(100);
    expect(await claims.claim("k999", 60_000)).toBe(false);
  });
});
