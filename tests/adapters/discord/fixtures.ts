/**
 * Shared test fixtures for the Discord adapter: the shipped corpus's engine, a silent logger, raw
 * interaction payloads shaped like Discord's (API v10), and Ed25519 signing for the HTTP endpoint.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { REST } from "discord.js";
import type { APIInteractionResponseCallbackData } from "discord-api-types/v10";
import {
  type HttpOptions,
  type RunningHttpAdapter,
  startHttpInteractions,
} from "../../../src/adapters/discord/http.js";
import type { QuoteEngine } from "../../../src/core/engine.js";
import { createLogger, type Logger } from "../../../src/log.js";
import { realEngine } from "../../helpers.js";

export const engine = realEngine();

export function silentLog(): Logger {
  return createLogger("silent");
}

/** A logger whose records the test can read. */
export function recordingLog(): { log: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => void records.push(JSON.parse(line)) };
  // The production options, so the tests see what redaction leaves in a line.
  return { log: createLogger("debug", stream), records };
}

export const APP_ID = "222222222222222222";
export const GUILD_ID = "333333333333333333";
export const CHANNEL_ID = "444444444444444444";

export const alice = {
  id: "111111111111111111",
  username: "alice",
  discriminator: "0",
  global_name: "Alice",
  avatar: null,
};
export const bob = {
  id: "555555555555555555",
  username: "bob",
  discriminator: "0",
  global_name: "Bob",
  avatar: null,
};

type User = typeof alice;
let nextId = 1000;

function base(user: User, nick: string | null = null) {
  const id = String(nextId++);
  return {
    id,
    application_id: APP_ID,
    token: `token-${id}`,
    version: 1,
    locale: "en-US",
    guild_locale: "en-US",
    app_permissions: "0",
    entitlements: [],
    authorizing_integration_owners: { "0": GUILD_ID },
    context: 0,
    attachment_size_limit: 8_388_608,
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: "general" },
    member: {
      user,
      nick,
      roles: [],
      permissions: "0",
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
    },
  };
}

type Options = Record<string, string>;

function subcommand(name: string, options: Options, focused?: string) {
  return {
    type: 1,
    name,
    options: Object.entries(options).map(([n, value]) => ({
      type: 3,
      name: n,
      value,
      ...(n === focused ? { focused: true } : {}),
    })),
  };
}

/** `/karpathy <sub> name:value …` as Discord sends it (type 2, chat input). */
export function chatInput(
  sub: string,
  options: Options = {},
  user: User = alice,
  nick: string | null = null,
) {
  return {
    ...base(user, nick),
    type: 2,
    data: { id: "999", name: "karpathy", type: 1, options: [subcommand(sub, options)] },
  };
}

/** Autocomplete while typing the `focused` option (type 4). */
export function autocomplete(sub: string, options: Options, focused = "query", user: User = alice) {
  return {
    ...base(user),
    type: 4,
    data: { id: "999", name: "karpathy", type: 1, options: [subcommand(sub, options, focused)] },
  };
}

/** A message the bot posted (API v10 shape), as Discord returns it or attaches to a button press. */
export function botMessage(id: string) {
  return {
    id,
    channel_id: CHANNEL_ID,
    type: 0,
    content: "",
    author: { id: APP_ID, username: "karpathy-quotes", discriminator: "0", avatar: null, bot: true },
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: "2025-01-01T00:00:00.000Z",
    edited_timestamp: null,
  };
}

/** A press of a preview's button (type 3), on an ephemeral message produced by `owner`'s command. */
export function buttonPress(
  customId: string,
  presser: User = alice,
  owner: User = alice,
  nick: string | null = null,
) {
  return {
    ...base(presser, nick),
    type: 3,
    data: { custom_id: customId, component_type: 2 },
    message: {
      ...botMessage(String(nextId++)),
      type: 20,
      flags: 64,
      interaction_metadata: {
        id: "1",
        type: 2,
        user: owner,
        authorizing_integration_owners: { "0": GUILD_ID },
      },
    },
  };
}

/** The custom_id of a preview's button, from an outgoing message. */
export function customIdOf(data: APIInteractionResponseCallbackData | undefined, action: string): string {
  for (const row of data?.components ?? [])
    if ("components" in row)
      for (const c of row.components)
        if ("custom_id" in c && c.custom_id.startsWith(`kq:${action}:`)) return c.custom_id;
  throw new Error(`no ${action} button in ${JSON.stringify(data)}`);
}

/** A mention Discord would parse: `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&role>`, `<#channel>`. */
export const MENTION = /@(?:everyone|here)|<(?:@[!&]?|#)\d/u;

/** Hostile input an attacker might type as a query. */
export const HOSTILE = [
  "@everyone agents",
  "@everyone zzqxv",
  "<@111111111111111111> qqzzx **bold** [x](https://evil.example)",
  "@here reinforcement learning",
  "<@111111111111111111> education",
  "<@&222222222222222222> <#444444444444444444> self-driving",
  "**bold** __under__ ~~strike~~ ||spoiler|| `code` [link](https://evil.example) # heading",
  "> quote\n- list\n1. numbered agents",
  "x".repeat(10_000),
  "@everyone ".repeat(1000),
  "🦄".repeat(400),
];

export interface KeyPair {
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function keyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const der = publicKey.export({ format: "der", type: "spki" });
  return { publicKeyHex: der.subarray(der.length - 32).toString("hex"), privateKey };
}

/** Discord's headers for a body: Ed25519 over timestamp + body. */
export function signed(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
) {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return {
    "content-type": "application/json",
    "x-signature-ed25519": signature,
    "x-signature-timestamp": timestamp,
  };
}

/** A follow-up the endpoint posted to (fake) Discord. */
export interface FollowUp {
  method: string;
  url: string;
  body: APIInteractionResponseCallbackData;
}

export interface TestEndpoint {
  endpoint: RunningHttpAdapter;
  followUps: FollowUp[];
  close(): Promise<void>;
}

/**
 * The HTTP interactions endpoint on 127.0.0.1, its REST follow-ups going to a loopback fake Discord
 * that answers each with `status()` (200: a message; otherwise Missing Access).
 */
export async function startTestEndpoint(
  quotes: QuoteEngine,
  keys: KeyPair,
  log: Logger,
  status: () => number = () => 200,
  extra: Omit<HttpOptions, "rest" | "followUpRetryMs"> = {},
): Promise<TestEndpoint> {
  const followUps: FollowUp[] = [];
  const discord = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      followUps.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
      });
      const code = status();
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(code === 200 ? { id: "1" } : { code: 50001, message: "Missing Access" }));
    });
  });
  discord.listen(0, "127.0.0.1");
  await once(discord, "listening");
  const api = `http://127.0.0.1:${(discord.address() as AddressInfo).port}/api`;
  const endpoint = await startHttpInteractions(
    quotes,
    { mode: "http", publicKey: keys.publicKeyHex, host: "127.0.0.1", port: 0 },
    log,
    { ...extra, rest: new REST({ version: "10", api, retries: 0 }), followUpRetryMs: [10] },
  );
  return {
    endpoint,
    followUps,
    close: async () => {
      await endpoint.stop();
      discord.close();
    },
  };
}
