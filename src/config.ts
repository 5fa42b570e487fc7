import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_RATE_LIMIT, type RateLimit } from "../commands/ratelimit.js";
import { ed25519KeyProblem } from "./adapters/discord/verify.js";
import type { StoreOptions } from "./store/index.js";

/**
 * Every environment variable, validated once at start-up. `.env.example` documents each one. A
 * platform starts when its credentials are present; with none, `npm start` opens the local console.
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
/** RFC 1123 host names: labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*$/iu;

/** Discord's REST API base URL (discord.js's own default); `DISCORD_API_URL` replaces it. */
export const DEFAULT_DISCORD_API_URL = "https://discord.com/api";

/** Slack's Web API base URL (the WebClient's own default); `SLACK_API_URL` replaces it. */
export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/** The three variables of Slack's OAuth install flow (many workspaces), in the order they are named. */
export const SLACK_OAUTH_VARIABLES = [
  "SLACK_CLIENT_ID",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
] as const;

/** A Discord id (snowflake): 17 to 20 digits. */
export const SNOWFLAKE = /^\d{17,20}$/u;

const optional = (schema: z.ZodString) => z.preprocess(blankIsUnset, schema.optional());

/** `5/10s` (5 commands per 10 seconds per user), or `off`. */
const rateLimit = z.preprocess(
  blankIsUnset,
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?:off|[1-9]\d{0,5}\/[1-9]\d{0,5}s?)$/u, {
      error: 'must be "<commands>/<seconds>s" (e.g. 5/10s) or "off"',
    })
    .default(`${DEFAULT_RATE_LIMIT.commands}/${DEFAULT_RATE_LIMIT.perSeconds}s`)
    .transform((v): RateLimit | undefined => {
      if (v === "off") return undefined;
      const [commands = "", perSeconds = ""] = v.replace(/s$/u, "").split("/");
      return { commands: Number(commands), perSeconds: Number(perSeconds) };
    }),
);

function isRedisUrl(value: string): boolean {
  if (!/^rediss?:\/\/\S+$/u.test(value)) return false;
  try {
    return new URL(value).hostname !== "";
  } catch {
    return false;
  }
}

const discordApiUrlSchema = z.preprocess(
  blankIsUnset,
  z
    .url({ protocol: /^https?$/u, error: "must be an http(s) URL such as https://discord.com/api" })
    .default(DEFAULT_DISCORD_API_URL)
    .transform((url) => url.replace(/\/+$/u, "")),
);

