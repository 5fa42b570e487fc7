/**
 * One gateway shard, spawned by the ShardingManager in main.ts (`DISCORD_SHARDS`). discord.js passes
 * the shard ids and count through the environment; this process loads its own engine and Client.
 */
import { loadConfig } from "../../config.js";
import { QuoteEngine } from "../../core/engine.js";
import { createLogger } from "../../log.js";
import { startGateway } from "./gateway.js";

const config = loadConfig();
const log = createLogger(config.logLevel, undefined, config.logFormat).child({ shards: process.env.SHARDS });
if (!config.discord) {
  log.fatal("Discord: a shard started without Discord configured");
  process.exit(1);
}
const engine = await QuoteEngine.open();
engine.warm();
const running = await startGateway(engine, config.discord, log);
const stop = () => void running.stop().finally(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
