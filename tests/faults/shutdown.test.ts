/**
 * The kill test: the real app (`src/main.ts`, run from source through ts-register.mjs so no build is
 * needed and the sources under test are the ones on disk) in Slack HTTP mode and in Discord HTTP mode
 * on 127.0.0.1. With one request in flight (its body half sent) and one idle keep-alive connection,
 * it gets SIGTERM, then SIGINT (as `npm start` forwards Ctrl-C to a process the terminal has already
 * signalled). It must refuse new connections at once, still answer the request in flight, and exit 0
 * within a few seconds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { chatInput, keyPair, signed } from "../adapters/discord/fixtures.js";
import { nowSeconds, SIGNING_SECRET, sign, slashCommand } from "../adapters/slack/harness.js";
import { freshDataDir } from "../store/databases.js";
import { headLines, rawRequest, until } from "./endpoints.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const register = fileURLToPath(new URL("./ts-register.mjs", import.meta.url));
const keys = keyPair();

/** Every variable the app reads, blank unless set here, so neither the environment nor .env leaks in. */
const BLANK = Object.fromEntries(
  [
    "DISCORD_MODE",
    "DISCORD_TOKEN",
    "DISCORD_APPLICATION_ID",
    "DISCORD_PUBLIC_KEY",
    "DISCORD_GUILD_ID",
    "DISCORD_SHARDS",
    "SLACK_MODE",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "RATE_LIMIT",
  ].map((k) => [k, ""]),
);

interface Mode {
  name: string;
  env: Record<string, string>;
  /** The log line that gives the port, and the path to POST to. */
  listening: (line: Record<string, unknown>) => number | undefined;
  path: string;
  request(): { body: string; headers: Record<string, string> };
  /** Something only a real answer contains. */
  answer: RegExp;
}

const MODES: Mode[] = [
  {
    name: "Slack HTTP mode",
    env: {
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-kill-test",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_PORT: "0",
    },
    listening: (l) => (l.msg === "slack: listening" ? Number(l.port) : undefined),
    path: "/slack/events",
    request: () => {
      const { body, contentType } = slashCommand("agents", "http://127.0.0.1:9/never");
      const timestamp = nowSeconds();
      return {
        body,
        headers: {
          "content-type": contentType,
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": sign(body, timestamp),
        },
      };
    },
    answer: /"response_type":"ephemeral".*Andrej Karpathy/su,
  },
  {
    name: "Discord HTTP mode",
    env: { DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_PORT: "0" },
    listening: (l) =>
      l.msg === "Discord: interactions endpoint listening" ? Number(new URL(String(l.url)).port) : undefined,
    path: "/interactions",
    request: () => {
      const body = JSON.stringify(chatInput("quote", { query: "agents" }));
      return { body, headers: signed(keys.privateKey, body) };
    },
    answer: /"type":4.*Andrej Karpathy/su,
  },
];

interface App {
  child: ChildProcess;
  port: number;
  log: Array<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

let running: ChildProcess | undefined;
afterEach(() => {
  if (running && running.exitCode === null && running.signalCode === null) running.kill("SIGKILL");
});

async function start(mode: Mode): Promise<App> {
  // Its own embedded database: the worktree's ./data may be held by another run.
  const DATA_DIR = await freshDataDir();
  const child = spawn(process.execPath, ["--import", register, "src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...BLANK, ...mode.env, HOST: "127.0.0.1", LOG_LEVEL: "info", DATA_DIR },
    stdio: ["ignore", "ignore", "pipe"],
  });
  running = child;
  const log: Array<Record<string, unknown>> = [];
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let port: number | undefined;
  let rest = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        log.push(entry);
        port ??= mode.listening(entry);
      } catch {
        log.push({ raw: line });
      }
    }
  });
  const ready = await until(
    () => child.exitCode !== null || log.some((l) => l.msg === "karpathy-quotes is running"),
    30_000, // start-up opens the embedded database too: seconds more on a loaded machine
  );
  if (!ready || port === undefined)
    throw new Error(`the app did not start:\n${JSON.stringify(log, null, 1)}`);
  return { child, port, log, exit };
}

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
  it("on SIGTERM refuses new connections, finishes the request in flight and exits 0 within 5 s", async () => {
    const app = await start(mode);
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
    expect(await refused(app.port)).toBe(true);

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
  }, 45_000);
});
