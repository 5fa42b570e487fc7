import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { type Logger as BoltLogger, HTTPReceiver, type HTTPReceiverOptions } from "@slack/bolt";
import { z } from "zod";
import { answerProbe, type ReadinessCheck } from "../health.js";
import {
  clientAborted,
  HTTP_DEFAULTS,
  nestsDeeperThan,
  PreAuthBudget,
  readBody,
  refusalLogger,
  refuseBusy,
  refuseTooLarge,
  requestPath,
} from "../http.js";
import { INTERACTION_TYPES, SLASH_COMMAND } from "./register.js";

/** Where Slack sends slash commands, button presses and events in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

/** OAuth mode: where an install starts (a redirect to Slack) and where Slack sends the installer back. */
export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";

/** What Bolt's HTTPReceiver takes to run the OAuth install flow (its InstallProvider). */
export type OAuthReceiverOptions = Required<
  Pick<HTTPReceiverOptions, "clientId" | "clientSecret" | "stateSecret" | "scopes" | "installationStore">
> &
  Pick<HTTPReceiverOptions, "installerOptions">;

/** How far Slack's request timestamp may be ahead of our clock. Bolt checks only the past (5 minutes). */
export const MAX_FUTURE_SKEW_SECONDS = 5 * 60;

const FORM = "application/x-www-form-urlencoded";
/**
 * Deepest JSON accepted. Slack's deepest payloads (a button press carrying its message's rich-text
 * blocks and state) nest about ten levels; nothing here parses recursively, but no listener, logger
 * or serializer should ever walk thousands of levels of a hostile body.
 */
const MAX_JSON_DEPTH = 32;

export interface ReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
  /** Largest request body accepted; a bigger one gets 413 and is not kept. Default 256 KiB. */
  maxBodyBytes?: number | undefined;
  /** Bytes all requests may buffer before verification beyond a small free share each (http.ts). */
  preAuthBudgetBytes?: number | undefined;
  /** What `GET /ready` checks (`GET /health` needs none). */
  readiness?: readonly ReadinessCheck[];
  /** Many workspaces: Bolt serves GET /slack/install and /slack/oauth_redirect with these. */
  oauth?: OAuthReceiverOptions | undefined;
}

/**
 * Bolt's own HTTPReceiver (signature check, 5-minute staleness check, url_verification, ssl_check,
 * ack handling) behind a guard that reads POST /slack/events first:
 * - a body over the cap gets 413 as soon as it is declared or grows past it, and is not kept (Bolt
 *   would buffer up to 4 MB first);
 * - a timestamp more than five minutes in the future, or a bad or missing signature, gets 401 (Bolt
 *   accepts future timestamps, which would let a captured request be replayed long after it was made);
 * - a signed body this app does not answer gets 400 (see the schemas below). Bolt 5.1 answers
 *   malformed JSON with 400 itself, but a signed `null` makes it throw outside its own error handling
 *   (the request hangs and the rejection is unhandled), a field of the wrong type gets 500, and a body
 *   no listener acknowledges waits 3 s for its 404; JSON nested deeper than `MAX_JSON_DEPTH` gets
 *   400 too, before it is parsed.
 * What passes is handed to Bolt already read (`rawBody`), and Bolt verifies it again.
 */
export function createHttpReceiver({
  signingSecret,
  logger,
  now = Date.now,
  maxBodyBytes: cap,
  preAuthBudgetBytes,
  readiness = [],
  oauth,
}: ReceiverOptions): HTTPReceiver {
  const maxBodyBytes = cap ?? HTTP_DEFAULTS.maxBodyBytes;
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: EVENTS_PATH,
    logger,
    bodyLimit: maxBodyBytes,
    ...(oauth
      ? {
          ...oauth,
          installerOptions: {
            ...oauth.installerOptions,
            installPath: INSTALL_PATH,
            redirectUriPath: REDIRECT_PATH,
          },
        }
      : {}),
  });
  const refused = refusalLogger((cause, count) => logger.warn(`Refused ${count} request(s): ${cause}`));
  const budget = new PreAuthBudget(preAuthBudgetBytes);
  const bolt = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = requestPath(req);
    if (path === undefined) return void res.writeHead(400).end();
    if (req.method !== "POST" || path !== EVENTS_PATH)
      return void answerProbe(req, res, path, readiness).then(
        (answered) => answered || bolt(req, res),
        () => res.writeHead(500).end(),
      );
    normalizeContentType(req);
    if (isFromTheFuture(req.headers["x-slack-request-timestamp"], now())) {
      refused("x-slack-request-timestamp more than 5 minutes in the future");
      req.resume();
      return void res.writeHead(401).end();
    }
    readBody(req, maxBodyBytes, budget)
      .then((body) => {
        if (body === "too large") {
          refused(`body over ${maxBodyBytes} bytes`);
          return refuseTooLarge(req, res);
        }
        if (body === "busy") {
          refused("pre-auth budget exhausted (503)");
          return refuseBusy(req, res);
        }
        const problem = problemWith(req, body, signingSecret, now());
        if (problem) {
          refused(problem.reason);
          return void res.writeHead(problem.status).end();
        }
        Object.assign(req, { rawBody: body });
        bolt(req, res);
      })
      .catch((error: unknown) => {
        if (clientAborted(req, error)) logger.debug("A client went away mid-request");
        else logger.warn("Could not read a request", error);
        if (!res.headersSent) res.writeHead(400).end();
        else res.destroy();
      });
  };
  return receiver;
}

