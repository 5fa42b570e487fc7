import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { DiscordAPIError, REST } from "discord.js";
import { Routes } from "discord-api-types/v10";
import type { ClaimStore, DailyService } from "../../../commands/index.js";
import type { DiscordConfig } from "../../config.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { closeIfFails, openRateLimiter } from "../../store/ratelimit.js";
import { answerProbe, indexReadiness, type ReadinessCheck } from "../health.js";
import {
  capConnections,
  clientAborted,
  graceful,
  HTTP_DEFAULTS,
  type HttpTuning,
  nestsDeeperThan,
  PreAuthBudget,
  readBody,
  refusalLogger,
  refuseBusy,
  refuseTooLarge,
  requestPath,
  serverOptions,
} from "../http.js";
import type { RunningAdapter } from "../types.js";
import {
  decide,
  failureOutcome,
  type Incoming,
  incomingFromApi,
  type Outcome,
  rawInteractionSchema,
  summary,
  toInteractionResponse,
} from "./handler.js";
import { type DiscordMessage, toApiMessage } from "./render.js";
import { isFreshTimestamp, isValidSignature, publicKeyFromHex } from "./verify.js";

/**
 * The HTTP transport: Discord POSTs each interaction to `/interactions` (the application's Interactions
 * Endpoint URL) and the answer goes back in the HTTP response itself. Stateless, so any number of
 * processes can run behind a load balancer. Only Send needs a second call (the public message, posted
 * through the interaction's webhook once the response has gone out).
 */

export interface HttpOptions extends HttpTuning {
  /** REST client for follow-up messages. Default: DISCORD_API_URL, API v10, no token (webhooks need none). */
  rest?: REST;
  /** Waits before retrying a follow-up Discord answered 404 to (it has not seen our response yet). */
  followUpRetryMs?: readonly number[];
  /** What `GET /ready` checks. Default: the index is loaded and warmed. */
  readiness?: readonly ReadinessCheck[];
  /** The quote-of-the-day subscriptions (`daily on/off/status`). */
  daily?: DailyService | undefined;
  /** Where Send records the previews it posted; the database, so every instance sees them. */
  claims?: ClaimStore | undefined;
}

export interface RunningHttpAdapter extends RunningAdapter {
  /** `http://host:port/interactions`, with the port actually bound (config port 0 picks a free one). */
  url: string;
  port: number;
}

const INTERACTIONS_PATH = "/interactions";
/**
 * Deepest JSON accepted. Discord nests options at most three levels (group → subcommand → option),
 * and a button press's message (components, embeds) a few more; the options schema is recursive.
 */
const MAX_JSON_DEPTH = 16;
const FOLLOW_UP_RETRY_MS = [250, 1000, 2000] as const;

