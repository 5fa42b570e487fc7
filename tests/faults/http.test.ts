/**
 * Bad input at the HTTP level, the same table for both endpoints: bodies over the cap are refused with
 * 413 before they are read, malformed bodies get 400 (once signed; unsigned ones get 401 first), slow
 * clients are dropped, and the endpoint keeps answering real commands through all of it. The timeouts
 * are shortened to 300 ms here; the defaults (a few seconds) are checked separately.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_DEFAULTS, serverOptions } from "../../src/adapters/http.js";
import { engine } from "../adapters/discord/fixtures.js";
import { captureLog } from "../adapters/slack/harness.js";
import { discordEndpoint, type Endpoint, headLines, rawRequest, slackEndpoint, until } from "./endpoints.js";

const TIMEOUT_MS = 300;
const CAP = HTTP_DEFAULTS.maxBodyBytes;
const { log, lines } = captureLog();
const endpoints: Endpoint[] = [];

beforeAll(async () => {
  const tuning = { headersTimeoutMs: TIMEOUT_MS, requestTimeoutMs: TIMEOUT_MS };
  endpoints.push(await discordEndpoint(engine, log, tuning), await slackEndpoint(engine, log, tuning));
});

afterAll(async () => {
  await Promise.all(endpoints.map((e) => e.stop()));
});

const each = describe.each([["discord"], ["slack"]]);
const endpoint = (name: string) => {
  const e = endpoints.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} endpoint`);
  return e;
};

async function post(e: Endpoint, body: string, headers: Record<string, string>) {
  const res = await fetch(e.url, { method: "POST", body, headers });
  await res.arrayBuffer();
  return res.status;
}

/** A real command still gets a real answer. */
async function stillServing(e: Endpoint) {
  const res = await fetch(e.url, {
    method: "POST",
    body: e.valid.body,
    headers: e.sign(e.valid.body, e.valid.contentType),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("Andrej Karpathy");
}

describe("refusals", () => {
  it("are logged once per interval per cause, not once per request", async () => {
    const e = endpoint("slack");
    const before = lines.length;
    for (let i = 0; i < 20; i++)
      expect(await post(e, e.valid.body, { "content-type": e.valid.contentType })).toBe(401);
    const warnings = lines.slice(before).filter((l) => Number(l.level) >= 40);
    expect(warnings.length).toBeLessThanOrEqual(1);
  });
});

each("the %s endpoint", (name) => {
  it("logs a client that goes away mid-body at debug level, not as an error or a warning", async () => {
    const e = endpoint(name);
    const before = lines.length;
    const raw = await rawRequest(
      e,
      `${headLines(e, { ...e.sign("x".repeat(100)), "Content-Length": 100 })}\r\nxxxxxxxxxx`,
    );
    await new Promise((r) => setTimeout(r, 50));
    raw.socket.resetAndDestroy();
    await raw.closed;
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.slice(before).filter((l) => Number(l.level) >= 40)).toEqual([]);
    await stillServing(e);
  });

  it.each(["POST http://[::1 HTTP/1.1", "POST http://[::1/interactions HTTP/1.1", "GET http://[ HTTP/1.1"])(
    "answers a malformed request target (%s) with 400, not 500, and keeps serving",
    async (line) => {
      const e = endpoint(name);
      const raw = await rawRequest(
        e,
        `${line}\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(await until(() => raw.received().includes("\r\n\r\n"), 2000)).toBe(true);
      expect(raw.received()).toMatch(/^HTTP\/1\.1 400 /u);
      raw.socket.destroy();
      await stillServing(e);
    },
  );

  it("refuses a body declared over the cap with 413 before a byte of it is sent, and closes", async () => {
    const e = endpoint(name);
    const raw = await rawRequest(
      e,
      `${headLines(e, { "Content-Type": "application/json", "Content-Length": 10 * 1024 * 1024 })}\r\n`,
    );
    expect(await until(() => raw.received().includes("\r\n\r\n"), 2000)).toBe(true);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 413 /u);
    expect(raw.received()).toMatch(/connection: close/iu);
    await raw.closed;
    await stillServing(e);
  });

  it("refuses a chunked body with 413 as soon as it grows past the cap", async () => {
    const e = endpoint(name);
    const raw = await rawRequest(
      e,
      `${headLines(e, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" })}\r\n`,
    );
    const chunk = "x".repeat(16 * 1024);
    let sent = 0;
    while (!raw.received() && sent < 4 * CAP && !raw.socket.destroyed) {
      raw.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    expect(await until(() => raw.received().length > 0, 2000)).toBe(true);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 413 /u);
    // Refused within a few chunks of the cap, not after reading everything.
    expect(sent).toBeLessThan(CAP + 16 * chunk.length);
    await raw.closed;
    await stillServing(e);
  });

  it("rejects malformed JSON with 400 when signed, and with 401 when not", async () => {
    const e = endpoint(name);
    const body = '{"type": 2, "data": {not json';
    expect(await post(e, body, e.sign(body, "application/json"))).toBe(400);
    expect(await post(e, body, { "content-type": "application/json" })).toBe(401);
    await stillServing(e);
  });

  it.each([
    ["null", "null"],
    ["an array", "[]"],
    ["a number", "42"],
    ["a string", '"x"'],
    ["an object without a type", '{"hello":"world"}'],
  ])("rejects a signed JSON body that is %s with 400", async (_what, body) => {
    const e = endpoint(name);
    expect(await post(e, body, e.sign(body, "application/json"))).toBe(400);
  });

  it("drops a client that sends its headers too slowly", async () => {
    const e = endpoint(name);
    const started = Date.now();
    const raw = await rawRequest(e, `POST ${e.path} HTTP/1.1\r\nHost: x\r\n`);
    const trickle = setInterval(() => raw.socket.write("X-Slow: 1\r\n"), 50);
    try {
      await raw.closed;
    } finally {
      clearInterval(trickle);
    }
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
    expect(raw.received()).toMatch(/^(?:HTTP\/1\.1 408 |$)/u);
  });

  it("drops a client whose body never arrives in full", async () => {
    const e = endpoint(name);
    const started = Date.now();
    const raw = await rawRequest(
      e,
      `${headLines(e, { "Content-Type": "application/json", "Content-Length": 1000 })}\r\n{"type":`,
    );
    await raw.closed;
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
    expect(raw.received()).toMatch(/^(?:HTTP\/1\.1 408 |$)/u);
    await stillServing(e);
  });
});

describe("the Slack endpoint's form bodies", () => {
  it.each([
    ["a payload that is not JSON", "payload=%7Bnot+json"],
    ["a payload that is null", "payload=null"],
    ["a payload without a type", "payload=%7B%22a%22%3A1%7D"],
    ["two payloads", "payload=%7B%22type%22%3A%22x%22%7D&payload=%7B%22type%22%3A%22y%22%7D"],
    ["neither a command nor a payload", "hello=world"],
    ["nothing at all", ""],
  ])("rejects a signed form with %s with 400", async (_what, body) => {
    const e = endpoint("slack");
    expect(await post(e, body, e.sign(body))).toBe(400);
  });

  it("still answers Slack's unsigned SSL check", async () => {
    const e = endpoint("slack");
    expect(
      await post(e, "ssl_check=1&token=x", { "content-type": "application/x-www-form-urlencoded" }),
    ).toBe(200);
  });
});

describe("the defaults", () => {
  it("drop slow clients within a few seconds and check often enough to do it on time", () => {
    const o = serverOptions();
    expect(o.headersTimeout).toBeLessThanOrEqual(5000);
    expect(o.requestTimeout).toBeLessThanOrEqual(5000);
    expect(o.connectionsCheckingInterval).toBeLessThanOrEqual(1000);
    expect(HTTP_DEFAULTS.maxBodyBytes).toBe(256 * 1024);
  });
});
