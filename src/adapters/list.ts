/**
 * The chat platforms `npm start` can run, as a list (as crossws keeps its adapters): each names the
 * part of the config that turns it on and how to start it. Adding a platform is adding an entry here,
 * not another branch in main.ts; the console is what runs when no entry is configured. Each platform's
 * code (and its chat library) is imported only when its entry starts.
 */
import type { Config } from "../config.js";
import type { QuoteEngine } from "../core/engine.js";
import type { Logger } from "../log.js";
import type { AdapterServices, RunningAdapter, StartAdapter } from "./types.js";

export interface ChatAdapter {
  name: string;
  /** Its variables are set. */
  configured(config: Config): boolean;
  start(
    engine: QuoteEngine,
    config: Config,
    log: Logger,
    services?: AdapterServices,
  ): Promise<RunningAdapter>;
}

function chatAdapter<C>(
  name: string,
  own: (config: Config) => C | undefined,
  load: () => Promise<StartAdapter<C>>,
): ChatAdapter {
  return {
    name,
    configured: (config) => own(config) !== undefined,
    async start(engine, config, log, services) {
      const mine = own(config);
      if (mine === undefined) throw new Error(`${name} is not configured`);
      return (await load())(engine, mine, log, services);
    },
  };
}

export const CHAT_ADAPTERS: readonly ChatAdapter[] = [
  chatAdapter(
    "discord",
    (c) => c.discord,
    async () => (await import("./discord/main.js")).startDiscord,
  ),
  chatAdapter(
    "slack",
    (c) => c.slack,
    async () => (await import("./slack/main.js")).startSlack,
  ),
];

/** The adapters whose variables are set, in the list's order; none means the console. */
export function configuredAdapters(config: Config): ChatAdapter[] {
  return CHAT_ADAPTERS.filter((a) => a.configured(config));
}
