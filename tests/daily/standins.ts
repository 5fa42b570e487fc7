/**
 * Loopback stand-ins for the two APIs a quote of the day is posted through, speaking their real
 * protocols on 127.0.0.1: Discord REST (`POST /api/v10/channels/{id}/messages`, JSON errors with a
 * `code`, 429 with Retry-After) and the Slack Web API (`chat.postMessage`, `conversations.join`,
 * `{ ok: false, error }`, 429 with Retry-After). Each channel can be told how to answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How a stand-in answers posts to one channel. */
export type Behaviour =
  | "ok"
  /** Discord: 404 {code: 10003}; Slack: channel_not_found. */
  | "gone"
  /** Slack: not_in_channel until conversations.join is called for it (public channel). */
  | "not-in-channel"
  /** 429 with `Retry-After: 1` for the next `times` posts, then ok. */
  | { rateLimited: number }
  /** Never answers (a stalled server): the client's timeout or a kill ends it. */
  | "hang";

export interface Post {
  channel: string;
  body: Record<string, unknown>;
  headers: IncomingMessage["headers"];
}

export interface StandIn {
  /** DISCORD_API_URL (`…/api`) or SLACK_API_URL (`…/api/`). */
  url: string;
  /** Posts that were answered with a message (what the channel shows). */
  posts: Post[];
  /** Every request, answered or not, by path. */
  requests: string[];
  behave(channel: string, behaviour: Behaviour): void;
  close(): Promise<void>;
}

async function serve(
  handle: (path: string, body: string, req: IncomingMessage, res: ServerResponse) => void,
  suffix: string,
): Promise<Omit<StandIn, "posts" | "behave"> & { requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push(req.url ?? "");
      handle(req.url ?? "", Buffer.concat(chunks).toString(), req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${suffix}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

/** Counts a rate-limited channel's remaining 429s down; true while it should still refuse. */
function limited(behaviours: Map<string, Behaviour>, channel: string): boolean {
  const b = behaviours.get(channel);
  if (typeof b !== "object") return false;
  if (b.rateLimited <= 0) return false;
  behaviours.set(channel, { rateLimited: b.rateLimited - 1 });
  return true;
}

let nextId = 100_000_000_000_000_000n;

export async function fakeDiscordApi(): Promise<StandIn> {
  const behaviours = new Map<string, Behaviour>();
  const posts: Post[] = [];
  const base = await serve((path, raw, req, res) => {
    const match = /^\/api\/v10\/channels\/(\d+)\/messages$/u.exec(path);
    if (!match || req.method !== "POST") return json(res, 404, { message: "404: Not Found", code: 0 });
    const channel = match[1] as string;
    const behaviour = behaviours.get(channel) ?? "ok";
    if (behaviour === "hang") return;
    if (behaviour === "gone") return json(res, 404, { message: "Unknown Channel", code: 10003 });
    if (limited(behaviours, channel))
      return json(
        res,
        429,
        { message: "You are being rate limited.", retry_after: 1, global: false },
        { "retry-after": "1", "x-ratelimit-scope": "user" },
      );
    const body = JSON.parse(raw) as Record<string, unknown>;
    posts.push({ channel, body, headers: req.headers });
    json(res, 200, { id: String(nextId++), channel_id: channel, ...body });
  }, "/api");
  return { ...base, posts, behave: (c, b) => behaviours.set(c, b) };
}

export async function fakeSlackWebApi(): Promise<StandIn & { joined: string[] }> {
  const behaviours = new Map<string, Behaviour>();
  const posts: Post[] = [];
  const joined: string[] = [];
  let ts = 1_700_000_000;
  const base = await serve((path, raw, req, res) => {
    const params = parseBody(raw, req.headers["content-type"]);
    const channel = String(params.channel ?? "");
    const behaviour = behaviours.get(channel) ?? "ok";
    if (path === "/api/conversations.join") {
      joined.push(channel);
      if (behaviour === "not-in-channel") behaviours.set(channel, "ok");
      return json(res, 200, { ok: true, channel: { id: channel } });
    }
    if (path !== "/api/chat.postMessage") return json(res, 200, { ok: false, error: "unknown_method" });
    if (behaviour === "hang") return;
    if (behaviour === "gone") return json(res, 200, { ok: false, error: "channel_not_found" });
    if (behaviour === "not-in-channel") return json(res, 200, { ok: false, error: "not_in_channel" });
    if (limited(behaviours, channel))
      return json(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
    posts.push({ channel, body: params, headers: req.headers });
    json(res, 200, { ok: true, channel, ts: `${ts++}.000100` });
  }, "/api/");
  return { ...base, posts, joined, behave: (c, b) => behaviours.set(c, b) };
}

/** WebClient form-encodes its arguments, with structured ones (blocks) as JSON strings. */
function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes("json")) return JSON.parse(raw || "{}");
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = k === "blocks" ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}
