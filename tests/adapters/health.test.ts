/**
 * `GET /health` and `GET /ready` on both HTTP endpoints (Discord's interactions endpoint and Slack's
 * Bolt HTTP receiver), over real HTTP on 127.0.0.1: what a load balancer or orchestrator probes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpInteractions } from "../../src/adapters/discord/http.js";
import { databaseReadiness, type ReadinessCheck } from "../../src/adapters/health.js";
import { startSlack } from "../../src/adapters/slack/main.js";
import { engine, keyPair, silentLog } from "./discord/fixtures.js";

const database = { up: true, hangs: false };
/** The real database check over a stand-in whose ping answers, fails or never answers. */
const checks: ReadinessCheck[] = [
  { name: "index", check: () => engine.size > 0 },
  databaseReadiness({
    ping: () =>
      database.hangs
        ? new Promise<void>(() => {})
        : database.up
          ? Promise.resolve()
          : Promise.reject(new Error("connection refused")),
  }),
];
const stops: Array<() => Promise<void>> = [];
const bases: Array<[string, string]> = [];

beforeAll(async () => {
  const discord = await startHttpInteractions(
    engine,
    { mode: "http", publicKey: keyPair().publicKeyHex, host: "127.0.0.1", port: 0 },
    silentLog(),
    { readiness: checks },
  );
  const slack = await startSlack(
    engine,
    { mode: "http", botToken: "xoxb-test", signingSecret: "testsecret123", host: "127.0.0.1", port: 0 },
    silentLog(),
    { readiness: checks },
  );
  stops.push(discord.stop, slack.stop);
  bases.push(["Discord", `http://127.0.0.1:${discord.port}`], ["Slack", `http://127.0.0.1:${slack.port}`]);
});

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

describe.each(["Discord", "Slack"])("the %s HTTP endpoint", (name) => {
  const base = () => bases.find(([n]) => n === name)?.[1] ?? "";

  it("answers GET /health with 200 ok", async () => {
    const res = await fetch(`${base()}/health`);
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
  });

  it("answers GET /ready with 200 when every check passes, 503 naming the one that fails", async () => {
    const ready = await fetch(`${base()}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { index: "ok", database: "ok" } });
    database.up = false;
    try {
      const down = await fetch(`${base()}/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ready: false, checks: { index: "ok", database: "failing" } });
      // A database that never answers fails the probe within about a second, not the probe's timeout.
      database.up = true;
      database.hangs = true;
      const started = Date.now();
      const hung = await fetch(`${base()}/ready`);
      expect([hung.status, Date.now() - started < 3000]).toEqual([503, true]);
    } finally {
      database.up = true;
      database.hangs = false;
    }
  });
});

describe("the default readiness check", () => {
  it("reports the index loaded and warmed", async () => {
    const discord = await startHttpInteractions(
      engine,
      { mode: "http", publicKey: keyPair().publicKeyHex, host: "127.0.0.1", port: 0 },
      silentLog(),
    );
    try {
      const res = await fetch(`http://127.0.0.1:${discord.port}/ready`);
      expect([res.status, await res.json()]).toEqual([200, { ready: true, checks: { index: "ok" } }]);
    } finally {
      await discord.stop();
    }
  });
});
