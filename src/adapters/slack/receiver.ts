import type { IncomingMessage, ServerResponse } from "node:http";
import { type Logger as BoltLogger, HTTPReceiver } from "@slack/bolt";

/** Where Slack sends slash commands, button presses and events in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

/** How far Slack's request timestamp may be ahead of our clock. Bolt checks only the past (5 minutes). */
export const MAX_FUTURE_SKEW_SECONDS = 5 * 60;

export interface ReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
}

/**
 * Bolt's own HTTPReceiver (signature check, 5-minute staleness check, url_verification, ssl_check,
 * ack handling) with one addition: a request signed with a timestamp more than five minutes in the
 * future is refused with 401 before its body is read. Bolt accepts those, which would let a request
 * captured or forged with a future timestamp be replayed long after it was made.
 */
export function createHttpReceiver({ signingSecret, logger, now = Date.now }: ReceiverOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret, endpoints: EVENTS_PATH, logger });
  const verified = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (isFromTheFuture(req.headers["x-slack-request-timestamp"], now())) {
      logger.warn(`Refused a request whose x-slack-request-timestamp is more than 5 minutes in the future`);
      req.resume();
      res.writeHead(401).end();
      return;
    }
    verified(req, res);
  };
  return receiver;
}

export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== "string") return false; // missing or repeated: Bolt refuses it
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + MAX_FUTURE_SKEW_SECONDS;
}