const envSchema = z.object({
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  /** `json` (one object a line, for log collectors) or `pretty` (pino-pretty, for reading in a terminal). */
  LOG_FORMAT: z.preprocess(blankIsUnset, z.enum(["json", "pretty"]).default("json")),
  /**
   * The port hosting platforms assign. When exactly one HTTP endpoint runs, it listens here (over
   * DISCORD_PORT / SLACK_PORT); with two, start-up refuses it, since the platform routes only one port.
   */
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(65535).optional()),
  /** Address the HTTP endpoints listen on. */
  HOST: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((h) => isIP(h) !== 0 || HOST_NAME.test(h), {
        error: "must be an IP address (e.g. 0.0.0.0, 127.0.0.1, ::) or a host name",
      })
      .default("0.0.0.0"),
  ),
  /** Per-user limit on chat commands and button presses (not autocomplete; the console has none). */
  RATE_LIMIT: rateLimit,

  /** How often every instance looks for due quotes of the day, in ms (tests shorten it). */
  DAILY_TICK_MS: z.preprocess(blankIsUnset, z.coerce.number().int().min(50).max(600_000).default(10_000)),
  /** Local data; the embedded database lives in `<DATA_DIR>/db`, created on first use. */
  DATA_DIR: z.preprocess(blankIsUnset, z.string().default("./data")),
  /** PostgreSQL for several instances; unset = the embedded database. Never echoed: it may hold a password. */
  DATABASE_URL: optional(
    z.string().regex(/^postgres(?:ql)?:\/\/\S+$/u, {
      error: "must be a PostgreSQL URL: postgres://user:password@host:5432/database",
    }),
  ),

  /**
   * Redis for the rate limit, shared by every instance; unset = each process counts on its own.
   * Never echoed: it may hold a password.
   */
  REDIS_URL: optional(
    z.string().refine(isRedisUrl, {
      error: "must be a Redis URL: redis://[:password@]host:6379[/db] (rediss:// for TLS)",
    }),
  ),

  DISCORD_MODE: z.preprocess(blankIsUnset, z.enum(["gateway", "http"]).optional()),
  DISCORD_TOKEN: optional(z.string().min(50, { error: "does not look like a bot token" })),
  DISCORD_APPLICATION_ID: optional(
    z.string().regex(SNOWFLAKE, { error: "must be the application's id: 17 to 20 digits" }),
  ),
  // A small-order key would let one fixed signature verify every body: refused here, at start-up.
  DISCORD_PUBLIC_KEY: optional(
    z.string().superRefine((hex, ctx) => {
      const problem = ed25519KeyProblem(hex);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  ),
  DISCORD_GUILD_ID: optional(
    z.string().regex(SNOWFLAKE, { error: "must be a server's id: 17 to 20 digits" }),
  ),
  DISCORD_PORT: port(3001),
  /** Discord's REST API base: every Discord client of the bot uses it (tests point it at loopback). */
  DISCORD_API_URL: discordApiUrlSchema,
  /** Gateway sharding for large installs: a shard count, or `auto` for Discord's recommendation. */
  DISCORD_SHARDS: z.preprocess(
    blankIsUnset,
    z.union([z.literal("auto"), z.coerce.number().int().min(1)]).optional(),
  ),

  SLACK_MODE: z.preprocess(blankIsUnset, z.enum(["socket", "http"]).optional()),
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, { error: "must start with xoxb-" })),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, { error: "must start with xapp-" })),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, { error: "is too short" })),
  SLACK_PORT: port(3000),
  /** OAuth (many workspaces): the app's Client ID, e.g. 1234567890.1234567890123. */
  SLACK_CLIENT_ID: optional(
    z.string().regex(/^\d+\.\d+$/u, { error: "must be the app's Client ID: digits, a dot, digits" }),
  ),
  // Secrets: messages never repeat the value (zod 4 leaves inputs out of its issues).
  SLACK_CLIENT_SECRET: optional(z.string().min(16, { error: "is too short for a Client Secret" })),
  /** Signs the OAuth `state` parameter: any long random string of your own. */
  SLACK_STATE_SECRET: optional(z.string().min(16, { error: "must be at least 16 characters" })),
  /** Slack's Web API base: every WebClient the bot makes uses it, the OAuth exchange included. */
  SLACK_API_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/u, error: "must be an http(s) URL such as https://slack.com/api/" })
      .default(DEFAULT_SLACK_API_URL)
      // WebClient appends the method name to the base as it is: the base must end in a slash.
      .transform((url) => url.replace(/\/*$/u, "/")),
  ),
});

export type Env = z.infer<typeof envSchema>;

export interface DiscordConfig {
  mode: "gateway" | "http";
  token?: string | undefined;
  applicationId?: string | undefined;
  publicKey?: string | undefined;
  guildId?: string | undefined;
  shards?: number | "auto" | undefined;
  /** REST API base URL (`DISCORD_API_URL`) for every request to Discord; default discord.com's. */
  apiUrl?: string | undefined;
  host: string;
  port: number;
  /** Per-user command limit; undefined = none. */
  rateLimit?: RateLimit | undefined;
  /** Redis shared by every instance for the rate limit (`REDIS_URL`); undefined = in memory. */
  redisUrl?: string | undefined;
}

/** Slack's OAuth install flow: many workspaces, each with its own stored bot token. */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs and verifies the `state` parameter (and its browser cookie) of each install. */
  stateSecret: string;
}

export interface SlackConfig {
  mode: "socket" | "http";
  /** One workspace: its bot token. Exactly one of `botToken` and `oauth` is set. */
  botToken?: string | undefined;
  /** Many workspaces: installs through /slack/install, tokens in the database. */
  oauth?: SlackOAuthConfig | undefined;
  /** Web API base URL (`SLACK_API_URL`) for every WebClient; default slack.com's. */
  apiUrl?: string | undefined;
  appToken?: string | undefined;
  signingSecret?: string | undefined;
  host: string;
  port: number;
  /** Per-user command limit; undefined = none. */
  rateLimit?: RateLimit | undefined;
  /** Redis shared by every instance for the rate limit (`REDIS_URL`); undefined = in memory. */
  redisUrl?: string | undefined;
}

export interface Config {
  logLevel: Env["LOG_LEVEL"];
  logFormat: Env["LOG_FORMAT"];
  store: StoreOptions;
  /** The quote-of-the-day scheduler's tick (`DAILY_TICK_MS`). */
  dailyTickMs: number;
  /** Per-user command limit for the chat adapters; undefined = `RATE_LIMIT=off`. */
  rateLimit?: RateLimit | undefined;
  /** `REDIS_URL`: the rate limit's shared store; undefined = each process counts on its own. */
  redisUrl?: string | undefined;
  discord?: DiscordConfig;
  slack?: SlackConfig;
}

export class ConfigError extends Error {}

