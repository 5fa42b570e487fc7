import { pino } from "pino";

/**
 * Structured logs (pino) to stderr, so stdout stays the console's and the CLI's. Error details and
 * stack traces go here, never to a chat channel.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? "info") {
  return pino({ level, base: { app: "karpathy-quotes" } }, pino.destination(2));
}

export type Logger = ReturnType<typeof createLogger>;
