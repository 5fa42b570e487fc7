/**
 * The Slack adapter: config → Bolt app → listeners → start. Socket Mode (the default) needs no public
 * URL; HTTP mode serves POST /slack/events for a load balancer. Neither calls Slack to start.
 * One workspace runs on its bot token; many workspaces install through Bolt's OAuth flow
 * (/slack/install, /slack/oauth_redirect), their tokens kept in the project's database.
 */
import {
  App,
  type AppOptions,
  type Authorize,
  type Logger as BoltLogger,
  type InstallationStore,
  type webApi,
} from "@slack/bolt";
import { DEFAULT_SLACK_API_URL, type SlackConfig } from "../../config.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import type { Database } from "../../store/index.js";
import { closeIfFails, openRateLimiter } from "../../store/ratelimit.js";
import { type ReadinessCheck, readinessOf } from "../health.js";
import {
  capConnections,
  type GracefulServer,
  graceful,
  HTTP_DEFAULTS,
  type HttpTuning,
  serverOptions,
  settleWithin,
} from "../http.js";
import type { AdapterServices, RunningAdapter, StartAdapter } from "../types.js";
import { databaseInstallationStore } from "./installations.js";
import { boltLogger } from "./logger.js";
import { BOT_SCOPES } from "./manifest.js";
import { createHttpReceiver, EVENTS_PATH, INSTALL_PATH, type OAuthReceiverOptions } from "./receiver.js";
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
  /** HTTP mode: what `GET /ready` checks. Default: the index is loaded and warmed (and the database answers). */
  readiness?: readonly ReadinessCheck[];
  /** The project's database; OAuth mode keeps its installations there (required for OAuth). */
  store?: Database | undefined;
}

/** Starts the Slack app in the configured mode; resolves once it listens (HTTP) or is connected (Socket Mode). */
export async function startSlack(
  engine: QuoteEngine,
  config: SlackConfig,
  log: Logger,
  options: SlackStartOptions & AdapterServices = {},
): Promise<SlackAdapter> {
  const logger = boltLogger(log);
  const readiness = options.readiness ?? readinessOf(engine, options.store);
  const installations = config.oauth ? databaseInstallationStore(requireStore(options.store)) : undefined;
  const app = createSlackApp(config, logger, { ...options, readiness, installations });
  const rateLimit = await openRateLimiter(config, log);
  const { pending } = registerListeners(app, engine, log, {
    limiter: rateLimit.limiter,
    daily: options.daily,
    // Send's claims in the database: a press delivered to another instance still posts once.
    claims: options.store,
    installations,
  });

  let port: number | undefined;
  let server: GracefulServer | undefined;
  if (config.mode === "http") {
    const http = await closeIfFails(
      rateLimit,
      app.start({ port: config.port, host: config.host }, serverOptions(options.http)),
    );
    capConnections(http, options.http?.maxConnections);
    server = graceful(http);
    const address = http.address();
    port = typeof address === "object" && address ? address.port : config.port;
    log.info(
      { mode: "http", host: config.host, port, path: EVENTS_PATH, oauth: Boolean(config.oauth) },
      "slack: listening",
    );
  } else {
    await closeIfFails(rateLimit, app.start());
    log.info({ mode: "socket", oauth: Boolean(config.oauth) }, "slack: connected over Socket Mode");
    if (config.oauth)
      log.info({ port: config.port, path: INSTALL_PATH }, "slack: OAuth install pages listening");
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
    await rateLimit.close();
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
  options: SlackStartOptions & { installations?: InstallationStore | undefined } = {},
): App {
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: config.apiUrl ?? DEFAULT_SLACK_API_URL,
    timeout: SLACK_CALL_TIMEOUT_MS,
    // A reply that cannot be posted within seconds is not worth posting half an hour later.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    fetch: fetchWithTimeout,
    ...options.clientOptions,
  };
  const oauth = config.oauth
    ? oauthOptions(
        config,
        clientOptions,
        options.installations ?? databaseInstallationStore(requireStore(options.store)),
      )
    : undefined;
  const common: AppOptions = {
    // OAuth: Bolt's installer looks each request's workspace up in the installation store.
    ...(oauth ? {} : { authorize: botAuthorization(requireToken(config)) }),
    logger,
    clientOptions,
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
        oauth,
      }),
    });
  }
  if (!config.appToken) throw new Error("Slack: Socket Mode needs SLACK_APP_TOKEN");
  // Socket Mode's receiver serves the install pages on SLACK_PORT itself (the events need no port).
  const socketOAuth: Partial<AppOptions> = oauth
    ? {
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        stateSecret: oauth.stateSecret,
        scopes: oauth.scopes,
        installationStore: oauth.installationStore,
        installerOptions: { ...oauth.installerOptions, port: config.port },
      }
    : {};
  return new App({ ...common, ...socketOAuth, socketMode: true, appToken: config.appToken });
}

function requireToken(config: SlackConfig): string {
  if (!config.botToken)
    throw new Error("Slack: set SLACK_BOT_TOKEN, or the three OAuth variables for many workspaces");
  return config.botToken;
}

/**
 * Bolt's OAuth install flow: `/slack/install` redirects (302) straight to Slack's authorize page
 * with our client id, the manifest's bot scopes and a signed state (also set as a cookie);
 * `/slack/oauth_redirect` checks the state against that cookie, exchanges the code with
 * `oauth.v2.access` (through `clientOptions`, so `SLACK_API_URL` applies) and stores the install.
 */
function oauthOptions(
  config: SlackConfig,
  clientOptions: webApi.WebClientOptions,
  installationStore: InstallationStore,
): OAuthReceiverOptions & { installationStore: InstallationStore } {
  if (!config.oauth) throw new Error("Slack: no OAuth configuration");
  return {
    ...config.oauth,
    scopes: [...BOT_SCOPES],
    installationStore,
    installerOptions: {
      directInstall: true,
      // The installer's WebClient (oauth.v2.access, auth.test) gets the same base URL and timeouts.
      clientOptions,
    },
  };
}

function requireStore(store: Database | undefined): Database {
  if (!store)
    throw new Error("Slack: the OAuth install flow needs the database (openStore) for its installations");
  return store;
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
