/**
 * Both HTTP endpoints side by side for the fault tests: Discord's /interactions and Slack's
 * /slack/events, each on 127.0.0.1 (port 0) with a way to sign a body, plus raw-socket helpers for
 * what fetch will not send (lies about Content-Length, trickled headers, bodies that never end).
 */
import { connect, type Socket } from "node:net";
import { type RunningHttpAdapter, startHttpInteractions } from "../../src/adapters/discord/http.js";
import type { HttpTuning } from "../../src/adapters/http.js";
import { type SlackAdapter, startSlack } from "../../src/adapters/slack/main.js";
import type { QuoteEngine } from "../../src/core/engine.js";
import type { Logger } from "../../src/log.js";
import { chatInput, keyPair, signed } from "../adapters/discord/fixtures.js";
import { BOT_TOKEN, nowSeconds, SIGNING_SECRET, sign, slashCommand } from "../adapters/slack/harness.js";

export interface Endpoint {
  name: "discord" | "slack";
  url: string;
  host: string;
  port: number;
  path: string;
  /** A valid request body for a quote command. */
  valid: { body: string; contentType: string };
  /** Headers that sign `body` (and declare `contentType`). */
  sign(body: string, contentType?: string): Record<string, string>;
  stop(): Promise<void>;
}

const discordKeys = keyPair();

export async function discordEndpoint(
  engine: QuoteEngine,
  log: Logger,
  tuning: HttpTuning = {},
): Promise<Endpoint> {
  const running: RunningHttpAdapter = await startHttpInteractions(
    engine,
    { mode: "http", publicKey: discordKeys.publicKeyHex, host: "127.0.0.1", port: 0 },
    log,
    tuning,
  );
  return {
    name: "discord",
    url: running.url,
    host: "127.0.0.1",
    port: running.port,
    path: "/interactions",
    valid: { body: JSON.stringify(chatInput("quote", { query: "agents" })), contentType: "application/json" },
    sign: (body, contentType = "application/json") => ({
      ...signed(discordKeys.privateKey, body),
      "content-type": contentType,
    }),
    stop: () => running.stop(),
  };
}

export async function slackEndpoint(
  engine: QuoteEngine,
  log: Logger,
  tuning: HttpTuning = {},
): Promise<Endpoint> {
  const running: SlackAdapter = await startSlack(
    engine,
    { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, host: "127.0.0.1", port: 0 },
    log,
    { http: tuning },
  );
  const port = running.port ?? 0;
  return {
    name: "slack",
    url: `http://127.0.0.1:${port}/slack/events`,
    host: "127.0.0.1",
    port,
    path: "/slack/events",
    valid: slashCommand("agents", "http://127.0.0.1:9/never"),
    sign: (body, contentType = "application/x-www-form-urlencoded") => {
      const timestamp = nowSeconds();
      return {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(body, timestamp),
      };
    },
    stop: () => running.stop(),
  };
}

export interface RawExchange {
  socket: Socket;
  /** Everything the server sent, as text, so far. */
  received(): string;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Opens a raw TCP connection to the server and writes `head` (request line and headers, as given). */
export function rawRequest(server: { host: string; port: number }, head: string): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host);
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", () => {});
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.once("connect", () => {
      socket.write(head);
      resolve({ socket, received: () => text, closed });
    });
    socket.once("error", reject);
  });
}

/** The request line and headers of a POST to the endpoint, without the blank line that ends them. */
export function headLines(
  endpoint: Pick<Endpoint, "path" | "port">,
  headers: Record<string, string | number>,
): string {
  const lines = [`POST ${endpoint.path} HTTP/1.1`, `Host: 127.0.0.1:${endpoint.port}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join("\r\n")}\r\n`;
}

/** Polls until `check` holds, for at most `ms`. */
export async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