export async function startHttpInteractions(
  engine: QuoteEngine,
  config: DiscordConfig,
  log: Logger,
  options: HttpOptions = {},
): Promise<RunningHttpAdapter> {
  if (!config.publicKey) throw new Error("Discord: DISCORD_PUBLIC_KEY is required for DISCORD_MODE=http");
  const key = publicKeyFromHex(config.publicKey);
  const maxBodyBytes = options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes;
  const retryMs = options.followUpRetryMs ?? FOLLOW_UP_RETRY_MS;
  const rest = options.rest ?? new REST({ version: "10", ...(config.apiUrl ? { api: config.apiUrl } : {}) });
  const pending = new Set<Promise<void>>();
  const rateLimit = await openRateLimiter(config, log);
  const { limiter } = rateLimit;
  const context = { engine, log, limiter, daily: options.daily, claims: options.claims };
  const budget = new PreAuthBudget(options.preAuthBudgetBytes);
  const refused = refusalLogger((cause, count) =>
    log.warn({ count }, `Discord: refused request(s): ${cause}`),
  );
  const readiness = options.readiness ?? [indexReadiness(engine)];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestPath(req);
    if (path === undefined) return send(res, 400, "malformed request target");
    if (await answerProbe(req, res, path, readiness)) return;
    if (path !== INTERACTIONS_PATH) return send(res, 404, "not found");
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return send(res, 405, "method not allowed");
    }
    const body = await readBody(req, maxBodyBytes, budget);
    if (body === "too large") return refuseTooLarge(req, res);
    if (body === "busy") {
      refused("pre-auth budget exhausted (503)");
      return refuseBusy(req, res);
    }
    const signature = header(req, "x-signature-ed25519");
    const timestamp = header(req, "x-signature-timestamp");
    if (!isFreshTimestamp(timestamp) || !isValidSignature(key, signature, timestamp, body))
      return send(res, 401, "invalid request signature");
    const text = body.toString("utf8");
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return send(res, 400, "nested too deeply");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return send(res, 400, "malformed JSON");
    }
    const raw = rawInteractionSchema.safeParse(json);
    if (!raw.success) return send(res, 400, "not an interaction");

    const started = performance.now();
    const incoming = incomingFromApi(raw.data);
    const outcome = await answer(res, incoming);
    if (log.isLevelEnabled("debug"))
      log.debug(
        { interaction: summary(incoming), ms: Math.round(performance.now() - started) },
        "Discord: answered",
      );

    if (outcome.type === "share") {
      const { application_id: applicationId, token } = raw.data;
      if (!applicationId || !token) {
        log.error({ interaction: summary(incoming) }, "Discord: no application_id/token for the follow-up");
        return;
      }
      res.once("finish", () => {
        const task = followUp(rest, applicationId, token, outcome, retryMs, log).finally(() =>
          pending.delete(task),
        );
        pending.add(task);
      });
    }
  };

  /** Sends the outcome; if rendering or sending it fails, a friendly note instead. Never throws. */
  const answer = async (res: ServerResponse, incoming: Incoming) => {
    let outcome = await decide(incoming, context);
    try {
      sendJson(res, toInteractionResponse(outcome));
    } catch (error) {
      log.error({ err: error, interaction: summary(incoming) }, "Discord: could not send the answer");
      outcome = failureOutcome(incoming);
      if (!res.headersSent) sendJson(res, toInteractionResponse(outcome));
    }
    return outcome;
  };

  const server = createServer(serverOptions(options), (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (clientAborted(req, error)) {
        log.debug("Discord: a client went away mid-request");
        return void res.destroy();
      }
      log.error({ err: error }, "Discord: HTTP request failed");
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });
  capConnections(server, options.maxConnections);
  const stopper = graceful(server);
  server.listen(config.port, config.host);
  await closeIfFails(rateLimit, once(server, "listening"));
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}${INTERACTIONS_PATH}`;
  log.info({ url }, "Discord: interactions endpoint listening");

  return {
    name: "discord (http)",
    url,
    port,
    async stop() {
      await stopper.close(() => pending, options.stopGraceMs);
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await rateLimit.close();
    },
  };
}

/**
 * Posts the public message of a Send through the interaction's webhook, retrying while Discord has not
 * seen our (deferred) response yet (404), then replaces the preview: "Sent" once the message exists;
 * if it could not be posted, a note saying so, and the claim is released so Send can be tried again.
 * Logs failures; never rejects.
 */
async function followUp(
  rest: REST,
  applicationId: string,
  token: string,
  share: Extract<Outcome, { type: "share" }>,
  retryMs: readonly number[],
  log: Logger,
): Promise<void> {
  const post = () =>
    rest.post(Routes.webhook(applicationId, token), {
      body: toApiMessage(share.message),
      auth: false,
      query: new URLSearchParams({ wait: "true" }),
    });
  const preview = (m: DiscordMessage) =>
    rest.patch(Routes.webhookMessage(applicationId, token, "@original"), {
      body: toApiMessage(m, { update: true }),
      auth: false,
    });
  let posted = false;
  for (let attempt = 0; attempt <= retryMs.length; attempt++) {
    try {
      await post();
      posted = true;
      break;
    } catch (error) {
      const wait = retryMs[attempt];
      if (wait === undefined || !(error instanceof DiscordAPIError && error.status === 404)) {
        log.error({ err: error, attempt }, "Discord: could not post the shared quote");
        break;
      }
      await sleep(wait);
    }
  }
  try {
    if (!posted) await share.release?.();
    await preview(posted ? share.sent : share.failed);
  } catch (error) {
    log.warn({ err: error }, "Discord: could not update the preview after Send");
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(text);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}
