/**
 * The kill test: the real app (`src/main.ts`, run from source through ts-register.mjs so no build is
 * needed and the sources under test are the ones on disk) in Slack HTTP mode and in Discord HTTP mode
 * on 127.0.0.1. With one request in flight (its body half sent) and one idle keep-alive connection,
 * it gets SIGTERM, then SIGINT (as `npm start` forwards Ctrl-C to a process the terminal has already
 * signalled). It must answer what was already queued for it, refuse new connections after a short
 * drain window, still answer the request in flight, and exit 0 within a few seconds.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DRAIN_DEFAULTS } from "../../src/adapters/http.js";
import { type App, killLeftOver, MODES, startApp } from "./app.js";
import { headLines, rawRequest, until } from "./endpoints.js";

let running: App | undefined;
afterEach(() => killLeftOver(running));

/** Connections fired at the app while it cannot accept them, each with a whole request. */
const QUEUED = 60;

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe.each(MODES)("npm start in $name", (mode) => {
  it("on SIGTERM drains the listen backlog, refuses new connections, finishes the request in flight and exits 0 within 5 s", async () => {
    const app = await startApp(mode);
    running = app;
    const url = `http://127.0.0.1:${app.port}${mode.path}`;

    // A normal request first, on a keep-alive connection that then sits idle.
    const warm = mode.request();
    const first = await fetch(url, { method: "POST", body: warm.body, headers: warm.headers });
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(mode.answer);

    // A request in flight: headers and half the body sent, the rest held back until after the signal.
    const { body, headers } = mode.request();
    const head = headLines(
      { path: mode.path, port: app.port },
      { Connection: "keep-alive", ...headers, "Content-Length": Buffer.byteLength(body) },
    );
    const half = Math.floor(body.length / 2);
    const inFlight = await rawRequest(
      { host: "127.0.0.1", port: app.port },
      `${head}\r\n${body.slice(0, half)}`,
    );
    await new Promise((r) => setTimeout(r, 100));

    const signalled = Date.now();
    app.child.kill("SIGTERM");
    expect(await until(() => app.log.some((l) => l.msg === "shutting down"), 2000)).toBe(true);
    app.child.kill("SIGINT"); // the second signal changes nothing
    expect(await until(() => app.log.some((l) => l.msg === "already shutting down"), 2000)).toBe(true);
    // Refused once the drain window is over (during it, connections are still taken and answered).
    expect(await until(() => Date.now() - signalled > DRAIN_DEFAULTS.drainMs, 2000)).toBe(true);
    let refusedAt: number | undefined;
    for (let i = 0; i < 40 && refusedAt === undefined; i++)
      if (await refused(app.port)) refusedAt = Date.now();
      else await new Promise((r) => setTimeout(r, 50));
    expect(refusedAt).toBeDefined();
    expect((refusedAt ?? Infinity) - signalled).toBeLessThan(2000);

    inFlight.socket.write(body.slice(half));
    await inFlight.closed; // the server closes it after the answer instead of keeping it alive
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 200 /u);
    expect(inFlight.received()).toMatch(/connection: close/iu);
    expect(inFlight.received()).toMatch(mode.answer);

    const exit = await app.exit;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(5000);
    expect(app.log.some((l) => l.msg === "stopped")).toBe(true);
    expect(app.log.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});

interface Fired {
  received: string;
  error?: string;
  closed: Promise<void>;
}

/** Connects and writes one whole request (with Connection: close); collects the answer or the error. */
function fire(port: number, request: string): Fired {
  const socket = connect(port, "127.0.0.1");
  const fired: Fired = {
    received: "",
    closed: new Promise((resolve) => socket.once("close", () => resolve())),
  };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    fired.received += chunk;
  });
  socket.on("error", (error: NodeJS.ErrnoException) => {
    fired.error = error.code ?? error.message;
  });
  socket.write(request);
  return fired;
}

describe.each(MODES)("npm start in $name, signalled with connections queued", (mode) => {
  it(`answers all ${QUEUED} connections the kernel had queued when SIGTERM came, none reset`, async () => {
    const app = await startApp(mode);
    running = app;
    // Stopped, the app accepts nothing: the kernel completes the handshakes and queues them (the
    // listen backlog is 511), with their requests in its buffers. SIGTERM is pending when it resumes.
    app.child.kill("SIGSTOP");
    const fired = Array.from({ length: QUEUED }, () => {
      const { body, headers } = mode.request();
      const head = headLines(
        { path: mode.path, port: app.port },
        { ...headers, Connection: "close", "Content-Length": Buffer.byteLength(body) },
      );
      return fire(app.port, `${head}\r\n${body}`);
    });
    await new Promise((r) => setTimeout(r, 300));
    app.child.kill("SIGTERM");
    app.child.kill("SIGCONT");
    await Promise.race([Promise.all(fired.map((f) => f.closed)), new Promise((r) => setTimeout(r, 15_000))]);
    const outcomes = fired.map((f) => f.error ?? f.received.slice(0, 15));
    expect(outcomes).toEqual(Array(QUEUED).fill("HTTP/1.1 200 OK"));
    // Answered in full (one user's 60 commands are mostly "slow down": the rate limit is on).
    expect(fired.filter((f) => !/\r\n\r\n.+/su.test(f.received))).toEqual([]);
    expect(await app.exit).toMatchObject({ code: 0, signal: null });
  }, 90_000);
});
