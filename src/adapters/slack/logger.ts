import { format } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../log.js";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt, its WebClient and the Socket Mode client log through our pino logger, so every line is
 * structured and goes to stderr. The level stays the one `LOG_LEVEL` set: Bolt's `setLevel` is ignored.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ module: "slack" });
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]): void => {
      // Bolt logs several debug lines per request: format them only if they will be written.
      if (!child.isLevelEnabled(level)) return;
      const err = msg.find((m) => m instanceof Error);
      const text = format(...msg.filter((m) => m !== err));
      if (err) child[level]({ err }, text);
      else child[level](text);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: () => {},
    getLevel: () => LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
