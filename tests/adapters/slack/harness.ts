/**
 * Offline Slack for the adapter tests: requests signed the way Slack signs them, a loopback server
 * standing in for response_url, another standing in for the Web API (chat.postMessage). Everything
 * listens on 127.0.0.1 only, and every server is closed by its `close()`.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { types } from "@slack/bolt";
import { type SlackAdapter, startSlack } from "../../../src/adapters/slack/main.js";
import type { QuoteEngine } from "../../../src/core/engine.js";
import { createLogger, type Logger } from "../../../src/log.js";

export const SIGNING_SECRET = "testsecret123";
export const BOT_TOKEN = "xoxb-test-token";
export const TEAM = "T0TEAM";
export const CHANNEL = "C0GENERAL";
export const USER = "U0ADA";
export const BOT_USER = "U0BOT";

/** A pino logger writing into an array, so tests can check what reached the log. */
export function captureLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger("debug", stream), lines };
}

export interface Captured {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface Loopback {
  url: string;
  requests: Captured[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `respond`. */
export async function loopback(
  respond: (req: Captured) => { status: number; body: unknown } = () => ({ status: 200, body: "ok" }),
): Promise<Loopback> {
  const requests: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const captured = { path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(captured);
      const { status, body } = respond(captured);
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Web API stand-in: every method answers `ok`, and calls are recorded with their parameters. */
export async function fakeSlackApi(): Promise<
  Loopback & { calls(method: string): Record<string, unknown>[] }
> {
  const server = await loopback((req) => {
    const method = req.path.replace(/^\/api\//u, "");
    if (method === "auth.test") return { status: 200, body: { ok: false, error: "not_allowed_in_tests" } };
    return { status: 200, body: { ok: true, channel: CHANNEL, ts: "1700000000.000200" } };
  });
  return {
    ...server,
    calls: (method) =>
      server.requests
        .filter((r) => r.path === `/api/${method}`)
        .map((r) =>
          r.headers["content-type"]?.includes("json")
            ? JSON.parse(r.body)
            : parseForm(Object.fromEntries(new URLSearchParams(r.body))),
        ),
  };
}

/** WebClient form-encodes arguments and JSON-encodes the structured ones (blocks). */
function parseForm(fields: Record<string, string>): SentMessage {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    try {
      out[k] = k === "blocks" ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** A message as the app sent it: an ack body, a response_url payload or chat.post* arguments. */
export interface SentMessage {
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
  channel?: string;
  thread_ts?: string;
  text?: string;
  blocks?: types.KnownBlock[];
}

/** The buttons of a message's actions block. */
export function buttonsOf(m: SentMessage | undefined): types.Button[] {
  const actions = m?.blocks?.find((b): b is types.ActionsBlock => b.type === "actions");
  return (actions?.elements ?? []).filter((e): e is types.Button => e.type === "button");
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Slack's signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SlackRequest {
  body: string;
  contentType: string;
}

export interface PostOptions {
  timestamp?: number;
  secret?: string;
  signature?: string;
}

/** POSTs a request to /slack/events the way Slack does, signed unless told otherwise. */
export async function post(
  appUrl: string,
  request: SlackRequest,
  options: PostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? nowSeconds();
  return fetch(`${appUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": request.contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? sign(request.body, timestamp, options.secret),
    },
    body: request.body,
  });
}

/** A slash command, form-encoded as Slack sends it (from `team`, by default the test team). */
export function slashCommand(text: string, responseUrl: string, team = TEAM): SlackRequest {
  const fields = {
    token: "legacy-verification-token",
    team_id: team,
    team_domain: "acme",
    channel_id: CHANNEL,
    channel_name: "general",
    user_id: USER,
    user_name: "ada",
    command: "/karpathy",
    text,
    api_app_id: "A0APP",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: "123.456.abc",
  };
  return { body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" };
}

/** A button press: `payload=<JSON>`, form-encoded, as Slack sends block_actions. */
export function buttonPress(actionId: string, value: string, responseUrl: string, team = TEAM): SlackRequest {
  const payload = {
    type: "block_actions",
    user: { id: USER, username: "ada", name: "ada", team_id: team },
    api_app_id: "A0APP",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: "1700000000.000100", channel_id: CHANNEL, is_ephemeral: true },
    trigger_id: "123.456.abc",
    team: { id: team, domain: "acme" },
    channel: { id: CHANNEL, name: "general" },
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "kq_preview",
        text: { type: "plain_text", text: "Send" },
        value,
        action_ts: "1700000001.000000",
      },
    ],
  };
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: "application/x-www-form-urlencoded",
  };
}

/** An Events API callback carrying an app_mention. */
export function appMention(text: string, extra: Record<string, unknown> = {}): SlackRequest {
  const body = {
    token: "legacy-verification-token",
    team_id: TEAM,
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: "Ev0001",
    event_time: nowSeconds(),
    authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    event: {
      type: "app_mention",
      user: USER,
      text,
      ts: "1700000000.000100",
      channel: CHANNEL,
      event_ts: "1700000000.000100",
      ...extra,
    },
  };
  return { body: JSON.stringify(body), contentType: "application/json" };
}

/** Any Events API callback from `team`: `event` as Slack sends it, with the envelope around it. */
export function eventCallback(event: Record<string, unknown>, team = TEAM, botUser = BOT_USER): SlackRequest {
  const body = {
    token: "legacy-verification-token",
    team_id: team,
    api_app_id: "A0APP",
    type: "event_callback",
    event_id: `Ev${Math.random().toString(36).slice(2, 10)}`,
    event_time: nowSeconds(),
    authorizations: [{ team_id: team, user_id: botUser, is_bot: true, is_enterprise_install: false }],
    event: { event_ts: "1700000000.000100", ...event },
  };
  return { body: JSON.stringify(body), contentType: "application/json" };
}

export function urlVerification(challenge: string): SlackRequest {
  return {
    body: JSON.stringify({ token: "legacy", challenge, type: "url_verification" }),
    contentType: "application/json",
  };
}

/** Polls until `check` returns a value, for at most `ms` (the app answers response_url after its ack). */
export async function eventually<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing arrived within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface LooseBlock {
  type?: string;
  text?: { type?: string; text?: string };
  elements?: Array<{ type?: string; text?: string | { text?: string }; value?: string; action_id?: string }>;
}

/** Markup the adapter builds on purpose: links to http(s) URLs and mentions by Slack user id. */
const OUR_MARKUP = /<https?:\/\/[^<>|\s]+\|[^<>]*>|<@[UW][A-Z0-9]{2,20}>/gu;

/**
 * Everything wrong with a message by Block Kit's limits and our escaping rule: user and corpus text
 * may never contain a live `<…>` (mention, broadcast, link) or a bare `&`. Empty when all is well.
 */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const escaped = (where: string, text: string) => {
    const rest = text.replace(OUR_MARKUP, "").replace(/^>/gmu, "");
    if (/[<>]/u.test(rest))
      problems.push(`${where}: unescaped < or > in ${JSON.stringify(text.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/u.test(rest))
      problems.push(`${where}: bare & in ${JSON.stringify(text.slice(0, 80))}`);
  };
  if (typeof message.text !== "string" || !message.text) problems.push("no fallback text");
  else escaped("text", message.text);
  const blocks = message.blocks as LooseBlock[] | undefined;
  if (!Array.isArray(blocks) || blocks.length === 0) return [...problems, "no blocks"];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  const actionIds = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.type === "section") {
      const t = b.text;
      if (t?.type !== "mrkdwn" || typeof t.text !== "string" || !t.text.trim())
        problems.push(`${where}: no text`);
      else if (t.text.length > 3000) problems.push(`${where}: ${t.text.length} chars`);
      else escaped(where, t.text);
    } else if (b.type === "context") {
      if (!b.elements?.length || b.elements.length > 10)
        problems.push(`${where}: ${b.elements?.length} elements`);
      for (const e of b.elements ?? []) {
        if (typeof e.text !== "string" || !e.text.trim() || e.text.length > 3000)
          problems.push(`${where}: bad element`);
        else escaped(where, e.text);
      }
    } else if (b.type === "actions") {
      if (!b.elements?.length || b.elements.length > 25)
        problems.push(`${where}: ${b.elements?.length} elements`);
      for (const e of b.elements ?? []) {
        if (e.type !== "button") problems.push(`${where}: not a button`);
        const label = typeof e.text === "object" ? e.text.text : undefined;
        if (!label || label.length > 75) problems.push(`${where}: button text`);
        if (typeof e.value !== "string" || e.value.length > 2000) problems.push(`${where}: button value`);
        const id = e.action_id ?? "";
        if (!id || id.length > 255 || actionIds.has(id)) problems.push(`${where}: action_id ${id}`);
        actionIds.add(id);
      }
    } else problems.push(`${where}: unexpected block type`);
  });
  return problems;
}

export interface TestApp {
  url: string;
  slack: SlackAdapter;
  api: Awaited<ReturnType<typeof fakeSlackApi>>;
  /** Stands in for every response_url the app is given. */
  hook: Loopback;
  close(): Promise<void>;
}

/** The app in HTTP mode on 127.0.0.1, its Web API pointed at a fake one, with a response_url stand-in. */
export async function startTestApp(
  engine: QuoteEngine,
  log: Logger,
  respond?: Parameters<typeof loopback>[0],
): Promise<TestApp> {
  const api = await fakeSlackApi();
  const hook = await loopback(respond);
  const slack = await startSlack(
    engine,
    { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, host: "127.0.0.1", port: 0 },
    log,
    { clientOptions: { slackApiUrl: `${api.url}/api/` } },
  );
  return {
    url: `http://127.0.0.1:${slack.port}`,
    slack,
    api,
    hook,
    close: async () => {
      await slack.stop();
      await Promise.all([api.close(), hook.close()]);
    },
  };
}
