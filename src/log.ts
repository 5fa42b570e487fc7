import { type DestinationStream, pino } from "pino";

/**
 * Credentials that can reach a log line through an error's message or URL: a Discord interaction
 * webhook (`/webhooks/<app>/<token>` lets anyone who reads it post as the app for 15 minutes) or
 * callback, a Slack `response_url` or token, a bot token, a signature. Each is cut down to what
 * says which kind it was.
 */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  [/(\/webhooks\/\d+\/)[^/?\s"']+/gu, "$1[redacted]"],
  [/(\/interactions\/\d+\/)[^/?\s"']+/gu, "$1[redacted]"],
  [/(https?:\/\/hooks\.slack(?:-gov)?\.com\/)[^\s"']+/gu, "$1[redacted]"],
  [/\b(xox[abposre]|xapp)-[\w-]+/gu, "$1-[redacted]"],
  [/\b(Bot|Bearer)\s+[\w.-]{20,}/gu, "$1 [redacted]"],
  [/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}\b/gu, "[redacted token]"],
  [/\bv0=[0-9a-f]{64}\b/gu, "v0=[redacted]"],
];

/** A text with every credential in it redacted. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** Every string in a log record scrubbed, however deep: error messages, stacks, URLs, causes. */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  // pino applies serializers after this formatter: turn errors into records here, or their message
  // and stack (not own enumerable fields) would be lost.
  if (value instanceof Error) return scrubDeep(pino.stdSerializers.err(value), depth + 1);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

/** Fields that only ever hold a secret, wherever a record carries them. */
const REDACT_PATHS = [
  "token",
  "*.token",
  "response_url",
  "*.response_url",
  "responseUrl",
  "*.responseUrl",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-signature-ed25519"]',
  '*.headers["x-signature-ed25519"]',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

/**
 * Structured logs (pino) to stderr, so stdout stays the console's and the CLI's. Error details and
 * stack traces go here, never to a chat channel, and never a credential (see SECRETS).
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? "info",
  destination: DestinationStream = pino.destination(2),
) {
  return pino(
    {
      level,
      base: { app: "karpathy-quotes" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: { log: (record) => scrubDeep(record) as Record<string, unknown> },
      hooks: {
        // The message text too: a library's error message can be logged as the message itself.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === "string" ? scrubSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;
