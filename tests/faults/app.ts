/**
 * The real app (`src/main.ts`, run from source through ts-register.mjs so no build is needed and the
 * sources under test are the ones on disk) spawned on 127.0.0.1 in Slack or Discord HTTP mode, for
 * the tests that signal it or measure its memory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { HeapSample } from "../../scripts/heap-probe.js";
import { chatInput, keyPair, signed } from "../adapters/discord/fixtures.js";
import { nowSeconds, SIGNING_SECRET, sign, slashCommand } from "../adapters/slack/harness.js";
import { until } from "./endpoints.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const register = fileURLToPath(new URL("./ts-register.mjs", import.meta.url));
const probe = fileURLToPath(new URL("../../scripts/heap-probe.ts", import.meta.url));
export const keys = keyPair();

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
    "PORT",
  ].map((k) => [k, ""]),
);

export interface Mode {
  name: string;
  env: Record<string, string>;
  /** The log line that gives the port, and the path to POST to. */
  listening: (line: Record<string, unknown>) => number | undefined;
  path: string;
  request(): { body: string; headers: Record<string, string> };
  /** Signs a body as this platform would. */
  sign(body: string, contentType?: string): Record<string, string>;
  /** Something only a real answer contains. */
  answer: RegExp;
}

const slackSign = (body: string, contentType = "application/x-www-form-urlencoded") => {
  const timestamp = nowSeconds();
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": sign(body, timestamp),
  };
};
const discordSign = (body: string, contentType = "application/json") => ({
  ...signed(keys.privateKey, body),
  "content-type": contentType,
});

export const MODES: Mode[] = [
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
      return { body, headers: slackSign(body, contentType) };
    },
    sign: slackSign,
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
      return { body, headers: discordSign(body) };
    },
    sign: discordSign,
    answer: /"type":4.*Andrej Karpathy/su,
  },
];

export interface App {
  child: ChildProcess;
  port: number;
  log: Array<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The heap after a full collection (only when started with `probe: true`). */
  heap(): Promise<HeapSample>;
}

/**
 * Starts the app in `mode` at the default log level (info). With `probe`, it runs with --expose-gc
 * and scripts/heap-probe.ts preloaded, over an IPC channel, so `heap()` can measure it.
 */
export async function startApp(mode: Mode, { probe: withProbe = false } = {}): Promise<App> {
  const probing = withProbe ? ["--expose-gc", "--import", probe] : [];
  const child = spawn(process.execPath, ["--import", register, ...probing, "src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...BLANK, ...mode.env, HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "pipe", ...(withProbe ? (["ipc"] as const) : [])],
  });
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
  const heap = () =>
    new Promise<HeapSample>((resolve, reject) => {
      if (!child.send) return reject(new Error("started without the heap probe"));
      child.once("message", (m) => resolve(m as HeapSample));
      child.send("heap");
    });
  const ready = await until(
    () => child.exitCode !== null || log.some((l) => l.msg === "karpathy-quotes is running"),
    // Transpiling the sources takes seconds, many more on a busy machine.
    60_000,
  );
  if (!ready || port === undefined) {
    child.kill("SIGKILL");
    throw new Error(`the app did not start:\n${JSON.stringify(log, null, 1)}`);
  }
  return { child, port, log, exit, heap };
}

/** Kills the app if a test left it running. */
export function killLeftOver(app: App | undefined): void {
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGKILL");
}
