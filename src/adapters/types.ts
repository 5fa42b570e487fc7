import type { QuoteEngine } from "../core/engine.js";
import type { Logger } from "../log.js";

/** What `npm start` holds of a started platform: enough to stop it gracefully. */
export interface RunningAdapter {
  name: string;
  /** Stops accepting new work, finishes what is in flight, releases the port/connection. */
  stop(): Promise<void>;
}

export type StartAdapter<Config> = (
  engine: QuoteEngine,
  config: Config,
  log: Logger,
) => Promise<RunningAdapter>;
