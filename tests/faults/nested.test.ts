/**
 * Deeply nested signed bodies are refused with 400 before any recursive parse, and leave nothing
 * behind: the real app (spawned with --expose-gc and scripts/heap-probe.ts) gets 1,000 of them per
 * endpoint, and the heap after a full collection must end within 10 MB of where it started. The
 * recursive options schema used to overflow the stack on them (500) and leak ~155 KB each for good.
 */
import { afterEach, describe, expect, it } from "vitest";
import { chatInput } from "../adapters/discord/fixtures.js";
import { type App, killLeftOver, MODES, type Mode, startApp } from "./app.js";

const REQUESTS = 1000;
/** Far deeper than the three levels Discord sends, and deep enough to overflow a recursive parse. */
const LEVELS = 5000;
const MB = 1024 * 1024;

/** A signed body of `LEVELS` nested levels, as each platform's parser would reach it. */
const NESTED: Record<string, () => { body: string; contentType: string }> = {
  "Discord HTTP mode": () => {
    const options = `${'[{"type":1,"name":"quote","options":'.repeat(LEVELS)}[]${"}]".repeat(LEVELS)}`;
    const body = JSON.stringify(chatInput("quote")).replace(
      /"options":\[[^\]]*\]\}\]/u,
      `"options":${options}}]`,
    );
    return { body, contentType: "application/json" };
  },
  "Slack HTTP mode": () => {
    const item = `${'{"a":'.repeat(LEVELS)}{}${"}".repeat(LEVELS)}`;
    const body = `{"type":"event_callback","team_id":"T0TEAM","event":{"type":"app_mention","user":"U0ADA","text":"hi","channel":"C0GENERAL","item":${item}}}`;
    return { body, contentType: "application/json" };
  },
};

let running: App | undefined;
afterEach(() => killLeftOver(running));

async function post(app: App, mode: Mode, body: string, contentType: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${app.port}${mode.path}`, {
    method: "POST",
    body,
    headers: mode.sign(body, contentType),
  });
  await res.arrayBuffer();
  return res.status;
}

describe.each(MODES)("$name", (mode) => {
  it(`answers ${REQUESTS} deeply nested signed requests with 400 and the heap ends within 10 MB`, async () => {
    const app = await startApp(mode, { probe: true });
    running = app;
    const { body, contentType } = NESTED[mode.name]?.() ?? { body: "", contentType: "" };
    expect(body.length).toBeGreaterThan(LEVELS * 5);
    // A few first, so what the first requests allocate once (JIT code, lazy modules) is in the baseline.
    for (let i = 0; i < 20; i++) expect(await post(app, mode, body, contentType)).toBe(400);
    const before = await app.heap();
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const status = await post(app, mode, body, contentType);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const after = await app.heap();
    expect(Object.fromEntries(statuses)).toEqual({ 400: REQUESTS });
    const grown = (after.heapUsed - before.heapUsed) / MB;
    console.log(
      `${mode.name}: heap after gc ${(before.heapUsed / MB).toFixed(1)} → ${(after.heapUsed / MB).toFixed(1)} MB`,
    );
    expect(grown).toBeLessThan(10);
    // Still serving.
    const valid = mode.request();
    const res = await fetch(`http://127.0.0.1:${app.port}${mode.path}`, { method: "POST", ...valid });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(mode.answer);
    app.child.kill("SIGTERM");
    expect((await app.exit).code).toBe(0);
  }, 120_000);
});
