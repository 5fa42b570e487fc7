/**
 * Memory held before authentication is bounded on both endpoints: past a connection cap new
 * connections get 503 with Retry-After, and bodies that stall mid-way can together buffer only a
 * small budget beyond each request's free share; real (small) requests are answered throughout, and
 * a stalled body's share comes back when its client goes. Caps are lowered here; `npm run load`
 * measures the defaults with 1,500 stalled connections.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_DEFAULTS } from "../../src/adapters/http.js";
import { engine } from "../adapters/discord/fixtures.js";
import { captureLog } from "../adapters/slack/harness.js";
import {
  discordEndpoint,
  type Endpoint,
  headLines,
  type RawExchange,
  rawRequest,
  slackEndpoint,
  until,
} from "./endpoints.js";

const MAX_CONNECTIONS = 40;
const FREE = HTTP_DEFAULTS.freeBodyBytes;
/** Room for two stalled bodies beyond their free share, not three. */
const STALLED_EXTRA = 24 * 1024;
const BUDGET = 2 * STALLED_EXTRA + 1024;
const { log } = captureLog();
const endpoints: Endpoint[] = [];

beforeAll(async () => {
  const tuning = { maxConnections: MAX_CONNECTIONS, preAuthBudgetBytes: BUDGET, requestTimeoutMs: 10_000 };
  endpoints.push(await discordEndpoint(engine, log, tuning), await slackEndpoint(engine, log, tuning));
});

afterAll(async () => {
  await Promise.all(endpoints.map((e) => e.stop()));
});

const endpoint = (name: string) => endpoints.find((x) => x.name === name) as Endpoint;

async function answersAQuote(e: Endpoint) {
  const res = await fetch(e.url, {
    method: "POST",
    body: e.valid.body,
    headers: e.sign(e.valid.body, e.valid.contentType),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("Andrej Karpathy");
}

/** A signed-looking request that declares `declared` bytes, sends `sent` of them and stalls. */
const stall = (e: Endpoint, declared: number, sent: number) =>
  rawRequest(e, `${headLines(e, { ...e.sign("x"), "Content-Length": declared })}\r\n${"x".repeat(sent)}`);

async function closeAll(raws: RawExchange[]) {
  for (const r of raws) r.socket.destroy();
  await Promise.all(raws.map((r) => r.closed));
}

describe.each([["discord"], ["slack"]])("the %s endpoint", (name) => {
  it("refuses connections past the cap with 503 and Retry-After, and serves again once they go", async () => {
    const e = endpoint(name);
    // Headers never finished: connections that hold a slot and nothing else.
    const idle = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS }, () => rawRequest(e, `POST ${e.path} HTTP/1.1\r\n`)),
    );
    const extra = await rawRequest(e, `POST ${e.path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(await until(() => extra.received().includes("\r\n\r\n"), 2000)).toBe(true);
    expect(extra.received()).toMatch(/^HTTP\/1\.1 503 /u);
    expect(extra.received()).toMatch(/\r\nRetry-After: \d+\r\n/iu);
    await extra.closed;
    await closeAll(idle);
    await answersAQuote(e);
  });

  it("answers 503 to a stalled body that would overdraw the pre-auth budget, and still answers real requests", async () => {
    const e = endpoint(name);
    const size = FREE + STALLED_EXTRA;
    const stalled: RawExchange[] = [];
    for (let i = 0; i < 2; i++) stalled.push(await stall(e, size + 10, size));
    // Let the server read them before the third arrives.
    await new Promise((r) => setTimeout(r, 200));
    const third = await stall(e, size + 10, size);
    expect(await until(() => third.received().length > 0, 2000)).toBe(true);
    expect(third.received()).toMatch(/^HTTP\/1\.1 503 /u);
    expect(third.received()).toMatch(/\r\nRetry-After: \d+\r\n/iu);
    // The two stalled bodies still hold the budget: a small, real request does not need it.
    expect(stalled.every((s) => s.received() === "")).toBe(true);
    await answersAQuote(e);
    await closeAll([...stalled, third]);
    // Their shares came back: the same body is now read (and refused for its bad signature).
    const again = await stall(e, size, size);
    expect(await until(() => again.received().length > 0, 2000)).toBe(true);
    expect(again.received()).toMatch(/^HTTP\/1\.1 (401|400) /u);
    await closeAll([again]);
  });
});
