/**
 * The Slack adapter: config → Bolt app → listeners → start. Socket Mode (the default) needs no public
 * URL; HTTP mode serves POST /slack/events for a load balancer. Neither calls Slack to start.
 */
import { App, type AppOptions, type Authorize, type Logger as BoltLogger, type webApi } from "@slack/bolt";
import { RateLimiter } from "../../../commands/index.js";
import type { SlackConfig } from "../../config.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { indexReadiness, type ReadinessCheck } from "../health.js";
import {
  capConnections,
  type GracefulServer,
  graceful,
  HTTP_DEFAULTS,
  type HttpTuning,
  serverOptions,
  settleWithin,
} from "../http.js";
import type { RunningAdapter, StartAdapter } from "../types.js";
import { boltLogger } from "./logger.js";
import { createHttpReceiver, EVENTS_PATH } from "./receiver.js";
import { registerListeners } from "./register.js";

/** How long one call to Slack (Web API or response_url) may take. */
const SLACK_CALL_TIMEOUT_MS = 10_000;

export interface SlackAdapter extends RunningAdapter {
  /** The port HTTP mode listens on (the real one when started on port 0); undefined in Socket Mode. */
  port?: number;
}

export interface SlackStartOptions {
  /**
   * Passed to every WebClient, merged over our defaults. Tests point `slackApiUrl` at a loopback
   * server; nothing else needs it.
   */
  clientOptions?: webApi.WebClientOptions;
  /** HTTP mode: body cap, timeouts and stop grace, over `HTTP_DEFAULTS` (tests shorten them). */
  http?: HttpTuning;
  /** HTTP mode: what `GET /ready` checks. Default: the index is loaded and warmed. */
  readiness?: readonly ReadinessCheck[];
}

/** Starts the Slack app in the configured mode; resolves once it listens (HTTP) or is connected (Socket Mode). */
export async function startSlack(
  engine: QuoteEngine,
  config: SlackConfig,
  log: Logger,
  options: SlackStartOptions = {},
): Promise<SlackAdapter> {
  const logger = boltLogger(log);
  const readiness = options.readiness ?? [indexReadiness(engine)];
  const app = createSlackApp(config, logger, { ...options, readiness });
  const limiter = config.rateLimit ? new RateLimiter(config.rateLimit) : undefined;
  const { pending } = registerListeners(app, engine, log, { limiter });

  let port: number | undefined;
  let server: GracefulServer | undefined;
  if (config.mode === "http") {
    const http = await app.start({ port: config.port, host: config.host }, serverOptions(options.http));
    capConnections(http, options.http?.maxConnections);
    server = graceful(http);
    const address = http.address();
    port = typeof address === "object" && address ? address.port : config.port;
    log.info({ mode: "http", host: config.host, port, path: EVENTS_PATH }, "slack: listening");
  } else {
    await app.start();
    log.info({ mode: "socket" }, "slack: connected over Socket Mode");
  }

  /**
   * HTTP: stop accepting, finish the requests in flight and the response_url calls they started, then
   * release the port. Socket Mode: disconnect, then let the answers already under way finish.
   */
  const stop = async () => {
    const graceMs = options.http?.stopGraceMs ?? HTTP_DEFAULTS.stopGraceMs;
    // HTTP: our close is the receiver's whole stop (Bolt's would close the listening socket at once
    // and reset the connections queued on it).
    if (server) await server.close(pending, graceMs);
    else {
      const bolt = app.stop().catch((error: unknown) => log.warn({ err: error }, "slack: stop failed"));
      await settleWithin(pending(), graceMs);
      await bolt;
    }
    log.info("slack: stopped");
  };
  let stopping: Promise<void> | undefined;
  return {
    name: "slack",
    port,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

startSlack satisfies StartAdapter<SlackConfig>;

export function createSlackApp(
  config: SlackConfig,
  logger: BoltLogger,
  options: SlackStartOptions = {},
): App {
  const common: AppOptions = {
    authorize: botAuthorization(config.botToken),
    logger,
    clientOptions: {
      timeout: SLACK_CALL_TIMEOUT_MS,
      // A reply that cannot be posted within seconds is not worth posting half an hour later.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
      fetch: fetchWithTimeout,
      ...options.clientOptions,
    },
    // No per-conversation state is kept: every button carries its own.
    convoStore: false,
  };
  if (config.mode === "http") {
    if (!config.signingSecret) throw new Error("Slack: HTTP mode needs SLACK_SIGNING_SECRET");
    return new App({
      ...common,
      receiver: createHttpReceiver({
        signingSecret: config.signingSecret,
        logger,
        maxBodyBytes: options.http?.maxBodyBytes,
        preAuthBudgetBytes: options.http?.preAuthBudgetBytes,
        readiness: options.readiness,
      }),
    });
  }
  if (!config.appToken) throw new Error("Slack: Socket Mode needs SLACK_APP_TOKEN");
  return new App({ ...common, socketMode: true, appToken: config.appToken });
}

/**
 * The bot token for every request, without `auth.test`. Bolt's own single-workspace setup calls
 * `auth.test` at start-up, or with `tokenVerificationEnabled: false` on every request (it does not
 * cache the result), so a fresh pod behind a load balancer, or a test, would need Slack to answer.
 * The bot's user id, which Bolt's `ignoreSelf` uses, comes from the event's own `authorizations`.
 */
function botAuthorization(botToken: string): Authorize<boolean> {
  return async (_source, body) => {
    const authorizations = body && "authorizations" in body ? body.authorizations : undefined;
    const botUserId = Array.isArray(authorizations) ? authorizations[0]?.user_id : undefined;
    return { botToken, ...(typeof botUserId === "string" ? { botUserId } : {}) };
  };
}

/** Bolt's respond() and the WebClient both use this fetch: no call to Slack may hang forever. */
const fetchWithTimeout: typeof fetch = (input, init) =>
  fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(SLACK_CALL_TIMEOUT_MS) });