/** Reads the environment; throws a `ConfigError` naming the first bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Config: ${issue?.path.join(".")} ${issue?.message ?? "is invalid"}`);
  }
  const e = parsed.data;
  const config: Config = {
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    store: { dataDir: e.DATA_DIR, databaseUrl: e.DATABASE_URL },
    dailyTickMs: e.DAILY_TICK_MS,
    rateLimit: e.RATE_LIMIT,
    redisUrl: e.REDIS_URL,
  };
  const need = (name: keyof Env, why: string) => {
    if (!e[name]) throw new ConfigError(`Config: ${name} is required ${why}`);
  };

  if (e.DISCORD_MODE || e.DISCORD_TOKEN || e.DISCORD_PUBLIC_KEY) {
    const mode = e.DISCORD_MODE ?? "gateway";
    if (mode === "gateway") need("DISCORD_TOKEN", "for DISCORD_MODE=gateway");
    else need("DISCORD_PUBLIC_KEY", "for DISCORD_MODE=http (it verifies Discord's signatures)");
    config.discord = {
      mode,
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      publicKey: e.DISCORD_PUBLIC_KEY,
      guildId: e.DISCORD_GUILD_ID,
      shards: e.DISCORD_SHARDS,
      apiUrl: e.DISCORD_API_URL,
      host: e.HOST,
      port: e.DISCORD_PORT,
      rateLimit: e.RATE_LIMIT,
      redisUrl: e.REDIS_URL,
    };
  }

  const oauthSet = SLACK_OAUTH_VARIABLES.filter((name) => e[name]);
  if (e.SLACK_MODE || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET || oauthSet.length) {
    const mode = e.SLACK_MODE ?? "socket";
    const oauth = slackOAuth(e, oauthSet);
    if (oauth && e.SLACK_BOT_TOKEN)
      throw new ConfigError(
        "Config: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and " +
          "SLACK_STATE_SECRET (installs in many workspaces), not both",
      );
    if (!oauth)
      need(
        "SLACK_BOT_TOKEN",
        "to run the Slack app (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for many workspaces)",
      );
    if (mode === "socket")
      need("SLACK_APP_TOKEN", "for SLACK_MODE=socket (an xapp- token with connections:write)");
    else need("SLACK_SIGNING_SECRET", "for SLACK_MODE=http (it verifies Slack's signatures)");
    config.slack = {
      mode,
      botToken: e.SLACK_BOT_TOKEN,
      oauth,
      apiUrl: e.SLACK_API_URL,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      host: e.HOST,
      port: e.SLACK_PORT,
      rateLimit: e.RATE_LIMIT,
      redisUrl: e.REDIS_URL,
    };
  }
  applyPort(config, e.PORT);
  // Both HTTP endpoints on one port: say so now, not as EADDRINUSE from the second listen.
  if (
    config.discord?.mode === "http" &&
    config.slack?.mode === "http" &&
    config.discord.port === config.slack.port &&
    config.slack.port !== 0 // 0: each gets a free port from the system
  )
    throw new ConfigError(
      `Config: DISCORD_PORT and SLACK_PORT are both ${config.slack.port}; give each endpoint its own port`,
    );
  return config;
}

/**
 * `PORT` (set by hosting platforms) moves the one HTTP endpoint onto it. With both endpoints on HTTP
 * it is refused: the platform would route only one of them, and the other would silently get nothing.
 */
function applyPort(config: Config, port: number | undefined): void {
  if (port === undefined) return;
  const endpoints = [
    config.discord?.mode === "http" ? config.discord : undefined,
    config.slack?.mode === "http" ? config.slack : undefined,
  ].filter((c) => c !== undefined);
  if (endpoints.length > 1)
    throw new ConfigError(
      "Config: PORT is set, but both Discord and Slack serve HTTP and one port can take only one: " +
        "run each in its own service, or unset PORT and use DISCORD_PORT and SLACK_PORT",
    );
  for (const endpoint of endpoints) endpoint.port = port;
}

/**
 * The OAuth variables go together: none (single-token mode) or all three. Names the missing ones,
 * never a value.
 */
function slackOAuth(
  e: Env,
  set: readonly (typeof SLACK_OAUTH_VARIABLES)[number][],
): SlackOAuthConfig | undefined {
  if (set.length === 0) return undefined;
  const missing = SLACK_OAUTH_VARIABLES.filter((name) => !e[name]);
  if (missing.length)
    throw new ConfigError(
      `Config: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} required with ${set.join(" and ")} ` +
        "(Slack's OAuth install flow needs all three)",
    );
  return {
    clientId: e.SLACK_CLIENT_ID as string,
    clientSecret: e.SLACK_CLIENT_SECRET as string,
    stateSecret: e.SLACK_STATE_SECRET as string,
  };
}

/** `DISCORD_API_URL`, validated, for scripts that need only it (the deploy script). */
export function discordApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = discordApiUrlSchema.safeParse(env.DISCORD_API_URL);
  if (!parsed.success)
    throw new ConfigError(`Config: DISCORD_API_URL ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  return parsed.data;
}
