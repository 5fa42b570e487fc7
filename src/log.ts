import { createRequire } from "node:module";
import { type DestinationStream, type LoggerOptions, pino, stdSerializers } from "pino";

const REDACTED = "[REDACTED]";

/**
 * Secrets that may turn up inside any logged text (an error message, a stack, a URL, a Bolt line).
 * A webhook path or a response_url lets whoever reads it post as the app for as long as it lives.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  // Discord's interaction webhook: /webhooks/<application id>/<interaction token>
  /(\/webhooks\/)[^\s"'?#]+/giu,
  // Slack's response_url (https://hooks.slack.com/commands/…, /actions/…) and any other /hooks/ path
  /(hooks\.slack\.com\/|\/hooks\/)[^\s"'?#]+/giu,
  // Slack tokens (bot, user, app-level) and Discord bot tokens (three dot-separated base64url parts)
  /()\bxox[a-z]-[\w-]+/giu,
  /()\bxapp-[\w-]+/giu,
  /()\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/gu,
  // Signatures: Slack's v0=<hmac>, and hex strings of Ed25519 signature / key length or more
  /()\bv0=[0-9a-f]{16,}/giu,
  /()\b[0-9a-f]{64,}\b/giu,
];

/** `text` with every secret above replaced by `[REDACTED]` (the prefix that names it is kept). */
export function scrub(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}

/** A copy of `value` with every string scrubbed; deep enough for an error with a request on it. */
function scrubDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrub(value);
  if (value === null || typeof value !== "object") return value;
  // pino formats a line before serializing it: an error is left for the `err` serializer to scrub.
  if (value instanceof Error && depth > 0) return value;
  if (depth > 6 || seen.has(value)) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1, seen);
  return out;
}

/** Fields that hold a secret under their own name: censored whatever their value looks like. */
const REDACT_PATHS = [
  "token",
  "*.token",
  "response_url",
  "*.response_url",
  "responseUrl",
  "*.responseUrl",
  "signature",
  "*.signature",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-signature-ed25519"]',
  'headers["x-slack-signature"]',
  "*.headers.authorization",
  "config.headers.Authorization",
  "*.config.headers.Authorization",
];

/**
 * The logger's options: secrets are censored by field name (`redact`) and scrubbed out of every
 * string (the message, error messages and stacks, and the URLs a DiscordAPIError or an HTTP error
 * carries), since a failed follow-up's error holds the webhook URL it called.
 */
export const LOG_OPTIONS: LoggerOptions = {
  base: { app: "karpathy-quotes" },
  redact: { paths: REDACT_PATHS, censor: REDACTED },
  serializers: { err: (error: unknown) => scrubDeep(stdSerializers.err(error as Error)) },
  formatters: { log: (object) => scrubDeep(object) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      method.apply(
        this,
        args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>,
      );
    },
  },
};

/** `json`: one JSON object a line (the default, for log collectors); `pretty`: pino-pretty's lines. */
export type LogFormat = "json" | "pretty";

/**
 * Structured logs (pino) to stderr, so stdout stays the console's and the CLI's. Error details and
 * stack traces go here, never to a chat channel. Tests pass their own `destination` to read the lines.
 * `pretty` formats in this process (no worker thread), after the redaction above.
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? "info",
  destination: DestinationStream = pino.destination(2),
  format: LogFormat = "json",
) {
  return pino({ ...LOG_OPTIONS, level }, format === "pretty" ? prettyStream(destination) : destination);
}

/** pino-pretty, loaded only when asked for: a JSON logger never pays for it. */
function prettyStream(destination: DestinationStream): DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  return pretty.build({
    destination,
    sync: true,
    colorize: process.stderr.isTTY === true && !process.env.NO_COLOR,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,app",
  });
}

export type Logger = ReturnType<typeof createLogger>;
