import type { DailyService } from "../../commands/types.js";
import type { QuoteEngine } from "../core/engine.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/index.js";

/** What `npm start` holds of a started platform: enough to stop it gracefully. */
export interface RunningAdapter {
  name: string;
  /** Stops accepting new work, finishes what is in flight, releases the port/connection. */
  stop(): Promise<void>;
}

/** What `npm start` opens once and hands to every adapter it starts. */
export interface AdapterServices {
  /** The database (embedded or `DATABASE_URL`); its ping joins the `/ready` checks. */
  store?: Store | undefined;
  /** The quote-of-the-day subscriptions behind `daily on/off/status`. */
  daily?: DailyService | undefined;
}

export type StartAdapter<Config> = (
  engine: QuoteEngine,
  config: Config,
  log: Logger,
  services?: AdapterServices,
) => Promise<RunningAdapter>;