/**
 * `application/x-www-form-urlencoded; charset=utf-8` is the same type as without the parameter, but
 * Bolt (and the check below) compare the whole header: keep only the media type, lower-cased.
 */
function normalizeContentType(req: IncomingMessage): void {
  const type = req.headers["content-type"];
  if (type) req.headers["content-type"] = type.split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

/** Why a request must be refused before Bolt sees it, or undefined when it may pass. */
function problemWith(
  req: IncomingMessage,
  body: Buffer,
  signingSecret: string,
  nowMs: number,
): { status: 400 | 401; reason: string } | undefined {
  const text = body.toString("utf8");
  const form = req.headers["content-type"] === FORM;
  const fields = form ? parseQuery(text) : undefined;
  // Slack's unsigned SSL check: Bolt answers it and drops everything else in the body.
  if (fields?.ssl_check === "1") return undefined;
  if (!isValidSignature(signingSecret, req.headers, text, nowMs))
    return { status: 401, reason: "missing or invalid signature" };
  if (fields && fields.payload === undefined)
    return slashCommandSchema.safeParse(fields).success ? undefined : refuse("not our slash command");
  const json = fields ? fields.payload : text;
  if (typeof json === "string" && nestsDeeperThan(json, MAX_JSON_DEPTH)) return refuse("nested too deeply");
  let parsed: unknown;
  try {
    parsed = typeof json === "string" ? JSON.parse(json) : undefined;
  } catch {
    return refuse("not JSON");
  }
  if (fields) return buttonPressSchema.safeParse(parsed).success ? undefined : refuse("not a button press");
  return eventSchema.safeParse(parsed).success ? undefined : refuse("not an event");
}

function refuse(reason: string) {
  return { status: 400, reason: `the body is ${reason}` } as const;
}

// What this app answers, as Slack sends it: the fields Bolt and the listeners read, with Slack's
// documented types; everything else passes through unchecked. Bolt would leave any other body
// unacknowledged for 3 s, then answer 404; a field of the wrong type (`channel: null`, `actions: []`)
// would make it throw and answer 500, and a signed `null` would hang the request.

const id = z.object({ id: z.string() });

/** `/karpathy …`: a form, every field once. */
const slashCommandSchema = z.object({
  command: z.literal(SLASH_COMMAND),
  text: z.string().optional(),
  user_id: z.string(),
  user_name: z.string().optional(),
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  channel_id: z.string().optional(),
  response_url: z.string().optional(),
});

/** A press of a button: the form's `payload`, a block_actions object. */
const buttonPressSchema = z.object({
  type: z.enum(INTERACTION_TYPES),
  user: z.object({
    id: z.string(),
    username: z.string().optional(),
    name: z.string().optional(),
    team_id: z.string().optional(),
  }),
  team: id.nullish(),
  enterprise: id.nullish(),
  channel: id.optional(),
  container: z.looseObject({}).optional(),
  is_enterprise_install: z.boolean().optional(),
  response_url: z.string().optional(),
  actions: z
    .array(
      z.looseObject({
        type: z.string(),
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .min(1),
});

/** An Events API callback (app_mention), or the URL check Slack sends when the Request URL is set. */
const eventSchema = z.union([
  z.object({ type: z.literal("url_verification"), challenge: z.string() }),
  z.object({
    type: z.literal("event_callback"),
    team_id: z.string().optional(),
    enterprise_id: z.string().nullish(),
    is_enterprise_install: z.boolean().optional(),
    event: z.looseObject({
      type: z.string(),
      user: z.string().optional(),
      bot_id: z.string().optional(),
      text: z.string().optional(),
      channel: z.union([z.string(), id]).optional(),
      channel_id: z.string().optional(),
      item: z.looseObject({}).optional(),
      ts: z.string().optional(),
      thread_ts: z.string().optional(),
    }),
    authorizations: z
      .array(
        z.looseObject({
          user_id: z.string().optional(),
          team_id: z.string().nullish(),
          enterprise_id: z.string().nullish(),
          is_bot: z.boolean().optional(),
        }),
      )
      .optional(),
  }),
]);

/**
 * Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret, in
 * `X-Slack-Signature`, with `X-Slack-Request-Timestamp` within five minutes of `nowMs` either way. A
 * constant-time comparison without Bolt's (tsscmp draws random bytes and hashes twice on every call).
 */
export function isValidSignature(
  signingSecret: string,
  headers: IncomingMessage["headers"],
  body: string,
  nowMs: number,
): boolean {
  const signature = headers["x-slack-signature"];
  const timestamp = headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof timestamp !== "string") return false;
  if (!/^v0=[0-9a-f]{64}$/u.test(signature) || !/^\d{1,12}$/u.test(timestamp)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_FUTURE_SKEW_SECONDS) return false;
  const expected = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(signature.slice(3), "hex"));
}

export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== "string") return false; // missing or repeated: the signature check refuses it
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + MAX_FUTURE_SKEW_SECONDS;
}
